/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The appointment examples in a real n8n (the packed tarball installed as users install it, the simulator as athena):
 *  - "Copay at check-in": ACTIVE, its athenahealth Trigger polling every minute. The simulator checks two patients
 *    in; the workflow must start within one poll interval, once, and tell the front desk the copay due.
 *  - "Uncollected copays, end of day": run by n8n's CLI; today's checked-out visits with a copay still due go to a
 *    CSV, with the total.
 *
 *   E2E_N8N_VERSIONS=2.41.1 npx tsx scripts/e2e.ts appointments
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { log, secs } from '../../scripts/lib/common';
import type { N8nInstance } from '../../scripts/lib/n8n-instance';
import { installCommunityPackage, startN8n, tempDir } from '../../scripts/lib/n8n-instance';
import type { AthenaSimulator } from '../simulator';
import { APPOINTMENT_WITH_COPAY, APPOINTMENT_WITHOUT_COPAY, appointmentIdsOf, CLIENT_ID, CLIENT_SECRET, seedAppointment, startSimulator } from '../simulator';
import { easternDate } from '../simulator/easternTime';
import { loadExample, n8nVersions, parseCsv, prepareExample, projectTarball, simulatorCredential } from './helpers';

const CHECK_IN_EXAMPLE = 'copay-at-check-in.json';
const END_OF_DAY_EXAMPLE = 'uncollected-copays.json';
const CREDENTIAL_ID = 'e2eApptSimCred01';
/** The Trigger's poll interval in the example (Every Minute), and the slack allowed on top of it. */
const POLL_INTERVAL_MS = 60_000;
const SLACK_MS = 10_000;

