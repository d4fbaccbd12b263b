/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * n8n's "processed data" store (deduplication), kept in memory.
 *
 * n8n-core's `this.helpers.checkProcessedAndRecord(...)` and friends go through the process-wide singleton
 * `DataDeduplicationService`, which n8n's CLI initialises with a database-backed `IDataDeduplicator`
 * (packages/cli/src/deduplication, table `processed_data`: one row per workflow id + context). This file gives the
 * harness the same semantics without a database:
 *
 * - a row is keyed by workflow id and context: `''` for scope `workflow`, `n:<node id>` for scope `node` (the node ID,
 *   not its name, so renaming a node keeps its history);
 * - mode `entries` stores an MD5 (base64) hash of every value, trims to the newest `maxEntries`; a row saved with
 *   another mode is an error ("incompatible setting of the 'Keep Items Where' parameter");
 * - modes `latestIncrementalKey` / `latestDate` keep only the largest value seen;
 * - the first call for a row reports every item as new (even repeats inside that batch), later calls record new
 *   values one by one, so a repeat inside one batch is reported as processed. That is what n8n does.
 *
 * Like n8n's database the store outlives one execution: a `TestEngine` keeps one store for all its runs.
 */
import { createHash } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationMode,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

/** One row of n8n's `processed_data` table. `data` holds hashes in mode `entries`, the latest value otherwise. */
export interface ProcessedDataRow {
	workflowId: string;
	/** `''` for scope `workflow`, `n:<node id>` for scope `node`. */
	context: string;
	value: { mode: DeduplicationMode; data: DeduplicationItemTypes[] | DeduplicationItemTypes };
}

/** The error n8n's CLI throws (`DeduplicationError`), same messages. */
export class DeduplicationError extends ApplicationError {
	constructor(message: string) {
		super(`Deduplication Failed: ${message}`, { level: 'warning' });
	}
}

const LATEST_MODES: DeduplicationMode[] = ['latestIncrementalKey', 'latestDate'];

/** `n:<node id>` for scope `node`, `''` for scope `workflow`: how n8n names a row's context. */
export function processedDataContext(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
	if (scope === 'node') {
		if (!contextData.node) {
			throw new DeduplicationError("No node information has been provided and so cannot use scope 'node'");
		}
		return `n:${contextData.node.id}`;
	}
	return '';
}

/** The hash n8n stores for a value in mode `entries`: MD5 of its string form, base64. */
export function hashProcessedValue(value: DeduplicationItemTypes): string {
	return createHash('md5').update(value.toString()).digest('base64');
}

/** True when `a` is later/larger than `b` in the given "latest" mode; throws like n8n for values it cannot compare. */
function isGreater(mode: DeduplicationMode, a: DeduplicationItemTypes, b: DeduplicationItemTypes): boolean {
	if (mode === 'latestIncrementalKey') {
		const x = Number(a);
		const y = Number(b);
		if (Number.isNaN(x) || Number.isNaN(y)) {
			throw new DeduplicationError('Invalid value. Only numbers are supported in mode "latestIncrementalKey"');
		}
		return x > y;
	}
	if (mode === 'latestDate') {
		const x = new Date(a as string).getTime();
		const y = new Date(b as string).getTime();
		if (Number.isNaN(x) || Number.isNaN(y)) {
			throw new DeduplicationError('Invalid value. Only valid dates are supported in mode "latestDate"');
		}
		return x > y;
	}
	throw new DeduplicationError("Invalid mode. Only 'latestIncrementalKey' and 'latestDate' are supported.");
}

function ascending(mode: DeduplicationMode, items: DeduplicationItemTypes[]): DeduplicationItemTypes[] {
	return items.slice().sort((a, b) => (isGreater(mode, a, b) ? 1 : -1));
}

const rowKey = (workflowId: string, context: string) => `${workflowId}\u0000${context}`;

