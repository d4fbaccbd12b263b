/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import type { IDataObject } from 'n8n-workflow';

import { restoreWallClock, setWallClock } from '../harness/clock';
import type { NodeRun, Stack } from './stack';
import { anotherProcess, recordFromSheet, until, useStack } from './stack';

/**
 * Executions of one workflow at once (webhooks, per-row triggers, overlapping schedules, queue-mode workers), against
 * a store that behaves like n8n's under overlap: each call reads the node's whole key list and writes it back, the
 * last writer wins silently, a second first insert fails on the row's key, an update of a deleted row changes nothing.
 * Issue 22: every payment is stored in athena once, whatever runs at the same time.
 */
const WORKFLOW = 'engine-test';
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});
afterEach(() => restoreWallClock());

/** The lock is given back once the last call is done, which may be just after the execution's end. */
async function lockGivenBack(): Promise<void> {
	await until(() => stack.engine.processedData.row(WORKFLOW, '') === undefined, 5000);
}
const NODE_ROW = [WORKFLOW, 'n:athena-node'] as const;
const keepGoing = { onError: 'continueRegularOutput' as const };

const sheet = (count: number, from = 0): IDataObject[] =>
	Array.from({ length: count }, (_, index) => ({ patient: String(from + index + 1), department: '1', method: 'CASH', copay: `${10 + from + index}.00`, postDate: '12/01/2026' }));

/** 40 requests of 1–5 different payments each (120 payments), as a webhook receives them. */
function requests(): IDataObject[][] {
	const sizes = Array.from({ length: 40 }, (_, index) => (index % 5) + 1);
	let from = 0;
	return sizes.map((size) => {
		const rows = sheet(size, from);
		from += size;
		return rows;
	});
}

/** How many payments athena stored more than once (same patient, same amount). */
function doublesIn(s: Stack): number {
	const times = new Map<string, number>();
	for (const entry of s.simulator.ledger()) {
		const key = JSON.stringify(entry.patientid);
		times.set(key, (times.get(key) ?? 0) + 1);
	}
	return [...times.values()].filter((count) => count > 1).length;
}

type Runner = Pick<Stack, 'run'>;

/** Each request its own execution, all at once, spread over the given processes. */
async function allAtOnce(processes: Runner[], batches: IDataObject[][], parameters = recordFromSheet({ concurrency: 3 })): Promise<NodeRun[]> {
	return await Promise.all(batches.map(async (rows, index) => await processes[index % processes.length].run(parameters, { input: rows, settings: keepGoing })));
}

function statuses(runs: NodeRun[]): string[] {
	return runs.flatMap((run) => run.json.map((json) => String(json.status)));
}

