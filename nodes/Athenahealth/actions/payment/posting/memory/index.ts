import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PostingRecord, RowKeys } from '../types';
import { ClaimLog } from './claimLog';
import type { SendDecision } from './decision';
import { sendDecision } from './decision';
import { aheadKeys, claimKeys, firstKeys, repostKeys } from './keys';
import type { ClaimsSettled } from './store';
import { ProcessedKeys } from './store';

export { beyondReachError } from './claimLog';
export type { ClaimLog } from './claimLog';
export { skipReason } from './decision';
export {
	baseKey,
	claimKeys,
	copyOf,
	identityKey,
	legacyCollectKeyParts,
	repostKey,
	rowKeys,
} from './keys';
export type { KeySource } from './keys';
export { STORE_MAX_ENTRIES } from './store';

/**
 * The duplicate check, the one thing the engine uses of memory/: which payments this node has posted, across
 * executions. A row's keys (keys.ts) are claimed in n8n's processed-data store (store.ts): the claim is the guarantee.
 * What is shown on a row skipped because of one (when, which batch) lives in the workflow's static data, which n8n
 * saves when an execution ends: a courtesy. Whether a row may be sent is one decision (decision.ts), for a real run's
 * claim and a dry run's peek; claimLog.ts knows how far back the memory reaches.
 */
const MAX_DETAILS = 20000;

/** A claim's decision, and the keys this execution now holds for the row: remembered when it posts, released when athena refuses. */
export type Claim = SendDecision & { held: string[] };

export class PostingMemory {
	private readonly details: Record<string, PostingRecord>;

	/** How many details are kept, counted once per execution. */
	private count?: number;

	private constructor(
		private readonly context: IExecuteFunctions,
		/** n8n's store; none for a dry run, which claims nothing. */
		private readonly store: ProcessedKeys | undefined,
		/** How far back the memory reaches: none when there is no log and the store cannot be counted. */
		readonly log: ClaimLog | undefined,
	) {
		const staticData = context.getWorkflowStaticData('node');
		staticData.postings ??= {};
		this.details = staticData.postings as Record<string, PostingRecord>;
	}

	/**
	 * A real run's memory (`post`: it claims in n8n's store, and starts the claim log when there is none), or a dry
	 * run's (`check`: it reads the remembered postings and the saved log, and writes nothing).
	 */
	static async open(context: IExecuteFunctions, mode: 'post' | 'check'): Promise<PostingMemory> {
		const store = mode === 'post' ? new ProcessedKeys(context) : undefined;
		const log = await ClaimLog.open(context, store && (async () => await store.storedKeyCount()));
		return new PostingMemory(context, store, log);
	}

	private claims(): ProcessedKeys {
		if (!this.store) throw new Error('A dry run claims no duplicate-check keys');
		return this.store;
	}

	/** The rows about to be sent, in order: their keys are claimed a chunk of rows ahead (store.ts). */
	plan(
		rows: Array<{ keys: RowKeys; postAgain: boolean }>,
		concurrency: number,
		stopping: () => boolean,
	): void {
		this.claims().planClaims(
			rows.map((row) => claimKeys(row.keys, row.postAgain)),
			concurrency,
			stopping,
		);
	}

	/**
	 * Claims a row's keys in n8n's store, then decides. Every key the store reports new is held by this execution from
	 * then on. Keys of the previous version are claimed with the current one (n8n's store has no read-only check); they
	 * are released with it.
	 */
	async claim(keys: RowKeys, postAgain: boolean): Promise<Claim> {
		// All in one call to the store. A row posted for the first time with the flag on also takes its re-post keys:
		// that posting counts as its re-post, or the next run with the flag still on would post it again.
		const fresh = await this.claimAll([...firstKeys(keys), ...(postAgain ? repostKeys(keys) : [])]);
		this.log?.recorded(fresh.size);
		const decision = sendDecision(
			keys,
			postAgain,
			(key) => !fresh.has(key),
			(key) => this.previous(key) !== undefined,
		);
		// Skipped: what it claimed stays held (the payment is posted).
		if (!decision.send) return { ...decision, held: [] };
		// It will be sent: the next days of the window are claimed for it now, so a re-run then skips it.
		const ahead = aheadKeys(keys, postAgain);
		const freshAhead = ahead.length ? await this.claimAll(ahead) : new Set<string>();
		this.log?.recorded(freshAhead.size);
		return { send: true, held: [...fresh, ...freshAhead] };
	}

