import { easternDate, easternDateTime } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import { runWithLimit } from '../../../shared/pool';
import type { AthenaClient } from '../../../transport/athenaClient';
import { AthenaApiError } from '../../../transport/errors';
import type { HistoryPayment, PaymentHistoryReading } from '../../../transport/paymentHistory';
import { fetchPaymentHistory } from '../../../transport/paymentHistory';
import type { AthenaReceipt } from '../../../transport/receipts';
import { fetchReceipts } from '../../../transport/receipts';

/** A payment sent earlier whose outcome is unknown: what identifies it in athena's own records. */
export interface UnknownPayment {
	operation: 'record' | 'collect';
	patientId: string;
	departmentId: string;
	totalCents: number;
	paymentMethod?: string;
	cardLast4?: string;
	checkNumber?: string;
	postDate?: string;
	/** The earliest moment athena can have stored it (ms). */
	sentAt: number;
	/** Identical payments (same duplicate-check key but the #n) share an identity and take athena's payments in turn. */
	identity?: string;
	order?: number;
	/** Identical payments this node knows were posted: the athena payments with their IDs are theirs, not this one's. */
	postedTwins?: Array<{ ePaymentId?: string; paymentBatchId?: string }>;
}

export type AthenaFinding =
	| {
			kind: 'found';
			ePaymentId?: string;
			paymentBatchId?: string;
			athenaDate?: string;
			matched: string;
			note?: string;
	  }
	| { kind: 'notFound'; looked: string }
	| { kind: 'lookupFailed'; why: 'throttled' | 'notPermitted' | 'failed'; reason: string };

/** Clocks differ: athena's receipt time may read a little before the node's send time. */
const CLOCK_SKEW_MS = 2 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Patients per payment-history call: keeps the query string short. */
const HISTORY_PATIENTS_PER_CALL = 50;

function lookupFailure(error: unknown): AthenaFinding {
	const message = (error as Error).message ?? String(error);
	if (error instanceof AthenaApiError) {
		if (error.outcome === 'throttled')
			return {
				kind: 'lookupFailed',
				why: 'throttled',
				reason: `athena throttled the look-up (${message})`,
			};
		if (error.outcome === 'refused' && (error.httpCode === '403' || error.httpCode === '401')) {
			return {
				kind: 'lookupFailed',
				why: 'notPermitted',
				reason: `athena did not permit the look-up (${message}): the app may need access to this endpoint in the Developer Portal`,
			};
		}
	}
	return { kind: 'lookupFailed', why: 'failed', reason: `the look-up failed (${message})` };
}

function groupBy<T>(values: T[], keyOf: (value: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const value of values) {
		const key = keyOf(value);
		groups.set(key, [...(groups.get(key) ?? []), value]);
	}
	return groups;
}

const inTurn = (a: UnknownPayment, b: UnknownPayment) =>
	a.sentAt - b.sentAt || (a.order ?? 0) - (b.order ?? 0);

/**
 * Looks each unknown payment up in athena: card payments (Collect) in the patient's receipts, one call per patient
 * and department; recorded payments in the payment history, one call per group of patients and date range. Sends
 * nothing. `knownEPaymentIds`: card payments this node already accounts for (never taken for another row).
 */
export async function findInAthena(
	client: AthenaClient,
	payments: UnknownPayment[],
	options: { concurrency: number; knownEPaymentIds?: Set<string> },
): Promise<AthenaFinding[]> {
	const findings: AthenaFinding[] = new Array(payments.length);
	const indexed = payments.map((payment, index) => ({ payment, index }));
	const cards = indexed.filter(({ payment }) => payment.operation === 'collect');
	const recorded = indexed.filter(({ payment }) => payment.operation === 'record');

	const receiptGroups = [
		...groupBy(cards, ({ payment }) => `${payment.patientId}|${payment.departmentId}`).values(),
	];
	const historyCalls = historyCallsOf(recorded);
	const jobs: Array<() => Promise<void>> = [
		...receiptGroups.map((group) => async () => {
			let receipts: AthenaReceipt[];
			try {
				receipts = await fetchReceipts(
					client,
					group[0].payment.patientId,
					group[0].payment.departmentId,
				);
			} catch (error) {
				for (const { index } of group) findings[index] = lookupFailure(error);
				return;
			}
			matchReceipts(group, receipts, options.knownEPaymentIds ?? new Set(), findings);
		}),
		...historyCalls.map((call) => async () => {
			let history: PaymentHistoryReading;
			try {
				history = await fetchPaymentHistory(client, call.patientIds, call.startDate, call.endDate);
			} catch (error) {
				for (const { index } of call.members) findings[index] = lookupFailure(error);
				return;
			}
			if (history.unreadable) {
				// athena answered, but not in a way the node can read: "no such payment" would be a guess. Looked up again next run.
				const reason = `athena's payment history could not be read: ${history.unreadable}; check the account in athenaOne`;
				for (const { index } of call.members)
					findings[index] = { kind: 'lookupFailed', why: 'failed', reason };
				return;
			}
			matchHistory(call, history.payments, findings);
		}),
	];
	await runWithLimit(
		jobs.length,
		Math.max(1, options.concurrency),
		async (job) => await jobs[job](),
	);
	return findings;
}

