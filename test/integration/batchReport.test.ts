import type { IDataObject } from 'n8n-workflow';

import { recordFromSheet, useStack } from './stack';

/**
 * The batch report (issue 16): per payment batch ID athena returned in the run, the count, the total and the totals
 * per method as 2-place strings, in the summary item and, as an option, as one item per batch after the rows.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	stack.engine.setStaticData('engine-test', undefined);
});

const rows: IDataObject[] = [
	{ patient: '31', department: '1', method: 'CASH', other: '10' },
	{ patient: '32', department: '1', method: 'CHECK', check: 'C9', other: '20.5' },
	{ patient: '33', department: '1', method: 'MC/VISA', last4: '4242', other: '5.25' },
	{ patient: '34', department: '1', method: 'CASH', copay: '1.00' },
	{ patient: '35', department: '21', method: 'CASH', copay: '0.75' },
].map((row) => ({ postDate: '12/01/2026', ...row }));

it('the summary and one item per batch: counts, totals and totals per method, as 2-place strings', async () => {
	// athena's batches hold many payments (it returns the open batch): the first three answers name one batch.
	stack.simulator.overrideAnswers({ method: 'POST', path: '/recordpayment$', body: [{ success: 'true', paymentbatchid: '7001' }], count: 3 });
	const run = await stack.run(recordFromSheet({ concurrency: 1, addSummary: true, batchItems: true }), { input: rows, settings: { typeVersion: 2 } });
	expect(run.error).toBeUndefined();
	expect(run.json.slice(0, 5).map((json) => json.status)).toEqual(['posted', 'posted', 'posted', 'posted', 'posted']);
	const [fourth, fifth] = [run.json[3].paymentBatchId, run.json[4].paymentBatchId] as string[];
	const batches = [
		{ paymentBatchId: fourth, payments: 1, total: '1.00', totalsByPaymentMethod: { CASH: '1.00' } },
		{ paymentBatchId: fifth, payments: 1, total: '0.75', totalsByPaymentMethod: { CASH: '0.75' } },
		{ paymentBatchId: '7001', payments: 3, total: '35.75', totalsByPaymentMethod: { CASH: '10.00', CHECK: '20.50', 'MC/VISA': '5.25' } },
	];
	const batchItems = run.items.slice(5, 8);
	// Each says what it is in the rows' first columns (row, message), for n8n's table view.
	const lineOf = (batch: (typeof batches)[number]) =>
		`Payment batch ${batch.paymentBatchId}: ${batch.payments} ${batch.payments === 1 ? 'payment' : 'payments'}, total ${batch.total} (${Object.entries(batch.totalsByPaymentMethod)
			.map(([method, total]) => `${method} ${total}`)
			.join(', ')})`;
	expect(batchItems.map((item) => item.json)).toEqual(
		batches.map((batch) => ({ row: `payment batch ${batch.paymentBatchId}`, message: lineOf(batch), paymentBatch: true, operation: 'record', ...batch })),
	);
	expect(batchItems[2].json.message).toBe('Payment batch 7001: 3 payments, total 35.75 (CASH 10.00, CHECK 20.50, MC/VISA 5.25)');
	expect(batchItems[2].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	const summary = run.json[8];
	expect(summary).toMatchObject({ summary: true, posted: 5, totalPosted: '37.50', paymentBatches: batches, settledFromAthena: 0 });
	expect(run.items).toHaveLength(9);
});

it('a re-run that settles an unknown row from athena counts it in the batch athena named, and says so', async () => {
	stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: '500-after', count: 1 });
	await stack.run(recordFromSheet({ concurrency: 1 }), { input: rows.slice(0, 2), settings: { onError: 'continueRegularOutput' } });
	const stored = stack.simulator.ledger()[0];
	const rerun = await stack.run(recordFromSheet({ concurrency: 1, addSummary: true }), { input: rows.slice(0, 2) });
	const summary = rerun.json[2];
	expect(summary).toMatchObject({
		posted: 1,
		skipped: 1,
		settledFromAthena: 1,
		paymentBatches: [{ paymentBatchId: stored.paymentbatchid, payments: 1, total: '10.00', totalsByPaymentMethod: { CASH: '10.00' }, settledFromAthena: 1 }],
	});
});