describe('many executions at once', () => {
	it('40 requests at once, then the same 40 at once, then one by one: athena stores each of the 120 payments once', async () => {
		stack.simulator.configure({ latencyMs: 5 });
		const batches = requests();
		const first = await allAtOnce([stack], batches);
		expect(statuses(first)).toEqual(batches.flat().map(() => 'posted'));
		const again = await allAtOnce([stack], batches);
		const oneByOne: NodeRun[] = [];
		for (const rows of batches) oneByOne.push(await stack.run(recordFromSheet({ concurrency: 3 }), { input: rows, settings: keepGoing }));
		console.log(`40 executions at once in one process: ${doublesIn(stack)} payments stored twice`);
		expect(doublesIn(stack)).toBe(0);
		expect(stack.simulator.ledger()).toHaveLength(120);
		expect(statuses(again)).toEqual(batches.flat().map(() => 'skipped'));
		expect(statuses(oneByOne)).toEqual(batches.flat().map(() => 'skipped'));
		// Every posted payment's keys are still there (each holds two: the key and its previous version's).
		expect(stack.engine.processedData.count(...NODE_ROW)).toBe(240);
		await lockGivenBack();
	});

	it('the same over two n8n processes on one database (queue-mode workers): each payment stored once', async () => {
		stack.simulator.configure({ latencyMs: 5 });
		const worker = anotherProcess(stack);
		const batches = requests();
		await allAtOnce([stack, worker], batches);
		// The double submit lands on the other worker each time.
		const again = await allAtOnce([worker, stack], batches);
		console.log(`40 executions at once over two processes: ${doublesIn(stack)} payments stored twice`);
		expect(doublesIn(stack)).toBe(0);
		expect(stack.simulator.ledger()).toHaveLength(120);
		expect(statuses(again)).toEqual(batches.flat().map(() => 'skipped'));
		// The lock's row is gone once nobody holds it.
		await lockGivenBack();
	});

	it('the same payment in many executions at once over two processes: sent once, skipped everywhere else', async () => {
		stack.simulator.configure({ latencyMs: 5 });
		const worker = anotherProcess(stack);
		const batches = Array.from({ length: 20 }, () => sheet(3));
		const runs = await allAtOnce([stack, worker], batches);
		expect(stack.simulator.ledger()).toHaveLength(3);
		expect(statuses(runs).filter((status) => status === 'posted')).toHaveLength(3);
		expect(statuses(runs).filter((status) => status === 'skipped')).toHaveLength(57);
		await lockGivenBack();
	});

	it('two executions of the same sheet at once: each row posted once, and a third run posts nothing', async () => {
		const rows = sheet(60);
		const parameters = recordFromSheet({ concurrency: 3 });
		const [a, b] = await Promise.all([stack.run(parameters, { input: rows, settings: keepGoing }), stack.run(parameters, { input: rows, settings: keepGoing })]);
		for (const run of [a, b]) {
			expect(run.error).toBeUndefined();
			expect(run.json).toHaveLength(rows.length);
		}
		expect(doublesIn(stack)).toBe(0);
		expect(stack.simulator.ledger()).toHaveLength(60);
		const third = await stack.run(parameters, { input: rows, settings: keepGoing });
		expect(third.json.map((json) => json.status)).toEqual(rows.map(() => 'skipped'));
		await lockGivenBack();
	});

	it('two executions of different sheets at once: no claim lost, so a third run posts nothing', async () => {
		const first = sheet(60);
		const second = sheet(120).slice(60);
		const parameters = recordFromSheet({ concurrency: 3, addSummary: true });
		// A row for the node exists already (an earlier run), so both executions update it, as in a workflow that has run before.
		await stack.run(parameters, { input: sheet(121).slice(120), settings: keepGoing });
		const [a, b] = await Promise.all([stack.run(parameters, { input: first, settings: keepGoing }), stack.run(parameters, { input: second, settings: keepGoing })]);
		for (const run of [a, b]) expect(run.json.slice(0, 60).map((json) => json.status)).toEqual(first.map(() => 'posted'));
		const third = await stack.run(parameters, { input: [...first, ...second], settings: keepGoing });
		expect(third.json.filter((json) => json.status === 'posted')).toHaveLength(0);
		expect(stack.simulator.ledger()).toHaveLength(121);
		await lockGivenBack();
	});
});

