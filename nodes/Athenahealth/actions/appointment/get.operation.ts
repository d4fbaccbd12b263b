import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { appointmentSchema } from '../../shared/athenaSchemas';
import { paymentFieldRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import { unwrapOne } from '../../transport/parse';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Appointment ID',
		name: 'appointmentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1001',
		description: 'The output gives the expected copay, what was already collected for it and the copay still due',
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
		return await fetchAppointment(client, appointmentId, itemIndex);
	},
};

/** One appointment with its copay, normalised: also what the Trigger's Include Copay adds to an event. */
export async function fetchAppointment(client: AthenaClient, appointmentId: string, itemIndex?: number): Promise<IDataObject> {
	const answer = await client.get(`/appointments/${appointmentId}`, { showcopay: 'true' }, { action: `get appointment ${appointmentId}`, itemIndex });
	return appointmentSchema.parse(unwrapOne(answer.body) ?? {});
}
