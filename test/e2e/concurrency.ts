/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Many executions of one posting workflow at once (issue 22), in a real n8n 2.41.1 with the packed package installed
 * as users install it: an activated webhook workflow (Webhook → Split Out → Payment → Record, node version 2, every
 * field mapped, Duplicate Check By Payment Details, Continue On Fail) gets 40 requests at once (1–5 different
 * payments each), then the same 40 again at once (a double submit), then one by one. Judged by athena's ledger: each
 * payment stored once, every row with its status. Regular mode (one n8n process, SQLite); queue mode (two workers)
 * is in queue.ts, which has that set-up booted already.
 *
 *   E2E_N8N_VERSIONS=2.41.1 npx tsx scripts/e2e.ts concurrency
 *   E2E_CONCURRENCY_ALL_LINES=1 E2E_N8N_VERSIONS=2.8.4,1.123.81 npx tsx scripts/e2e.ts concurrency   # the older lines too
 *   E2E_TARBALL=/path/to/other.tgz npx tsx scripts/e2e.ts concurrency    # another build of the package
 */
import { after, before, describe, test } from 'node:test';
import { log, secs } from '../../scripts/lib/common';
import { N8N_NEWEST } from '../../scripts/lib/n8n-install';
import type { N8nInstance } from '../../scripts/lib/n8n-instance';
import { installCommunityPackage, startN8n, tempDir } from '../../scripts/lib/n8n-instance';
import { activateWorkflow } from '../../scripts/lib/webhook-workflows';
import type { AthenaSimulator } from '../simulator';
import { startSimulator } from '../simulator';
import { assertEachPaymentOnce, manyAtOnceWorkflow, n8nVersions, projectTarball, simulatorCredential, simulatorToken } from './helpers';

const CREDENTIAL_ID = 'e2eManyAtOnce01';
const WORKFLOW_ID = 'e2eManyAtOnceWf1';
const WEBHOOK_PATH = 'e2e-many-at-once';

/** The newest line in `npm test`; E2E_CONCURRENCY_ALL_LINES=1 runs it on every line E2E_N8N_VERSIONS names. */
const versions = process.env.E2E_CONCURRENCY_ALL_LINES === '1' ? n8nVersions() : n8nVersions().filter((version) => version === N8N_NEWEST);

for (const version of versions) describe(`n8n ${version} regular mode (SQLite): many executions of one posting workflow at once`, { timeout: 20 * 60_000 }, () => {
	let sim: AthenaSimulator;
	let n8n: N8nInstance;

	before(async () => {
		const start = Date.now();
		const tarball = await projectTarball();
		// athena answers after 50 ms, as a real one takes at least that: executions overlap as they do in production.
		sim = await startSimulator({ tokenLifetimeSeconds: 86400, latencyMs: 50 });
		const userFolder = tempDir('e2e-many-at-once-');
		await installCommunityPackage(userFolder, tarball);
		n8n = await startN8n({ version, userFolder });
		await n8n.importCredential(simulatorCredential(sim.url, CREDENTIAL_ID, 'athena (many at once)', await simulatorToken(sim)));
		await n8n.importWorkflow(manyAtOnceWorkflow({ id: WORKFLOW_ID, webhookPath: WEBHOOK_PATH, credentialId: CREDENTIAL_ID }));
		await activateWorkflow(n8n, WORKFLOW_ID);
		log(`concurrency e2e: n8n up, workflow activated in ${secs(start)}`);
	});

	after(async () => {
		await n8n?.stop();
		await sim?.close();
	});

	test('40 requests at once, the same 40 again at once, then one by one: each of the 120 payments stored once, every row with its status', { timeout: 15 * 60_000 }, async () => {
		await assertEachPaymentOnce(sim, n8n.url, WEBHOOK_PATH, 'regular mode');
	});
});