// ------------------------------------------------------------------ Collect: receipts

function matchReceipts(
	group: Array<{ payment: UnknownPayment; index: number }>,
	receipts: AthenaReceipt[],
	known: Set<string>,
	findings: AthenaFinding[],
): void {
	const taken = new Set<string>(known);
	for (const { payment } of group)
		for (const twin of payment.postedTwins ?? []) if (twin.ePaymentId) taken.add(twin.ePaymentId);
	const purchases = receipts
		.filter(
			(receipt) =>
				(receipt.type === 'PURCHASE' || receipt.type === 'VOIDPURCHASE') &&
				receipt.at !== undefined,
		)
		.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
	for (const { payment, index } of [...group].sort((a, b) => inTurn(a.payment, b.payment))) {
		const since = payment.sentAt - CLOCK_SKEW_MS;
		const amount = formatMoney(payment.totalCents);
		const found = purchases.find(
			(receipt) =>
				receipt.cents === payment.totalCents &&
				receipt.cardLast4 === payment.cardLast4 &&
				(receipt.at ?? 0) >= since &&
				!(receipt.ePaymentId && taken.has(receipt.ePaymentId)),
		);
		if (!found) {
			findings[index] = {
				kind: 'notFound',
				looked: `patient ${payment.patientId}'s receipts in department ${payment.departmentId} (${receipts.length} rows) hold no PURCHASE of ${amount} on the card ending ${payment.cardLast4} since ${easternDateTime(since)} Eastern`,
			};
			continue;
		}
		if (found.ePaymentId) taken.add(found.ePaymentId);
		// athena shows a void as the purchase turned VOIDPURCHASE, or as a later VOID row of its own (new e-payment ID).
		const voidRow = receipts.find(
			(receipt) =>
				receipt.type === 'VOID' &&
				receipt.cents === found.cents &&
				receipt.cardLast4 === found.cardLast4 &&
				(receipt.at ?? 0) >= (found.at ?? 0),
		);
		findings[index] = {
			kind: 'found',
			ePaymentId: found.ePaymentId,
			athenaDate: found.requestDate,
			matched: `receipt ${found.type}${found.ePaymentId ? ` e-payment ${found.ePaymentId}` : ''}: amount ${amount}, card ending ${payment.cardLast4}, department ${payment.departmentId}, at ${found.requestDate} Eastern (after the payment was sent)`,
			...(found.type === 'VOIDPURCHASE'
				? { note: 'athena shows this payment voided since (VOIDPURCHASE).' }
				: voidRow
					? {
							note: `A VOID row of the same amount and card follows it (e-payment ${voidRow.ePaymentId ?? '?'}): it may have been voided since.`,
						}
					: {}),
		};
	}
}

// ------------------------------------------------------------------ Record: payment history

interface HistoryCall {
	patientIds: string[];
	startDate: string;
	endDate: string;
	startMs: number;
	endMs: number;
	members: Array<{ payment: UnknownPayment; index: number }>;
}

function dayMs(date: string): number {
	const [month, day, year] = date.split('/').map(Number);
	return Date.UTC(year, month - 1, day);
}

/** A history date range per payment: a day either side of when it was sent and of its post date (zones differ). */
function rangeOf(payment: UnknownPayment): { start: string; end: string } {
	const days = [
		dayMs(easternDate(payment.sentAt)),
		...(payment.postDate ? [dayMs(payment.postDate)] : []),
	];
	const asDate = (ms: number) => {
		const date = new Date(ms);
		return `${String(date.getUTCMonth() + 1).padStart(2, '0')}/${String(date.getUTCDate()).padStart(2, '0')}/${date.getUTCFullYear()}`;
	};
	return { start: asDate(Math.min(...days) - DAY_MS), end: asDate(Math.max(...days) + DAY_MS) };
}

