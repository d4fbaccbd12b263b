import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { AthenaClient } from '../../../transport/athenaClient';
import type { AthenaFinding, UnknownPayment } from './findInAthena';
import { findInAthena } from './findInAthena';
import { DAY_MS, noonEasternOf } from '../../../shared/dates';
import type { PostingMemory } from './memory';
import { baseKey, copyOf, repostKey } from './memory';
import { addToRow, fileOutcome, toSend } from './rowOutcome';
import type { PaymentCommon, PostingRecord, PostingSettings, PostingSpec, Row } from './types';

/** What a row's check in athena came to, on the row as `athenaCheck`. */
export const ATHENA_CHECK = {
	found: 'settled from athena',
	notFound: 'not found in athena',
	throttled: 'look-up throttled',
	notPermitted: 'look-up not permitted',
	failed: 'look-up failed',
} as const;

// A look-up that is throttled leaves the row unknown (safe): it is not worth waiting out a storm for.
const LOOKUP_THROTTLE_RETRIES = 2;

/** Before a record held without `sentAt` (older versions): the send was at most the timeout before it gave up. */
function sentAtOf(previous: PostingRecord, settings: PostingSettings): number {
	const sent = Date.parse(String(previous.sentAt ?? ''));
	if (Number.isFinite(sent)) return sent;
	return Date.parse(previous.at) - settings.timeoutSeconds * 1000 - 60000;
}

/** Every key the row holds: its own, the next days of Collect's window, and the previous key version's. */
function allKeysOf<TInput>(row: Row<TInput>): string[] {
	return [...new Set([row.key!, ...(row.keys?.ahead ?? []), ...(row.keys?.legacy ?? [])])];
}

/** The key whose record says an earlier run left the row unknown: its own, or one the previous key version wrote. */
function unknownKeyOf<TInput>(row: Row<TInput>, memory: PostingMemory): string | undefined {
	const keys = [row.key!, ...(row.keys?.legacy ?? [])];
	return keys.find((key) => memory.previous(key)?.status === 'unknown');
}

/** Each payment looked up in athena's records (findInAthena.ts); never throws: a failure is each row's finding. */
async function lookUp(
	context: IExecuteFunctions,
	payments: UnknownPayment[],
	memory: PostingMemory,
	settings: PostingSettings,
): Promise<AthenaFinding[]> {
	try {
		const client = await AthenaClient.create(context, {
			requestsPerSecond: settings.requestsPerSecond,
			timeoutMs: settings.timeoutSeconds * 1000,
			maxThrottleRetries: LOOKUP_THROTTLE_RETRIES,
		});
		const knownEPaymentIds = new Set(
			memory
				.records()
				.flatMap((record) =>
					record.status === 'posted' && record.ePaymentId ? [record.ePaymentId] : [],
				),
		);
		return await findInAthena(client, payments, {
			concurrency: settings.concurrency,
			knownEPaymentIds,
		});
	} catch (error) {
		return payments.map(() => ({
			kind: 'lookupFailed',
			why: 'failed',
			reason: `the look-up failed (${(error as Error).message})`,
		}));
	}
}

/** What both passes over the rows (unknown rows, unnamed skipped rows) work with. */
interface Settling<TInput extends PaymentCommon> {
	context: IExecuteFunctions;
	spec: PostingSpec<TInput>;
	rows: Array<Row<TInput>>;
	memory: PostingMemory;
	settings: PostingSettings;
}

/**
 * The row's payment as athena's records would show it, sent around `sentAt`; identical payments of this run whose IDs
 * are known (`idsOf`: posted) are its twins, so athena's payments with those IDs are theirs, not the row's.
 */
function lookupOf<TInput extends PaymentCommon>(
	{ spec, rows }: Settling<TInput>,
	row: Row<TInput>,
	sentAt: number,
	idsOf: (twin: Row<TInput>) => PostingRecord | undefined,
): UnknownPayment {
	const base = baseKey(row.key!);
	const payment = unknownPaymentOf(
		spec.operation,
		spec.report.describe(row.input!),
		spec.report.totalCents(row.input!),
		sentAt,
	);
	payment.identity = base;
	payment.order = copyOf(row.key!);
	payment.postedTwins = rows
		.filter(
			(twin) =>
				twin !== row && twin.key && baseKey(twin.key) === base && idsOf(twin)?.status === 'posted',
		)
		.map((twin) => ({
			ePaymentId: idsOf(twin)?.ePaymentId,
			paymentBatchId: idsOf(twin)?.paymentBatchId,
		}));
	return payment;
}

