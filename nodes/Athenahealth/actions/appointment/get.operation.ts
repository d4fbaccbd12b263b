import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { departmentField, patientLocator } from '../../descriptions/common';
import { appointmentSchema } from '../../shared/athenaSchemas';
import { paymentFieldRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import { recordOf } from '../../transport/parse';
import type { ItemOperation } from '../types';

// The picker lists one patient's appointments in one department: these two fields only feed the list. A workflow
// saved with a plain Appointment ID string keeps working (n8n passes a non-locator value through as it is).
const properties: INodeProperties[] = [
	{
		...patientLocator,
		displayName: 'Patient (to List Appointments)',
		name: 'listPatientId',
		required: false,
		description: 'Only used to list appointments to choose from below',
	},
	{
		...departmentField,
		displayName: 'Department Name or ID (to List Appointments)',
		name: 'listDepartmentId',
		typeOptions: { loadOptionsMethod: 'getDepartmentsOrAny' },
		required: false,
		description:
			'Only used to list appointments to choose from below. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Appointment',
		name: 'appointmentId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			"The output gives athena's copay figures as athena sends them (expectedCopay, insuranceCopay, collectedForAppointment, collectedForOther). copayDue is athena's expected copay, which athena says already takes collected copays into account: nothing is subtracted again.",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: "Choose one of the patient's appointments…",
				typeOptions: { searchListMethod: 'searchAppointments', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 10001',
			},
		],
	},
];

export const getAppointment: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['appointment'], operation: ['get'] } },
		properties,
	),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const appointmentId = parseOrThrow(
			this.getNode(),
			itemIndex,
			paymentFieldRules.appointmentId.schema.refine(
				(value: string | undefined) => value !== undefined,
				'Appointment ID is required',
			),
			this.getNodeParameter('appointmentId', itemIndex, '', { extractValue: true }),
		) as string;
		return await fetchAppointment(client, appointmentId, itemIndex);
	},
};

/** One appointment with its copay, normalised: also what the Trigger's Include Copay adds to an event. */
export async function fetchAppointment(
	client: AthenaClient,
	appointmentId: string,
	itemIndex?: number,
): Promise<IDataObject> {
	const answer = await client.get(
		`/appointments/${appointmentId}`,
		{ showcopay: 'true' },
		{ action: `get appointment ${appointmentId}`, itemIndex },
	);
	return appointmentSchema.parse(recordOf(answer.body, 'appointmentid', appointmentId) ?? {});
}
