import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { fieldsByVersion, limitFields, optionalDepartmentField } from '../../descriptions/common';
import { patientSchema } from '../../shared/athenaSchemas';
import { lookupDateRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import { fetchList } from '../../transport/lists';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Jane',
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Doe',
	},
	{
		displayName: 'Date of Birth',
		name: 'dateOfBirth',
		type: 'string',
		default: '',
		placeholder: 'e.g. 04/12/1980',
		description: lookupDateRules.dateOfBirth.rule,
	},
	{
		displayName: 'Department ID',
		name: 'departmentId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1',
		description: 'Only patients registered in this department',
	},
	...limitFields,
];

const propertiesV2: INodeProperties[] = properties.map((property) =>
	property.name === 'departmentId'
		? optionalDepartmentField('Only patients registered in this department')
		: property,
);

const inputSchema = z
	.object({
		firstName: z.string().trim(),
		lastName: z.string().trim(),
		dateOfBirth: lookupDateRules.dateOfBirth.schema,
		departmentId: z
			.string()
			.trim()
			.refine((value) => value === '' || /^\d+$/.test(value), 'Department ID must be digits only'),
	})
	.refine((input) => input.firstName || input.lastName || input.dateOfBirth, {
		message: 'Give at least a First Name, Last Name or Date of Birth to search by',
	});

export const searchPatients: ItemOperation = {
	kind: 'item',
	lists: 'patients',
	...fieldsByVersion('patient', 'search', properties, propertiesV2),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const input = parseOrThrow(this.getNode(), itemIndex, inputSchema, {
			firstName: String(this.getNodeParameter('firstName', itemIndex, '')),
			lastName: String(this.getNodeParameter('lastName', itemIndex, '')),
			// As it comes: a date cell's number or an expression's Date is read by the date rule, not turned to text.
			dateOfBirth: this.getNodeParameter('dateOfBirth', itemIndex, ''),
			departmentId: String(this.getNodeParameter('departmentId', itemIndex, '')),
		});
		const rows = await fetchList(client, '/patients', 'patients', {
			qs: {
				firstname: input.firstName,
				lastname: input.lastName,
				dob: input.dateOfBirth?.date,
				departmentid: input.departmentId,
			},
			limit: this.getNodeParameter('returnAll', itemIndex, false)
				? undefined
				: (this.getNodeParameter('limit', itemIndex, 50) as number),
			call: { action: 'search patients', itemIndex },
		});
		// Searches list many people: keep what identifies them, leave balances to Patient → Get.
		return rows.map((row) => {
			const patient: IDataObject = patientSchema.parse(row);
			delete patient.balances;
			delete patient.claims;
			return input.dateOfBirth?.read
				? { ...patient, dateOfBirthRead: input.dateOfBirth.read }
				: patient;
		});
	},
};
