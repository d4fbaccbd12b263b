import type { RowKeys } from '../types';
import { aheadKeys, firstKeys, repostKeys } from './keys';
import type { PostingMemory, PostingRecord } from './store';

/** Whether a row may be sent; when not, the key whose posting explains why. */
type SendDecision = { send: true } | { send: false; blockedBy: string; repostedBefore?: boolean };

/**
 * May this row be sent? The one decision, for a real run (`held`: the keys its claim found taken) and for a dry run
 * (`held`: the keys with a remembered posting). A row is sent when its keys are all free, or, with Post Again, its
 * re-post keys are. Blocked, the key with details (`explains`) says best why.
 */
function sendDecision(
	keys: RowKeys,
	postAgain: boolean,
	held: (key: string) => boolean,
	explains: (key: string) => boolean,
): SendDecision {
	const first = firstKeys(keys);
	const again = postAgain ? repostKeys(keys) : [];
	const free = (group: string[]) => group.length > 0 && group.every((key) => !held(key));
	if (free(first) || free(again)) return { send: true };
	const blocking = (postAgain ? again : first).filter(held);
	return {
		send: false,
		blockedBy: blocking.find(explains) ?? blocking[0],
		repostedBefore: postAgain || undefined,
	};
}

/** A claim's decision, and the keys this execution now holds for the row: remembered when it posts, given back when athena refuses. */
export type Claim = SendDecision & { held: string[] };

/**
 * Claims a row's keys in n8n's store, then decides. Every key the store reports new is held by this execution from
 * then on. Keys of the previous version are claimed with the current one (n8n's store has no read-only check); they
 * are released with it.
 */
export async function claim(
	memory: PostingMemory,
	keys: RowKeys,
	postAgain: boolean,
	onRecorded: (count: number) => void = () => undefined,
): Promise<Claim> {
	// All in one call to the store. A row posted for the first time with the flag on also takes its re-post keys:
	// that posting counts as its re-post, or the next run with the flag still on would post it again.
	const fresh = await claimAll(memory, [
		...firstKeys(keys),
		...(postAgain ? repostKeys(keys) : []),
	]);
	onRecorded(fresh.size);
	const decision = sendDecision(
		keys,
		postAgain,
		(key) => !fresh.has(key),
		(key) => memory.previous(key) !== undefined,
	);
	// Skipped: what it claimed stays held (the payment is posted).
	if (!decision.send) return { ...decision, held: [] };
	// It will be sent: the next days of the window are claimed for it now, so a re-run then skips it.
	const ahead = aheadKeys(keys, postAgain);
	const freshAhead = ahead.length ? await claimAll(memory, ahead) : new Set<string>();
	onRecorded(freshAhead.size);
	return { send: true, held: [...fresh, ...freshAhead] };
}

async function claimAll(memory: PostingMemory, keys: string[]): Promise<Set<string>> {
	const claimed = await Promise.all(keys.map(async (key) => await memory.claim(key)));
	return new Set(keys.filter((_, index) => claimed[index]));
}

/** The same decision read from the remembered postings only, claiming nothing (Validate Only). */
export function peek(memory: PostingMemory, keys: RowKeys, postAgain: boolean): SendDecision {
	const remembered = (key: string) => memory.previous(key) !== undefined;
	return sendDecision(keys, postAgain, remembered, remembered);
}

/** Why a row was not sent, for its `reason`. */
export function skipReason(
	decision: { repostedBefore?: boolean },
	previous: PostingRecord | undefined,
): string {
	if (decision.repostedBefore) {
		return `Post Again was already used for this payment (posted with it${previous?.at ? ` on ${previous.at}` : ''}${previous?.paymentBatchId ? ` in payment batch ${previous.paymentBatchId}` : ''}${previous?.ePaymentId ? ` as e-payment ${previous.ePaymentId}` : ''}). Post Again re-posts a payment once, so a flag left on does not post it on every run. To post it once more, record it in athenaOne.`;
	}
	if (previous?.status === 'unknown') {
		return `An earlier run sent this payment and got no answer${previous.at ? ` (${previous.at})` : ''}: athena may have posted it. Check athenaOne; to post it anyway, turn on Post Again for this row.`;
	}
	return `Already posted${previous?.at ? ` on ${previous.at}` : ' by an earlier run'}${previous?.paymentBatchId ? ` in payment batch ${previous.paymentBatchId}` : ''}${previous?.ePaymentId ? ` as e-payment ${previous.ePaymentId}` : ''}. To post it again on purpose, turn on Post Again for this row.`;
}