	private async claimAll(keys: string[]): Promise<Set<string>> {
		const store = this.claims();
		const claimed = await Promise.all(keys.map(async (key) => await store.claim(key)));
		return new Set(keys.filter((_, index) => claimed[index]));
	}

	/** The same decision read from the remembered postings only, claiming nothing (Validate Only). */
	peek(keys: RowKeys, postAgain: boolean): SendDecision {
		const remembered = (key: string) => this.previous(key) !== undefined;
		return sendDecision(keys, postAgain, remembered, remembered);
	}

	/**
	 * Holds keys found posted in athena's own records (settleUnknown.ts), whatever happened to them in n8n's store: the
	 * claim is the guarantee. One store call for all of them; a failure leaves them to the read-back at the end.
	 */
	async hold(keys: string[]): Promise<void> {
		await this.claims()
			.claimTogether(keys)
			.catch(() => undefined);
	}

	/** The row was posted (or found posted in athena): its keys stay held for good, with what a skipped row shows. */
	posted(keys: Iterable<string>, at: string, details: IDataObject = {}): void {
		this.remember(keys, {
			status: 'posted',
			at,
			executionId: this.context.getExecutionId(),
			...details,
		});
	}

	/** The row was sent and no answer proved the outcome: its keys stay held until athena's records settle it. */
	unknown(keys: Iterable<string>, sentAt: string): void {
		this.remember(keys, {
			status: 'unknown',
			at: new Date().toISOString(),
			sentAt,
			executionId: this.context.getExecutionId(),
		});
	}

	/** Adds to what is remembered of held keys (athena was asked about an unknown posting and showed nothing). */
	note(keys: Iterable<string>, fields: IDataObject): void {
		for (const key of keys) {
			const previous = this.previous(key);
			if (previous) this.remember([key], { ...previous, ...fields });
		}
	}

	/**
	 * Gives keys back after athena provably did nothing (or nothing was sent), so the row can be posted once fixed.
	 * They go back together when the execution settles; `onFailure` tells the row its key stayed held.
	 */
	release(keys: string[], onFailure: (error: Error) => void): void {
		this.claims().giveBack(keys, onFailure, () => this.log?.released(keys.length));
	}

	/**
	 * Before the execution ends: keys taken and not used go back in one call, the kept ones are read back (store.ts).
	 * Never throws: what failed is in the answer.
	 */
	async settle(): Promise<ClaimsSettled> {
		const settled = await this.claims().settle();
		for (const key of settled.givenBack) {
			if (key in this.details && this.count !== undefined) this.count--;
			delete this.details[key];
		}
		return settled;
	}

	previous(key: string): PostingRecord | undefined {
		return this.details[key];
	}

	/** Every remembered posting (e.g. the e-payment IDs already accounted for, when settling unknown rows). */
	records(): PostingRecord[] {
		return Object.values(this.details);
	}

	private remember(keys: Iterable<string>, record: PostingRecord): void {
		const held = [...keys];
		this.store?.keep(held);
		this.count ??= Object.keys(this.details).length;
		for (const key of held) {
			if (!(key in this.details)) this.count++;
			this.details[key] = record;
		}
		// Oldest first (insertion order); trimmed in one go well past the limit, so a batch doesn't rescan per row.
		if (this.count > MAX_DETAILS * 1.1) {
			const all = Object.keys(this.details);
			for (const old of all.slice(0, all.length - MAX_DETAILS)) delete this.details[old];
			this.count = MAX_DETAILS;
		}
	}
}