/** In-memory `IDataDeduplicator` with the semantics of n8n's CLI implementation. */
export class InMemoryProcessedDataStore implements IDataDeduplicator {
	private readonly rows = new Map<string, ProcessedDataRow>();

	// ---- inspection for tests -------------------------------------------------------------------------------------

	/** Every stored row (copies). */
	all(): ProcessedDataRow[] {
		return [...this.rows.values()].map((row) => structuredClone(row));
	}

	/** The row of a workflow and context (`''` = workflow scope, `n:<node id>` = node scope), a copy. */
	row(workflowId: string, context = ''): ProcessedDataRow | undefined {
		const row = this.rows.get(rowKey(workflowId, context));
		return row && structuredClone(row);
	}

	/** Number of values recorded in mode `entries` for a workflow and context (0 in the latest-value modes). */
	count(workflowId: string, context = ''): number {
		const row = this.rows.get(rowKey(workflowId, context));
		return row?.value.mode === 'entries' && Array.isArray(row.value.data) ? row.value.data.length : 0;
	}

	/** Whether `value` is recorded (mode `entries`) for a workflow and context. */
	has(workflowId: string, value: DeduplicationItemTypes, context = ''): boolean {
		const row = this.rows.get(rowKey(workflowId, context));
		return Array.isArray(row?.value.data) && row.value.data.includes(hashProcessedValue(value));
	}

	/** Forget everything, or one workflow's rows. */
	clear(workflowId?: string): void {
		if (workflowId === undefined) {
			this.rows.clear();
			return;
		}
		for (const [key, row] of this.rows) if (row.workflowId === workflowId) this.rows.delete(key);
	}

	/**
	 * n8n's `DeduplicationHelper` (packages/cli/src/deduplication/deduplication-helper.ts) does, per call: `findOne`
	 * the row, await, change the copy in memory, `update` the whole row (or `insert` it when there was none), with no
	 * lock and no version check. So two calls in flight on one row: the later write wins silently and erases what the
	 * earlier one recorded or removed; two first calls both `insert` and the second fails on the row's primary key.
	 * The store does exactly that: each call reads a copy, yields (a database round trip), and writes the copy back.
	 */
	private async readModifyWrite<T>(
		call: 'checkProcessedAndRecord' | 'removeProcessed',
		contextData: ICheckProcessedContextData,
		scope: DeduplicationScope,
		job: (row: ProcessedDataRow | undefined) => { result: T; write?: ProcessedDataRow },
	): Promise<T> {
		const key = rowKey(this.workflowIdOf(contextData), processedDataContext(scope, contextData));
		this.calls++;
		this.callsByRow.set(key, (this.callsByRow.get(key) ?? 0) + 1);
		await this.roundTrip();
		const fault = this.faults.find((candidate) => candidate.remaining > 0 && candidate.call === call && (candidate.context === undefined || key.endsWith(`\u0000${candidate.context}`)));
		if (fault) {
			fault.remaining--;
			throw fault.error;
		}
		const existed = this.rows.has(key);
		const read = this.rows.get(key);
		const { result, write } = job(read && structuredClone(read));
		if (!write) return result;
		await this.roundTrip();
		if (!existed && this.rows.has(key)) {
			throw new ApplicationError('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
		}
		// n8n's `update(where workflowId and context)` of a row deleted meanwhile changes no row.
		if (existed && !this.rows.has(key)) return result;
		this.rows.set(key, write);
		this.afterWrite();
		return result;
	}

	/** How many store calls were made (each one reads and rewrites the node's whole list). */
	calls = 0;

	private readonly callsByRow = new Map<string, number>();

	/** How many reads and rewrites one row had (`n:<node id>`: the node's whole key list). */
	callsOn(workflowId: string, context: string): number {
		return this.callsByRow.get(rowKey(workflowId, context)) ?? 0;
	}

	private readonly faults: Array<{ call: 'checkProcessedAndRecord' | 'removeProcessed'; error: Error; remaining: number; context?: string }> = [];

	/**
	 * The next `times` calls of `call` fail with `error` (database busy or down), before reading anything; with
	 * `context`, only calls on that row (`''` = workflow scope, `n:<node id>`).
	 */
	failNext(call: 'checkProcessedAndRecord' | 'removeProcessed', error: Error, times = 1, context?: string): void {
		this.faults.push({ call, error, remaining: times, context });
	}

	/** A database round trip: other executions' calls run in between. */
	private async roundTrip(): Promise<void> {
		await new Promise((resolve) => setImmediate(resolve));
	}

	private staleWrites: Array<{ afterWrites: number; row: ProcessedDataRow }> = [];

	/**
	 * After the next `afterWrites` writes, the row is written back as it was (a copy taken earlier with `row()`): what
	 * an overlapping execution that read the row before those writes does when its own write lands after them (n8n's
	 * last writer wins), made deterministic.
	 */
	writeStaleAfter(afterWrites: number, row: ProcessedDataRow): void {
		this.staleWrites.push({ afterWrites, row: structuredClone(row) });
	}

	private afterWrite(): void {
		for (const stale of this.staleWrites) {
			if (--stale.afterWrites === 0) this.rows.set(rowKey(stale.row.workflowId, stale.row.context), structuredClone(stale.row));
		}
		this.staleWrites = this.staleWrites.filter((stale) => stale.afterWrites > 0);
	}

	/** Puts a row there as it is (another node's history, a lock left behind). */
	plant(row: ProcessedDataRow): void {
		this.rows.set(rowKey(row.workflowId, row.context), structuredClone(row));
	}

	/** Record values directly, as an earlier version of the node would have (mode `entries`). */
	seed(workflowId: string, context: string, values: DeduplicationItemTypes[]): void {
		const key = rowKey(workflowId, context);
		const row = this.rows.get(key) ?? { workflowId, context, value: { mode: 'entries' as DeduplicationMode, data: [] } };
		(row.value.data as DeduplicationItemTypes[]).push(...values.map(hashProcessedValue));
		this.rows.set(key, row);
	}

	// ---- IDataDeduplicator ----------------------------------------------------------------------------------------

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		return await this.readModifyWrite('checkProcessedAndRecord', contextData, scope, (row) => this.checkAndRecordNow(items, scope, contextData, options, row));
	}

