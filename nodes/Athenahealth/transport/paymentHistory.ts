import type { IDataObject } from 'n8n-workflow';

import { toAthenaDate } from '../shared/dates';
import type { AthenaClient } from './athenaClient';
import { athenaCents } from './receipts';

/**
 * One payment of `GET /patients/paymenthistory`. athena's answer to it is not recorded in any public source, so it
 * is read tolerantly: the list under any key, each field under the names athena uses elsewhere, and `fields` says
 * which ones the answer had, so a match can say what it compared.
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
	/** athena's names of the fields read, e.g. { cents: 'amount', date: 'postdate' }. */
	fields: Partial<Record<keyof Omit<HistoryPayment, 'fields'>, string>>;
}

const NAMES: Record<keyof Omit<HistoryPayment, 'fields'>, string[]> = {
	patientId: ['patientid'],
	departmentId: ['departmentid'],
	cents: ['amount', 'paymentamount', 'totalamount', 'total', 'payment'],
	paymentMethod: ['paymentmethod', 'method', 'paymenttype'],
	checkNumber: ['checknumber', 'checkno'],
	cardLast4: ['cardnumberlast4', 'cardnumberlast4digits', 'last4'],
	date: ['postdate', 'paymentdate', 'transactiondate', 'date', 'createddate', 'created'],
	paymentBatchId: ['paymentbatchid', 'batchid'],
	ePaymentId: ['epaymentid'],
	type: ['type', 'transactiontype', 'paymentstatus'],
};

const LIST_KEYS = ['payments', 'paymenthistory', 'patientpayments', 'history', 'transactions'];

function listOf(body: unknown): unknown[] {
	if (Array.isArray(body)) return body;
	if (!body || typeof body !== 'object') return [];
	const object = body as IDataObject;
	for (const key of LIST_KEYS) if (Array.isArray(object[key])) return object[key] as unknown[];
	const arrays = Object.values(object).filter((value) => Array.isArray(value) && value.every((entry) => entry && typeof entry === 'object'));
	return arrays.length === 1 ? (arrays[0] as unknown[]) : [];
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function readHistoryPayment(raw: unknown): HistoryPayment | undefined {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
	const lower = Object.fromEntries(Object.entries(raw as IDataObject).map(([key, value]) => [key.toLowerCase(), value]));
	const payment: HistoryPayment = { fields: {} };
	for (const [field, names] of Object.entries(NAMES) as Array<[keyof typeof NAMES, string[]]>) {
		const name = names.find((candidate) => lower[candidate] !== undefined && lower[candidate] !== null && lower[candidate] !== '');
		if (!name) continue;
		const value = lower[name];
		const read = field === 'cents' ? athenaCents(value) : field === 'date' ? toAthenaDate(String(value).trim().split(/\s+/)[0]) : text(value);
		if (read === undefined) continue;
		(payment as unknown as Record<string, unknown>)[field] = read;
		payment.fields[field] = name;
	}
	return payment;
}

/** One call for a group of patients and a date range (mm/dd/yyyy). */
export async function fetchPaymentHistory(
	client: AthenaClient,
	patientIds: string[],
	startDate: string,
	endDate: string,
	itemIndex?: number,
): Promise<HistoryPayment[]> {
	const answer = await client.get(
		'/patients/paymenthistory',
		{ patientidlist: patientIds.join(','), startdate: startDate, enddate: endDate },
		{ action: `read the payment history of ${patientIds.length === 1 ? `patient ${patientIds[0]}` : `${patientIds.length} patients`} from ${startDate} to ${endDate}`, itemIndex },
	);
	return listOf(answer.body).flatMap((raw) => {
		const payment = readHistoryPayment(raw);
		return payment ? [payment] : [];
	});
}
