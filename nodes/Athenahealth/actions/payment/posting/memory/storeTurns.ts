import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/**
 * One call at a time on a workflow's rows of n8n's processed-data store, across executions and processes.
 *
 * n8n's helper reads a node's whole key row, changes it and writes it back, with no lock and no version check
 * (packages/cli/src/deduplication/deduplication-helper.ts): two calls in flight at once erase each other's claims, and
 * a payment whose claim was erased is posted again by the next run. Executions of one workflow run at once whenever
 * their triggers fire together, so every store call of this package's nodes waits for its turn:
 *
 * - within one n8n process (all of regular mode; one queue-mode worker), a queue per workflow in module state, which
 *   every execution of the process shares;
 * - across processes (queue-mode workers), a lock: n8n's one atomic step is creating a row (its key is workflow and
 *   context; a second creator fails) and deleting one is clean. The lock is the workflow-scope row, created in mode
 *   `latestIncrementalKey` to take the turn and deleted to give it back. A process that holds it serves its own
 *   waiting calls before deleting it, so a burst of executions takes it once, not once per call.
 *
 * The workflow-scope row may belong to another node (Remove Duplicates with scope Workflow): then the lock is
 * unavailable (n8n refuses a call whose mode differs from the row's, or such a node is connected), calls are only
 * queued within the process, and the caller says so.
 */

const LOCK_OPTIONS: ICheckProcessedOptions = { mode: 'latestIncrementalKey' };
/**
 * Recorded together: a row created by this call stores the larger (LOCK_VALUE) and reports both new; a row that was
 * there reports LOCK_PROBE processed, since nothing stored is smaller. Both are far below any value another node
 * keeps, so a foreign row of this mode is never raised by a lock call.
 */
const LOCK_PROBE = -9e15;
const LOCK_VALUE = -8e15;
/**
 * Asked of a row before taking it over: new only when the row holds a lock value (every value a lock call stores is
 * below it), so the row is a lock left behind; a value another node keeps in this mode (Remove Duplicates, "Value Is
 * Higher than Any Previous Value", scope Workflow) is above it, and that row is never deleted.
 */
const LEFT_BEHIND_MARK = -7e15;
/** A holder gives the lock back after this long even with calls waiting, and lets other processes take a turn (letOthersIn). */
const MAX_HOLD_MS = 2000;
/** Longer than a waiter's longest pause between tries, so one busy process cannot starve the others. */
const YIELD_MS = 250;
/** A lock held this long without a break was left by a process that stopped while holding it: it is taken over. */
const TAKEOVER_AFTER_MS = 20000;
const RECHECK_UNAVAILABLE_MS = 5 * 60 * 1000;
const FIRST_WAIT_MS = 5;
const LONGEST_WAIT_MS = 100;

/** How a call got its turn: under the lock shared with other processes, or only in this process's queue. */
export type Turn = 'locked' | 'unlocked';

interface Waiting {
	context: IExecuteFunctions;
	run: (turn: Turn) => Promise<void>;
	fail: (error: unknown) => void;
}

interface WorkflowTurns {
	waiting: Waiting[];
	draining: boolean;
	/** Until when the lock is known not to be usable for this workflow (another node keeps that row). */
	lockUnavailableUntil?: number;
	/** Since when this process has held the lock with no pause of YIELD_MS (see letOthersIn), and when it last gave it back. */
	streakSince?: number;
	givenBackAt?: number;
}

const turnsByWorkflow = new Map<string, WorkflowTurns>();

/** Runs `job` when no other store call on the workflow's rows is in flight; says how the turn was kept. */
export async function inStoreTurn<T>(
	context: IExecuteFunctions,
	job: () => Promise<T>,
): Promise<{ value: T; turn: Turn }> {
	const workflowId = String(context.getWorkflow().id);
	let turns = turnsByWorkflow.get(workflowId);
	if (!turns) {
		turns = { waiting: [], draining: false };
		turnsByWorkflow.set(workflowId, turns);
	}
	const result = new Promise<{ value: T; turn: Turn }>((resolve, reject) => {
		turns.waiting.push({
			context,
			run: async (turn) => {
				try {
					resolve({ value: await job(), turn });
				} catch (error) {
					reject(error);
				}
			},
			fail: reject,
		});
	});
	if (!turns.draining) void drain(turns);
	return await result;
}

async function drain(turns: WorkflowTurns): Promise<void> {
	turns.draining = true;
	try {
		while (turns.waiting.length) {
			await letOthersIn(turns);
			const lockedBy = turns.waiting[0].context;
			let turn: Turn = 'unlocked';
			try {
				turn = await takeLock(lockedBy, turns);
			} catch (error) {
				// The store itself failed: every call waiting now fails with it (their rows are not sent).
				for (const waiting of turns.waiting.splice(0)) waiting.fail(error);
				continue;
			}
			const since = Date.now();
			// A new streak when the lock was free long enough for other processes (or taken by them meanwhile).
			if (
				turn === 'locked' &&
				(turns.givenBackAt === undefined || since - turns.givenBackAt >= YIELD_MS)
			)
				turns.streakSince = since;
			try {
				while (turns.waiting.length && Date.now() - since < MAX_HOLD_MS)
					await turns.waiting.shift()!.run(turn);
			} finally {
				if (turn === 'locked') {
					await giveLockBack(lockedBy);
					turns.givenBackAt = Date.now();
				}
			}
		}
	} finally {
		turns.draining = false;
		// A call queued while the last one finished: drain again.
		if (turns.waiting.length) void drain(turns);
	}
}