for (const version of n8nVersions()) {
	describe(`n8n ${version}: the appointment examples`, { timeout: 20 * 60_000 }, () => {
		let sim: AthenaSimulator;
		let n8n: N8nInstance;
		let userFolder: string;
		let filesDir: string;
		const checkInId = loadExample(CHECK_IN_EXAMPLE).id as string;
		const endOfDayId = loadExample(END_OF_DAY_EXAMPLE).id as string;

		before(async () => {
			const start = Date.now();
			const tarball = await projectTarball();
			sim = await startSimulator();
			userFolder = tempDir(`e2e-appointments-${version}-`);
			filesDir = path.join(userFolder, 'files');
			fs.mkdirSync(filesDir, { recursive: true });
			await installCommunityPackage(userFolder, tarball);
			n8n = await startN8n({ version, userFolder, env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir, GENERIC_TIMEZONE: 'America/New_York' } });
			await n8n.importCredential(simulatorCredential(sim.url, CREDENTIAL_ID));
			await n8n.importWorkflow([
				prepareExample(loadExample(CHECK_IN_EXAMPLE), { credentialId: CREDENTIAL_ID }),
				prepareExample(loadExample(END_OF_DAY_EXAMPLE), { credentialId: CREDENTIAL_ID, files: { 'Write the sheet': path.join(filesDir, 'uncollected.csv') } }),
			]);
			log(`appointments e2e ${version}: n8n up, package, credential and 2 examples in ${secs(start)}`);
		});

		after(async () => {
			await n8n?.stop();
			await sim?.close();
			if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		});

		async function executions(workflowId: string): Promise<any[]> {
			const body = await n8n.rest<any>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
			return (body.data?.results ?? body.results ?? []) as any[];
		}

		/** An execution's run data: n8n's REST API sends it `flatted`-encoded; n8n's own copy of flatted reads it. */
		async function runDataOf(executionId: string): Promise<Record<string, any[]>> {
			const body = await n8n.rest<any>('GET', `/rest/executions/${executionId}`);
			const execution = body.data ?? body;
			const flatted = createRequire(path.join(n8n.install.dir, 'node_modules', 'n8n', 'package.json'))('flatted') as { parse(text: string): any };
			const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
			return data.resultData.runData;
		}

		const outputOf = (runData: Record<string, any[]>, node: string) =>
			(runData[node] ?? []).flatMap((task: any) => (task?.data?.main?.[0] ?? []).map((item: any) => item.json));

		test('copay at check-in: an ACTIVE workflow fires within one poll interval of a check-in, and fires once', { timeout: 10 * 60_000 }, async () => {
			const wf = await n8n.rest<any>('GET', `/rest/workflows/${checkInId}`);
			await n8n.rest('POST', `/rest/workflows/${checkInId}/activate`, { versionId: (wf.data ?? wf).versionId });
			// The first poll subscribes the practice to CheckIn (the simulator applies it at once). n8n 2.41 runs it as
			// the activation returns or at the first tick: wait for it, since athena records nothing before.
			const activatedAt = Date.now();
			const subscriptions = () => sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/appointments/changed/subscription'));
			while (!subscriptions().length && Date.now() - activatedAt < POLL_INTERVAL_MS + SLACK_MS) await new Promise((resolve) => setTimeout(resolve, 500));
			log(`appointments e2e ${version}: first poll (subscription) ${((Date.now() - activatedAt) / 1000).toFixed(1)} s after activation`);
			assert.equal(subscriptions().length, 1, 'one subscription call');
			assert.deepEqual(subscriptions()[0].status, 200);
			while (!feedReads() && Date.now() - activatedAt < POLL_INTERVAL_MS + SLACK_MS) await new Promise((resolve) => setTimeout(resolve, 500));
			assert.equal((await executions(checkInId)).length, 0, 'nothing to fire on yet');

			const checkedInAt = Date.now();
			sim.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
			sim.appointments.act('checkin', APPOINTMENT_WITHOUT_COPAY);
			let fired: any[] = [];
			while (Date.now() - checkedInAt < POLL_INTERVAL_MS + SLACK_MS) {
				fired = await executions(checkInId);
				if (fired.length && fired.every((e) => e.stoppedAt)) break;
				await new Promise((resolve) => setTimeout(resolve, 1000));
			}
			assert.equal(fired.length, 1, `one execution within ${(POLL_INTERVAL_MS + SLACK_MS) / 1000} s of the check-ins`);
			const startedAfterMs = Date.parse(fired[0].startedAt) - checkedInAt;
			log(`appointments e2e ${version}: the workflow started ${(startedAfterMs / 1000).toFixed(1)} s after the check-ins`);
			assert.ok(startedAfterMs <= POLL_INTERVAL_MS + SLACK_MS, `started ${startedAfterMs} ms after the check-in`);
			assert.equal(fired[0].status, 'success');

			const runData = await runDataOf(String(fired[0].id));
			const events = outputOf(runData, 'Patient checked in');
			assert.deepEqual(events.map((e) => [e.event, e.appointmentId]), [
				['Check-In', APPOINTMENT_WITH_COPAY],
				['Check-In', APPOINTMENT_WITHOUT_COPAY],
			]);
			const [message] = outputOf(runData, 'Message for the front desk');
			assert.equal(outputOf(runData, 'Message for the front desk').length, 1);
			assert.equal(message.amountToCollect, '25.00');
			assert.equal(message.appointmentId, APPOINTMENT_WITH_COPAY);
			assert.match(message.message, /collect \$25\.00 copay/);
			assert.deepEqual(outputOf(runData, 'No copay due').map((e) => e.appointmentId), [APPOINTMENT_WITHOUT_COPAY]);

			// Once: after at least one more poll (it reads the feed again), still one execution.
			const readsBefore = feedReads();
			const waitStart = Date.now();
			while (feedReads() <= readsBefore && Date.now() - waitStart < POLL_INTERVAL_MS + SLACK_MS) await new Promise((resolve) => setTimeout(resolve, 1000));
			assert.ok(feedReads() > readsBefore, 'the Trigger polled again');
			await new Promise((resolve) => setTimeout(resolve, 3000));
			assert.equal((await executions(checkInId)).length, 1, 'no second execution for the same check-ins');

			await n8n.rest('POST', `/rest/workflows/${checkInId}/deactivate`, {});
		});

		function feedReads(): number {
			return sim.requests().filter((r) => r.path.endsWith('/appointments/changed') && r.status === 200 && !r.query.showprocessedstartdatetime).length;
		}

		test("uncollected copays: today's checked-out visits with a copay still due → a CSV and the total", { timeout: 5 * 60_000 }, async () => {
			// Today at the front desk: four visits checked out. Patient 1's copay of 25 was never taken; patient 2 had
			// none; patient 3 paid the 20 in full; patient 5 paid 10 of 30.
			const partly = appointmentIdsOf(5)[0];
			const paid = appointmentIdsOf(3)[0];
			for (const id of [APPOINTMENT_WITH_COPAY, APPOINTMENT_WITHOUT_COPAY, paid, partly]) sim.appointments.act('checkout', id);
			await recordCopay(paid, '20');
			await recordCopay(partly, '10');

			const run = await n8n.execute(endOfDayId);
			assert.ok(run.ok, `run failed: ${JSON.stringify(run.error)}`);
			const rows = parseCsv(fs.readFileSync(path.join(filesDir, 'uncollected.csv'), 'utf8'));
			assert.deepEqual(
				rows.map((r) => [r.appointment_id, r.expected_copay, r.collected, r.due]).sort(),
				[
					[APPOINTMENT_WITH_COPAY, '25.00', '0.00', '25.00'],
					[partly, '30.00', '10.00', '20.00'],
				].sort(),
			);
			assert.match(rows.find((r) => r.appointment_id === APPOINTMENT_WITH_COPAY)!.patient, /\(1\)$/);
			const [total] = (run.runData['Total due']?.[0]?.data?.main?.[0] ?? []).map((item: any) => item.json);
			assert.deepEqual({ visits: total.visits, totalDue: total.totalDue }, { visits: 2, totalDue: '45.00' });
			const listed = sim.requests().filter((r) => r.path.endsWith('/appointments/booked'));
			const today = easternDate(Date.now());
			assert.ok(listed.every((r) => r.query.startdate === today && r.query.appointmentstatus === '3'), JSON.stringify(listed.map((r) => r.query)));
		});

		/** A copay paid at the desk: athena's recordpayment, against the appointment. */
		async function recordCopay(appointmentId: string, amount: string): Promise<void> {
			const tokenAnswer = await fetch(sim.tokenUrl, {
				method: 'POST',
				headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
				body: 'grant_type=client_credentials',
			});
			const token = ((await tokenAnswer.json()) as { access_token: string }).access_token;
			const appointment = seedAppointment(appointmentId)!;
			const form = new URLSearchParams({
				departmentid: String(appointment.departmentid),
				paymentmethod: 'CASH',
				copayamount: amount,
				appointmentid: appointmentId,
				postdate: easternDate(Date.now()),
			});
			const answer = await fetch(`${sim.practiceUrl}/patients/${appointment.patientid}/recordpayment`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
				body: form.toString(),
			});
			assert.equal(answer.status, 200, await answer.text());
		}
	});
}
