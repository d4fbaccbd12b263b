import type { IDataObject } from 'n8n-workflow';

import { toAthenaDate } from '../shared/dates';
import type { AthenaClient } from './athenaClient';
import { athenaCents } from './receipts';

/**
 * One payment of `GET /patients/paymenthistory`. athena's answer to it is not recorded in any public source, so it
 * is read tolerantly: the list under any key (also nested per patient), each field under the names athena uses
 * elsewhere and the names a third-party catalogue of athena's payment history lists (`payments` the amount,
 * `method`, `checkccnumber`), and `fields` says which ones the answer had, so a match can say what it compared.
 * docs/athena-facts.md says which names are sourced and which assumed.
 */
export interface HistoryPayment {
	patientId?: string;
	departmentId?: string;
	/** Signed: a void or refund reads negative. */
	cents?: number;
	paymentMethod?: string;
	checkNumber?: string;
	cardLast4?: string;
	/** mm/dd/yyyy. */
	date?: string;
	paymentBatchId?: string;
	ePaymentId?: string;
	type?: string;
	/** Every amount of the answer was negative, so they were read as payments written as credits (signs turned). */
	writtenNegative?: boolean;
	/** athena's names of the fields read, e.g. { cents: 'amount', date: 'postdate' }. */
	fields: Partial<Record<keyof Omit<HistoryPayment, 'fields' | 'writtenNegative'>, string>>;
}

type Field = keyof Omit<HistoryPayment, 'fields' | 'writtenNegative'>;

const NAMES: Record<Field, string[]> = {
	patientId: ['patientid'],
	departmentId: ['departmentid'],
	// `payments`: the catalogue's name of the amount (a money value; a list under that name is a list, not an amount).
	cents: ['amount', 'paymentamount', 'payments', 'payment', 'totalamount', 'total'],
	paymentMethod: ['paymentmethod', 'method', 'paymenttype'],
	checkNumber: ['checknumber', 'checkno'],
	cardLast4: ['cardnumberlast4', 'cardnumberlast4digits', 'last4'],
	// Not `dateofservice`: the visit a payment is for can be long before the payment.
	date: ['postdate', 'paymentdate', 'transactiondate', 'date', 'createddate', 'created'],
	paymentBatchId: ['paymentbatchid', 'batchid'],
	ePaymentId: ['epaymentid'],
	type: ['type', 'transactiontype', 'paymentstatus'],
};

/** The catalogue's one field for both: a check's number, or the card's digits (by the payment's method). */
const CHECK_OR_CARD = 'checkccnumber';

const LIST_KEYS = ['payments', 'paymenthistory', 'patientpayments', 'history', 'transactions'];
/** What a per-patient group passes down to the payments nested in it. */
const GROUP_KEYS = ['patientid', 'departmentid'];

const isRecord = (value: unknown): value is IDataObject =>
	!!value && typeof value === 'object' && !Array.isArray(value);

function lowerKeys(raw: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key.toLowerCase(), value]));
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Cents of an amount as a history may write it: ".16", "-120", "$1,200.00", "(120.00)" (accounting negative). */
function historyCents(value: unknown): number | undefined {
	if (Array.isArray(value) || isRecord(value)) return undefined;
	const written = typeof value === 'string' ? value.trim() : value;
	if (typeof written === 'string' && /^\(.*\)$/.test(written)) {
		const inner = athenaCents(written.slice(1, -1).trim());
		return inner === undefined ? undefined : -Math.abs(inner);
	}
	return athenaCents(written);
}

const isCheck = (method: string | undefined) => /^(check|chk|cheque)$/i.test((method ?? '').trim());
const isCash = (method: string | undefined) => /^cash$/i.test((method ?? '').trim());

export function readHistoryPayment(raw: unknown): HistoryPayment | undefined {
	if (!isRecord(raw)) return undefined;
	const lower = lowerKeys(raw);
	const payment: HistoryPayment = { fields: {} };
	for (const [field, names] of Object.entries(NAMES) as Array<[Field, string[]]>) {
		for (const name of names) {
			const value = lower[name];
			if (value === undefined || value === null || value === '') continue;
			const read =
				field === 'cents'
					? historyCents(value)
					: field === 'date'
						? toAthenaDate(String(value).trim().split(/\s+/)[0])
						: text(value);
			if (read === undefined) continue;
			(payment as unknown as Record<string, unknown>)[field] = read;
			payment.fields[field] = name;
			break;
		}
	}
	const checkOrCard = text(lower[CHECK_OR_CARD]);
	if (checkOrCard !== undefined) {
		// Which one it is follows from the method; without a method it could be either, so it is not compared.
		if (isCheck(payment.paymentMethod) && payment.checkNumber === undefined) {
			payment.checkNumber = checkOrCard;
			payment.fields.checkNumber = CHECK_OR_CARD;
		} else if (
			payment.paymentMethod &&
			!isCheck(payment.paymentMethod) &&
			!isCash(payment.paymentMethod) &&
			payment.cardLast4 === undefined
		) {
			const digits = checkOrCard.replace(/\D/g, '');
			if (digits.length >= 4) {
				payment.cardLast4 = digits.slice(-4);
				payment.fields.cardLast4 = CHECK_OR_CARD;
			}
		}
	}
	return payment;
}