describe('the lock between processes', () => {
	it("one execution alone takes its turns without pausing: the holder's pause for other processes comes only after a long hold", async () => {
		// A first run counts the node's keys and then claims (two calls in a row), and a refused row's key is given back
		// before the read-back (two more). Failed before: each call that followed one just done waited 250 ms.
		const store = stack.engine.processedData;
		const locks: Array<{ at: number; take: boolean }> = [];
		const takeLock = store.checkProcessedAndRecord.bind(store);
		const giveBack = store.clearAllProcessedItems.bind(store);
		jest.spyOn(store, 'checkProcessedAndRecord').mockImplementation(async (items, scope, contextData, options) => {
			if (scope === 'workflow') locks.push({ at: Date.now(), take: true });
			return await takeLock(items, scope, contextData, options);
		});
		jest.spyOn(store, 'clearAllProcessedItems').mockImplementation(async (scope, contextData) => {
			await giveBack(scope, contextData);
			locks.push({ at: Date.now(), take: false });
		});
		const refused = { ...sheet(1, 5)[0], postDate: '10/01/2026' };
		const run = await stack.run(recordFromSheet(), { input: [...sheet(1), refused], settings: keepGoing });
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'failed']);
		await lockGivenBack();
		const pauses = locks.flatMap((lock, index) => (lock.take && index > 0 ? [lock.at - locks[index - 1].at] : []));
		expect(locks.filter((lock) => lock.take).length).toBeGreaterThanOrEqual(3);
		expect(Math.max(...pauses)).toBeLessThan(200);
	});

	it('a lock left by a process that stopped while holding it is taken over, and the run posts', async () => {
		stack.engine.processedData.plant({ workflowId: WORKFLOW, context: '', value: { mode: 'latestIncrementalKey', data: -8e15 } });
		const run = stack.run(recordFromSheet(), { input: sheet(2), settings: keepGoing });
		// The holder is gone: after the takeover delay the waiting execution takes the lock.
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(stack.simulator.ledger()).toHaveLength(0);
		setWallClock(Date.now() + 21000);
		const done = await run;
		expect(done.json.map((json) => json.status)).toEqual(['posted', 'posted']);
		await lockGivenBack();
	});

	it("another node's row in the lock's own mode (Remove Duplicates, higher values, scope Workflow, on a branch of its own) is never taken over: its history is untouched and the run posts", async () => {
		// Remove Duplicates keeps "Value Is Higher than Any Previous Value" at scope Workflow in this mode: a lock call
		// finds the row taken, like a held lock. Failed before: the takeover deleted that node's history after 20 s.
		const foreign = { workflowId: WORKFLOW, context: '', value: { mode: 'latestIncrementalKey' as const, data: 1042 } };
		stack.engine.processedData.plant(foreign);
		const run = stack.run(recordFromSheet({ addSummary: true }), { input: sheet(2), settings: keepGoing });
		// Judged twice, a takeover wait apart (the first time it could be a lock another process is taking over).
		for (let wait = 0; wait < 2; wait++) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(stack.simulator.ledger()).toHaveLength(0);
			setWallClock(Date.now() + 21000);
		}
		const done = await run;
		expect(done.json.slice(0, 2).map((json) => json.status)).toEqual(['posted', 'posted']);
		expect(stack.engine.processedData.row(WORKFLOW, '')?.value).toEqual(foreign.value);
		expect(done.json[2]).toMatchObject({ summary: true, overlapGuard: 'this n8n process only' });
		// A later run does not wait for the lock again: the row is known to be another node's.
		restoreWallClock();
		const started = Date.now();
		const later = await stack.run(recordFromSheet(), { input: sheet(1, 10), settings: keepGoing });
		expect(later.json.map((json) => json.status)).toEqual(['posted']);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(stack.engine.processedData.row(WORKFLOW, '')?.value).toEqual(foreign.value);
	});

	it("the workflow-scope row is another node's: its history is untouched, the run posts, and the summary and hint say the lock was not used", async () => {
		stack.engine.processedData.seed(WORKFLOW, '', ['order-1', 'order-2']);
		const before = stack.engine.processedData.row(WORKFLOW, '');
		const run = await stack.run(recordFromSheet({ addSummary: true }), { input: sheet(2), settings: keepGoing });
		expect(run.json.slice(0, 2).map((json) => json.status)).toEqual(['posted', 'posted']);
		expect(stack.engine.processedData.row(WORKFLOW, '')).toEqual(before);
		expect(run.json[2]).toMatchObject({ summary: true, overlapGuard: 'this n8n process only' });
		const hints = JSON.stringify(run.result.runData.athenahealth[0].hints ?? []);
		expect(hints).toContain('another node');
	});
});
