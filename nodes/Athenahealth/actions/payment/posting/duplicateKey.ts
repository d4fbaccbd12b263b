import { createHash } from 'crypto';

/**
 * The version of how keys are built. Bump it whenever what goes into a key, or how an amount or a date is normalised
 * before, changes: the golden test (test/unit/duplicateKeys.test.ts) fails on any such change. The keys of the
 * previous version are still read (rowKeys.ts), so a payment posted before an upgrade is still recognised.
 */
export const KEY_VERSION = 2;

const hashOf = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/**
 * The duplicate-check key of a payment: a hash of what identifies it (or of the row reference the user names), so
 * the memory holds no patient data or card digits.
 */
export function duplicateCheckKey(parts: unknown[]): string {
	return `athena-k${KEY_VERSION}-${hashOf(parts)}`;
}

/** The key version 1 wrote for the same parts (no version in it). */
export function legacyDuplicateCheckKey(parts: unknown[]): string {
	return `athena-${hashOf(parts)}`;
}
