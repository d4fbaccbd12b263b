import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	NodeExecutionHint,
} from 'n8n-workflow';

import { formatMoney } from '../../../shared/money';
import { errorOutputJson } from './errorOutput';
import { readableRow } from './rowOutcome';
import { FAILURE_STATUSES, POSTING_STATUSES } from './statuses';
import type { PaymentCommon, PostingSettings, PostingSpec, PostingStatus, Row } from './types';

/**
 * What comes out of a posting: every row once, paired, in the sheet's order (on the error output when it failed and
 * the node has one); then, when asked, one item per payment batch and the summary; and the count of each status as
 * a hint above the output (and one when the store could not be locked across processes). Without Continue On Fail, the first failed row stops the node instead.
 */
export function report<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	rows: Array<Row<TInput>>,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
	claims: IDataObject = {},
): INodeExecutionData[] {
	if (claims.overlapGuard === 'this n8n process only') addHint(context, processOnlyHint);
	const firstFailure = rows.find((row) => row.status && FAILURE_STATUSES.includes(row.status));
	if (firstFailure?.error && !context.continueOnFail()) throw firstFailure.error;
	const errorOutput = context.getNode().onError === 'continueErrorOutput';
	const output: INodeExecutionData[] = rows.map((row) => {
		const failed = row.status !== undefined && FAILURE_STATUSES.includes(row.status);
		const readable = readableRow(row.json, row.label, row.read);
		return {
			json: failed && errorOutput ? errorOutputJson(readable) : readable,
			pairedItem: { item: row.itemIndex },
		};
	});
	const batches = settings.batchItems ? paymentBatchItems(rows, spec) : [];
	output.push(...batches);
	if (settings.addSummary) {
		output.push({
			json: { ...summarise(rows, spec), ...claims },
			pairedItem: rows.map((row): IPairedItemData => ({ item: row.itemIndex })),
		});
	}
	addHint(
		context,
		statusHint(
			rows.map((row) => row.status),
			{ batchItems: batches.length, summary: settings.addSummary },
		),
	);
	return output;
}

/** The optional last item: counts per status and what was posted, per payment method and department. */
function summarise<TInput extends PaymentCommon>(
	rows: Array<Row<TInput>>,
	spec: PostingSpec<TInput>,
): IDataObject {
	const counts = Object.fromEntries(
		Object.keys(POSTING_STATUSES).map((status) => [status, 0]),
	) as Record<string, number>;
	const byMethod: Record<string, number> = {};
	const byDepartment: Record<string, number> = {};
	for (const row of rows) {
		if (row.status) counts[row.status]++;
		// Only money athena took: a dry run's "valid" rows are counted, not totalled.
		if (row.status === 'posted' && row.input) {
			const cents = spec.report.totalCents(row.input);
			const method = spec.report.methodLabel(row.input);
			byMethod[method] = (byMethod[method] ?? 0) + cents;
			byDepartment[row.input.departmentId] = (byDepartment[row.input.departmentId] ?? 0) + cents;
		}
	}
	const asMoney = (totals: Record<string, number>) =>
		Object.fromEntries(Object.entries(totals).map(([name, cents]) => [name, formatMoney(cents)]));
	const postedCents = Object.values(byMethod).reduce((sum, cents) => sum + cents, 0);
	const batches = paymentBatchReport(rows, spec);
	const posted = counts.posted
		? `Posted ${formatMoney(postedCents)}${batches.length ? ` in ${batches.length} payment ${batches.length === 1 ? 'batch' : 'batches'}` : ''}.`
		: 'Nothing was posted.';
	return {
		// The rows' first fields, so in n8n's table view the summary reads as what it is.
		row: 'summary',
		message: `${statusCounts(rows.map((row) => row.status))} ${posted}`,
		summary: true,
		operation: spec.operation,
		rows: rows.length,
		...counts,
		totalPosted: formatMoney(postedCents),
		totalsByPaymentMethod: asMoney(byMethod),
		totalsByDepartment: asMoney(byDepartment),
		settledFromAthena: rows.filter((row) => row.json.settledFromAthena === true).length,
		paymentBatches: batches,
	};
}

interface BatchTally {
	paymentBatchId: string;
	items: number[];
	cents: number;
	byMethod: Record<string, number>;
	settled: number;
}

/**
 * athena puts every recorded payment in a payment batch that the practice reconciles by hand in athenaOne: per batch
 * ID athena returned in this run, the count, the total and the totals per method, as 2-place strings, the way a
 * person ticks them off against athenaOne's batch screen. Rows settled from athena count in the batch athena named.
 */
function tallyBatches<TInput extends PaymentCommon>(
	rows: Array<Row<TInput>>,
	spec: PostingSpec<TInput>,
): BatchTally[] {
	const batches = new Map<string, BatchTally>();
	for (const row of rows) {
		const batchId =
			typeof row.json.paymentBatchId === 'string' ? row.json.paymentBatchId.trim() : '';
		if (row.status !== 'posted' || !row.input || !batchId) continue;
		const batch = batches.get(batchId) ?? {
			paymentBatchId: batchId,
			items: [],
			cents: 0,
			byMethod: {},
			settled: 0,
		};
		const cents = spec.report.totalCents(row.input);
		const method = spec.report.methodLabel(row.input);
		batch.items.push(row.itemIndex);
		batch.cents += cents;
		batch.byMethod[method] = (batch.byMethod[method] ?? 0) + cents;
		if (row.json.settledFromAthena === true) batch.settled++;
		batches.set(batchId, batch);
	}
	return [...batches.values()].sort((a, b) =>
		a.paymentBatchId.localeCompare(b.paymentBatchId, 'en', { numeric: true }),
	);
}

