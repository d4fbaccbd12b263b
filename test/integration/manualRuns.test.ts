import type { IDataObject } from 'n8n-workflow';

import { CARD_APPROVED } from '../simulator';
import type { NodeRun } from './stack';
import { collectFromInput, recordFromSheet, useStack } from './stack';

/**
 * Runs started in the editor (issue 23, item 10): n8n saves no static data of a manual execution, so the details of
 * an earlier posting (when, which payment batch) are not there when the sheet is run again from the editor. The claim
 * still holds (the rows are skipped); the batch is found in athena's own records instead, or the row says in plain
 * words why it cannot be named and where to find it.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	stack.engine.setStaticData('engine-test', undefined);
});

const manual = { mode: 'manual' as const, settings: { onError: 'continueRegularOutput' as const } };
const statuses = (run: NodeRun) => run.json.map((json) => json.status);
const historyCalls = () => stack.simulator.requests().filter((request) => request.path.endsWith('/paymenthistory'));

const sheet: IDataObject[] = [
	{ patient: '101', department: '1', method: 'CASH', copay: '10', postDate: '12/01/2026' },
	{ patient: '102', department: '1', method: 'CHECK', check: '1042', other: '20.50', postDate: '12/01/2026' },
	{ patient: '103', department: '21', method: 'MC/VISA', last4: '4242', copay: '5.25', postDate: '12/02/2026' },
];

it('a re-run from the editor names the payment batch of each row posted by the first run, found in athena, and posts nothing', async () => {
	const first = await stack.run(recordFromSheet(), { input: sheet, ...manual });
	expect(statuses(first)).toEqual(['posted', 'posted', 'posted']);
	expect(stack.engine.staticDataOf('engine-test')).toBeUndefined();

	const second = await stack.run(recordFromSheet(), { input: sheet, ...manual });
	expect(statuses(second)).toEqual(['skipped', 'skipped', 'skipped']);
	expect(stack.simulator.ledger()).toHaveLength(3);
	second.json.forEach((json, index) => {
		const batch = first.json[index].paymentBatchId as string;
		expect(batch).toMatch(/^\d+$/);
		expect(json).toMatchObject({ paymentBatchId: batch, previous: null });
		expect(json.message).toBe(`Already posted by an earlier run, in payment batch ${batch} (found in athena's payment history). To post it again on purpose, turn on Post Again for this row.`);
		expect(json.athenaMatched).toEqual(expect.stringContaining(`payment batch ${batch}`));
	});
	// One look-up per date range: the rows of 12/01 share one, 12/02 has its own.
	expect(historyCalls()).toHaveLength(2);
});

it('a row without a post date, or a look-up that fails: skipped all the same, and the message says why no batch is named', async () => {
	const rows = [{ ...sheet[0], postDate: '' }, sheet[1]];
	await stack.run(recordFromSheet(), { input: rows, ...manual });
	stack.simulator.addFaults({ method: 'GET', path: '/paymenthistory$', kind: '500-before' });
	const second = await stack.run(recordFromSheet(), { input: rows, ...manual });
	expect(second.error).toBeUndefined();
	expect(statuses(second)).toEqual(['skipped', 'skipped']);
	expect(stack.simulator.ledger()).toHaveLength(2);
	for (const json of second.json) {
		expect(json.paymentBatchId).toBeUndefined();
		expect(json.message).toMatch(/^Already posted by an earlier run\. /);
		expect(json.message).toContain("This run cannot name its payment batch: n8n keeps a posting's details only when a run of the published workflow ends, not for runs started in the editor.");
		expect(json.message).toContain("The earlier run's results, or the patient's account in athenaOne, show it.");
	}
	expect(second.json[0].message).toContain('The row has no Post Date to look it up by in athena.');
	expect(second.json[1].message).toMatch(/athena's payment history could not be read: .+\./);
});

it('a run of the published workflow (details kept) looks nothing up', async () => {
	const first = await stack.run(recordFromSheet(), { input: sheet });
	const second = await stack.run(recordFromSheet(), { input: sheet });
	expect(statuses(second)).toEqual(['skipped', 'skipped', 'skipped']);
	expect(second.json.map((json) => json.paymentBatchId)).toEqual(first.json.map((json) => json.paymentBatchId));
	expect(historyCalls()).toHaveLength(0);
});

it('Collect from the editor, charged again: skipped, with the e-payment ID found in the receipts', async () => {
	const input = [{ card: CARD_APPROVED, cvv: '987', copay: '25.00' }];
	const first = await stack.run(collectFromInput(), { input, ...manual });
	expect(statuses(first)).toEqual(['posted']);
	const second = await stack.run(collectFromInput(), { input, ...manual });
	expect(statuses(second)).toEqual(['skipped']);
	expect(second.json[0].ePaymentId).toBe(first.json[0].ePaymentId);
	expect(second.json[0].message).toMatch(`Already posted by an earlier run, as e-payment ${String(first.json[0].ePaymentId)} (found in athena's receipts).`);
	expect(stack.simulator.ledger()).toHaveLength(1);
});
