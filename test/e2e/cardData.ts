/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Card data in a real n8n: Collect with On Error: Continue (using error output), fed a declined card and a card whose
 * refusal repeats the number and the code, run with n8n's CLI. The execution n8n saved in its database is read
 * back, and the athenahealth node's part of it (both outputs, item errors, the run's error) must hold no card number
 * in any spelling and no security code. The test data node holds them, as a form's output would.
 *
 *   E2E_N8N_VERSIONS=2.41.1 npx tsx scripts/e2e.ts cardData
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { assertNoCardData, findCardData } from '../cardLeaks';
import type { AthenaSimulator } from '../simulator';
import { CARD_DECLINED, CARD_REFUSED_ECHOING, startSimulator } from '../simulator';
import type { CliN8n } from './helpers';
import { cliN8n, CREDENTIAL_TYPE, n8nVersions, NODE_TYPE, nodeOutput, projectTarball, simulatorCredential } from './helpers';

const CREDENTIAL_ID = 'e2eCardDataCred1';
const WORKFLOW_ID = 'e2eCardDataFlow1';
const COLLECT = 'Collect';
const CVV = '737';
const SECRETS = { cardNumbers: [CARD_DECLINED, CARD_REFUSED_ECHOING], securityCodes: [CVV] };

const setNode = (name: string, card: string, y: number) => ({
	id: name,
	name,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [200, y],
	parameters: {
		assignments: {
			assignments: [
				{ id: `${name}-card`, name: 'card', value: card, type: 'string' },
				{ id: `${name}-cvv`, name: 'cvv', value: CVV, type: 'string' },
				{ id: `${name}-typed`, name: 'cardAsTyped', value: card.replace(/(\d{4})/g, '$1 ').trim(), type: 'string' },
			],
		},
		options: {},
	},
});

function workflow(credentialId: string): object {
	return {
		id: WORKFLOW_ID,
		name: 'e2e: card data on the error output',
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', saveManualExecutions: true },
		pinData: {},
		nodes: [
			{ id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			setNode('Declined card (TEST DATA)', CARD_DECLINED, -100),
			setNode('Echoing card (TEST DATA)', CARD_REFUSED_ECHOING, 100),
			{
				id: 'collect',
				name: COLLECT,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [400, 0],
				onError: 'continueErrorOutput',
				credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: 'athenahealth account' } },
				parameters: {
					resource: 'payment',
					operation: 'collect',
					patientId: { __rl: true, mode: 'id', value: '1' },
					departmentId: '1',
					cardNumber: '={{ $json.card }}',
					cardSecurityCode: '={{ $json.cvv }}',
					expirationMonth: '12',
					expirationYear: '2035',
					nameOnCard: 'ROSA QUINTERO',
					billingAddress: '12 Elm St',
					billingZip: '02472',
					copayAmount: '25',
					duplicateCheck: 'off',
				},
			},
			{ id: 'failures', name: 'Failures', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 100], parameters: {} },
		],
		connections: {
			Start: { main: [[{ node: 'Declined card (TEST DATA)', type: 'main', index: 0 }, { node: 'Echoing card (TEST DATA)', type: 'main', index: 0 }]] },
			'Declined card (TEST DATA)': { main: [[{ node: COLLECT, type: 'main', index: 0 }]] },
			'Echoing card (TEST DATA)': { main: [[{ node: COLLECT, type: 'main', index: 0 }]] },
			[COLLECT]: { main: [[], [{ node: 'Failures', type: 'main', index: 0 }]] },
		},
	};
}

/** The executions n8n saved in its SQLite database, parsed (read with n8n's own sqlite3 and flatted modules). */
async function savedExecutions(n8n: CliN8n): Promise<any[]> {
	const db = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
	const modules = path.join(n8n.install.dir, 'node_modules');
	const script = `
		const sqlite3 = require(${JSON.stringify(path.join(modules, 'sqlite3'))});
		const { parse } = require(${JSON.stringify(path.join(modules, 'flatted'))});
		const db = new sqlite3.Database(${JSON.stringify(db)}, sqlite3.OPEN_READONLY);
		db.all('SELECT "executionId", "data" FROM execution_data', (error, rows) => {
			if (error) { console.error(error.message); process.exit(1); }
			process.stdout.write(JSON.stringify(rows.map((row) => ({ id: row.executionId, data: parse(row.data) }))));
		});`;
	const { stdout } = await promisify(execFile)(n8n.install.nodeBin, ['-e', script], { env: n8n.install.env, maxBuffer: 64 * 1024 * 1024 });
	return JSON.parse(stdout);
}

/** n8n 2.41 reads `{error, message, details}` items as errors for the error output; earlier lines only `{error}`/`{error, message}`. */
function routesErrorDetails(version: string): boolean {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 41);
}

for (const version of n8nVersions()) {
	describe(`n8n ${version}: card data stays out of Collect's execution data`, { timeout: 15 * 60_000 }, () => {
		let sim: AthenaSimulator;
		let n8n: CliN8n;

		before(async () => {
			sim = await startSimulator();
			n8n = await cliN8n({ version, tarball: await projectTarball() });
			await n8n.importCredential(simulatorCredential(sim.url, CREDENTIAL_ID));
			await n8n.importWorkflow(workflow(CREDENTIAL_ID));
		});

		after(async () => {
			await sim?.close();
			n8n?.dispose();
		});

		test('a decline and an echoing refusal on the error output: no card number, no code in what n8n saved of the node', { timeout: 10 * 60_000 }, async () => {
			const run = await n8n.execute(WORKFLOW_ID);
			assert.ok(run.ok, `run failed: ${JSON.stringify(run.error)}`);
			assert.equal(sim.stats().declines, 1, 'the declined card reached athena and was declined');
			// n8n before 2.41 sends to the error output only items shaped {error} or {error, message}; the node's
			// {error, details} items stay on the main output there (seen on 2.8.4 and 1.123.81's handleNodeErrorOutput).
			// Wherever they land, they must carry no card data.
			const failures = routesErrorDetails(version)
				? nodeOutput(run, 'Failures')
				: nodeOutput(run, COLLECT).filter((item) => item.error !== undefined);
			assert.equal(failures.length, 2, `both failures out of Collect: ${JSON.stringify(failures)}`);
			assert.ok(failures.some((item) => String(item.error).startsWith('Card declined: DECLINED')), JSON.stringify(failures));
			assert.ok(failures.some((item) => String(item.error).includes('refused cvv •••')), JSON.stringify(failures));

			// What the CLI printed of the run, then what n8n saved in its database.
			assertNoCardData({ collect: run.runData[COLLECT], failures: run.runData.Failures, error: run.error }, SECRETS, 'the printed run');
			const saved = await savedExecutions(n8n);
			assert.equal(saved.length, 1, 'n8n saved the execution');
			const resultData = saved[0].data.resultData;
			assert.ok(resultData.runData[COLLECT]?.length, 'the saved execution holds the node');
			assertNoCardData({ collect: resultData.runData[COLLECT], failures: resultData.runData.Failures, error: resultData.error }, SECRETS, `n8n ${version}'s saved execution of the node`);
			// Sanity: the search does find the cards where they are (the test data nodes).
			assert.ok(findCardData(resultData.runData['Declined card (TEST DATA)'], SECRETS).length > 0, 'the test data holds the card');
		});
	});
}