function reportOf(batch: BatchTally): IDataObject {
	return {
		paymentBatchId: batch.paymentBatchId,
		payments: batch.items.length,
		total: formatMoney(batch.cents),
		totalsByPaymentMethod: Object.fromEntries(
			Object.entries(batch.byMethod).map(([method, cents]) => [method, formatMoney(cents)]),
		),
		...(batch.settled ? { settledFromAthena: batch.settled } : {}),
	};
}

/** For the summary item: one entry per payment batch. */
function paymentBatchReport<TInput extends PaymentCommon>(
	rows: Array<Row<TInput>>,
	spec: PostingSpec<TInput>,
): IDataObject[] {
	return tallyBatches(rows, spec).map(reportOf);
}

/** "Payment batch 7001: 3 payments, total 35.75 (CASH 10.00, CHECK 25.75)": a batch in one line. */
function lineOf(batch: IDataObject): string {
	const count = Number(batch.payments);
	const methods = Object.entries(batch.totalsByPaymentMethod as IDataObject).map(
		([method, total]) => `${method} ${String(total)}`,
	);
	const settled = batch.settledFromAthena
		? `; ${String(batch.settledFromAthena)} settled from athena`
		: '';
	return `Payment batch ${String(batch.paymentBatchId)}: ${count} ${count === 1 ? 'payment' : 'payments'}, total ${String(batch.total)} (${methods.join(', ')})${settled}`;
}

/**
 * The option "Add One Item per Payment Batch": each batch an item after the rows, paired with the rows in it. Its
 * first fields are the rows' first ones, `row` and `message`, so in n8n's table view it reads as what it is.
 */
function paymentBatchItems<TInput extends PaymentCommon>(
	rows: Array<Row<TInput>>,
	spec: PostingSpec<TInput>,
): INodeExecutionData[] {
	return tallyBatches(rows, spec).map((batch) => {
		const reported = reportOf(batch);
		return {
			json: {
				row: `payment batch ${batch.paymentBatchId}`,
				message: lineOf(reported),
				paymentBatch: true,
				operation: spec.operation,
				...reported,
			},
			pairedItem: batch.items.map((item): IPairedItemData => ({ item })),
		};
	});
}

/** What a node puts out after its rows, when asked (Options): one item per payment batch, the summary item. */
interface AfterTheRows {
	batchItems: number;
	summary: boolean;
}

/** "5 rows: 3 posted, 1 skipped, 1 invalid.": the count of each status, in the statuses' order. */
function statusCounts(statuses: Array<PostingStatus | undefined>): string {
	const counts = countsOf(statuses);
	const parts = (Object.keys(POSTING_STATUSES) as PostingStatus[])
		.filter((status) => counts(status))
		.map((status) => `${counts(status)} ${status}`);
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
function statusHint(
	statuses: Array<PostingStatus | undefined>,
	after: AfterTheRows = { batchItems: 0, summary: false },
): NodeExecutionHint {
	const count = countsOf(statuses);
	const failures = FAILURE_STATUSES.reduce((sum, status) => sum + count(status), 0);
	return {
		type: failures ? 'warning' : 'info',
		location: 'outputPane',
		message: [statusCounts(statuses), ...whatToDo(count), ...afterTheRows(after)].join(' '),
	};
}

function afterTheRows({ batchItems, summary }: AfterTheRows): string[] {
	const items = [
		batchItems && `${batchItems} payment batch ${batchItems === 1 ? 'item' : 'items'}`,
		summary && 'the summary item',
	].filter(Boolean);
	return items.length ? [`After the rows: ${items.join(' and ')}.`] : [];
}

/** What the rows that need a look ask of the person reading the output. */
function whatToDo(count: (status: PostingStatus) => number): string[] {
	const said: string[] = [];
	const notPosted = count('invalid') + count('failed');
	if (notPosted) {
		const which = [count('invalid') && 'invalid', count('failed') && 'failed']
			.filter(Boolean)
			.join(' or ');
		const what = count('failed') ? 'why, and what to do' : 'what to fix';
		said.push(
			`Nothing was posted for the ${which} ${notPosted === 1 ? `row: its message says ${what}.` : `rows: each one's message says ${what}.`}`,
		);
	}
	const unknown = count('unknown');
	if (unknown === 1) {
		said.push(
			"The unknown row may have been posted: check the patient's account in athenaOne before posting it again (running the sheet again looks it up in athena).",
		);
	} else if (unknown) {
		said.push(
			`The ${unknown} unknown rows may have been posted: check the patients' accounts in athenaOne before posting them again (running the sheet again looks them up in athena).`,
		);
	}
	return said;
}

/** When storeTurns.ts could not lock n8n's store across processes (the summary's `overlapGuard`). */
const processOnlyHint: NodeExecutionHint = {
	type: 'warning',
	location: 'outputPane',
	message:
		"The duplicate check could not lock n8n's processed data for this workflow: another node (such as Remove Duplicates with scope Workflow) keeps its history there. Runs at the same time in this n8n process are safe; runs at the same time on other queue-mode workers could post a payment twice. Set that node's scope to Node, or run this workflow on one worker.",
};

/** n8n-workflow 1.x contexts have no hints: the counts are then only in the items (and the summary item). */
function addHint(context: IExecuteFunctions, hint: NodeExecutionHint): void {
	if (typeof context.addExecutionHints === 'function') context.addExecutionHints(hint);
}
