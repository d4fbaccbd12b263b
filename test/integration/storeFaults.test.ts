/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import type { IDataObject } from 'n8n-workflow';

import { recordFromSheet, useStack } from './stack';

/**
 * Issue 9, case 3: n8n's processed-data store fails (database busy or down). The engine never throws past its rows:
 * a failed claim sends nothing, a failed release keeps the key held and says so, and a node that must stop stops
 * every lane before its next POST.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

const CLOSED = '10/01/2026'; // before the simulator's close date: athena refuses it, nothing stored
const sheet = (count: number, refusedAt = -1): IDataObject[] =>
	Array.from({ length: count }, (_, index) => ({
		patient: String(index + 1),
		department: '1',
		method: 'CASH',
		copay: `${10 + index}.00`,
		postDate: index === refusedAt ? CLOSED : '12/01/2026',
	}));
const busy = () => new Error('SQLITE_BUSY: database is locked');
const parameters = recordFromSheet({ concurrency: 3 });
const keepGoing = { onError: 'continueRegularOutput' as const };
const settle = async () => await new Promise((resolve) => setTimeout(resolve, 1500));

describe('a processed-data store error', () => {
	it.each([
		['the node\'s key list', 'n:athena-node'],
		['the lock between processes (storeTurns.ts)', ''],
	])('on claim (%s): the row is not sent, comes out failed, "nothing was posted", the store error named', async (_, context) => {
		// An earlier run first, so the log of earlier claims exists and the failing call is a claim.
		await stack.run(parameters, { input: sheet(1).map((row) => ({ ...row, patient: '99' })), settings: keepGoing });
		stack.engine.processedData.failNext('checkProcessedAndRecord', busy(), 1, context);
		const rows = sheet(6);
		const run = await stack.run(parameters, { input: rows, settings: keepGoing });
		expect(run.json).toHaveLength(6);
		const failed = run.json.filter((json) => json.status === 'failed');
		expect(failed.length).toBeGreaterThan(0);
		for (const json of failed) {
			expect(String(json.error)).toContain('Nothing was posted');
			expect(String(json.error)).toContain('SQLITE_BUSY');
		}
		const ledgerPatients = stack.simulator.ledger().map((entry) => entry.patientid);
		run.json.forEach((json, index) => {
			expect(['posted', 'failed']).toContain(json.status);
			expect(ledgerPatients.includes(String(rows[index].patient))).toBe(json.status === 'posted');
		});
	});

	it('on release: the key stays held, the row says so, every row has its status, nothing posts after the run', async () => {
		stack.engine.processedData.failNext('removeProcessed', busy());
		const rows = sheet(13, 1);
		const run = await stack.run(parameters, { input: rows, settings: keepGoing });
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(13);
		expect(run.json.map((json) => json.status)).toEqual(rows.map((_, index) => (index === 1 ? 'failed' : 'posted')));
		expect(run.json[1]).toMatchObject({ keyHeld: true });
		expect(String(run.json[1].keyNote)).toContain('SQLITE_BUSY');
		const posted = stack.simulator.ledger().length;
		expect(posted).toBe(12);
		await settle();
		expect(stack.simulator.ledger()).toHaveLength(posted);
		// Fail closed: the held key makes a re-run skip the refused row rather than risk it.
		const rerun = await stack.run(parameters, { input: rows, settings: keepGoing });
		expect(rerun.json.map((json) => json.status)).toEqual(rows.map(() => 'skipped'));
		expect(stack.simulator.ledger()).toHaveLength(12);
	});

	it('when the node must stop, no lane posts after the failure, and the node fails with the refusal', async () => {
		stack.engine.processedData.failNext('removeProcessed', busy());
		stack.simulator.configure({ latencyMs: 20 });
		const rows = sheet(40, 4);
		const run = await stack.run(parameters, { input: rows });
		expect(run.error).toBeDefined();
		const atEnd = stack.simulator.ledger().length;
		expect(atEnd).toBeLessThan(12);
		await settle();
		expect(stack.simulator.ledger()).toHaveLength(atEnd);
	});
});
