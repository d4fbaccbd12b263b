import type { PostingRecord, RowKeys } from '../types';
import { firstKeys, repostKeys } from './keys';

/** Whether a row may be sent; when not, the key whose posting explains why. */
export type SendDecision =
	| { send: true }
	| { send: false; blockedBy: string; repostedBefore?: boolean };

/**
 * May this row be sent? The one decision, for a real run (`held`: the keys its claim found taken) and for a dry run
 * (`held`: the keys with a remembered posting). A row is sent when its keys are all free, or, with Post Again, its
 * re-post keys are. Blocked, the key with details (`explains`) says best why.
 */
export function sendDecision(
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