/**
 * The entries of an answer, each with what its per-patient group says (`patientid`): a list at the top, under a
 * list key, or nested per patient (`{paymenthistory:[{patientid, payments:[…]}]}`, or keyed by patient ID). An
 * object that carries an amount of its own is an entry, whatever lists it holds (a payment's claim lines are not
 * payments).
 */
function entriesOf(
	value: unknown,
	inherited: IDataObject,
	depth: number,
	unknownLists: string[],
): IDataObject[] {
	if (depth > 5) return [];
	if (Array.isArray(value))
		return value.flatMap((entry) => entriesOf(entry, inherited, depth + 1, unknownLists));
	if (!isRecord(value)) return [];
	const lower = lowerKeys(value);
	if (NAMES.cents.some((name) => historyCents(lower[name]) !== undefined))
		return [{ ...inherited, ...lower }];
	const byPatient = Object.entries(lower).filter(
		([key, entry]) => /^\d+$/.test(key) && (Array.isArray(entry) || isRecord(entry)),
	);
	// A list key holding an empty list is a group with no payments (a patient who paid nothing), not an entry.
	const lists = Object.entries(lower).filter(
		([key, entry]) =>
			!/^\d+$/.test(key) &&
			Array.isArray(entry) &&
			(entry.some(isRecord) || LIST_KEYS.includes(key)),
	);
	if (lists.length === 0 && byPatient.length === 0)
		return depth === 0 ? [] : [{ ...inherited, ...lower }];
	const passDown: IDataObject = { ...inherited };
	for (const key of GROUP_KEYS) if (text(lower[key]) !== undefined) passDown[key] = lower[key];
	const byId = byPatient.flatMap(([patientId, entry]) =>
		entriesOf(entry, { ...passDown, patientid: patientId }, depth + 1, unknownLists),
	);
	const known = lists.filter(([key]) => LIST_KEYS.includes(key));
	const followed = known.length ? known : lists.length === 1 ? lists : [];
	if (!followed.length) unknownLists.push(...lists.map(([key]) => key));
	return [
		...byId,
		...followed.flatMap(([, entry]) => entriesOf(entry, passDown, depth + 1, unknownLists)),
	];
}

export interface PaymentHistoryReading {
	payments: HistoryPayment[];
	/** Set when athena answered with entries but no amount could be read in any of them: what was seen, no values. */
	unreadable?: string;
}

/** Every field name the reader knows for an entry (the live check compares athena's answers with them). */
export const PAYMENT_HISTORY_FIELD_NAMES = [
	...new Set([...Object.values(NAMES).flat(), CHECK_OR_CARD]),
];

/** The names of each field, the one it reads first first (`checkccnumber` with the check number and card digits). */
export function paymentHistoryFieldGroups(): string[][] {
	return Object.entries(NAMES).map(([field, names]) =>
		field === 'checkNumber' || field === 'cardLast4' ? [...names, CHECK_OR_CARD] : [...names],
	);
}

/** The entries of an answer, as the reader finds them (lower-case keys, a group's patient ID passed down). */
export function paymentHistoryEntries(body: unknown): IDataObject[] {
	return entriesOf(body, {}, 0, []);
}

/** athena's whole answer read: its payments, or why it could not be read. */
export function readPaymentHistory(body: unknown): PaymentHistoryReading {
	if (!Array.isArray(body) && !isRecord(body)) {
		return {
			payments: [],
			unreadable:
				body === undefined || body === null || body === ''
					? 'the answer was empty or not JSON'
					: `the answer was a bare ${typeof body}`,
		};
	}
	const unknownLists: string[] = [];
	const entries = entriesOf(body, {}, 0, unknownLists);
	if (!entries.length && unknownLists.length) {
		return {
			payments: [],
			unreadable: `it holds lists under names the node does not know (${[...new Set(unknownLists)].slice(0, 20).join(', ')})`,
		};
	}
	const payments = entries.flatMap((raw) => {
		const payment = readHistoryPayment(raw);
		return payment ? [payment] : [];
	});
	if (entries.length && !payments.some((payment) => payment.cents !== undefined)) {
		const keys = [...new Set(entries.flatMap((entry) => Object.keys(entry)))].sort().slice(0, 20);
		return {
			payments: [],
			unreadable: `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}, none with an amount under a name the node knows (${NAMES.cents.join(', ')}); fields seen: ${keys.join(', ')}`,
		};
	}
	// A history that writes every amount negative writes payments as credits to the account, as ledgers do.
	const amounts = payments.flatMap((payment) =>
		payment.cents === undefined ? [] : [payment.cents],
	);
	if (amounts.some((cents) => cents < 0) && amounts.every((cents) => cents <= 0)) {
		for (const payment of payments) {
			if (payment.cents === undefined) continue;
			payment.cents = -payment.cents;
			payment.writtenNegative = true;
		}
	}
	return { payments };
}

/** One call for a group of patients and a date range (mm/dd/yyyy). */
export async function fetchPaymentHistory(
	client: AthenaClient,
	patientIds: string[],
	startDate: string,
	endDate: string,
	itemIndex?: number,
): Promise<PaymentHistoryReading> {
	const answer = await client.get(
		'/patients/paymenthistory',
		{ patientidlist: patientIds.join(','), startdate: startDate, enddate: endDate },
		{
			action: `read the payment history of ${patientIds.length === 1 ? `patient ${patientIds[0]}` : `${patientIds.length} patients`} from ${startDate} to ${endDate}`,
			itemIndex,
		},
	);
	return readPaymentHistory(answer.body);
}
