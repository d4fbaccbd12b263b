/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The three example workflows (examples/*.json) in a real n8n on each pinned line, run with n8n's CLI the way a
 * user's n8n runs them: the packed tarball installed into `.n8n/nodes` as users install community packages, the
 * simulator as athena (a credential in the Custom environment pointing at it), the examples imported as they are
 * with only their file paths and credential id changed. Judged by the simulator's ledger and the parsed run data.
 *
 *   npx tsx scripts/e2e.ts workflows                               # all pinned lines
 *   E2E_N8N_VERSIONS=2.41.1 npx tsx scripts/e2e.ts workflows
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { log, secs } from '../../scripts/lib/common';
import type { AthenaSimulator } from '../simulator';
import { CARD_APPROVED, startSimulator } from '../simulator';
import {
	assertFirstPostingRun,
	assertRepostingRun,
	CliN8n,
	cliN8n,
	EXAMPLE_FILES,
	loadExample,
	n8nVersions,
	nodeOutput,
	PACKAGE_NAME,
	parseCsv,
	postingExampleFiles,
	prepareExample,
	projectTarball,
	samplePayments,
	samplePaymentsCsv,
	simulatorCredential,
} from './helpers';

const CREDENTIAL_ID = 'e2eSimCred01';
/** Every row's post date: after the simulator's close date (10/31/2026), fixed so the run is clock-independent. */
const POST_DATE = '11/25/2026';
const TIMEOUT = 10 * 60_000;

for (const version of n8nVersions()) {
	describe(`n8n ${version}: the example workflows`, { timeout: 30 * 60_000 }, () => {
		let sim: AthenaSimulator;
		let n8n: CliN8n;
		const ids = {
			posting: loadExample(EXAMPLE_FILES.posting).id as string,
			frontDesk: loadExample(EXAMPLE_FILES.frontDesk).id as string,
			void: loadExample(EXAMPLE_FILES.void).id as string,
		};
		/** What the first posting run showed of the node's zod validation (set before the strict checks). */
		let validation: { ran: boolean; posted: number; messages: string[] } | undefined;

		before(async () => {
			const start = Date.now();
			const tarball = await projectTarball();
			sim = await startSimulator();
			n8n = await cliN8n({ version, tarball });
			await n8n.importCredential(simulatorCredential(sim.url, CREDENTIAL_ID));
			const files = postingExampleFiles(n8n.filesDir);
			await n8n.importWorkflow([
				prepareExample(loadExample(EXAMPLE_FILES.posting), { credentialId: CREDENTIAL_ID, files }),
				prepareExample(loadExample(EXAMPLE_FILES.frontDesk), { credentialId: CREDENTIAL_ID }),
				prepareExample(loadExample(EXAMPLE_FILES.void), { credentialId: CREDENTIAL_ID }),
			]);
			log(`workflows e2e ${version}: package installed, credential and 3 examples imported in ${secs(start)}`);
		});

		after(async () => {
			await sim?.close();
			n8n?.dispose();
		});

		test('scheduled posting: a CSV of 30 rows → one result line per row with its status; a re-run posts nothing', { timeout: TIMEOUT }, async () => {
			const rows = samplePayments(POST_DATE);
			const input = path.join(n8n.filesDir, 'payments.csv');
			const results = path.join(n8n.filesDir, 'results.csv');
			fs.writeFileSync(input, samplePaymentsCsv(rows));
			const count = (status: string) => rows.filter((r) => r.expect === status).length;
			assert.equal(rows.length, 30);
			assert.ok(count('posted') >= 20 && count('invalid') >= 5 && count('skipped') === 1 && count('failed') >= 2);
			for (const method of ['CASH', 'CHECK', 'AMEX', 'MC/VISA', 'DISCOVER']) {
				assert.ok(rows.some((r) => r.expect === 'posted' && r.fields.method?.toUpperCase() === method), `a good ${method} row`);
			}

			// First run.
			const first = await n8n.execute(ids.posting);
			assert.ok(first.ok, `run failed: ${JSON.stringify(first.error)}`);
			const recordOut = first.runData['Record payment']?.[0]?.data?.main?.[0] ?? [];
			const rowItems = recordOut.filter((item: any) => item.json.paymentBatch !== true);
			assert.equal(rowItems.length, rows.length, 'Record Payment puts out every row once');
			rowItems.forEach((item: any, i: number) => assert.deepEqual(item.pairedItem, { item: i }, `row ${i + 1} paired with its input`));

			const firstLines = parseCsv(fs.readFileSync(results, 'utf8'));
			validation = {
				ran: first.ok,
				posted: firstLines.filter((l) => l.status === 'posted').length,
				messages: firstLines.filter((l) => l.status === 'invalid').map((l) => l.message),
			};
			const records = sim.ledger().filter((e) => e.kind === 'record');
			const batchOf = assertFirstPostingRun(rows, firstLines, records, POST_DATE);

			// The second file: one line per payment batch athena created, matching athena's ledger.
			const batchLines = parseCsv(fs.readFileSync(path.join(n8n.filesDir, 'batches.csv'), 'utf8'));
			assert.deepEqual(batchLines.map((l) => l.payment_batch_id).sort(), [...new Set(Object.values(batchOf))].sort(), 'one line per batch');
			for (const line of batchLines) {
				const inBatch = records.filter((e) => e.paymentbatchid === line.payment_batch_id);
				assert.equal(line.payments, String(inBatch.length), `payments in batch ${line.payment_batch_id}`);
				assert.match(line.total, /^\d+\.\d{2}$/, 'a 2-place total');
				const cents = inBatch.reduce((sum, e) => sum + Math.round(Number(e.amount) * 100), 0);
				assert.equal(Math.round(Number(line.total) * 100), cents, `total of batch ${line.payment_batch_id}`);
				assert.match(line.totals_by_method, /^[A-Z/]+ \d+\.\d{2}/, 'totals per method');
			}

			// Second run of the same file: nothing new in athena, every posted row skipped naming its batch.
			const before = JSON.stringify(sim.ledger());
			const second = await n8n.execute(ids.posting);
			assert.ok(second.ok, `re-run failed: ${JSON.stringify(second.error)}`);
			assert.equal(JSON.stringify(sim.ledger()), before, 'the re-run posted nothing');
			assertRepostingRun(rows, parseCsv(fs.readFileSync(results, 'utf8')), batchOf);
		});

		test('zod resolves inside the real n8n: the package ships none, and its validation ran', { timeout: TIMEOUT }, async () => {
			// The posting run above validated every row with the node's zod schemas: rows posted, and the malformed
			// ones carry the schemas' messages. Had `require("zod")` failed, the node would not even have loaded.
			assert.ok(validation?.ran, 'needs the posting run above');
			assert.ok(validation.posted > 0, 'rows passed the zod schemas and posted');
			for (const words of ['Copay Amount has more than two decimal places', 'Card Last 4 Digits must be exactly four digits', 'Patient ID must be digits only']) {
				assert.ok(validation.messages.some((m) => m.includes(words)), `a zod message "${words}" among ${JSON.stringify(validation.messages)}`);
			}
			const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
			const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
			assert.equal(pkg.dependencies, undefined, 'no runtime dependencies');
			const requiresZod = fs
				.readdirSync(path.join(installed, 'dist'), { recursive: true })
				.map(String)
				.filter((f) => f.endsWith('.js'))
				.some((f) => /require\("zod"\)/.test(fs.readFileSync(path.join(installed, 'dist', f), 'utf8')));
			assert.ok(requiresZod, 'the compiled node requires zod');
			// No zod on the way from the package up to /: it can only have come from n8n's own modules (NODE_PATH).
			for (let dir = installed; ; dir = path.dirname(dir)) {
				assert.ok(!fs.existsSync(path.join(dir, 'node_modules', 'zod')), `no zod in ${dir}/node_modules`);
				if (path.dirname(dir) === dir) break;
			}
			const n8nZod = JSON.parse(fs.readFileSync(path.join(n8n.install.dir, 'node_modules', 'zod', 'package.json'), 'utf8'));
			assert.equal(n8nZod.version.split('.')[0], '3', `n8n ${version} provides zod ${n8nZod.version}`);
			log(`workflows e2e ${version}: zod resolved from n8n's own zod ${n8nZod.version}`);
		});

		test('front desk: patient → appointment copay → collect by card → email receipt; only the last four in outputs; a same-day re-run charges nothing', { timeout: TIMEOUT }, async () => {
			const run = await n8n.execute(ids.frontDesk);
			assert.ok(run.ok, `run failed: ${JSON.stringify(run.error)}`);
			const collects = sim.ledger().filter((e) => e.kind === 'collect');
			const emails = sim.ledger().filter((e) => e.kind === 'email');
			assert.equal(collects.length, 1, 'one card payment');
			assert.equal(emails.length, 1, 'one receipt email');
			const [collect] = collects;
			assert.equal(collect.patientid, '1');
			assert.equal(collect.departmentid, '1');
			assert.equal(collect.amount, '25.00', "the appointment's copay due");
			assert.equal(collect.form.accountnumberlast4, '1111');
			assert.equal(collect.form.appointmentid, '100011');
			assert.equal(emails[0].epaymentid, collect.epaymentid);
			assert.equal(emails[0].form.email, 'rosa.quintero@example.com', "the address on the patient's record");

			const [collected] = nodeOutput(run, 'Collect copay by card');
			assert.equal(collected.status, 'posted');
			assert.equal(collected.ePaymentId, collect.epaymentid);
			assert.equal(collected.cardLast4, '1111');
			assert.deepEqual(nodeOutput(run, 'Email receipt'), [
				{ status: 'emailed', patientId: '1', ePaymentId: collect.epaymentid, email: 'rosa.quintero@example.com' },
			]);
			// The test card is in the workflow's test-data Set node; no other node may put it out.
			for (const [node, tasks] of Object.entries(run.runData)) {
				if (node === 'Visit and card (TEST DATA)') continue;
				assert.ok(!JSON.stringify(tasks).includes(CARD_APPROVED), `the full card number is in the output of "${node}"`);
			}
			assert.ok(JSON.stringify(nodeOutput(run, 'Visit and card (TEST DATA)')).includes(CARD_APPROVED), 'sanity: the test data holds the card');

			// Run again by mistake the same day: the card is not charged twice, the skipped row still names its e-payment,
			// and the email step passes it through as skipped instead of sending a second receipt.
			const again = await n8n.execute(ids.frontDesk);
			assert.equal(again.ok, true, JSON.stringify(again.error));
			const [skipped] = nodeOutput(again, 'Collect copay by card');
			assert.equal(skipped.status, 'skipped');
			assert.ok(String(skipped.reason).includes(`as e-payment ${collect.epaymentid}`), skipped.reason);
			assert.equal(skipped.ePaymentId, collect.epaymentid);
			const [notEmailed] = nodeOutput(again, 'Email receipt');
			assert.equal(notEmailed.status, 'skipped');
			assert.match(String(notEmailed.reason), /The payment before this node was skipped/);
			assert.equal(sim.ledger().filter((e) => e.kind === 'collect').length, 1, 'still one card payment');
			assert.equal(sim.ledger().filter((e) => e.kind === 'email').length, 1, 'still one receipt email');
		});

		test('void: the card payment collected at the front desk is voided; voiding it again is refused', { timeout: TIMEOUT }, async () => {
			const [collect] = sim.ledger().filter((e) => e.kind === 'collect');
			assert.ok(collect, 'needs the front-desk payment above');
			// The example's values are patient 1 and e-payment 100001: the simulator's first card payment.
			assert.equal(collect.epaymentid, '100001', "the void example's e-payment ID is the front-desk example's payment");
			const run = await n8n.execute(ids.void);
			assert.ok(run.ok, `run failed: ${JSON.stringify(run.error)}`);
			const voids = sim.ledger().filter((e) => e.kind === 'void');
			assert.equal(voids.length, 1);
			assert.equal(voids[0].patientid, '1');
			assert.equal(voids[0].epaymentid, '100001');
			assert.deepEqual(nodeOutput(run, 'Void payment'), [{ status: 'voided', patientId: '1', ePaymentId: '100001' }]);

			const again = await n8n.execute(ids.void);
			assert.equal(again.ok, false, 'a second void fails the run');
			assert.match(JSON.stringify(again.error), /already been voided/);
			assert.equal(sim.ledger().filter((e) => e.kind === 'void').length, 1);
		});
	});
}
