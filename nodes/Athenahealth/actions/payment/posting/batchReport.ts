import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { formatMoney } from '../../../shared/money';
import type { PaymentCommon, PostingSpec, Row } from './postPayments';

interface BatchTally {
	paymentBatchId: string;
	items: number[];
	cents: number;
	byMethod: Record<string, number>;
	settled: number;
}

/**
 * athena puts every recorded payment in a payment batch that the practice reconciles by hand in athenaOne: per batch
 * ID athena returned in this run, the count, the total and the totals per method, as 2-place strings, the way a
 * person ticks them off against athenaOne's batch screen. Rows settled from athena count in the batch athena named.
 */
function tallyBatches<TInput extends PaymentCommon>(rows: Array<Row<TInput>>, spec: PostingSpec<TInput>): BatchTally[] {
	const batches = new Map<string, BatchTally>();
	for (const row of rows) {
		const batchId = typeof row.json.paymentBatchId === 'string' ? row.json.paymentBatchId.trim() : '';
		if (row.status !== 'posted' || !row.input || !batchId) continue;
		const batch = batches.get(batchId) ?? { paymentBatchId: batchId, items: [], cents: 0, byMethod: {}, settled: 0 };
		const cents = spec.totalCents(row.input);
		const method = spec.methodLabel(row.input);
		batch.items.push(row.itemIndex);
		batch.cents += cents;
		batch.byMethod[method] = (batch.byMethod[method] ?? 0) + cents;
		if (row.json.settledFromAthena === true) batch.settled++;
		batches.set(batchId, batch);
	}
	return [...batches.values()].sort((a, b) => a.paymentBatchId.localeCompare(b.paymentBatchId, 'en', { numeric: true }));
}

function reportOf(batch: BatchTally): IDataObject {
	return {
		paymentBatchId: batch.paymentBatchId,
		payments: batch.items.length,
		total: formatMoney(batch.cents),
		totalsByPaymentMethod: Object.fromEntries(Object.entries(batch.byMethod).map(([method, cents]) => [method, formatMoney(cents)])),
		...(batch.settled ? { settledFromAthena: batch.settled } : {}),
	};
}

/** For the summary item: one entry per payment batch. */
export function paymentBatchReport<TInput extends PaymentCommon>(rows: Array<Row<TInput>>, spec: PostingSpec<TInput>): IDataObject[] {
	return tallyBatches(rows, spec).map(reportOf);
}

/** "Payment batch 7001: 3 payments, total 35.75 (CASH 10.00, CHECK 25.75)": a batch in one line. */
function lineOf(report: IDataObject): string {
	const count = Number(report.payments);
	const methods = Object.entries(report.totalsByPaymentMethod as IDataObject).map(([method, total]) => `${method} ${String(total)}`);
	const settled = report.settledFromAthena ? `; ${String(report.settledFromAthena)} settled from athena` : '';
	return `Payment batch ${String(report.paymentBatchId)}: ${count} ${count === 1 ? 'payment' : 'payments'}, total ${String(report.total)} (${methods.join(', ')})${settled}`;
}

/**
 * The option "Add One Item per Payment Batch": each batch an item after the rows, paired with the rows in it. Its
 * first fields are the rows' first ones, `row` and `message`, so in n8n's table view it reads as what it is.
 */
export function paymentBatchItems<TInput extends PaymentCommon>(rows: Array<Row<TInput>>, spec: PostingSpec<TInput>): INodeExecutionData[] {
	return tallyBatches(rows, spec).map((batch) => {
		const report = reportOf(batch);
		return {
			json: { row: `payment batch ${batch.paymentBatchId}`, message: lineOf(report), paymentBatch: true, operation: spec.operation, ...report },
			pairedItem: batch.items.map((item): IPairedItemData => ({ item })),
		};
	});
}
