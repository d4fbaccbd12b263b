import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { limitFields } from '../../descriptions/common';
import { departmentSchema } from '../../shared/athenaSchemas';
import type { AthenaClient } from '../../transport/athenaClient';
import { fetchDepartments } from '../../transport/departments';
import type { ItemOperation } from '../types';

export const getManyDepartments: ItemOperation = {
	kind: 'item',
	lists: 'departments',
	description: updateDisplayOptions(
		{ show: { resource: ['department'], operation: ['getAll'] } },
		limitFields,
	),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const rows = await fetchDepartments(client, {
			limit: this.getNodeParameter('returnAll', itemIndex, false)
				? undefined
				: (this.getNodeParameter('limit', itemIndex, 50) as number),
			itemIndex,
		});
		return rows.map((row) => departmentSchema.parse(row));
	},
};