/** What identifies the row's payment in athena's records, from what the row says it posts. */
export function unknownPaymentOf(
	operation: 'record' | 'collect',
	described: IDataObject,
	totalCents: number,
	sentAt: number,
): UnknownPayment {
	return {
		operation,
		patientId: String(described.patientId),
		departmentId: String(described.departmentId),
		totalCents,
		paymentMethod: operation === 'record' ? textOf(described.paymentMethod) : undefined,
		cardLast4: textOf(described.cardLast4),
		checkNumber: textOf(described.checkNumber),
		postDate: textOf(described.postDate),
		sentAt,
	};
}

/**
 * Rows whose key is held as `unknown` (an earlier run sent them and no answer proved the outcome) are looked up in
 * athena before they are skipped: found, the row is `posted` (settled from athena) and its key stays held; not found,
 * it stays skipped and says so, postable only with Post Again on that row (a look-up that misses is no proof);
 * the look-up failing leaves it unknown, with the reason. Batched (findInAthena.ts); never throws past its rows.
 */
export async function settleUnknownRows<TInput extends PaymentCommon>(
	settling: Settling<TInput>,
): Promise<void> {
	const { context, spec, rows, memory, settings } = settling;
	// A row re-posted with Post Again since is accounted for by its re-post: it is not looked up.
	const candidates = rows.filter(
		(row) =>
			toSend(row) &&
			row.key &&
			row.postAgain !== true &&
			unknownKeyOf(row, memory) &&
			!memory.previous(repostKey(row.key)),
	);
	if (candidates.length === 0) return;
	const posted = (key: string | undefined) => (key ? memory.previous(key) : undefined);
	const payments = candidates.map((row) => {
		const previous = memory.previous(unknownKeyOf(row, memory)!)!;
		return lookupOf(settling, row, sentAtOf(previous, settings), (twin) => posted(twin.key));
	});
	const findings = await lookUp(context, payments, memory, settings);
	// The row's own key and the next days' keys of its window: a settled row is posted on every day it is remembered.
	const heldFound = candidates
		.filter((_, index) => findings[index]?.kind === 'found')
		.flatMap((row) => [row.key!, ...(row.keys?.ahead ?? [])]);
	if (heldFound.length) await memory.hold(heldFound);
	const now = new Date().toISOString();
	candidates.forEach((row, index) => applyFinding(spec, row, memory, findings[index], now));
}

function applyFinding<TInput extends PaymentCommon>(
	spec: PostingSpec<TInput>,
	row: Row<TInput>,
	memory: PostingMemory,
	finding: AthenaFinding | undefined,
	now: string,
): void {
	const key = row.key!;
	const heldAs = unknownKeyOf(row, memory)!;
	const previous = memory.previous(heldAs)!;
	const described = spec.report.describe(row.input!);
	const when = previous.sentAt ?? previous.at;
	const common = { ...described, duplicateCheckKey: key, sentAt: when };
	if (finding?.kind === 'found') {
		const ids = Object.fromEntries(
			Object.entries({
				paymentBatchId: finding.paymentBatchId,
				ePaymentId: finding.ePaymentId,
			}).filter(([, value]) => value),
		);
		// Every key the row holds as unknown (and its own): tomorrow's run, claiming the next day's key, reads posted.
		const settled = new Set([
			key,
			...(row.keys?.ahead ?? []),
			...allKeysOf(row).filter((held) => memory.previous(held)?.status === 'unknown'),
		]);
		memory.posted(settled, now, { sentAt: when, settledFromAthena: true, ...ids });
		fileOutcome(row, 'posted', {
			...common,
			...ids,
			settledFromAthena: true,
			athenaCheck: ATHENA_CHECK.found,
			athenaMatched: finding.matched,
			...(finding.athenaDate ? { athenaDate: finding.athenaDate } : {}),
			...(finding.note ? { athenaNote: finding.note } : {}),
			settledAt: now,
		});
		return;
	}
	if (finding?.kind === 'notFound') {
		// Still held (unknown): only Post Again posts it. The record says athena was asked and showed nothing.
		memory.note(
			allKeysOf(row).filter((candidate) => memory.previous(candidate)?.status === 'unknown'),
			{ athenaCheck: ATHENA_CHECK.notFound, checkedAt: now },
		);
		fileOutcome(row, 'skipped', {
			reason: `An earlier run sent this payment (${when}) and got no answer. athena shows no such payment: ${finding.looked}. It was not posted again by itself, because a look-up that finds nothing is no proof. If the patient's account in athenaOne agrees, turn on Post Again for this row to post it.`,
			athenaCheck: ATHENA_CHECK.notFound,
			previous,
			...common,
		});
		return;
	}
	const reason = finding?.reason ?? 'the look-up gave no answer';
	fileOutcome(row, 'skipped', {
		outcome: 'unknown',
		reason: `An earlier run sent this payment (${when}) and got no answer: athena may have posted it, and its outcome is still unknown because ${reason}. It was not sent again. The next run looks again; or check athenaOne and, to post it anyway, turn on Post Again for this row.`,
		athenaCheck: ATHENA_CHECK[finding?.kind === 'lookupFailed' ? finding.why : 'failed'],
		previous,
		...common,
	});
}

