import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { METHOD_FROM_COLUMN } from '../descriptions/referenceFields';
import { departmentSchema } from '../shared/athenaSchemas';
import { AthenaClient } from '../transport/athenaClient';
import { fetchDepartments } from '../transport/departments';
import type { PaymentMethod } from '../transport/paymentMethods';
import { CASH_AND_CHECK, fetchPaymentMethods } from '../transport/paymentMethods';

/**
 * n8n 2.41's editor asks for a panel's lists as soon as it opens a new node, sometimes before the node holds its
 * credential (n8n then answered 500 "Node does not have any credentials set"); it asks again once the credential is
 * attached, unless that first request is still in flight, and then showed "Error fetching options" until the panel was
 * reopened (issue 23). Without a credential, a list holds what it can without athena instead of failing.
 */
function hasCredential(context: ILoadOptionsFunctions): boolean {
	return context.getNode().credentials?.athenahealthOAuth2Api !== undefined;
}

/** The practice's departments as "<name> (<ID>)", by name. */
export async function departmentOptions(
	context: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	if (!hasCredential(context)) return [];
	const client = await AthenaClient.create(context);
	const rows = await fetchDepartments(client);
	return rows
		.map((row) => departmentSchema.parse(row))
		.filter((department) => department.departmentId)
		.map((department) => ({
			name: `${department.name ?? 'Department'} (${department.departmentId})`,
			value: department.departmentId as string,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getDepartments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await departmentOptions(this);
}

/** An optional department: its empty default is a choice of the list, so n8n never marks it "not supported". */
export async function getDepartmentsOrAny(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return [{ name: 'Any Department', value: '' }, ...(await departmentOptions(this))];
}

/** Cash, Check and the practice's own card methods with athena's codes as values. */
export async function getPaymentMethods(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const fromColumn: INodePropertyOptions = {
		name: 'From a Column (Each Row Its Own)',
		value: METHOD_FROM_COLUMN,
		description:
			'A spreadsheet column gives each row its method; Check Number and Card Last 4 Digits are both shown',
	};
	// The card methods need athena; Cash and Check are every practice's.
	const methods: PaymentMethod[] = hasCredential(this)
		? await fetchPaymentMethods(await AthenaClient.create(this))
		: CASH_AND_CHECK;
	return [
		...methods.map((method) => ({
			name: method.kind === 'card' ? `${method.name} (${method.code})` : method.name,
			value: method.code,
			description:
				method.kind === 'card'
					? 'Card charged outside athena: needs the last four digits'
					: undefined,
		})),
		fromColumn,
	];
}
