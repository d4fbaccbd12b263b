import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import {
	fieldsByVersion,
	optionalDepartmentField,
	patientLocator,
} from '../../descriptions/common';
import { patientSchema, type PatientBalance } from '../../shared/athenaSchemas';
import { paymentFieldRules } from '../../shared/fieldRules';
import { formatMoney } from '../../shared/money';
import { parseOrThrow } from '../../shared/validate';
import { recordOf } from '../../transport/parse';
import type { AthenaClient } from '../../transport/athenaClient';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [
	patientLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Claim-Level Balances',
				name: 'showBalanceDetails',
				type: 'boolean',
				default: false,
				description:
					'Whether to include the claims with a balance (claims: claim ID, provider group, department, service date, patient balance) for Claim Payments',
			},
			{
				displayName: 'Department ID for Balance',
				name: 'departmentId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1',
				description:
					"The department where the payment is taken. The output then names the balance to collect: athena's guidance is the clean balance of the provider group whose departments include this one.",
			},
		],
	},
];

const propertiesV2: INodeProperties[] = [
	patientLocator,
	{
		...(properties[1] as INodeProperties & { options: INodeProperties[] }),
		options: (properties[1] as INodeProperties & { options: INodeProperties[] }).options.map(
			(option) =>
				option.name === 'departmentId'
					? {
							...optionalDepartmentField(
								"The department where the payment is taken. The output then starts with the balance to collect there: athena's guidance is the clean balance of the provider group whose departments include this one",
							),
							displayName: 'Department for Balance Name or ID',
						}
					: option,
		),
	},
];

const inputSchema = z.object({
	patientId: paymentFieldRules.patientId.schema,
	departmentId: z.preprocess(
		(value) => (value === '' ? undefined : value),
		paymentFieldRules.departmentId.schema.optional(),
	),
});

/** The balance athena says to collect at a department: the provider group that serves it, when clean. */
export function balanceForDepartment(
	balances: PatientBalance[] | undefined,
	departmentId: string,
): IDataObject {
	const group = balances?.find((balance) => balance.departmentIds.includes(departmentId));
	if (!group) return { departmentBalance: '0.00', departmentBalanceCollectable: false };
	return {
		departmentBalance: group.balance,
		departmentBalanceCollectable: group.cleanBalance && Number(group.balance) > 0,
		departmentProviderGroupId: group.providerGroupId,
	};
}

/** Everything the patient owes, across provider groups, as a two-place string (a credit is negative). */
function totalBalance(balances: PatientBalance[]): string {
	return formatMoney(
		balances.reduce((cents, group) => cents + Math.round(Number(group.balance) * 100), 0),
	);
}

export const getPatient: ItemOperation = {
	kind: 'item',
	...fieldsByVersion('patient', 'get', properties, propertiesV2),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const input = parseOrThrow(this.getNode(), itemIndex, inputSchema, {
			patientId: this.getNodeParameter('patientId', itemIndex, '', { extractValue: true }),
			departmentId: options.departmentId ?? '',
		});
		const answer = await client.get(
			`/patients/${input.patientId}`,
			{
				showbalancedetails: options.showBalanceDetails ? 'true' : undefined,
				departmentid: input.departmentId,
			},
			{ action: `get patient ${input.patientId}`, itemIndex },
		);
		const patient = patientSchema.parse(recordOf(answer.body, 'patientid', input.patientId) ?? {});
		// What the patient owes comes right after who they are, flat (the balance to collect at the department first, when
		// one is given), not nested per provider group at the end of the table; the groups stay for JSON readers.
		const { patientId, firstName, lastName, ...rest } = patient;
		return {
			patientId,
			firstName,
			lastName,
			...(input.departmentId
				? {
						departmentId: input.departmentId,
						...balanceForDepartment(patient.balances, input.departmentId),
					}
				: {}),
			...(patient.balances ? { balance: totalBalance(patient.balances) } : {}),
			...rest,
		};
	},
};
