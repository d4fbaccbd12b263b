import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { paymentFieldRules } from '../shared/fieldRules';

/** An operation's fields in each node version (the router's operations carry them: actions/types.ts). */
export interface OperationFields {
	description: INodeProperties[];
	/** Version 2's fields, where they differ from version 1's (v2/AthenahealthV2.node.ts). */
	descriptionV2?: INodeProperties[];
	/** Version 3's fields, where they differ from version 2's (v3/AthenahealthV3.node.ts). */
	descriptionV3?: INodeProperties[];
}

/** An operation's fields for each node version it changes, each set shown only for that resource and operation. */
export function fieldsByVersion(
	resource: string,
	operation: string,
	v1: INodeProperties[],
	v2?: INodeProperties[],
	v3?: INodeProperties[],
): OperationFields {
	const shown = { show: { resource: [resource], operation: [operation] } };
	return {
		description: updateDisplayOptions(shown, v1),
		...(v2 ? { descriptionV2: updateDisplayOptions(shown, v2) } : {}),
		...(v3 ? { descriptionV3: updateDisplayOptions(shown, v3) } : {}),
	};
}

/** Fields several operations share. Each call site adds its own displayOptions. */

export const patientLocator: INodeProperties = {
	displayName: 'Patient',
	name: 'patientId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: paymentFieldRules.patientId.rule,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Type a name or patient ID…',
			typeOptions: {
				searchListMethod: 'searchPatients',
				searchable: true,
				searchFilterRequired: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1',
		},
	],
};

export const departmentField: INodeProperties = {
	displayName: 'Department Name or ID',
	name: 'departmentId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getDepartments' },
	default: '',
	required: true,
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
};

export const limitFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Version 2: the patient and department of the incoming item, when it has them (a look-up before this node). */
export const patientFromItem: INodeProperties = {
	...patientLocator,
	default: { mode: 'id', value: '={{ $json.patientId ?? "" }}' },
};

export const departmentFromItem: INodeProperties = {
	...departmentField,
	default: '={{ $json.departmentId ?? "" }}',
};

/**
 * Version 3's Department on Record and Collect: picked from a list the editor loads when it is opened (a dropdown's
 * list is asked for when the panel opens, possibly before the node holds its credential), or an ID, or mapped.
 */
export const departmentLocator: INodeProperties = {
	displayName: 'Department',
	name: 'departmentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: paymentFieldRules.departmentId.rule,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Choose a department…',
			typeOptions: { searchListMethod: 'searchDepartments', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1',
		},
	],
};

/** An optional department, as a dropdown like everywhere else (v1 had free text in Patient Search and Get). */
export const optionalDepartmentField = (description: string): INodeProperties => ({
	...departmentField,
	typeOptions: { loadOptionsMethod: 'getDepartmentsOrAny' },
	required: false,
	description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
});
