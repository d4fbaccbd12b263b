/** The patient picker (resource locator "From list"): athena's name / ID search, and a one-digit patient ID. */
import type { INode } from 'n8n-workflow';

import { seedPatient } from '../simulator/seed';
import { CREDENTIAL_ID, useStack } from './stack';

const stackOf = useStack();

const node: INode = {
	id: 'athena-node',
	name: 'athenahealth',
	type: 'n8n-nodes-athenahealth.athenahealth',
	typeVersion: 2,
	position: [0, 0],
	parameters: { resource: 'patient', operation: 'get' },
	credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } },
};

describe('the patient picker', () => {
	test('a one-digit patient ID finds that patient (the hint says "Type a name or patient ID")', async () => {
		const stack = stackOf();
		const listed = await stack.engine.listSearch(node, 'searchPatients', '7');
		const patient = seedPatient('7')!;
		expect(listed.results).toEqual([expect.objectContaining({ value: '7' })]);
		expect(listed.results[0].name).toContain(String(patient.lastname));
	});

	test('a one-digit ID athena does not know lists nothing, without an error', async () => {
		const stack = stackOf();
		stack.simulator.reset();
		const listed = await stack.engine.listSearch(node, 'searchPatients', '0');
		expect(listed.results).toEqual([]);
	});

	test('names and longer IDs go to athena\'s search; a single letter waits for more', async () => {
		const stack = stackOf();
		const patient = seedPatient('12')!;
		expect((await stack.engine.listSearch(node, 'searchPatients', '12')).results.map((r) => r.value)).toEqual(['12']);
		const byName = await stack.engine.listSearch(node, 'searchPatients', String(patient.lastname));
		expect(byName.results.map((r) => r.value)).toContain('12');
		stack.simulator.reset();
		expect((await stack.engine.listSearch(node, 'searchPatients', 'o')).results).toEqual([]);
		expect(stack.simulator.requests().filter((request) => request.path.includes('/patients'))).toHaveLength(0);
	});
});
