import { receiptSchema } from '../shared/athenaSchemas';
import { parseEasternDateTime } from '../shared/dates';
import { normaliseAthenaMoney, parseMoney } from '../shared/money';
import type { AthenaClient } from './athenaClient';

/** One row of a patient's card receipts, read for matching: amount in cents, the time as an instant. */
export interface AthenaReceipt {
	ePaymentId?: string;
	cents?: number;
	cardLast4?: string;
	/** PURCHASE, VOID, VOIDPURCHASE, AUTHORIZATION (recorded). */
	type: string;
	/** athena's own text, US Eastern. */
	requestDate?: string;
	at?: number;
}

function centsOf(amount: string | undefined): number | undefined {
	if (amount === undefined) return undefined;
	const negative = amount.startsWith('-');
	const parsed = parseMoney(negative ? amount.slice(1) : amount);
	return parsed.ok ? (negative ? -parsed.cents : parsed.cents) : undefined;
}

/** Cents of an amount athena wrote as ".16", "2.5", 25 or "-978.7". */
export function athenaCents(value: unknown): number | undefined {
	return centsOf(normaliseAthenaMoney(value));
}

/**
 * `GET /patients/{id}/receipts?departmentid=`: recorded as a bare array of all-string rows (fact 27); a wrapper
 * object is read too.
 */
export async function fetchReceipts(
	client: AthenaClient,
	patientId: string,
	departmentId: string,
	itemIndex?: number,
): Promise<AthenaReceipt[]> {
	const answer = await client.get(
		`/patients/${patientId}/receipts`,
		{ departmentid: departmentId },
		{
			action: `list the receipts of patient ${patientId} in department ${departmentId}`,
			itemIndex,
		},
	);
	const body = answer.body as unknown;
	const rows = Array.isArray(body)
		? body
		: Array.isArray((body as { receipts?: unknown })?.receipts)
			? (body as { receipts: unknown[] }).receipts
			: [];
	return rows.flatMap((row) => {
		const parsed = receiptSchema.safeParse(row);
		if (!parsed.success) return [];
		const receipt = parsed.data;
		return [
			{
				ePaymentId: receipt.ePaymentId,
				cents: centsOf(receipt.amount),
				cardLast4: receipt.cardLast4,
				type: String(receipt.type ?? '')
					.trim()
					.toUpperCase(),
				requestDate: receipt.requestDate,
				at: parseEasternDateTime(receipt.requestDate),
			},
		];
	});
}
