/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The appointment examples in a real n8n (the packed tarball installed as users install it, the simulator as athena):
 *  - "Copay at check-in": ACTIVE, its athenahealth Trigger polling every minute. The simulator checks two patients
 *    in; the workflow must start within one poll interval, once, and tell the front desk the copay due.
 *  - "Uncollected copays, end of day": run by n8n's CLI; today's checked-out visits with a copay still due go to a
 *    CSV, with the total.
 *  - The Trigger across a failing poll and a stop of n8n, under each of n8n 2.41's pollers: durable poll cursors off
 *    (N8N_POLLER_DURABLE_CURSORS_ENABLED alone, which n8n refuses with a warning) and on (with N8N_SCHEDULER_ENABLED,
 *    N8N_SCHEDULER_POLL_TRIGGERS_ENABLED and N8N_USE_WORKFLOW_PUBLICATION_SERVICE). Every check-in comes out in
 *    exactly one successful execution; the durable run proves its path by n8n's log and its poller_state table.
 *
 *   E2E_N8N_VERSIONS=2.41.1 npx tsx scripts/e2e.ts appointments
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { log, secs } from '../../scripts/lib/common';
import type { N8nInstance } from '../../scripts/lib/n8n-instance';
import { installCommunityPackage, startN8n, tempDir } from '../../scripts/lib/n8n-instance';
import type { AthenaSimulator } from '../simulator';
import { APPOINTMENT_WITH_COPAY, APPOINTMENT_WITHOUT_COPAY, appointmentIdsOf, CLIENT_ID, CLIENT_SECRET, seedAppointment, startSimulator } from '../simulator';
import { easternDate } from '../../nodes/Athenahealth/shared/dates';
import { loadExample, n8nVersions, parseCsv, prepareExample, projectTarball, serverN8n, simulatorCredential } from './helpers';

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
			sim = await startSimulator();
			({ n8n, userFolder, filesDir } = await serverN8n({ version, folderPrefix: 'e2e-appointments', env: { GENERIC_TIMEZONE: 'America/New_York' } }));
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
			assert.equal((await executions(n8n, checkInId)).length, 0, 'nothing to fire on yet');

			const checkedInAt = Date.now();
			sim.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
			sim.appointments.act('checkin', APPOINTMENT_WITHOUT_COPAY);
			let fired: any[] = [];
			while (Date.now() - checkedInAt < POLL_INTERVAL_MS + SLACK_MS) {
				fired = await executions(n8n, checkInId);
				if (fired.length && fired.every((e) => e.stoppedAt)) break;
				await new Promise((resolve) => setTimeout(resolve, 1000));
			}
			assert.equal(fired.length, 1, `one execution within ${(POLL_INTERVAL_MS + SLACK_MS) / 1000} s of the check-ins`);
			const startedAfterMs = Date.parse(fired[0].startedAt) - checkedInAt;
			log(`appointments e2e ${version}: the workflow started ${(startedAfterMs / 1000).toFixed(1)} s after the check-ins`);
			assert.ok(startedAfterMs <= POLL_INTERVAL_MS + SLACK_MS, `started ${startedAfterMs} ms after the check-in`);
			assert.equal(fired[0].status, 'success');

			const runData = await runDataOf(n8n, String(fired[0].id));
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
			assert.equal((await executions(n8n, checkInId)).length, 1, 'no second execution for the same check-ins');

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

// ------------------------------------------------------------------------------------------------------------------
// The Trigger across a failing poll and a stop of n8n, under each of n8n 2.41's pollers.
// ------------------------------------------------------------------------------------------------------------------

