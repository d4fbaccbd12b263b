import { addDays } from './easternDay';
import { duplicateCheckKey, legacyDuplicateCheckKey } from './duplicateKey';
import type { PaymentCommon, PostingSpec } from './postPayments';

/** What identifies a row's payment: its details, or the Row Reference the user maps. */
export type KeySource<TInput> = { input: TInput } | { reference: string };

export interface KeyDays {
	/** Today in US Eastern (yyyy-mm-dd): the day of a windowed key (Collect). */
	today: string;
	/** How many Eastern days a windowed key covers: today and the days before it (Collect's Duplicate Window). */
	windowDays: number;
	/** The workflow's dates (mm/dd/yyyy) of today and the days before it, newest first: what version-1 Collect keys held. */
	workflowDates: string[];
}

export interface RowKeys {
	/** The key this run claims for the row; the row's `duplicateCheckKey`. */
	key: string;
	/**
	 * Claimed when the row is sent: the keys the next days of the window will claim. So a re-run tomorrow finds the
	 * payment by claiming its own day's key, with no read of earlier days (n8n's store has no read-only check).
	 */
	ahead: string[];
	/** The keys the previous key version wrote for this payment: one held blocks the row as its own key would. */
	legacy: string[];
}

/** The current version's key of what identifies a payment, before copies (#2) and days (@yyyy-mm-dd). */
export function identityKey<TInput extends PaymentCommon>(spec: PostingSpec<TInput>, practiceId: string, source: KeySource<TInput>): string {
	return duplicateCheckKey(identityParts(spec, practiceId, source));
}

function identityParts<TInput extends PaymentCommon>(spec: PostingSpec<TInput>, practiceId: string, source: KeySource<TInput>): unknown[] {
	return 'reference' in source ? [spec.operation, practiceId, 'reference', source.reference] : [spec.operation, practiceId, ...spec.keyParts(source.input)];
}

/**
 * The keys of a row. `copy` is its place among identical rows of the sheet (1 = the first), so the n-th identical
 * row keeps the same key in every run. Windowed keys (Collect by payment details) end with their Eastern day.
 */
export function rowKeys<TInput extends PaymentCommon>(
	spec: PostingSpec<TInput>,
	practiceId: string,
	source: KeySource<TInput>,
	copy: number,
	days: KeyDays,
	withLegacy: boolean,
): RowKeys {
	const suffix = copy > 1 ? `#${copy}` : '';
	const base = `${identityKey(spec, practiceId, source)}${suffix}`;
	const windowed = spec.duplicateWindow === true && 'input' in source;
	const window = windowed ? Math.max(1, days.windowDays) : 1;
	return {
		key: windowed ? `${base}@${days.today}` : base,
		ahead: windowed ? Array.from({ length: window - 1 }, (_, index) => `${base}@${addDays(days.today, index + 1)}`) : [],
		legacy: [
			...(withLegacy ? legacyKeys(spec, practiceId, source, window, days) : []),
			...earlierReadingKeys(spec, practiceId, source, withLegacy),
		].map((key) => `${key}${suffix}`),
	};
}

/** The keys (this version's, and version 1's while those may remain) of the row as it was read before: see earlierKeyParts. */
function earlierReadingKeys<TInput extends PaymentCommon>(spec: PostingSpec<TInput>, practiceId: string, source: KeySource<TInput>, withLegacy: boolean): string[] {
	const parts = 'input' in source ? spec.earlierKeyParts?.(source.input) : undefined;
	if (!parts) return [];
	const identity = [spec.operation, practiceId, ...parts];
	return [duplicateCheckKey(identity), ...(withLegacy ? [legacyDuplicateCheckKey(identity)] : [])];
}

/** Version 1: the same parts, unversioned; Collect's held the workflow's date, so each day of the window has one. */
function legacyKeys<TInput extends PaymentCommon>(spec: PostingSpec<TInput>, practiceId: string, source: KeySource<TInput>, window: number, days: KeyDays): string[] {
	if ('input' in source && spec.legacyKeyParts) {
		const legacyParts = spec.legacyKeyParts;
		return days.workflowDates.slice(0, window).map((date) => legacyDuplicateCheckKey([spec.operation, practiceId, ...legacyParts(source.input, date)]));
	}
	return [legacyDuplicateCheckKey(identityParts(spec, practiceId, source))];
}
