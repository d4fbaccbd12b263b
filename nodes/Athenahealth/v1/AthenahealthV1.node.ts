import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operations, route } from '../actions/router';
import { searchAppointments, searchDepartments, searchPatients } from '../methods/listSearch';
import { getDepartments, getDepartmentsOrAny, getPaymentMethods } from '../methods/loadOptions';
import { athenahealthIcon } from '../icons';

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Appointment', value: 'appointment' },
		{ name: 'Department', value: 'department' },
		{ name: 'Patient', value: 'patient' },
		{ name: 'Payment', value: 'payment' },
		{ name: 'Payment Method', value: 'paymentMethod' },
		{ name: 'Receipt', value: 'receipt' },
	],
	default: 'payment',
};

const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['patient'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a patient with balances',
				description: 'Get a patient and what they owe',
			},
			{
				name: 'Search',
				value: 'search',
				action: 'Search patients',
				description: 'Find patients by name or date of birth',
			},
		],
		default: 'get',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['appointment'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an appointment with its copay',
				description: 'Get an appointment and its copay',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many appointments',
				description: 'List booked appointments by date, department, provider and status',
			},
		],
		default: 'get',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['department'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many departments',
				description: "List the practice's departments",
			},
		],
		default: 'getAll',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{
				name: 'Check Unknown',
				value: 'checkUnknown',
				action: 'Check unknown payments in athena',
				description:
					"Look up payments whose outcome was unknown in athena's receipts or payment history, sending nothing",
			},
			{
				name: 'Collect',
				value: 'collect',
				action: 'Collect a card payment',
				description: "Charge a card through athena's card processing",
			},
			{
				name: 'Record',
				value: 'record',
				action: 'Record a payment',
				description: 'Record cash, a check, or a card charged outside athena',
			},
			{
				name: 'Void',
				value: 'void',
				action: 'Void a card payment',
				description: 'Void a card payment collected today',
			},
		],
		default: 'record',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['paymentMethod'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many payment methods',
				description: "List Cash, Check and the practice's card methods",
			},
		],
		default: 'getAll',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['receipt'] } },
		options: [
			{
				name: 'Email',
				value: 'email',
				action: 'Email a receipt',
				description: 'Email the receipt of a card payment',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many receipts',
				description: "List a patient's card receipts in a department",
			},
		],
		default: 'email',
	},
];

/** A version's fields: each operation's own for that version, or those of the newest version before it that has them. */
function propertiesOfVersion(version: 1 | 2 | 3): INodeProperties[] {
	return [
		resourceProperty,
		...operationProperties,
		...Object.values(operations).flatMap((byOperation) =>
			Object.values(byOperation).flatMap(
				(operation) =>
					(version >= 3 ? operation.descriptionV3 : undefined) ??
					(version >= 2 ? operation.descriptionV2 : undefined) ??
					operation.description,
			),
		),
	];
}

/** A later version's description: version 1's, with that version's number and fields. */
export function descriptionOfVersion(version: 2 | 3): INodeTypeDescription {
	return {
		...new AthenahealthV1().description,
		version,
		properties: propertiesOfVersion(version),
	};
}

export class AthenahealthV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'athenahealth',
		name: 'athenahealth',
		icon: athenahealthIcon,
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Look up patients and appointments, and record, collect, void and receipt patient payments in athenaOne',
		defaults: { name: 'athenahealth' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// A node that moves money is not handed to an AI agent: an agent may call it twice or with invented amounts.
		// n8n-workflow types this `true | { replacements }` or absent, and n8n (1.123 to 2.41) makes a tool only of a
		// node whose value is truthy, so declared empty it stays out of agents; declared rather than left out, so the
		// choice is visible (and n8n's lint rule that asks every node to decide is met).
		usableAsTool: undefined,
		credentials: [{ name: 'athenahealthOAuth2Api', required: true }],
		properties: propertiesOfVersion(1),
	};

	methods = {
		loadOptions: { getDepartments, getDepartmentsOrAny, getPaymentMethods },
		listSearch: { searchPatients, searchAppointments, searchDepartments },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