/** n8n 2.41.1's durable poll cursors: the poller state in its own table, committed with the execution. */
const DURABLE_CURSORS = {
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
};
/** What n8n 2.41.1 logs when durable cursors are asked for without the scheduler chain they need. */
const CURSORS_DISABLED_WARNING = /durable poll cursors stay disabled/;
/** Where durable cursors first exist (their table's migration): the pinned newest line. */
const DURABLE_CURSOR_LINES = ['2.41.1'];
const POLLER_MODES = [
	{ name: 'durable poll cursors off', durable: false, env: { N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true' } },
	{ name: 'durable poll cursors on', durable: true, env: DURABLE_CURSORS },
] as const;
const RESTART_WORKFLOW_ID = 'athenaE2eRestart';
const RESTART_TRIGGER = 'Patient checked in';
/** How long n8n stays stopped while patients check in (athena keeps the messages; the proof needs no longer). */
const STOPPED_MS = 20_000;

/** A workflow of the Trigger alone, with Include Copay: its copay look-up can fail after the feed was read. */
function restartWorkflow(credentialId: string): object {
	return {
		id: RESTART_WORKFLOW_ID,
		name: 'Trigger across a failing poll and a restart',
		active: false,
		settings: { executionOrder: 'v1', timezone: 'America/New_York' },
		connections: {},
		nodes: [
			{
				id: 'a3f1c6e2-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
				name: RESTART_TRIGGER,
				type: 'n8n-nodes-athenahealth.athenahealthTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['checkIn'], includeCopay: true },
				credentials: { athenahealthOAuth2Api: { id: credentialId, name: 'athenahealth account' } },
			},
		],
	};
}

/** n8n's poller_state rows, read with the Node 24 n8n runs on (its built-in SQLite). */
function pollerStateRows(n8n: N8nInstance): Array<{ workflowId: string; nodeId: string; cursor: string }> {
	const db = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
	const script = `const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(${JSON.stringify(db)}, { readOnly: true });
const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'poller_state'").get();
console.log(JSON.stringify(table ? db.prepare('SELECT workflowId, nodeId, cursor FROM poller_state').all() : null));`;
	const out = execFileSync(n8n.install.nodeBin, ['--no-warnings', '-e', script], { encoding: 'utf8' });
	const rows = JSON.parse(out.trim()) as Array<{ workflowId: string; nodeId: string; cursor: string }> | null;
	assert.ok(rows, 'n8n has a poller_state table');
	return rows;
}

for (const version of n8nVersions().filter((line) => DURABLE_CURSOR_LINES.includes(line))) {
	for (const mode of POLLER_MODES) {
		describe(`n8n ${version}, ${mode.name}: the Trigger across a failing poll and a stop of n8n`, { timeout: 15 * 60_000 }, () => {
			let sim: AthenaSimulator;
			let n8n: N8nInstance | undefined;
			let userFolder: string;
			const logs: string[] = [];
			const boot = async () => {
				n8n = await startN8n({ version, userFolder, env: { GENERIC_TIMEZONE: 'America/New_York', ...mode.env } });
			};

			before(async () => {
				const tarball = await projectTarball();
				sim = await startSimulator();
				userFolder = tempDir(`e2e-trigger-${mode.durable ? 'durable' : 'legacy'}-${version}-`);
				await installCommunityPackage(userFolder, tarball);
				await boot();
				await n8n!.importCredential(simulatorCredential(sim.url, CREDENTIAL_ID));
				await n8n!.importWorkflow(restartWorkflow(CREDENTIAL_ID));
			});

			after(async () => {
				await n8n?.stop();
				await sim?.close();
				if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
			});

			const feedReads = () => sim.requests().filter((r) => r.path.endsWith('/appointments/changed') && r.status === 200 && !r.query.showprocessedstartdatetime).length;
			const waitFor = async (what: string, done: () => boolean | Promise<boolean>, timeoutMs = POLL_INTERVAL_MS + SLACK_MS) => {
				const start = Date.now();
				while (!(await done())) {
					assert.ok(Date.now() - start < timeoutMs, `${what}: not within ${timeoutMs / 1000} s`);
					await new Promise((resolve) => setTimeout(resolve, 1000));
				}
				log(`trigger e2e ${version} (${mode.name}): ${what} after ${secs(start)}`);
			};
			const finished = async () => (await executions(n8n!, RESTART_WORKFLOW_ID)).filter((e) => e.stoppedAt);
			/** The check-ins of every successful execution, one list per execution, oldest first. */
			const checkInsPerExecution = async () => {
				const done = (await finished()).filter((e) => e.status === 'success').sort((a, b) => Number(a.id) - Number(b.id));
				const lists: string[][] = [];
				for (const execution of done) {
					lists.push(outputOf(await runDataOf(n8n!, String(execution.id)), RESTART_TRIGGER).map((item) => `${item.event} ${item.appointmentId}`));
				}
				return lists;
			};

			test('each check-in in exactly one successful execution, across a poll that fails after reading the feed and a stop of n8n', { timeout: 14 * 60_000 }, async () => {
				const wf = await n8n!.rest<any>('GET', `/rest/workflows/${RESTART_WORKFLOW_ID}`);
				await n8n!.rest('POST', `/rest/workflows/${RESTART_WORKFLOW_ID}/activate`, { versionId: (wf.data ?? wf).versionId });
				await waitFor('first poll (subscription, feed read)', () => feedReads() > 0);
				const [first, second] = [3, 4].map((patient) => appointmentIdsOf(patient)[0]);

				// A check-in whose poll fails after athena marked it processed: the copay look-up fails for good.
				const faultsBefore = sim.stats().faultsInjected;
				sim.addFaults({ kind: '500-before', method: 'GET', path: '^/appointments/\\d+$', count: 4 });
				sim.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
				await waitFor('the poll failed', async () => sim.stats().faultsInjected - faultsBefore >= 4 && (await finished()).some((e) => e.status === 'error'), 2 * POLL_INTERVAL_MS + SLACK_MS);
				assert.notEqual(sim.appointments.feed().find((m) => m.appointmentid === APPOINTMENT_WITH_COPAY)?.processedAt, null, 'the failed poll had taken the message from the feed');
				await waitFor('the next poll emitted it', async () => (await checkInsPerExecution()).length === 1, 2 * POLL_INTERVAL_MS + SLACK_MS);

				// n8n stops; patients check in meanwhile; n8n starts again on the same database.
				logs.push(n8n!.process.output());
				await n8n!.stop();
				n8n = undefined;
				sim.appointments.act('checkin', first);
				sim.appointments.act('checkin', second);
				await new Promise((resolve) => setTimeout(resolve, STOPPED_MS));
				await boot();
				await waitFor('the first polls after the start emitted them', async () => (await checkInsPerExecution()).length === 2, 2 * POLL_INTERVAL_MS + SLACK_MS);
				// Once: after one more poll (it reads the processed window again), still nothing new.
				const readsBefore = feedReads();
				await waitFor('one more poll', () => feedReads() > readsBefore);
				await new Promise((resolve) => setTimeout(resolve, 3000));

				assert.deepEqual(await checkInsPerExecution(), [[`Check-In ${APPOINTMENT_WITH_COPAY}`], [`Check-In ${first}`, `Check-In ${second}`]]);
				assert.equal(sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/appointments/changed/subscription')).length, 1, 'subscribed once, not again at the start');

				// Which poller ran: n8n's own log, and its poller state table.
				const printed = [...logs, n8n!.process.output()].join('\n');
				const rows = pollerStateRows(n8n!).filter((row) => row.workflowId === RESTART_WORKFLOW_ID);
				if (mode.durable) {
					assert.doesNotMatch(printed, CURSORS_DISABLED_WARNING);
					assert.equal(rows.length, 1, 'one poller_state row for the Trigger');
					const cursor = JSON.parse(rows[0].cursor);
					assert.ok(typeof cursor.checkpoint === 'number', `the Trigger's checkpoint is n8n's stored cursor: ${rows[0].cursor.slice(0, 300)}`);
					assert.ok(Object.keys(cursor.seen ?? {}).some((key) => key.startsWith(`${second}:`)), 'the stored cursor holds the last check-in');
				} else {
					assert.match(printed, CURSORS_DISABLED_WARNING);
					assert.equal(rows.length, 0, 'no poller_state row: the cursor lives in the static data');
				}
			});
		});
	}
}

/** The executions of a workflow, newest first, from n8n's REST API. */
async function executions(n8n: N8nInstance, workflowId: string): Promise<any[]> {
	const body = await n8n.rest<any>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	return (body.data?.results ?? body.results ?? []) as any[];
}

/** An execution's run data: n8n's REST API sends it `flatted`-encoded; n8n's own copy of flatted reads it. */
async function runDataOf(n8n: N8nInstance, executionId: string): Promise<Record<string, any[]>> {
	const body = await n8n.rest<any>('GET', `/rest/executions/${executionId}`);
	const execution = body.data ?? body;
	const flatted = createRequire(path.join(n8n.install.dir, 'node_modules', 'n8n', 'package.json'))('flatted') as { parse(text: string): any };
	const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	return data.resultData.runData;
}

function outputOf(runData: Record<string, any[]>, node: string): any[] {
	return (runData[node] ?? []).flatMap((task: any) => (task?.data?.main?.[0] ?? []).map((item: any) => item.json));
}
