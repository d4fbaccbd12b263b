import type { INodeProperties } from 'n8n-workflow';

import { ePaymentIdRule } from '../shared/fieldRules';
import { patientLocator } from './common';

/**
 * Void and Email receipt default to the fields a Collect Payment item outputs, so collect → email receipt works by
 * connecting the nodes.
 */
export const chainedPatient: INodeProperties = {
	...patientLocator,
	default: { mode: 'id', value: '={{ $json.patientId }}' },
};

export const chainedEPaymentId: INodeProperties = {
	displayName: 'E-Payment ID',
	name: 'ePaymentId',
	type: 'string',
	default: '={{ $json.ePaymentId }}',
	required: true,
	placeholder: 'e.g. 12345',
	description: ePaymentIdRule.rule,
	hint: 'By default taken from the Collect Payment item before this node',
};
