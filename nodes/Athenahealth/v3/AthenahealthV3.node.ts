import type { INodeTypeDescription } from 'n8n-workflow';

import { athenahealthIcon } from '../icons';
import { AthenahealthV1, descriptionOfVersion } from '../v1/AthenahealthV1.node';

/**
 * Version 3 is what a new node opens at. Version 2 took Patient, Department and the amounts from the incoming item,
 * so a list before Record or Collect (Patient → Search, Appointment → Get Many) posted one payment to every patient
 * it returned. Here Record and Collect start with Patient and Department empty (pick them, or map them to a column on
 * purpose), and take one Amount with what it pays. Saved v2 nodes keep their defaults; a guard stops them when a list
 * feeds them (actions/payment/posting/preflight.ts).
 */
export class AthenahealthV3 extends AthenahealthV1 {
	description: INodeTypeDescription = {
		...descriptionOfVersion(3),
		icon: athenahealthIcon,
		// Not offered to AI agents, as in v1 (a node that moves money); see AthenahealthV1.node.ts.
		usableAsTool: undefined,
	};
}
