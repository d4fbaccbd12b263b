import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getDepartments } from '../Athenahealth/methods/loadOptions';
import { TRIGGER_EVENT_NAMES, TRIGGER_EVENTS } from './events';
import { pollAppointmentEvents } from './poll';

export class AthenahealthTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'athenahealth Trigger',
		name: 'athenahealthTrigger',
		icon: { light: 'file:athenahealth.svg', dark: 'file:athenahealth.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow when a patient checks in or out, or an appointment is booked, cancelled or changed in athenaOne',
		defaults: { name: 'athenahealth Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'athenahealthOAuth2Api', required: true }],
		properties: [
			{
				displayName:
					"Reads athena's changed-appointments feed. Activating the workflow subscribes the practice to the chosen events; athena takes minutes to apply a new subscription (in preview 10-15), and events start after that.",
				name: 'subscriptionNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['checkIn'],
				options: TRIGGER_EVENT_NAMES.map((event) => ({
					name: TRIGGER_EVENTS[event].label,
					value: event,
					description: `The ${TRIGGER_EVENTS[event].athena} event in athena`,
				})),
				description: 'The appointment events that start the workflow, one run item per event',
			},
			{
				displayName: 'Department Names or IDs',
				name: 'departmentIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getDepartments' },
				default: [],
				description:
					'Only events of these departments; none chosen means all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Include Copay',
				name: 'includeCopay',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the expected copay, what was collected for it and the copay still due, as Appointment → Get gives them (one more athena call per event)',
			},
		],
	};

	methods = { loadOptions: { getDepartments } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollAppointmentEvents.call(this);
	}
}
