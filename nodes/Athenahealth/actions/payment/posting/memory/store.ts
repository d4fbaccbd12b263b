import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import { inStoreTurn } from './storeTurns';

/**
 * The claims: n8n's processed-data store (`checkProcessedAndRecord`), which n8n writes to its database at once, before
 * the POST, so a claim survives a crash, a restart and n8n's Retry On Fail, and in queue mode every worker sees it.
 *
 * Every store call makes n8n read the node's whole key list (up to 50,000 hashes, about 1.2 MB of JSON), change it and
 * write it all back, so a call costs the same for one key as for fifty (bench/RESULTS-n8n.md). Hence keys are claimed
 * a chunk of rows at a time, the next chunk while the current one is posting, and given back in one call at the end.
 * Every call waits for its turn (storeTurns.ts), so no execution's write erases another's; the keys an execution keeps
 * are still read back and recorded again before it ends, against a writer that did not wait (see settle).
 */
const SCOPE = 'node' as const;
/** n8n's store keeps this many keys per node and silently forgets older ones (claimLog.ts says how far back that is). */
export const STORE_MAX_ENTRIES = 50000;
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: STORE_MAX_ENTRIES };

/** Rows whose keys go in one claim call (at least; more with a high Concurrency, so lanes never wait on a claim). */
export const CLAIM_CHUNK_ROWS = 50;
/** Keys read back (and recorded again where missing) per call when healing: n8n checks them against a Set, so the cost is the row. */
const HEAL_CHUNK_KEYS = 5000;
/** Healing repeats while a round found claims missing (its own write may be overwritten too), at most this often. */
const HEAL_ROUNDS = 3;

function claimChunkRows(concurrency: number): number {
	return Math.max(CLAIM_CHUNK_ROWS, concurrency * 4);
}

/** What the end of an execution did with its claims. */
export interface ClaimsSettled {
	/** Keys given back: free again for a later run. */
	givenBack: string[];
	/** Keys this execution took ahead of sending, never used and still held because giving them back failed. */
	notGivenBack: Set<string>;
	giveBackError?: Error;
	/** Kept keys found missing (erased by an overlapping execution) and recorded again. */
	healed: number;
	/** Why healing could not finish, if it could not. */
	healError?: Error;
	/** Some store call ran without the cross-process lock (storeTurns.ts): overlapping runs in other processes may erase claims. */
	unlocked: boolean;
}

interface ClaimChunk {
	keys: string[];
	/** The keys of the chunk that were free and are now held by this execution. */
	fresh?: Promise<Set<string>>;
}

/** This node's keys in n8n's store, as one execution claims, keeps and gives them back. */
export class ProcessedKeys {
	constructor(private readonly context: IExecuteFunctions) {}

	/** Whether a call of this execution ran without the cross-process lock. */
	private unlocked = false;

	/** Calls in flight, so settling waits for the claims taken ahead. */
	private readonly inFlight = new Set<Promise<unknown>>();

	private async inTurn<T>(job: () => Promise<T>): Promise<T> {
		const call = inStoreTurn(this.context, job);
		this.inFlight.add(call);
		try {
			const { value, turn } = await call;
			if (turn === 'unlocked') this.unlocked = true;
			return value;
		} finally {
			this.inFlight.delete(call);
		}
	}

	private chunks: ClaimChunk[] = [];
	private readonly chunkOf = new Map<string, number>();
	private stopping: () => boolean = () => false;

	/** Keys this execution took from the store (free before), and those a row has asked for. */
	private readonly claimed = new Set<string>();
	private readonly asked = new Set<string>();
	/** Keys of rows that were sent: held for good, read back at the end. */
	private readonly kept = new Set<string>();
	private readonly toGiveBack: Array<{
		keys: string[];
		onFailure: (error: Error) => void;
		onGivenBack: () => void;
	}> = [];

	/**
	 * The keys each row will claim, in the order the rows are posted. Chunks are claimed one call each: the first when
	 * its first row asks, the next one then too, ahead of its rows; none once the node is stopping.
	 */
	planClaims(rowKeys: string[][], concurrency: number, stopping: () => boolean): void {
		const size = claimChunkRows(concurrency);
		this.stopping = stopping;
		this.chunks = [];
		this.chunkOf.clear();
		for (let start = 0; start < rowKeys.length; start += size)
			this.planChunk(rowKeys.slice(start, start + size).flat());
	}

	/** True when the key was free and is now held by this execution. */
	async claim(key: string): Promise<boolean> {
		this.asked.add(key);
		const index = this.chunkOf.get(key) ?? this.planChunk([key]);
		const fresh = this.claimChunk(index);
		if (index + 1 < this.chunks.length && !this.stopping()) {
			// Ahead of its rows; a failure is theirs, reported when they ask.
			this.claimChunk(index + 1).catch(() => undefined);
		}
		return (await fresh).has(key);
	}

