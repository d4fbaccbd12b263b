import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { appointmentSchema } from '../../shared/athenaSchemas';
import { paymentFieldRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import { recordOf } from '../../transport/parse';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Appointment ID',
		name: 'appointmentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1001',
		description:
			"The output gives athena's copay figures as athena sends them (expectedCopay, insuranceCopay, collectedForAppointment, collectedForOther). copayDue is athena's expected copay, which athena says already takes collected copays into account: nothing is subtracted again.",
	},
];

export const getAppointment: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions({ show: { resource: ['appointment'], operation: ['get'] } }, properties),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const appointmentId = parseOrThrow(
			this.getNode(),
			itemIndex,
			paymentFieldRules.appointmentId.schema.refine((value: string | undefined) => value !== undefined, 'Appointment ID is required'),
			this.getNodeParameter('appointmentId', itemIndex, ''),
		) as string;
		const answer = await client.get(`/appointments/${appointmentId}`, { showcopay: 'true' }, { action: `get appointment ${appointmentId}`, itemIndex });
		return appointmentSchema.parse(recordOf(answer.body, 'appointmentid', appointmentId) ?? {});
	},
};
