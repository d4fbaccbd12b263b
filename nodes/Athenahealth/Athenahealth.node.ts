import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { AthenahealthV1 } from './v1/AthenahealthV1.node';
import { AthenahealthV2 } from './v2/AthenahealthV2.node';
import { AthenahealthV3 } from './v3/AthenahealthV3.node';

// Versioned from the start: a saved workflow keeps the version it was built with, so a v2 can change a field or a
// default without changing what a practice's scheduled posting does.
export class Athenahealth extends VersionedNodeType {
	constructor() {
		const v1 = new AthenahealthV1();
		const baseDescription: INodeTypeBaseDescription = {
			displayName: v1.description.displayName,
			name: v1.description.name,
			icon: v1.description.icon,
			group: v1.description.group,
			description: v1.description.description,
			defaultVersion: 3,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: v1,
			2: new AthenahealthV2(),
			3: new AthenahealthV3(),
		};
		super(nodeVersions, baseDescription);
	}
}
