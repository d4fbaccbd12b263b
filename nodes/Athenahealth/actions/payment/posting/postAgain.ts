import type { PostingMemory, PostingRecord } from './postingMemory';
import type { RowKeys } from './rowKeys';

/**
 * Post Again acts once per key: the re-post is remembered as its own posting under this key, so a run with the flag
 * still on (a fixed true, an expression true for every row, a scheduled workflow nobody changed) skips it.
 */
export function repostKey(key: string): string {
	return `${key}:again`;
}

export interface Claim {
	/** The keys this execution now holds for the row: remembered when it posts, given back when athena refuses. */
	held: string[];
	/** When the row must not be sent: the key whose posting explains why. */
	blockedBy?: string;
	/** The row's earlier re-post blocks it. */
	repostedBefore?: boolean;
}

/** The keys that stand for the row's payment being posted: its own and the previous version's (rowKeys.ts). */
const firstKeys = (keys: RowKeys) => [keys.key, ...keys.legacy];
const repostKeys = (keys: RowKeys) => firstKeys(keys).map(repostKey);

/** Every key claimForPosting may ask for: claimed ahead of sending, a chunk of rows at a time (postingMemory.ts). */
export function claimKeys(keys: RowKeys, postAgain: boolean): string[] {
	const ahead = [...keys.ahead, ...(postAgain ? keys.ahead.map(repostKey) : [])];
	return [...firstKeys(keys), ...(postAgain ? repostKeys(keys) : []), ...ahead];
}

/**
 * Claims a row's keys. A row is sent when its keys are all free (or, with Post Again, its re-post keys are). Every
 * key the store reports new is held by this execution from then on: if the row is sent, it is remembered; if athena
 * refuses, it is given back. Keys of the previous version are claimed with the current one (n8n's store has no
 * read-only check); they are released with it.
 */
export async function claimForPosting(memory: PostingMemory, keys: RowKeys, postAgain: boolean, onRecorded: (count: number) => void = () => undefined): Promise<Claim> {
	// All in one call to the store. A row posted for the first time with the flag on also takes its re-post keys:
	// that posting counts as its re-post, or the next run with the flag still on would post it again.
	const first = firstKeys(keys);
	const again = postAgain ? repostKeys(keys) : [];
	const fresh = await claimAll(memory, [...first, ...again]);
	onRecorded(fresh.size);
	const free = (group: string[]) => group.length > 0 && group.every((key) => fresh.has(key));
	if (!free(first) && !free(again)) {
		const blocking = (postAgain ? again : first).filter((key) => !fresh.has(key));
		// Skipped: what it claimed stays held (the payment is posted); the key with details explains the skip best.
		return { held: [], blockedBy: blocking.find((key) => memory.previous(key)) ?? blocking[0], repostedBefore: postAgain || undefined };
	}
	// It will be sent: the next days of the window are claimed for it now, so a re-run then skips it.
	const ahead = [...keys.ahead, ...(postAgain ? keys.ahead.map(repostKey) : [])];
	const freshAhead = ahead.length ? await claimAll(memory, ahead) : new Set<string>();
	onRecorded(freshAhead.size);
	return { held: [...fresh, ...freshAhead] };
}

async function claimAll(memory: PostingMemory, keys: string[]): Promise<Set<string>> {
	const claimed = await Promise.all(keys.map(async (key) => await memory.claim(key)));
	return new Set(keys.filter((_, index) => claimed[index]));
}

/** Validate Only's reading of the same decision, from the remembered postings only: it claims nothing. */
export function blockedInMemory(memory: PostingMemory, keys: RowKeys, postAgain: boolean): Claim | undefined {
	const remembered = (group: string[]) => group.find((key) => memory.previous(key));
	const posted = remembered(firstKeys(keys));
	if (!posted) return undefined;
	if (!postAgain) return { held: [], blockedBy: posted };
	const reposted = remembered(repostKeys(keys));
	return reposted ? { held: [], blockedBy: reposted, repostedBefore: true } : undefined;
}

/** Why a row was not sent, for its `reason`. */
export function skipReason(claim: Claim, previous: PostingRecord | undefined): string {
	if (claim.repostedBefore) {
		return `Post Again was already used for this payment (posted with it${previous?.at ? ` on ${previous.at}` : ''}${previous?.paymentBatchId ? ` in payment batch ${previous.paymentBatchId}` : ''}${previous?.ePaymentId ? ` as e-payment ${previous.ePaymentId}` : ''}). Post Again re-posts a payment once, so a flag left on does not post it on every run. To post it once more, record it in athenaOne.`;
	}
	if (previous?.status === 'unknown') {
		return `An earlier run sent this payment and got no answer${previous.at ? ` (${previous.at})` : ''}: athena may have posted it. Check athenaOne; to post it anyway, turn on Post Again for this row.`;
	}
	return `Already posted${previous?.at ? ` on ${previous.at}` : ' by an earlier run'}${previous?.paymentBatchId ? ` in payment batch ${previous.paymentBatchId}` : ''}${previous?.ePaymentId ? ` as e-payment ${previous.ePaymentId}` : ''}. To post it again on purpose, turn on Post Again for this row.`;
}
