import { createHash } from 'crypto';

import { amountKeyParts } from '../../../../descriptions/amounts';
import type { CollectPaymentInput } from '../../../../shared/fieldRules';
import { lastFour } from '../../../../shared/redact';
import { addDays } from '../../../../shared/dates';
import type { PaymentCommon, PostingSpec, RowKeys } from '../types';

/**
 * Every duplicate-check key is built and read here. A key is `athena-k<version>-<hash>[#copy][@yyyy-mm-dd]`: the hash
 * of what identifies the payment (or of the Row Reference the user names), so the memory holds no patient data or card
 * digits; `#n` the n-th identical row of a sheet; `@day` the US Eastern day of a windowed (Collect) key; `:again` the
 * key of its one re-post with Post Again.
 *
 * KEY_VERSION is the version of how keys are built. Bump it whenever what goes into a key, or how an amount or a date
 * is normalised before, changes: the golden test (test/unit/duplicateKeys.test.ts) fails on any such change. The keys
 * of the previous version are still read (`legacy`), so a payment posted before an upgrade is still recognised.
 */
export const KEY_VERSION = 2;

const hashOf = (parts: unknown[]) =>
	createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** The duplicate-check key of a payment's parts. */
function duplicateCheckKey(parts: unknown[]): string {
	return `athena-k${KEY_VERSION}-${hashOf(parts)}`;
}

/** The key version 1 wrote for the same parts (no version in it). */
function legacyDuplicateCheckKey(parts: unknown[]): string {
	return `athena-${hashOf(parts)}`;
}

/**
 * What key version 1 hashed for a Collect row: the workflow's date (mm/dd/yyyy) in the middle. Kept as it was, so a
 * card charged before the upgrade is still recognised; never change it (the golden test pins it).
 */
export function legacyCollectKeyParts(input: CollectPaymentInput, date: string): unknown[] {
	return [
		input.patientId,
		input.departmentId,
		lastFour(input.cardNumber),
		date,
		...amountKeyParts(input),
	];
}

/**
 * Post Again acts once per key: the re-post is remembered as its own posting under this key, so a run with the flag
 * still on (a fixed true, an expression true for every row, a scheduled workflow nobody changed) skips it.
 */
export function repostKey(key: string): string {
	return `${key}:again`;
}

/** The identity of a key, without its copy and day: identical payments share it. */
export const baseKey = (key: string) => key.replace(/@[^@#]*$/, '').replace(/#\d+$/, '');
/** Which of the identical rows a key is (1 = the first). */
export const copyOf = (key: string) => Number(/#(\d+)(@[^@#]*)?$/.exec(key)?.[1] ?? 1);

/** What identifies a row's payment: its details, or the Row Reference the user maps. */
export type KeySource<TInput> = { input: TInput } | { reference: string };

interface KeyDays {
	/** Today in US Eastern (yyyy-mm-dd): the day of a windowed key (Collect). */
	today: string;
	/** How many Eastern days a windowed key covers: today and the days before it (Collect's Duplicate Window). */
	windowDays: number;
	/** The workflow's dates (mm/dd/yyyy) of today and the days before it, newest first: what version-1 Collect keys held. */
	workflowDates: string[];
}

/** The current version's key of what identifies a payment, before copies (#2) and days (@yyyy-mm-dd). */
export function identityKey<TInput extends PaymentCommon>(
	spec: PostingSpec<TInput>,
	practiceId: string,
	source: KeySource<TInput>,
): string {
	return duplicateCheckKey(identityParts(spec, practiceId, source));
}

function identityParts<TInput extends PaymentCommon>(
	spec: PostingSpec<TInput>,
	practiceId: string,
	source: KeySource<TInput>,
): unknown[] {
	return 'reference' in source
		? [spec.operation, practiceId, 'reference', source.reference]
		: [spec.operation, practiceId, ...spec.key.parts(source.input)];
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
	const windowed = spec.key.duplicateWindow === true && 'input' in source;
	const window = windowed ? Math.max(1, days.windowDays) : 1;
	return {
		key: windowed ? `${base}@${days.today}` : base,
		ahead: windowed
			? Array.from(
					{ length: window - 1 },
					(_, index) => `${base}@${addDays(days.today, index + 1)}`,
				)
			: [],
		legacy: [
			...(withLegacy ? legacyKeys(spec, practiceId, source, window, days) : []),
			...earlierReadingKeys(spec, practiceId, source, withLegacy),
		].map((key) => `${key}${suffix}`),
	};
}

/** The keys (this version's, and version 1's while those may remain) of the row as it was read before: see key.earlierParts. */
function earlierReadingKeys<TInput extends PaymentCommon>(
	spec: PostingSpec<TInput>,
	practiceId: string,
	source: KeySource<TInput>,
	withLegacy: boolean,
): string[] {
	const parts = 'input' in source ? spec.key.earlierParts?.(source.input) : undefined;
	if (!parts) return [];
	const identity = [spec.operation, practiceId, ...parts];
	return [duplicateCheckKey(identity), ...(withLegacy ? [legacyDuplicateCheckKey(identity)] : [])];
}

/** Version 1: the same parts, unversioned; Collect's held the workflow's date, so each day of the window has one. */
function legacyKeys<TInput extends PaymentCommon>(
	spec: PostingSpec<TInput>,
	practiceId: string,
	source: KeySource<TInput>,
	window: number,
	days: KeyDays,
): string[] {
	if ('input' in source && spec.key.legacyParts) {
		const legacyParts = spec.key.legacyParts;
		return days.workflowDates
			.slice(0, window)
			.map((date) =>
				legacyDuplicateCheckKey([spec.operation, practiceId, ...legacyParts(source.input, date)]),
			);
	}
	return [legacyDuplicateCheckKey(identityParts(spec, practiceId, source))];
}

/** The keys that stand for the row's payment being posted: its own and the previous version's. */
export const firstKeys = (keys: RowKeys) => [keys.key, ...keys.legacy];
/** The keys of the row's one re-post (Post Again). */
export const repostKeys = (keys: RowKeys) => firstKeys(keys).map(repostKey);
/** The next days' keys a row sent now claims (with their re-post keys under Post Again). */
export const aheadKeys = (keys: RowKeys, postAgain: boolean) => [
	...keys.ahead,
	...(postAgain ? keys.ahead.map(repostKey) : []),
];

/** Every key a claim may ask for: claimed ahead of sending, a chunk of rows at a time (store.ts). */
export function claimKeys(keys: RowKeys, postAgain: boolean): string[] {
	return [
		...firstKeys(keys),
		...(postAgain ? repostKeys(keys) : []),
		...aheadKeys(keys, postAgain),
	];
}
