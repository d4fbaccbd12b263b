/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Look-ups on a real n8n against a practice seeded with athena's recorded shapes (test/simulator/seed.ts:
 * departments with card types as arrays or absent, numeric time zones, a portal-hidden department; patients with
 * real booleans and top-level claimbalancedetails): the Department dropdown as the editor loads it, and a workflow
 * running Department → Get Many, Patient → Get with claims and Appointment → Get.
 *
 *   E2E_N8N_VERSIONS=2.41.1 npx tsx scripts/e2e.ts lookups
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { installCommunityPackage, type N8nInstance, startN8n, tempDir } from '../../scripts/lib/n8n-instance';
import { APPOINTMENT_WITH_COPAY, type AthenaSimulator, PATIENT_WITH_BALANCES, startSimulator } from '../simulator';
import { CREDENTIAL_TYPE, n8nVersions, NODE_TYPE, nodeOutput, projectTarball, simulatorCredential } from './helpers';

const CREDENTIAL_ID = 'e2eLookupsCred1';
const CREDENTIAL_NAME = 'athenahealth lookups';
const WORKFLOW_ID = 'e2eLookupsWf00001';

function lookupsWorkflow(): object {
	const credentials = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	const athena = (name: string, x: number, parameters: object) => ({ id: name, name, type: NODE_TYPE, typeVersion: 1, position: [x, 0], parameters, credentials });
	return {
		id: WORKFLOW_ID,
		name: 'e2e look-ups',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			athena('Departments', 200, { resource: 'department', operation: 'getAll', returnAll: true }),
			athena('Patient', 400, {
				resource: 'patient',
				operation: 'get',
				patientId: { __rl: true, mode: 'id', value: PATIENT_WITH_BALANCES },
				options: { showBalanceDetails: true, departmentId: '1' },
			}),
			athena('Appointment', 600, { resource: 'appointment', operation: 'get', appointmentId: { __rl: true, mode: 'id', value: APPOINTMENT_WITH_COPAY } }),
		],
		connections: {
			Start: { main: [[{ node: 'Departments', type: 'main', index: 0 }]] },
			Departments: { main: [[{ node: 'Patient', type: 'main', index: 0 }]] },
			Patient: { main: [[{ node: 'Appointment', type: 'main', index: 0 }]] },
		},
	};
}

for (const version of n8nVersions()) {
	describe(`n8n ${version}: look-ups on recorded athena shapes`, { timeout: 20 * 60_000 }, () => {
		let sim: AthenaSimulator;
		let n8n: N8nInstance;
		let userFolder: string;

		before(async () => {
			sim = await startSimulator();
			userFolder = tempDir(`e2e-lookups-${version}-`);
			await installCommunityPackage(userFolder, await projectTarball());
			n8n = await startN8n({ version, userFolder });
			await n8n.importCredential(simulatorCredential(sim.url, CREDENTIAL_ID, CREDENTIAL_NAME));
			await n8n.importWorkflow(lookupsWorkflow());
		});
		after(async () => {
			await n8n?.stop();
			await sim?.close();
			if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		});

		test('the Department dropdown lists every department, the portal-hidden one included', async () => {
			const answer = await n8n.rest<any>('POST', '/rest/dynamic-node-parameters/options', {
				nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
				path: 'departmentId',
				methodName: 'getDepartments',
				currentNodeParameters: { resource: 'payment', operation: 'record', departmentId: '' },
				credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
			});
			const options = (answer.data ?? answer) as Array<{ name: string; value: string }>;
			assert.deepEqual(options.map((option) => option.value).sort(), ['1', '150', '21', '62', '82']);
			assert.ok(options.some((option) => option.name === 'Preview Family Medicine (1)'));
			assert.ok(sim.requests().some((request) => request.path.endsWith('/departments') && request.query.showalldepartments === 'true'));
		});

		test('Department → Get Many, Patient → Get with claims and Appointment → Get run clean', async () => {
			const result = await n8n.execute(WORKFLOW_ID);
			assert.ok(result.ok, `the workflow failed: ${JSON.stringify(result.error ?? result).slice(0, 2000)}`);
			const departments = nodeOutput(result, 'Departments');
			assert.equal(departments.length, 5);
			assert.deepEqual(departments[0].ecommerceCardTypes, ['AX', 'DS', 'MC', 'VI']);
			assert.equal(typeof departments[0].timezone, 'number');
			assert.deepEqual(departments.find((department: any) => department.departmentId === '82').ecommerceCardTypes, []);
			const [patient] = nodeOutput(result, 'Patient');
			assert.equal(patient.departmentBalance, '150.50');
			assert.deepEqual(patient.claims.map((claim: any) => claim.claimId), ['101', '102']);
			const [appointment] = nodeOutput(result, 'Appointment');
			assert.equal(appointment.status, 'filled');
			assert.equal(appointment.copayDue, appointment.expectedCopay);
		});
	});
}