	/** Keys outside the plan (held again once athena's records settled them): one call; the ones that were free. */
	async claimTogether(keys: string[]): Promise<Set<string>> {
		for (const key of keys) this.asked.add(key);
		return await this.claimChunk(this.planChunk(keys));
	}

	/** A chunk of keys claimed in one call (a key nobody planned gets a chunk of its own). */
	private planChunk(keys: string[]): number {
		const index = this.chunks.length;
		for (const key of keys) this.chunkOf.set(key, index);
		this.chunks.push({ keys });
		return index;
	}

	private async claimChunk(index: number): Promise<Set<string>> {
		const chunk = this.chunks[index];
		chunk.fresh ??= this.inTurn(async () => {
			const result = await this.context.helpers.checkProcessedAndRecord(
				chunk.keys,
				SCOPE,
				STORE_OPTIONS,
			);
			const fresh = new Set(result.new.map(String));
			for (const key of fresh) this.claimed.add(key);
			return fresh;
		});
		return await chunk.fresh;
	}

	/**
	 * Gives keys back after athena provably did nothing (or nothing was sent), so the row can be posted once fixed.
	 * They go back together when the execution settles; `onFailure` tells the row its key stayed held.
	 */
	giveBack(
		keys: string[],
		onFailure: (error: Error) => void,
		onGivenBack: () => void = () => undefined,
	): void {
		if (keys.length) this.toGiveBack.push({ keys, onFailure, onGivenBack });
	}

	/** Keys of a row that was sent (or settled): held for good, read back at the end. */
	keep(keys: string[]): void {
		for (const key of keys) this.kept.add(key);
	}

	/** How many keys the store holds for this node. */
	async storedKeyCount(): Promise<number> {
		return await this.inTurn(
			async () => await this.context.helpers.getProcessedDataCount(SCOPE, STORE_OPTIONS),
		);
	}

	/**
	 * Before the execution ends: one call gives back every key taken but not sent (claimed ahead for rows the node
	 * never reached, or handed back by rows), then the kept keys are read back and recorded again where missing.
	 * Never throws: what failed is in the answer, and the rows say it.
	 */
	async settle(): Promise<ClaimsSettled> {
		await Promise.allSettled([...this.inFlight]);
		const settled: ClaimsSettled = {
			givenBack: [],
			notGivenBack: new Set(),
			healed: 0,
			unlocked: false,
		};
		const unused = [...this.claimed].filter((key) => !this.asked.has(key) && !this.kept.has(key));
		const handedBack = this.toGiveBack
			.flatMap((entry) => entry.keys)
			.filter((key) => !this.kept.has(key));
		const keys = [...new Set([...unused, ...handedBack])];
		if (keys.length) {
			try {
				await this.inTurn(
					async () => await this.context.helpers.removeProcessed(keys, SCOPE, STORE_OPTIONS),
				);
				settled.givenBack = keys;
				for (const entry of this.toGiveBack) entry.onGivenBack();
			} catch (caught) {
				const error = caught instanceof Error ? caught : new Error(String(caught));
				settled.giveBackError = error;
				for (const key of unused) settled.notGivenBack.add(key);
				for (const entry of this.toGiveBack) entry.onFailure(error);
			}
		}
		// Under the lock no write of this package's nodes is lost; the read-back still catches one that was (a write
		// without the lock: another process where the lock is unavailable, an older version of this package).
		try {
			settled.healed = await this.heal();
		} catch (caught) {
			settled.healError = caught instanceof Error ? caught : new Error(String(caught));
		}
		settled.unlocked = this.unlocked;
		return settled;
	}

	/** Records again the kept keys an overlapping execution's write erased; how many there were. */
	private async heal(): Promise<number> {
		const kept = [...this.kept];
		const healed = new Set<string>();
		for (let round = 0; round < HEAL_ROUNDS && kept.length; round++) {
			let missing = 0;
			for (let start = 0; start < kept.length; start += HEAL_CHUNK_KEYS) {
				// n8n's helpers have no read-only check: this reads the list and records the missing keys in one call.
				const keys = kept.slice(start, start + HEAL_CHUNK_KEYS);
				const result = await this.inTurn(
					async () =>
						await this.context.helpers.checkProcessedAndRecord(keys, SCOPE, STORE_OPTIONS),
				);
				missing += result.new.length;
				for (const key of result.new) healed.add(String(key));
			}
			if (missing === 0) break;
		}
		return healed.size;
	}
}