	private checkAndRecordNow(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
		row: ProcessedDataRow | undefined,
	): { result: IDeduplicationOutput; write?: ProcessedDataRow } {
		const workflowId = this.workflowIdOf(contextData);
		const context = processedDataContext(scope, contextData);

		if (row && row.value.mode !== options.mode) {
			throw new DeduplicationError(
				'Deduplication data was originally saved with an incompatible setting of the ‘Keep Items Where’ parameter. Try `Clean Database’ operation to reset.',
			);
		}

		if (LATEST_MODES.includes(options.mode)) {
			const sorted = ascending(options.mode, items);
			if (!row) {
				return { result: { new: items, processed: [] }, write: { workflowId, context, value: { mode: options.mode, data: sorted[sorted.length - 1] } } };
			}
			const stored = row.value.data as DeduplicationItemTypes;
			let largest = stored;
			const result: IDeduplicationOutput = { new: [], processed: [] };
			for (const item of sorted) {
				if (isGreater(options.mode, item, stored)) {
					result.new.push(item);
					if (isGreater(options.mode, item, largest)) largest = item;
				} else {
					result.processed.push(item);
				}
			}
			row.value.data = largest;
			return { result, write: row };
		}

		const hashes = items.map(hashProcessedValue);
		if (!row) {
			const data = options.maxEntries ? hashes.slice(Math.max(0, hashes.length - options.maxEntries)) : hashes;
			return { result: { new: items, processed: [] }, write: { workflowId, context, value: { mode: options.mode, data } } };
		}

		const data = row.value.data as DeduplicationItemTypes[];
		const result: IDeduplicationOutput = { new: [], processed: [] };
		hashes.forEach((hash, index) => {
			if (data.includes(hash)) {
				result.processed.push(items[index]);
			} else {
				result.new.push(items[index]);
				data.push(hash);
			}
		});
		if (options.maxEntries) data.splice(0, Math.max(0, data.length - options.maxEntries));
		return { result, write: row };
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		if (LATEST_MODES.includes(options.mode)) {
			throw new DeduplicationError('Removing processed data is not possible in mode "latest"');
		}
		await this.readModifyWrite('removeProcessed', contextData, scope, (row) => {
			if (!row) return { result: undefined };
			const data = row.value.data as DeduplicationItemTypes[];
			for (const hash of items.map(hashProcessedValue)) {
				const index = data.indexOf(hash);
				if (index !== -1) data.splice(index, 1);
			}
			return { result: undefined, write: row };
		});
	}

