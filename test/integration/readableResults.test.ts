import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { recordFromSheet, useStack } from './stack';

/**
 * A spreadsheet posting's output read as a person reads it in n8n's table view (issue 23, item 8): which row, its
 * status and its message first; whose payment it was also on a row that was refused; row numbers as the sheet counts
 * them; and the payment-batch items after the rows saying what they are.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	stack.engine.setStaticData('engine-test', undefined);
});

/** n8n's table view (RunDataTable): one column per key, in the order keys first appear over the items; a missing key reads "undefined". */
function table(items: INodeExecutionData[]): { columns: string[]; cells: unknown[][] } {
	const columns: string[] = [];
	for (const item of items) for (const key of Object.keys(item.json)) if (!columns.includes(key)) columns.push(key);
	return { columns, cells: items.map((item) => columns.map((column) => item.json[column])) };
}

const rows: IDataObject[] = [
	{ patient: '101', department: '1', method: 'CASH', copay: '10' },
	{ patient: '102', department: '1', method: 'CHECK', check: '1042', copay: '11' },
	{ patient: 'P-7', department: 'Main Clinic', method: 'VISA', copay: '12' },
	{ patient: '104', department: '1', method: 'CHECK', copay: '13' },
	{ patient: '101', department: '1', method: 'CASH', copay: '10' },
].map((row) => ({ postDate: '12/01/2026', ...row }));

it('puts the row, its status and its message first, the same columns on every row, and the row as the sheet counts it', async () => {
	const run = await stack.run(recordFromSheet(), { input: rows, settings: { continueOnFail: true } });
	expect(run.json.map((json) => json.status)).toEqual(['posted', 'posted', 'invalid', 'invalid', 'skipped']);
	const { columns, cells } = table(run.items);
	expect(columns.slice(0, 6)).toEqual(['row', 'status', 'message', 'patientId', 'departmentId', 'paymentMethod']);
	// No row leaves one of those empty: the table reads without "undefined" where a person looks first.
	for (const cell of cells) expect(cell.slice(0, 6)).not.toContain(undefined);
	expect(cells.map((cell) => cell[0])).toEqual([1, 2, 3, 4, 5]);
	// A refused row shows whose payment it was, as the row gave it; its message names the same row number.
	expect(run.json[2]).toMatchObject({ row: 3, status: 'invalid', patientId: 'P-7', departmentId: 'Main Clinic', paymentMethod: 'VISA' });
	expect(run.json[2].message).toMatch(/^Invalid input in row 3: /);
	expect(run.json[3]).toMatchObject({ row: 4, patientId: '104', departmentId: '1', paymentMethod: 'CHECK', message: 'Invalid input in row 4: Check Number is required for a check payment' });
	expect(run.json[4].message).toContain('Same payment as row 1 of this run');
	// A posted row has nothing to say; the machine fields stay: `error` / `reason`, and `item`, n8n's index from 0, last.
	expect(run.json[0].message).toBe('');
	expect(run.json[3].error).toBe(run.json[3].message);
	expect(run.json[4].reason).toBe(run.json[4].message);
	expect(run.json.map((json) => json.item)).toEqual([0, 1, 2, 3, 4]);
	for (const json of run.json) expect(Object.keys(json).pop()).toBe('item');
});

it("numbers rows by the sheet's own Row Number column when one is named", async () => {
	const numbered = rows.map((row, index) => ({ ...row, row: String(index + 2) }));
	const run = await stack.run(recordFromSheet({ rowNumber: '={{ $json.row }}' }), { input: numbered, settings: { continueOnFail: true } });
	expect(run.json.map((json) => json.row)).toEqual([2, 3, 4, 5, 6]);
	expect(run.json[3].message).toMatch(/^Invalid input in row 5: /);
});

it('the payment-batch items and the summary after the rows say what they are, and the hint counts them', async () => {
	stack.simulator.overrideAnswers({ method: 'POST', path: '/recordpayment$', body: [{ success: 'true', paymentbatchid: '7001' }], count: 2 });
	const run = await stack.run(recordFromSheet({ concurrency: 1, batchItems: true, addSummary: true }), { input: rows, settings: { continueOnFail: true } });
	expect(run.items).toHaveLength(7);
	const [batch, summary] = run.json.slice(5);
	expect(Object.keys(batch).slice(0, 2)).toEqual(['row', 'message']);
	expect(batch).toMatchObject({ row: 'payment batch 7001', message: 'Payment batch 7001: 2 payments, total 21.00 (CASH 10.00, CHECK 11.00)', paymentBatch: true });
	expect(Object.keys(summary).slice(0, 2)).toEqual(['row', 'message']);
	expect(summary).toMatchObject({ row: 'summary', summary: true, message: '5 rows: 2 posted, 1 skipped, 2 invalid. Posted 21.00 in 1 payment batch.' });
	const [hint] = run.result.taskOf('athenahealth')?.hints ?? [];
	expect(hint.message).toMatch(/^5 rows: 2 posted, 1 skipped, 2 invalid\. /);
	expect(hint.message).toContain('After the rows: 1 payment batch item and the summary item.');
});

it('a row whose fields cannot even be read (an expression that fails on it) still shows whose payment it was', async () => {
	// A cell the row does not have sends the expression to a node that does not exist: it fails for that row only.
	const parameters = recordFromSheet({}, { copayAmount: "={{ $json.copay ?? $('No such node').item.json.copay }}" });
	const run = await stack.run(parameters, { input: [rows[0], { patient: '105', department: '21', method: 'CASH' }], settings: { continueOnFail: true } });
	expect(run.json.map((json) => json.status)).toEqual(['posted', 'invalid']);
	expect(run.json[1]).toMatchObject({ row: 2, patientId: '105', departmentId: '21', paymentMethod: 'CASH' });
	expect(run.json[1].message).toMatch(/^Invalid input in row 2: /);
});
