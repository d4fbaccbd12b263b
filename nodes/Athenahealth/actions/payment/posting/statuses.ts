import type { PostingStatus } from './types';

/** Every row of a posting comes out with exactly one of these. */
export const POSTING_STATUSES = {
	posted: 'athena accepted the payment',
	skipped:
		'not sent: already posted (or its outcome unknown) in an earlier run, already re-posted once with Post Again, or the same payment as an earlier row (Validate Only: a real run would skip it)',
	invalid: 'refused before any call: the message names the field and the fix',
	failed:
		'athena refused it (an error answer, or `success` "false"), or it could not be sent or checked: nothing was posted',
	unknown:
		'sent, but no answer proves whether athena posted it (no answer, a 5xx, or a 2xx answer the node cannot read): its key stays held; check athenaOne before posting again',
	valid: "Validate Only: would be posted (counted, not in the summary's totals)",
} as const satisfies Record<PostingStatus, string>;

/** Statuses that count as a failure of the item (stop the run unless Continue On Fail / error output). */
export const FAILURE_STATUSES: readonly PostingStatus[] = ['invalid', 'failed', 'unknown'];
