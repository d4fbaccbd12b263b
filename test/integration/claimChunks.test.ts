import type { IDataObject } from 'n8n-workflow';

import { CLAIM_CHUNK_ROWS } from '../../nodes/Athenahealth/actions/payment/posting/memory/store';
import { recordFromSheet, useStack } from './stack';

/**
 * Issues 9 and 14: n8n's processed-data store reads and rewrites the node's whole key list on every call, and an
 * overlapping execution's write erases claims made since it read (last writer wins). So keys are claimed a chunk of
 * rows per call, ahead of sending, and the keys an execution keeps are read back and recorded again before it ends.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

const sheet = (count: number, from = 0): IDataObject[] =>
	Array.from({ length: count }, (_, index) => ({ patient: String(from + index + 1), department: '1', method: 'CASH', copay: `${10 + from + index}.00`, postDate: '12/01/2026' }));
const keepGoing = { onError: 'continueRegularOutput' as const };
const NODE_ROW = ['engine-test', 'n:athena-node'] as const;

describe('claims in chunks', () => {
	it.each([1, 3])('a 200-row sheet at Concurrency %i makes at most ceil(200 / chunk) + 2 store calls, and posts every row once', async (concurrency) => {
		const rows = sheet(200);
		const before = stack.engine.processedData.callsOn(...NODE_ROW);
		const run = await stack.run(recordFromSheet({ concurrency }), { input: rows, settings: keepGoing });
		// Calls on the node's key list (the lock's row is a separate, tiny row: storeTurns.ts).
		const calls = stack.engine.processedData.callsOn(...NODE_ROW) - before;
		expect(run.json.map((json) => json.status)).toEqual(rows.map(() => 'posted'));
		expect(stack.simulator.ledger()).toHaveLength(200);
		// The claims, plus reading the kept keys back once.
		expect(calls).toBeLessThanOrEqual(Math.ceil(200 / CLAIM_CHUNK_ROWS) + 2);
		const rerun = await stack.run(recordFromSheet({ concurrency }), { input: rows, settings: keepGoing });
		expect(rerun.json.map((json) => json.status)).toEqual(rows.map(() => 'skipped'));
		expect(stack.simulator.ledger()).toHaveLength(200);
	});

	it('a node that stops gives back, in one call, the keys it claimed ahead for rows it never sent', async () => {
		stack.simulator.configure({ latencyMs: 10 });
		const rows = sheet(120).map((row, index) => (index === 5 ? { ...row, postDate: '10/01/2026' } : row)); // refused: closed period
		const before = stack.engine.processedData.callsOn(...NODE_ROW);
		const run = await stack.run(recordFromSheet({ concurrency: 2 }), { input: rows });
		expect(run.error).toBeDefined();
		// Two chunks claimed (the second ahead of its rows), one call giving back, one reading back the kept keys.
		expect(stack.engine.processedData.callsOn(...NODE_ROW) - before).toBeLessThanOrEqual(4);
		const sent = stack.simulator.ledger().length;
		expect(sent).toBeLessThan(20);
		// Only the posted rows' keys are held: the rest of the sheet, once the refused row is fixed, posts.
		expect(stack.engine.processedData.count(...NODE_ROW)).toBe(sent);
		const fixed = sheet(120);
		const rerun = await stack.run(recordFromSheet({ concurrency: 2 }), { input: fixed, settings: keepGoing });
		expect(rerun.json.filter((json) => json.status === 'posted')).toHaveLength(120 - sent);
		expect(stack.simulator.ledger()).toHaveLength(120);
	});
});

describe('claims lost to an overlapping execution', () => {
	it('are read back and recorded again before the execution ends: a third run posts nothing new', async () => {
		// An earlier run made the node's row; an overlapping execution read it then, and writes it back after this
		// run's first two store writes, erasing the claims they made.
		await stack.run(recordFromSheet(), { input: sheet(1, 100), settings: keepGoing });
		const staleRow = stack.engine.processedData.row(...NODE_ROW);
		if (!staleRow) throw new Error('the first run stored no row');
		stack.engine.processedData.writeStaleAfter(2, staleRow);
		const rows = sheet(80);
		const run = await stack.run(recordFromSheet({ concurrency: 3, addSummary: true }), { input: rows, settings: keepGoing });
		expect(run.json.slice(0, 80).map((json) => json.status)).toEqual(rows.map(() => 'posted'));
		expect(stack.simulator.ledger()).toHaveLength(81);

		const third = await stack.run(recordFromSheet(), { input: rows, settings: keepGoing });
		expect(third.json.map((json) => json.status)).toEqual(rows.map(() => 'skipped'));
		expect(stack.simulator.ledger()).toHaveLength(81);
		// The summary says how many it healed.
		expect(run.json[80]).toMatchObject({ summary: true, posted: 80 });
		expect(run.json[80].claimsHealed).toBeGreaterThan(0);
	});
});
