import type { IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

import type { PostingStatus } from './statuses';
import { FAILURE_STATUSES, POSTING_STATUSES } from './statuses';

/** What a node puts out after its rows, when asked (Options): one item per payment batch, the summary item. */
export interface AfterTheRows {
	batchItems: number;
	summary: boolean;
}

/** "5 rows: 3 posted, 1 skipped, 1 invalid.": the count of each status, in the statuses' order. */
export function statusCounts(statuses: Array<PostingStatus | undefined>): string {
	const counts = countsOf(statuses);
	const parts = (Object.keys(POSTING_STATUSES) as PostingStatus[]).filter((status) => counts(status)).map((status) => `${counts(status)} ${status}`);
	return `${statuses.length === 1 ? '1 row' : `${statuses.length} rows`}: ${parts.join(', ') || 'none processed'}.`;
}

function countsOf(statuses: Array<PostingStatus | undefined>): (status: PostingStatus) => number {
	const counts = new Map<PostingStatus, number>();
	for (const status of statuses) if (status) counts.set(status, (counts.get(status) ?? 0) + 1);
	return (status) => counts.get(status) ?? 0;
}

/**
 * The count of each status where n8n shows execution hints (above the output), so a run with failed rows does not
 * look like a clean success behind n8n's green tick; in plain words, where those rows say what to do; and what the
 * items after the rows are, so "9 items" for 5 rows is no puzzle.
 */
export function statusHint(statuses: Array<PostingStatus | undefined>, after: AfterTheRows = { batchItems: 0, summary: false }): NodeExecutionHint {
	const count = countsOf(statuses);
	const failures = FAILURE_STATUSES.reduce((sum, status) => sum + count(status), 0);
	return {
		type: failures ? 'warning' : 'info',
		location: 'outputPane',
		message: [statusCounts(statuses), ...whatToDo(count), ...afterTheRows(after)].join(' '),
	};
}

function afterTheRows({ batchItems, summary }: AfterTheRows): string[] {
	const items = [batchItems && `${batchItems} payment batch ${batchItems === 1 ? 'item' : 'items'}`, summary && 'the summary item'].filter(Boolean);
	return items.length ? [`After the rows: ${items.join(' and ')}.`] : [];
}

/** What the rows that need a look ask of the person reading the output. */
function whatToDo(count: (status: PostingStatus) => number): string[] {
	const said: string[] = [];
	const notPosted = count('invalid') + count('failed');
	if (notPosted) {
		const which = [count('invalid') && 'invalid', count('failed') && 'failed'].filter(Boolean).join(' or ');
		const what = count('failed') ? 'why, and what to do' : 'what to fix';
		said.push(`Nothing was posted for the ${which} ${notPosted === 1 ? `row: its message says ${what}.` : `rows: each one's message says ${what}.`}`);
	}
	const unknown = count('unknown');
	if (unknown === 1) {
		said.push("The unknown row may have been posted: check the patient's account in athenaOne before posting it again (running the sheet again looks it up in athena).");
	} else if (unknown) {
		said.push(`The ${unknown} unknown rows may have been posted: check the patients' accounts in athenaOne before posting them again (running the sheet again looks them up in athena).`);
	}
	return said;
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
