import { createHash } from 'crypto';

/**
 * The duplicate-check key of a payment: a hash of what identifies it (or of the row reference the user names), so
 * the memory holds no patient data or card digits.
 */
export function duplicateCheckKey(parts: unknown[]): string {
	return `athena-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}
