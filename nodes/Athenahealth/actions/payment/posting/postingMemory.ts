import type { ICheckProcessedOptions, IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * Which payments this node has posted, across executions.
 *
 * The claim lives in n8n's processed-data store (`checkProcessedAndRecord`): n8n writes it to its database at once,
 * before the POST, so it survives a crash, a restart and n8n's Retry On Fail, and in queue mode every worker sees it.
 * The details shown on a skipped row (when, which batch) live in the workflow's static data, which n8n saves when an
 * execution ends; they are a courtesy, the claim is the guarantee.
 */
const SCOPE = 'node' as const;
/** n8n's store keeps this many keys per node and silently forgets older ones (memoryReach.ts says how far back that is). */
export const STORE_MAX_ENTRIES = 50000;
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: STORE_MAX_ENTRIES };
const MAX_DETAILS = 20000;

export interface PostingRecord extends IDataObject {
	status: 'posted' | 'unknown';
	at: string;
	executionId?: string;
	paymentBatchId?: string;
	ePaymentId?: string;
}

export class PostingMemory {
	private readonly details: Record<string, PostingRecord>;

	/** How many details are kept, counted once per execution. */
	private count?: number;

	constructor(private readonly context: IExecuteFunctions) {
		const staticData = context.getWorkflowStaticData('node');
		staticData.postings ??= {};
		this.details = staticData.postings as Record<string, PostingRecord>;
	}

	/**
	 * n8n's processed-data helper reads a node's key list and writes it back without a lock: two calls in flight at
	 * once overwrite each other (lost claims, "UNIQUE constraint failed"). So this execution's calls go one at a time,
	 * and claims that arrive while one is running go together in the next call.
	 */
	private queue: Promise<unknown> = Promise.resolve();

	private waitingClaims: Array<{ key: string; resolve: (claimed: boolean) => void; reject: (error: unknown) => void }> = [];

	private inTurn<T>(job: () => Promise<T>): Promise<T> {
		const next = this.queue.then(job);
		this.queue = next.catch(() => undefined);
		return next;
	}

	/** True when the key was free and is now held by this execution. */
	async claim(key: string): Promise<boolean> {
		return await new Promise<boolean>((resolve, reject) => {
			this.waitingClaims.push({ key, resolve, reject });
			if (this.waitingClaims.length === 1) void this.inTurn(async () => await this.claimWaiting());
		});
	}

	private async claimWaiting(): Promise<void> {
		const group = this.waitingClaims.splice(0);
		try {
			const result = await this.context.helpers.checkProcessedAndRecord(
				group.map((claim) => claim.key),
				SCOPE,
				STORE_OPTIONS,
			);
			const fresh = new Set(result.new.map(String));
			for (const claim of group) claim.resolve(fresh.has(claim.key));
		} catch (error) {
			for (const claim of group) claim.reject(error);
		}
	}

	/** Gives a key back after athena provably did nothing, so the row can be posted once fixed. */
	async release(key: string): Promise<void> {
		await this.inTurn(async () => await this.context.helpers.removeProcessed([key], SCOPE, STORE_OPTIONS));
		if (key in this.details && this.count !== undefined) this.count--;
		delete this.details[key];
	}

	remember(key: string, record: PostingRecord): void {
		this.count ??= Object.keys(this.details).length;
		if (!(key in this.details)) this.count++;
		this.details[key] = record;
		// Oldest first (insertion order); trimmed in one go well past the limit, so a batch doesn't rescan per row.
		if (this.count > MAX_DETAILS * 1.1) {
			const keys = Object.keys(this.details);
			for (const old of keys.slice(0, keys.length - MAX_DETAILS)) delete this.details[old];
			this.count = MAX_DETAILS;
		}
	}

	/** How many keys the store holds for this node. */
	async storedKeyCount(): Promise<number> {
		return await this.inTurn(async () => await this.context.helpers.getProcessedDataCount(SCOPE, STORE_OPTIONS));
	}

	previous(key: string): PostingRecord | undefined {
		return this.details[key];
	}
}
