/**
 * A sheet of payments taken outside athena, one distinct payment a row, and Record Payment's fields mapped from its
 * columns: what the many-at-once e2e (helpers.ts) and the benchmarks (bench/) post.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PATIENT_COUNT } from '../simulator/seed';

/** One spreadsheet row: a payment taken outside athena (cash, check, card on another terminal). */
export interface SheetRow extends IDataObject {
	patientId: string;
	departmentId: string;
	paymentMethod: string;
	checkNumber: string;
	cardLast4: string;
	/** Unique per row ("1.00", "1.01", …): the ledger is matched back to the sheet by it. */
	amount: string;
	postDate: string;
}

const DEPARTMENT_BY_PATIENT = ['1', '21', '62', '1', '82'];
const METHODS = ['CASH', 'CHECK', 'MC/VISA'];
/** After the simulator's practice close date (10/31/2026), so athena accepts the post date. */
export const POST_DATE = '12/01/2026';

/** Row i of the sheet; every row is a distinct payment (its amount is unique), so nothing is a true duplicate. */
export function sheetRow(i: number): SheetRow {
	const patient = (i % PATIENT_COUNT) + 1;
	const method = METHODS[i % METHODS.length];
	const cents = 100 + i;
	return {
		patientId: String(patient),
		departmentId: DEPARTMENT_BY_PATIENT[patient % DEPARTMENT_BY_PATIENT.length],
		paymentMethod: method,
		checkNumber: method === 'CHECK' ? String(1000 + i) : '',
		cardLast4: method === 'MC/VISA' ? String(1000 + (i % 9000)) : '',
		amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
		postDate: POST_DATE,
	};
}

export function sheet(rows: number): SheetRow[] {
	return Array.from({ length: rows }, (_, i) => sheetRow(i));
}

/**
 * Record Payment with the patient, department, method, check number and card digits mapped from a SheetRow (the
 * amounts, dates and posting options follow; they differ between node versions).
 */
export function recordPaymentFromRow(): INodeParameters {
	return {
		resource: 'payment',
		operation: 'record',
		patientId: { __rl: true, mode: 'id', value: '={{ $json.patientId }}' },
		departmentId: '={{ $json.departmentId }}',
		paymentMethod: '={{ $json.paymentMethod }}',
		checkNumber: '={{ $json.checkNumber }}',
		cardLast4: '={{ $json.cardLast4 }}',
	};
}
