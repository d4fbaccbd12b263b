import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AthenaClient } from '../../../transport/athenaClient';
import { dryRun } from './dryRun';
import { planRows } from './plan';
import { report } from './report';
import { sendAll, settleClaims } from './send';
import { nameEarlierPostings, settleUnknownRows } from './settleUnknown';
import type { PaymentCommon, PostingSettings, PostingSpec } from './types';

/**
 * The posting engine of Record and Collect, the whole story of a run: every item comes out once, paired, with a
 * status; nothing already posted is posted again; a payment whose outcome is unknown is never resent.
 */
export async function postPayments<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
): Promise<INodeExecutionData[]> {
	// 1. Every row is read and checked, and its duplicate-check keys made, before anything is posted.
	const { rows, memory } = await planRows(context, items, client, spec, settings);
	// 2. A dry run checks the rows against athena and the memory, and posts nothing.
	if (settings.validateOnly) {
		await dryRun(context, client, spec, settings, rows, memory);
		return report(context, rows, spec, settings);
	}
	// 3. Rows an earlier run left unknown are looked up in athena's own records before anything is sent.
	if (memory) await settleUnknownRows({ context, spec, rows, memory, settings });
	// 4. The rest are sent, a few at a time, each claiming its keys first.
	await sendAll(context, client, spec, settings, rows, memory);
	// 5. Rows skipped without the earlier posting's details (a run started in the editor): named from athena's records.
	if (memory) await nameEarlierPostings({ context, spec, rows, memory, settings });
	// 6. Keys claimed and not used are given back, kept ones read back; then every row comes out.
	const claims = await settleClaims(memory, rows);
	return report(context, rows, spec, settings, claims);
}
