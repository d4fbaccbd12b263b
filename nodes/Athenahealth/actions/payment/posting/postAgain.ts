import type { PostingMemory, PostingRecord } from './postingMemory';

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

export async function claimForPosting(memory: PostingMemory, key: string, postAgain: boolean): Promise<Claim> {
	if (!postAgain) return (await memory.claim(key)) ? { held: [key] } : { held: [], blockedBy: key };
	// Both keys in one call to the store. A row posted for the first time with the flag on also takes its re-post
	// key: that posting counts as its re-post, or the next run with the flag still on would post it again.
	const again = repostKey(key);
	const [first, repost] = await Promise.all([memory.claim(key), memory.claim(again)]);
	const held = [...(first ? [key] : []), ...(repost ? [again] : [])];
	if (first || repost) return { held };
	return { held: [], blockedBy: again, repostedBefore: true };
}

/** Validate Only's reading of the same decision, from the remembered postings only: it claims nothing. */
export function blockedInMemory(memory: PostingMemory, key: string, postAgain: boolean): Claim | undefined {
	if (!memory.previous(key)) return undefined;
	if (!postAgain) return { held: [], blockedBy: key };
	return memory.previous(repostKey(key)) ? { held: [], blockedBy: repostKey(key), repostedBefore: true } : undefined;
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
