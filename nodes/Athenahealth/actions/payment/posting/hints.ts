import type { IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

import type { PostingStatus } from './statuses';
import { FAILURE_STATUSES, POSTING_STATUSES } from './statuses';

/**
 * The count of each status where n8n shows execution hints (above the output), so a run with failed rows does not
 * look like a clean success behind n8n's green tick.
 */
export function statusHint(statuses: Array<PostingStatus | undefined>): NodeExecutionHint {
	const counts = new Map<PostingStatus, number>();
	for (const status of statuses) if (status) counts.set(status, (counts.get(status) ?? 0) + 1);
	const parts = (Object.keys(POSTING_STATUSES) as PostingStatus[]).filter((status) => counts.get(status)).map((status) => `${counts.get(status)} ${status}`);
	const failures = FAILURE_STATUSES.reduce((sum, status) => sum + (counts.get(status) ?? 0), 0);
	const rows = statuses.length === 1 ? '1 row' : `${statuses.length} rows`;
	return {
		type: failures ? 'warning' : 'info',
		location: 'outputPane',
		message: `${rows}: ${parts.join(', ') || 'none processed'}.${failures ? ' Rows that are invalid, failed or unknown carry their message in "error"; nothing was posted for invalid or failed rows.' : ''}`,
	};
}

/** When storeTurns.ts could not lock n8n's store across processes (the summary's `overlapGuard`). */
export const processOnlyHint: NodeExecutionHint = {
	type: 'warning',
	location: 'outputPane',
	message:
		"The duplicate check could not lock n8n's processed data for this workflow: another node (such as Remove Duplicates with scope Workflow) keeps its history there. Runs at the same time in this n8n process are safe; runs at the same time on other queue-mode workers could post a payment twice. Set that node's scope to Node, or run this workflow on one worker.",
};

/** n8n-workflow 1.x contexts have no hints: the counts are then only in the items (and the summary item). */
export function addHint(context: IExecuteFunctions, hint: NodeExecutionHint): void {
	if (typeof context.addExecutionHints === 'function') context.addExecutionHints(hint);
}
