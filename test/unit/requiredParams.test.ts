import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';

const description = new Athenahealth().getNodeType(1).description;

/** The parameter issues n8n's editor checks before it starts a run (NodeHelpers.getNodeParametersIssues). */
function issuesOf(parameters: INodeParameters): string[] {
	const node: INode = {
		id: '1',
		name: 'athenahealth',
		type: 'n8n-nodes-athenahealth.athenahealth',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const issues = NodeHelpers.getNodeParametersIssues(description.properties, node, description);
	return Object.values(issues?.parameters ?? {}).flat();
}

const record = {
	resource: 'payment',
	operation: 'record',
	patientId: { __rl: true, mode: 'id', value: '={{ $json.patient_id }}' },
	departmentId: '={{ $json.department_id }}',
	copayAmount: '={{ $json.copay }}',
};

describe("n8n's required-parameter check on Record Payment", () => {
	it('does not block a run whose Payment Method is mapped from a column (each row is checked by the node)', () => {
		expect(issuesOf({ ...record, paymentMethod: '={{ $json.method }}' })).toEqual([]);
	});

	it('does not block a run whose method comes from each row', () => {
		expect(issuesOf({ ...record, paymentMethod: 'fromColumn', paymentMethodColumn: '={{ $json.method }}' })).toEqual([]);
	});

	it('still asks for the Check Number of a fixed check, and the last four of a fixed card method', () => {
		expect(issuesOf({ ...record, paymentMethod: 'CHECK' })).toEqual(['Parameter "Check Number" is required.']);
		expect(issuesOf({ ...record, paymentMethod: 'MC/VISA' })).toEqual(['Parameter "Card Last 4 Digits" is required.']);
		expect(issuesOf({ ...record, paymentMethod: 'CASH' })).toEqual([]);
	});
});
