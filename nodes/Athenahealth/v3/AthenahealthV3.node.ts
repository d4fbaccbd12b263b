import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { route } from '../actions/router';
import { athenahealthIcon } from '../icons';
import { AthenahealthV1, propertiesOfVersion } from '../v1/AthenahealthV1.node';

/**
 * Version 3 is what a new node opens at. Version 2 took Patient, Department and the amounts from the incoming item,
 * so a list before Record or Collect (Patient → Search, Appointment → Get Many) posted one payment to every patient
 * it returned. Here Record and Collect start with Patient and Department empty (pick them, or map them to a column on
 * purpose), and take one Amount with what it pays. Saved v2 nodes keep their defaults; a guard stops them when a list
 * feeds them (actions/payment/posting/preflight.ts).
 */
const v1 = new AthenahealthV1();

export class AthenahealthV3 implements INodeType {
	description: INodeTypeDescription = {
		...v1.description,
		icon: athenahealthIcon,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		version: 3,
		properties: propertiesOfVersion(3),
		// Not offered to AI agents, as in v1 (a node that moves money); see AthenahealthV1.node.ts.
		usableAsTool: undefined,
	};

	methods = v1.methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