function historyCallsOf(
	recorded: Array<{ payment: UnknownPayment; index: number }>,
): HistoryCall[] {
	const calls: HistoryCall[] = [];
	for (const [range, members] of groupBy(recorded, ({ payment }) => {
		const { start, end } = rangeOf(payment);
		return `${start}|${end}`;
	})) {
		const [startDate, endDate] = range.split('|');
		const patients = [...new Set(members.map(({ payment }) => payment.patientId))];
		for (let first = 0; first < patients.length; first += HISTORY_PATIENTS_PER_CALL) {
			const patientIds = patients.slice(first, first + HISTORY_PATIENTS_PER_CALL);
			calls.push({
				patientIds,
				startDate,
				endDate,
				startMs: dayMs(startDate),
				endMs: dayMs(endDate),
				members: members.filter(({ payment }) => patientIds.includes(payment.patientId)),
			});
		}
	}
	return calls;
}

const same = (a: string | undefined, b: string | undefined) =>
	(a ?? '').replace(/\s+/g, '').toUpperCase() === (b ?? '').replace(/\s+/g, '').toUpperCase();

/** Whether a history payment can be this one; what it compared, in athena's field names. */
function compareHistory(
	payment: UnknownPayment,
	entry: HistoryPayment,
	call: HistoryCall,
): string[] | undefined {
	const { fields } = entry;
	if (entry.cents !== payment.totalCents) return undefined;
	if (entry.type && /void|refund|revers|adjust/i.test(entry.type)) return undefined;
	const compared = [`${fields.cents} ${formatMoney(payment.totalCents)}`];
	if (entry.patientId !== undefined) {
		if (entry.patientId !== payment.patientId) return undefined;
		compared.unshift(`${fields.patientId} ${payment.patientId}`);
	} else if (call.patientIds.length > 1) return undefined; // cannot tell whose it is
	const checks: Array<[keyof HistoryPayment, string | undefined]> = [
		['departmentId', payment.departmentId],
		['paymentMethod', payment.paymentMethod],
		['checkNumber', payment.checkNumber],
		['cardLast4', payment.cardLast4],
	];
	for (const [field, value] of checks) {
		const theirs = entry[field] as string | undefined;
		if (theirs === undefined || value === undefined || value === '') continue;
		if (!same(theirs, value)) return undefined;
		compared.push(`${entry.fields[field as keyof typeof entry.fields]} ${theirs}`);
	}
	if (entry.date) {
		const day = dayMs(entry.date);
		if (day < call.startMs || day > call.endMs) return undefined;
		compared.push(`${fields.date} ${entry.date}`);
	}
	return compared;
}

function matchHistory(
	call: HistoryCall,
	history: HistoryPayment[],
	findings: AthenaFinding[],
): void {
	const used = new Set<HistoryPayment>();
	for (const identityGroup of groupBy(
		call.members,
		({ payment, index }) => payment.identity ?? `#${index}`,
	).values()) {
		const sample = identityGroup[0].payment;
		// Identical payments this node knows it posted take theirs first, by batch ID (athena's batches hold many).
		for (const twin of sample.postedTwins ?? []) {
			const theirs = history.find(
				(entry) =>
					!used.has(entry) &&
					entry.paymentBatchId &&
					entry.paymentBatchId === twin.paymentBatchId &&
					compareHistory(sample, entry, call),
			);
			if (theirs) used.add(theirs);
		}
		for (const { payment, index } of [...identityGroup].sort((a, b) =>
			inTurn(a.payment, b.payment),
		)) {
			const candidates = history.filter(
				(entry) => !used.has(entry) && compareHistory(payment, entry, call),
			);
			const found = candidates[0];
			if (!found) {
				findings[index] = {
					kind: 'notFound',
					looked: `the payment history of patient ${payment.patientId} from ${call.startDate} to ${call.endDate} (${history.length} payments for ${call.patientIds.length} patient${call.patientIds.length === 1 ? '' : 's'}) holds no payment of ${formatMoney(payment.totalCents)}${payment.paymentMethod ? ` by ${payment.paymentMethod}` : ''} in department ${payment.departmentId}`,
				};
				continue;
			}
			used.add(found);
			const compared = compareHistory(payment, found, call) ?? [];
			findings[index] = {
				kind: 'found',
				paymentBatchId: found.paymentBatchId,
				ePaymentId: found.ePaymentId,
				athenaDate: found.date,
				matched: `payment history: ${compared.join(', ')}${found.paymentBatchId ? `; payment batch ${found.paymentBatchId}` : ''}`,
				...(candidates.length > 1 || found.writtenNegative
					? {
							note: [
								candidates.length > 1
									? `athena shows ${candidates.length} payments like it in that range; this row took the first one not accounted for by another row.`
									: '',
								found.writtenNegative
									? `athena wrote every amount of that answer negative (-${formatMoney(payment.totalCents)} here), which was read as payments written as credits.`
									: '',
							]
								.filter(Boolean)
								.join(' '),
						}
					: {}),
			};
		}
	}
}