/**
 * A process that has kept the lock for MAX_HOLD_MS, giving it back only for moments (calls that come back to back: one
 * busy execution's next step, many executions' calls), leaves it free for YIELD_MS before taking it again, so other
 * processes' waiters get a turn. An execution alone, or calls with pauses between them, never wait here.
 */
async function letOthersIn(turns: WorkflowTurns): Promise<void> {
	if (turns.givenBackAt === undefined || turns.streakSince === undefined) return;
	const free = Date.now() - turns.givenBackAt;
	if (free < YIELD_MS && turns.givenBackAt - turns.streakSince >= MAX_HOLD_MS)
		await sleep(YIELD_MS - free);
}

/** Takes the cross-process lock, waiting while another process holds it; `unlocked` when it cannot be used. */
async function takeLock(context: IExecuteFunctions, turns: WorkflowTurns): Promise<Turn> {
	if ((turns.lockUnavailableUntil ?? 0) > Date.now() || otherDeduplicationNode(context))
		return 'unlocked';
	let start = Date.now();
	let wait = FIRST_WAIT_MS;
	let takenOver = false;
	let anotherNodeOnce = false;
	for (;;) {
		const state = await tryLock(context);
		if (state === 'held') return 'locked';
		if (state === 'unavailable') {
			// Asked again after a while: the other node's history may have been cleared or its scope changed.
			turns.lockUnavailableUntil = Date.now() + RECHECK_UNAVAILABLE_MS;
			return 'unlocked';
		}
		if (!takenOver && Date.now() - start > TAKEOVER_AFTER_MS) {
			// No holder keeps the lock this long (MAX_HOLD_MS and a few store calls): its process stopped, or the row is
			// another node's history in the lock's own mode (a node the neighbour check cannot see, on a branch of its own).
			const row = await leftBehind(context);
			if (row === 'lock') {
				takenOver = true;
				await giveLockBack(context);
				continue;
			}
			// Twice, a full wait apart: the first may have found a lock another process was taking over at that moment.
			if (row === 'another node' && anotherNodeOnce) {
				turns.lockUnavailableUntil = Date.now() + RECHECK_UNAVAILABLE_MS;
				return 'unlocked';
			}
			anotherNodeOnce ||= row === 'another node';
			start = Date.now();
			continue;
		}
		await sleep(wait + Math.floor(Math.random() * wait));
		wait = Math.min(LONGEST_WAIT_MS, wait * 2);
	}
}

async function tryLock(context: IExecuteFunctions): Promise<'held' | 'busy' | 'unavailable'> {
	try {
		const result = await context.helpers.checkProcessedAndRecord(
			[LOCK_PROBE, LOCK_VALUE],
			'workflow',
			LOCK_OPTIONS,
		);
		return result.new.map(Number).includes(LOCK_PROBE) ? 'held' : 'busy';
	} catch (error) {
		const message = (error as Error).message ?? '';
		// Another process created the row between this call's read and its insert.
		if (/unique|duplicate key|constraint/i.test(message)) return 'busy';
		// The row is another node's (n8n: "…saved with an incompatible setting…").
		if (/incompatible/i.test(message)) return 'unavailable';
		throw new NodeOperationError(context.getNode(), message);
	}
}

/**
 * What holds the workflow-scope row: a lock (left by a process that stopped; or none, and this call made the row,
 * which the caller deletes alike), another node's history, or a lock another process took just now (`taken`).
 */
async function leftBehind(context: IExecuteFunctions): Promise<'lock' | 'another node' | 'taken'> {
	try {
		const result = await context.helpers.checkProcessedAndRecord(
			[LEFT_BEHIND_MARK],
			'workflow',
			LOCK_OPTIONS,
		);
		return result.new.length ? 'lock' : 'another node';
	} catch (error) {
		const message = (error as Error).message ?? '';
		if (/incompatible/i.test(message)) return 'another node';
		// The row was gone, and another process created it between this call's read and its insert.
		if (/unique|duplicate key|constraint/i.test(message)) return 'taken';
		throw new NodeOperationError(context.getNode(), message);
	}
}

async function giveLockBack(context: IExecuteFunctions): Promise<void> {
	// A failed delete leaves the lock until TAKEOVER_AFTER_MS: slower, never unsafe.
	await context.helpers.clearAllProcessedItems('workflow', LOCK_OPTIONS).catch(() => undefined);
}

/** Remove Duplicates keeps its history in the workflow-scope row when set to scope Workflow: the lock must not touch it. */
function otherDeduplicationNode(context: IExecuteFunctions): boolean {
	const name = context.getNode().name;
	const neighbours = [
		...(typeof context.getParentNodes === 'function' ? context.getParentNodes(name) : []),
		...(typeof context.getChildNodes === 'function' ? context.getChildNodes(name) : []),
	];
	return neighbours.some((node) => /removeDuplicates$/i.test(node.type));
}
