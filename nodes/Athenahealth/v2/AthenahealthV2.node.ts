import type { INodeTypeDescription } from 'n8n-workflow';

import { athenahealthIcon } from '../icons';
import { AthenahealthV1, descriptionOfVersion } from '../v1/AthenahealthV1.node';

/**
 * Version 2 changes only fields (which n8n stores by path, and saves only when they differ from the default), so it
 * is a new version rather than an edit of v1: Record and Collect keep their posting settings (Validate Only, Duplicate
 * Check, Row Reference, Post Again, Post Date) under Options, and Patient, Department, Appointment ID and Copay Amount
 * default to the fields of the item that arrives (patientId, departmentId, appointmentId, copayDue). Department is a
 * dropdown everywhere. Execution is shared: the posting engine reads each setting at its version's path
 * (actions/payment/posting/parameterPaths.ts).
 */

export class AthenahealthV2 extends AthenahealthV1 {
	description: INodeTypeDescription = {
		...descriptionOfVersion(2),
		icon: athenahealthIcon,
		// Not offered to AI agents, as in v1 (a node that moves money); see AthenahealthV1.node.ts.
		usableAsTool: undefined,
	};
}
