import type { IDataObject } from 'n8n-workflow';

import { formatMoney } from '../../../shared/money';
import type { PaymentCommon, PostingSpec, Row } from './postPayments';
import { paymentBatchReport } from './batchReport';
import { statusCounts } from './hints';
import { POSTING_STATUSES } from './statuses';

/** The optional last item: counts per status and what was posted, per payment method and department. */
export function summarise<TInput extends PaymentCommon>(rows: Array<Row<TInput>>, spec: PostingSpec<TInput>): IDataObject {
	const counts = Object.fromEntries(Object.keys(POSTING_STATUSES).map((status) => [status, 0])) as Record<string, number>;
	const byMethod: Record<string, number> = {};
	const byDepartment: Record<string, number> = {};
	for (const row of rows) {
		if (row.status) counts[row.status]++;
		// Only money athena took: a dry run's "valid" rows are counted, not totalled.
		if (row.status === 'posted' && row.input) {
			const cents = spec.totalCents(row.input);
			const method = spec.methodLabel(row.input);
			byMethod[method] = (byMethod[method] ?? 0) + cents;
			byDepartment[row.input.departmentId] = (byDepartment[row.input.departmentId] ?? 0) + cents;
		}
	}
	const asMoney = (totals: Record<string, number>) => Object.fromEntries(Object.entries(totals).map(([name, cents]) => [name, formatMoney(cents)]));
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