const AGAIN = 'To post it again on purpose, turn on Post Again for this row.';

/**
 * Rows skipped as posted by an earlier run whose details this run does not have: n8n saves a workflow's static data
 * (where the details live) only when a run of the published workflow ends, never for a run started in the editor
 * (and not always in queue mode). Their payment batch (Record) or e-payment ID (Collect) is looked up in athena's
 * records, the way unknown rows are, so the row still names it; otherwise the row says in plain words why it cannot.
 * A courtesy: the row stays skipped whatever the look-up finds; nothing is claimed or remembered. Never throws.
 */
export async function nameEarlierPostings<TInput extends PaymentCommon>(
	settling: Settling<TInput>,
): Promise<void> {
	const { context, spec, rows, memory, settings } = settling;
	// `previous: null`: skipped for a posting held in n8n's store whose details are missing (see send.ts).
	const unnamed = rows.filter(
		(row) =>
			row.status === 'skipped' &&
			row.input &&
			row.key &&
			row.postAgain !== true &&
			row.json.previous === null,
	);
	if (unnamed.length === 0) return;
	const what = spec.operation === 'record' ? 'payment batch' : 'e-payment ID';
	const cannotName = (why: string) =>
		`Already posted by an earlier run. This run cannot name its ${what}: n8n keeps a posting's details only when a run of the published workflow ends, not for runs started in the editor. ${why} The earlier run's results, or the patient's account in athenaOne, show it. ${AGAIN}`;
	const lookups: Array<{ row: Row<TInput>; payment: UnknownPayment }> = [];
	const now = Date.now();
	for (const row of unnamed) {
		const postDate = spec.input.postDateOf?.(row.input!);
		if (spec.operation === 'record' && !postDate) {
			addToRow(row, { reason: cannotName('The row has no Post Date to look it up by in athena.') });
			continue;
		}
		// When it can have been posted: on its Post Date (a history range is a day either side of it); a card payment
		// within the Duplicate Window, since its key blocked today's.
		const sentAt = postDate ? noonEasternOf(postDate) : now - settings.duplicateWindowDays * DAY_MS;
		const payment = lookupOf(settling, row, sentAt, (twin) =>
			twin.status === 'posted'
				? {
						status: 'posted',
						at: '',
						paymentBatchId: textOf(twin.json.paymentBatchId),
						ePaymentId: textOf(twin.json.ePaymentId),
					}
				: undefined,
		);
		lookups.push({ row, payment });
	}
	if (lookups.length === 0) return;
	const findings = await lookUp(
		context,
		lookups.map(({ payment }) => payment),
		memory,
		settings,
	);
	lookups.forEach(({ row }, index) => nameFromFinding(spec, row, findings[index], cannotName));
}

/** What the look-up found for a skipped row goes on the row: its batch or e-payment ID, or why it is not named. */
function nameFromFinding<TInput extends PaymentCommon>(
	spec: PostingSpec<TInput>,
	row: Row<TInput>,
	finding: Awaited<ReturnType<typeof lookUp>>[number] | undefined,
	cannotName: (why: string) => string,
): void {
	const records = spec.operation === 'record' ? "athena's payment history" : "athena's receipts";
	if (finding?.kind === 'found' && (finding.paymentBatchId || finding.ePaymentId)) {
		const named = finding.paymentBatchId
			? `in payment batch ${finding.paymentBatchId}`
			: `as e-payment ${finding.ePaymentId}`;
		addToRow(row, {
			reason: `Already posted by an earlier run, ${named} (found in ${records}).${finding.note ? ` ${finding.note}` : ''} ${AGAIN}`,
			...(finding.paymentBatchId ? { paymentBatchId: finding.paymentBatchId } : {}),
			...(finding.ePaymentId ? { ePaymentId: finding.ePaymentId } : {}),
			athenaMatched: finding.matched,
			...(finding.athenaDate ? { athenaDate: finding.athenaDate } : {}),
		});
		return;
	}
	const what = spec.operation === 'record' ? 'payment batch' : 'e-payment ID';
	const why =
		finding?.kind === 'lookupFailed'
			? `${records} could not be read: ${finding.reason}.`
			: finding?.kind === 'notFound'
				? `${records} showed no match: ${finding.looked}.`
				: `${records} showed it without its ${what}.`;
	addToRow(row, { reason: cannotName(why) });
}

/** A non-empty text, trimmed; undefined for anything else. */
const textOf = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
