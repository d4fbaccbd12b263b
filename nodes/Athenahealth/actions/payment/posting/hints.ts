import type { IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

import type { PostingStatus } from './statuses';
import { FAILURE_STATUSES, POSTING_STATUSES } from './statuses';

/**
 * The count of each status where n8n shows execution hints (above the output), so a run with failed rows does not
 * look like a clean success behind n8n's green tick; and, in plain words, where those rows say what to do.
 */
export function statusHint(statuses: Array<PostingStatus | undefined>): NodeExecutionHint {
	const counts = new Map<PostingStatus, number>();
	for (const status of statuses) if (status) counts.set(status, (counts.get(status) ?? 0) + 1);
	const count = (status: PostingStatus) => counts.get(status) ?? 0;
	const parts = (Object.keys(POSTING_STATUSES) as PostingStatus[]).filter((status) => count(status)).map((status) => `${count(status)} ${status}`);
	const failures = FAILURE_STATUSES.reduce((sum, status) => sum + count(status), 0);
	const rows = statuses.length === 1 ? '1 row' : `${statuses.length} rows`;
	return {
		type: failures ? 'warning' : 'info',
		location: 'outputPane',
		message: [`${rows}: ${parts.join(', ') || 'none processed'}.`, ...whatToDo(count)].join(' '),
	};
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

/** n8n-workflow 1.x contexts have no hints: the counts are then only in the items (and the summary item). */
export function addHint(context: IExecuteFunctions, hint: NodeExecutionHint): void {
	if (typeof context.addExecutionHints === 'function') context.addExecutionHints(hint);
}
