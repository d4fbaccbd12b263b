import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { METHOD_FROM_COLUMN } from '../descriptions/referenceFields';
import { departmentSchema } from '../shared/athenaSchemas';
import { AthenaClient } from '../transport/athenaClient';
import { fetchDepartments } from '../transport/departments';
import { fetchPaymentMethods } from '../transport/paymentMethods';

export async function getDepartments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await AthenaClient.create(this);
	const rows = await fetchDepartments(client);
	return rows
		.map((row) => departmentSchema.parse(row))
		.filter((department) => department.departmentId)
		.map((department) => ({ name: `${department.name ?? 'Department'} (${department.departmentId})`, value: department.departmentId as string }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Cash, Check and the practice's own card methods with athena's codes as values. */
export async function getPaymentMethods(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await AthenaClient.create(this);
	const methods = await fetchPaymentMethods(client);
	return [
		...methods.map((method) => ({
			name: method.kind === 'card' ? `${method.name} (${method.code})` : method.name,
			value: method.code,
			description: method.kind === 'card' ? 'Card charged outside athena: needs the last four digits' : undefined,
		})),
		{
			name: 'From a Column (Each Row Its Own)',
			value: METHOD_FROM_COLUMN,
			description: 'A spreadsheet column gives each row its method; Check Number and Card Last 4 Digits are both shown',
		},
	];
}
