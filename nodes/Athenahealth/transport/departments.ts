import type { IDataObject } from 'n8n-workflow';

import type { AthenaClient } from './athenaClient';
import { fetchList } from './lists';

/**
 * Every department of the practice. athena leaves out departments hidden from the patient portal unless
 * `showalldepartments=true`, and a payment can still be posted in those.
 */
export async function fetchDepartments(
	client: AthenaClient,
	options: { limit?: number; itemIndex?: number } = {},
): Promise<IDataObject[]> {
	return await fetchList(client, '/departments', 'departments', {
		qs: { showalldepartments: 'true' },
		limit: options.limit,
		call: { action: 'list departments', itemIndex: options.itemIndex },
	});
}