	/** A `DELETE` of the row, whatever its mode: what another call's later `update` of that row then changes nothing. */
	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.calls++;
		await this.roundTrip();
		this.rows.delete(rowKey(String(contextData.workflow.id), processedDataContext(scope, contextData)));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		const row = this.rows.get(rowKey(String(contextData.workflow.id), processedDataContext(scope, contextData)));
		if (options.mode !== 'entries') return 0;
		return Array.isArray(row?.value.data) ? row.value.data.length : 0;
	}

	private workflowIdOf(contextData: ICheckProcessedContextData): string {
		if (!contextData.workflow.id) {
			throw new DeduplicationError('The workflow has no ID, so its processed data cannot be stored');
		}
		return String(contextData.workflow.id);
	}
}

// ---- wiring into n8n-core -------------------------------------------------------------------------------------------

/**
 * n8n-core allows ONE `DataDeduplicationService.init()` per process (per module registry under jest), while every
 * `TestEngine` has its own store. So n8n-core gets one router that forwards to the store of the engine whose run is
 * in progress, found through AsyncLocalStorage (set by `runWithProcessedDataStore`).
 */
const activeStore = new AsyncLocalStorage<InMemoryProcessedDataStore>();

class RoutingDeduplicator implements IDataDeduplicator {
	private store(): InMemoryProcessedDataStore {
		const store = activeStore.getStore();
		if (!store) {
			throw new ApplicationError('Processed data was used outside a TestEngine run (no store is active)');
		}
		return store;
	}

	async checkProcessedAndRecord(
		...args: Parameters<IDataDeduplicator['checkProcessedAndRecord']>
	): Promise<IDeduplicationOutput> {
		return await this.store().checkProcessedAndRecord(...args);
	}

	async removeProcessed(...args: Parameters<IDataDeduplicator['removeProcessed']>): Promise<void> {
		await this.store().removeProcessed(...args);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		await this.store().clearAllProcessedItems(scope, contextData);
	}

	async getProcessedDataCount(...args: Parameters<IDataDeduplicator['getProcessedDataCount']>): Promise<number> {
		return await this.store().getProcessedDataCount(...args);
	}
}

let installed = false;

/** Initialise n8n-core's DataDeduplicationService once, with the routing deduplicator. */
export async function installProcessedDataRouting(): Promise<void> {
	if (installed) return;
	let current: unknown;
	try {
		current = DataDeduplicationService.getInstance();
	} catch {
		// not initialised yet
	}
	if (current === undefined) {
		await DataDeduplicationService.init(new RoutingDeduplicator());
	} else if (!((current as { deduplicator?: unknown }).deduplicator instanceof RoutingDeduplicator)) {
		throw new ApplicationError(
			"n8n-core's DataDeduplicationService was initialised by someone else: the harness's processed-data store cannot be used",
		);
	}
	installed = true;
}

/** Run `fn` with `store` as the processed-data store n8n-core sees. */
export async function runWithProcessedDataStore<T>(store: InMemoryProcessedDataStore, fn: () => Promise<T>): Promise<T> {
	await installProcessedDataRouting();
	return await activeStore.run(store, fn);
}
