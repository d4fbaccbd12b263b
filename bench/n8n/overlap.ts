/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, @typescript-eslint/no-explicit-any, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * `npm run trials:overlap`: two executions of one posting workflow started at the same moment, in a real n8n, and what
 * athena's ledger shows afterwards. Not a test (the figures are what it is for), not in `npm test`.
 *
 * n8n's processed-data helper (where the node's claims live) reads a node's whole key list and writes it back, with
 * no lock. Two executions of the same workflow that overlap can both claim a row (the payment is posted twice), and a
 * later write can erase claims the other execution made (a third run re-posts those rows: "lost claims").
 *
 * Each trial: a fresh workflow (new workflow ID, new node ID, so an empty node history) Webhook → Split Out → the
 * posting node (Record Payment, Duplicate Check By Payment Details, as bench/workload.ts configures it), activated;
 * the same sheet of OVERLAP_ROWS rows POSTed to its webhook twice in the same tick; when both have answered, a third
 * POST of the same sheet. From the simulator's ledger (every row has its own amount):
 *   double   payments posted more than once by the two overlapping executions (extra payments: Σ (count − 1))
 *   lost     rows the third run posted although one of the two had already posted them (a claim that was lost)
 *   first3   rows the third run posted that neither had posted (a row that failed before: posting it is right)
 *   missing  rows no run posted
 * The node's own statuses (from the webhook answers) and how long the two executions overlapped (n8n's execution
 * start/stop times) go next to them.
 *
 * Setups (n8n 2.41.1 booted by scripts/lib, the packed package installed as users install it):
 *   sqlite            regular mode, one n8n process, SQLite (n8n's default): both executions in one process
 *   postgres          queue mode: main + OVERLAP_WORKERS workers (--concurrency=OVERLAP_WORKER_CONCURRENCY), PostgreSQL
 *                     and Redis (scripts/lib/queue-mode.ts): with concurrency 1 each execution runs on its own worker
 *   sqlite-limit1     as sqlite, with n8n's N8N_CONCURRENCY_PRODUCTION_LIMIT=1 (the operator's guard in regular mode)
 *   postgres-1worker  queue mode with one worker started with --concurrency=1 (the operator's guard in queue mode)
 *
 * Settings (environment; defaults in brackets):
 *   OVERLAP_TRIALS [20]  OVERLAP_ROWS [200]  OVERLAP_SETUPS [sqlite,postgres,sqlite-limit1,postgres-1worker]
 *   OVERLAP_GUARDED_TRIALS [the smaller of OVERLAP_TRIALS and 5] (trials of the two guarded setups: they run one after the other)
 *   OVERLAP_WORKERS [2]  OVERLAP_WORKER_CONCURRENCY [1]  OVERLAP_STAGGER_MS [0] (delay of the second call)
 *   OVERLAP_B_SHIFT [0]: B's sheet starts that many rows later (a sheet that grew between two schedule firings); the
 *                    third run then posts the rows of both sheets. 0 = the same sheet twice.
 *   OVERLAP_LATENCY [100] (athena's answer time, ms)  OVERLAP_RPS [20]  OVERLAP_CONCURRENCY [3] (the node's settings)
 *   OVERLAP_OUT [bench/RESULTS-overlap.md]  OVERLAP_TARBALL (a packed tarball; default: build and pack this tree)
 *
 * It measures the code of the tree it runs from (the git commit is printed and written). Last lines of stdout:
 *   overlap-n8n: sqlite_double=… sqlite_lost=… postgres_double=… postgres_lost=… trials=…
 *   overlap-n8n-guarded: sqlite_limit1_double=… sqlite_limit1_lost=… postgres_1worker_double=… postgres_1worker_lost=… trials=…
 *
 * `npm run trials:concurrency` (this file with the argument `concurrency`): many executions of one workflow at once,
 * the pattern of a webhook that receives payments one request at a time (issue 22; test/e2e/concurrency.ts asserts it).
 * Each trial: a fresh workflow Webhook → Split Out → Payment → Record (node version 2, test/e2e/helpers.ts
 * manyAtOnceWorkflow), CONCURRENCY_REQUESTS requests of 1…CONCURRENCY_MOST different payments POSTed at once, then
 * (CONCURRENCY_PHASES 3) the same requests again at once, then one by one. Per setup and trial: requests, rows,
 * double posts (extra payments in athena's ledger), lost claims (payments a later phase stored again), failed rows
 * (neither posted nor skipped), wall time of each phase, and n8n's store calls (probe.cjs; `lock` = the
 * workflow-scope calls of storeTurns.ts). With CONCURRENCY_BEFORE_TARBALL, that build runs side by side: both stacks
 * are up at once and each trial runs on one then the other (the order alternating), each against its own simulator.
 *   setups: sqlite (regular mode), postgres-regular (regular mode on PostgreSQL), queue (main + CONCURRENCY_WORKERS
 *           workers at --concurrency=CONCURRENCY_WORKER_CONCURRENCY, PostgreSQL, Redis)
 *   CONCURRENCY_SETUPS [sqlite,postgres-regular,queue]  CONCURRENCY_TRIALS [1]  CONCURRENCY_REQUESTS [40]
 *   CONCURRENCY_MOST [5]  CONCURRENCY_PHASES [3] (1: only the first burst, for the cost)  CONCURRENCY_LATENCY [50]
 *   CONCURRENCY_WORKERS [2]  CONCURRENCY_WORKER_CONCURRENCY [10] (n8n's default)
 *   CONCURRENCY_WARMUP [0] (1: one payment through the workflow before the phases, so its store row exists)
 *   CONCURRENCY_OUT [bench/RESULTS-concurrency.md]  OVERLAP_TARBALL (the code measured; default: build and pack this
 *   tree)  CONCURRENCY_BEFORE_TARBALL (another build, run side by side, labelled "before")
 * Last line of stdout:
 *   concurrency-n8n: <setup>_double=… <setup>_lost=… <setup>_failed=… <setup>_wall_s=… (each code: now_…, before_…)
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import * as path from 'node:path';

import { log, ROOT } from '../../scripts/lib/common';
import { N8N_NEWEST } from '../../scripts/lib/n8n-install';
import type { N8nInstance, N8nProcess } from '../../scripts/lib/n8n-instance';
import { installCommunityPackage, startN8n, tempDir } from '../../scripts/lib/n8n-instance';
import { buildAndPack } from '../../scripts/lib/pack';
import type { PostgresService, QueueMode } from '../../scripts/lib/queue-mode';
import { postgresEnv, startPostgres, startQueueMode } from '../../scripts/lib/queue-mode';
import type { WebhookCallAnswer } from '../../scripts/lib/webhook-workflows';
import { activateWorkflow, callWebhook, rowsWebhookWorkflow } from '../../scripts/lib/webhook-workflows';
import type { ManyAtOncePhase, ManyAtOnceTally } from '../../test/e2e/helpers';
import {
	lastLedgerSeq,
	manyAtOnceRequests,
	manyAtOnceWorkflow,
	NODE_TYPE,
	postToWebhook,
	sendManyAtOnce,
	simulatorCredential,
	simulatorToken,
	tallyManyAtOnce,
} from '../../test/e2e/helpers';
import type { SheetRow } from '../../test/e2e/paymentSheet';
import { sheetRow } from '../../test/e2e/paymentSheet';
import { startSimulator } from '../../test/simulator';
import type { AthenaSimulator } from '../../test/simulator';
import { fmt } from '../stats';
import { TRIGGER_NAME, athenaNode } from '../workload';
import { envInt, envList, settingsGiven } from './settings';

const ATHENA_CREDENTIAL_ID = 'overlapAthena001';

// ---- settings ----------------------------------------------------------------------------------------------------

type SetupName = 'sqlite' | 'postgres' | 'sqlite-limit1' | 'postgres-1worker' | 'postgres-regular' | 'queue';
const SETUP_NAMES: SetupName[] = ['sqlite', 'postgres', 'sqlite-limit1', 'postgres-1worker'];

const TRIALS = envInt('OVERLAP_TRIALS', 20, 1);
const SETTINGS = {
	trials: TRIALS,
	guardedTrials: envInt('OVERLAP_GUARDED_TRIALS', Math.min(TRIALS, 5), 1),
	rows: envInt('OVERLAP_ROWS', 200, 1),
	setups: envList('OVERLAP_SETUPS', SETUP_NAMES.join(',')) as SetupName[],
	workers: envInt('OVERLAP_WORKERS', 2, 1),
	workerConcurrency: envInt('OVERLAP_WORKER_CONCURRENCY', 1, 1),
	staggerMs: envInt('OVERLAP_STAGGER_MS', 0),
	shift: envInt('OVERLAP_B_SHIFT', 0),
	latencyMs: envInt('OVERLAP_LATENCY', 100),
	requestsPerSecond: envInt('OVERLAP_RPS', 20, 1),
	concurrency: envInt('OVERLAP_CONCURRENCY', 3, 1),
	out: path.resolve(ROOT, process.env.OVERLAP_OUT ?? 'bench/RESULTS-overlap.md'),
};
for (const name of SETTINGS.setups) if (!SETUP_NAMES.includes(name)) throw new Error(`OVERLAP_SETUPS: unknown "${name}" (${SETUP_NAMES.join(', ')})`);

/** `npm run trials:concurrency` (many executions at once; see the top of this file). */
const MANY_SETUP_NAMES: SetupName[] = ['sqlite', 'postgres-regular', 'queue'];
const MANY = {
	setups: envList('CONCURRENCY_SETUPS', MANY_SETUP_NAMES.join(',')) as SetupName[],
	trials: envInt('CONCURRENCY_TRIALS', 1, 1),
	requests: envInt('CONCURRENCY_REQUESTS', 40, 1),
	most: envInt('CONCURRENCY_MOST', 5, 1),
	phases: envInt('CONCURRENCY_PHASES', 3, 1),
	latencyMs: envInt('CONCURRENCY_LATENCY', 50),
	warmUp: process.env.CONCURRENCY_WARMUP === '1',
	workers: envInt('CONCURRENCY_WORKERS', 2, 1),
	workerConcurrency: envInt('CONCURRENCY_WORKER_CONCURRENCY', 10, 1),
	out: path.resolve(ROOT, process.env.CONCURRENCY_OUT ?? 'bench/RESULTS-concurrency.md'),
	beforeTarball: process.env.CONCURRENCY_BEFORE_TARBALL ? path.resolve(process.env.CONCURRENCY_BEFORE_TARBALL) : undefined,
};
for (const name of MANY.setups) if (!MANY_SETUP_NAMES.includes(name)) throw new Error(`CONCURRENCY_SETUPS: unknown "${name}" (${MANY_SETUP_NAMES.join(', ')})`);
if (MANY.phases !== 1 && MANY.phases !== 3) throw new Error('CONCURRENCY_PHASES must be 1 or 3');

interface Setup {
	name: SetupName;
	label: string;
	db: 'sqlite' | 'postgres';
	queue: boolean;
	workers: number;
	workerConcurrency: number;
	env: Record<string, string>;
	trials: number;
}

function setupOf(name: SetupName): Setup {
	switch (name) {
		case 'sqlite':
			return { name, label: 'SQLite, regular mode (one n8n process)', db: 'sqlite', queue: false, workers: 0, workerConcurrency: 0, env: {}, trials: SETTINGS.trials };
		case 'postgres':
			return {
				name,
				label: `PostgreSQL, queue mode, ${SETTINGS.workers} workers with --concurrency=${SETTINGS.workerConcurrency}`,
				db: 'postgres',
				queue: true,
				workers: SETTINGS.workers,
				workerConcurrency: SETTINGS.workerConcurrency,
				env: {},
				trials: SETTINGS.trials,
			};
		case 'sqlite-limit1':
			return {
				name,
				label: 'SQLite, regular mode, N8N_CONCURRENCY_PRODUCTION_LIMIT=1 (guarded)',
				db: 'sqlite',
				queue: false,
				workers: 0,
				workerConcurrency: 0,
				env: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '1' },
				trials: SETTINGS.guardedTrials,
			};
		case 'postgres-1worker':
			return { name, label: 'PostgreSQL, queue mode, one worker with --concurrency=1 (guarded)', db: 'postgres', queue: true, workers: 1, workerConcurrency: 1, env: {}, trials: SETTINGS.guardedTrials };
		case 'postgres-regular':
			return { name, label: 'PostgreSQL, regular mode (one n8n process)', db: 'postgres', queue: false, workers: 0, workerConcurrency: 0, env: {}, trials: MANY.trials };
		case 'queue':
			return {
				name,
				label: `PostgreSQL, queue mode, main + ${MANY.workers} workers with --concurrency=${MANY.workerConcurrency}`,
				db: 'postgres',
				queue: true,
				workers: MANY.workers,
				workerConcurrency: MANY.workerConcurrency,
				env: {},
				trials: MANY.trials,
			};
	}
}

// ---- booting a setup ---------------------------------------------------------------------------------------------

interface Booted {
	n8n: N8nInstance;
	queue?: QueueMode;
	stop(): Promise<void>;
}

/** n8n as the setup says, with the package from `tarball` installed as users install it (on every worker too). */
async function bootSetup(setup: Setup, tarball: string, env: Record<string, string> = {}): Promise<Booted> {
	if (setup.queue) {
		const queue = await startQueueMode({ version: N8N_NEWEST, tarballs: [tarball], workers: setup.workers, concurrency: setup.workerConcurrency, env: { ...setup.env, ...env } });
		return { n8n: queue.main, queue, stop: () => queue.stop() };
	}
	const userFolder = tempDir(`overlap-${setup.name}-`);
	let postgres: PostgresService | undefined;
	try {
		await installCommunityPackage(userFolder, tarball);
		if (setup.db === 'postgres') postgres = await startPostgres();
		const dbEnv = postgres ? postgresEnv(postgres) : {};
		const n8n = await startN8n({ version: N8N_NEWEST, userFolder, env: { ...dbEnv, ...setup.env, ...env } });
		return {
			n8n,
			stop: async () => {
				await n8n.stop();
				await postgres?.stop();
				fs.rmSync(userFolder, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await postgres?.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
		throw error;
	}
}

// ---- one trial ---------------------------------------------------------------------------------------------------

interface Trial {
	index: number;
	workflowId: string;
	/** Index of the sheet's first row: every trial has its own amounts. */
	offset: number;
	result?: TrialResult;
}

type Statuses = Record<string, number>;

interface TrialResult {
	/** Seconds both overlapping executions were running at once (n8n's start/stop times). */
	overlapS: number;
	wallS: number;
	statusesA: Statuses;
	statusesB: Statuses;
	statusesThird: Statuses;
	double: number;
	rowsDouble: number;
	lost: number;
	first3: number;
	missing: number;
	/** Queue mode: the worker (1-based) that ran each overlapping execution ("1+2"). */
	workers: string;
	httpErrors: string[];
	/** Why rows of the three runs came out failed / unknown (the node's error text, shortened), with counts. */
	reasons: Statuses;
}

function workflowFor(trial: Trial): object {
	const posting: any = {
		...athenaNode(NODE_TYPE, { requestsPerSecond: SETTINGS.requestsPerSecond, concurrency: SETTINGS.concurrency, batchSize: null, batchIntervalMs: 0 }),
		credentials: { athenahealthOAuth2Api: { id: ATHENA_CREDENTIAL_ID, name: 'athena (overlap)' } },
	};
	// a new node ID: the processed-data row of this node starts empty
	posting.id = randomUUID();
	posting.position = [440, 0];
	return rowsWebhookWorkflow({ id: trial.workflowId, name: `overlap trial ${trial.index + 1}`, webhookName: TRIGGER_NAME, webhookPath: trial.workflowId, rowsTo: posting });
}

/** The node's statuses in a webhook answer (all items of the posting node); reasons of failed / unknown rows into `reasons`. */
function statusesOf(answer: WebhookCallAnswer, reasons: Statuses): Statuses {
	const counts: Statuses = {};
	let items: any[] = [];
	try {
		const parsed = JSON.parse(answer.text);
		items = Array.isArray(parsed) ? parsed : [parsed];
	} catch {
		counts[`HTTP ${answer.status}, not JSON`] = 1;
		return counts;
	}
	for (const item of items) {
		const status = String(item?.status ?? (item?.message ? `error: ${String(item.message).slice(0, 60)}` : '(none)'));
		counts[status] = (counts[status] ?? 0) + 1;
		if ((status === 'failed' || status === 'unknown') && item.error) {
			const reason = `${status}: ${String(item.error).slice(0, 140)}`;
			reasons[reason] = (reasons[reason] ?? 0) + 1;
		}
	}
	return counts;
}

/** Payments per row amount of the sheet recorded in (fromSeq, toSeq]. */
function postedPerRow(sim: AthenaSimulator, fromSeq: number, toSeq: number, rows: SheetRow[]): Map<string, number> {
	const counts = new Map<string, number>(rows.map((row) => [row.amount, 0]));
	for (const entry of sim.ledger()) {
		if (entry.kind !== 'record' || entry.seq <= fromSeq || entry.seq > toSeq) continue;
		const amount = entry.form.otheramount ?? entry.amount ?? '';
		if (counts.has(amount)) counts.set(amount, counts.get(amount)! + 1);
	}
	return counts;
}

async function executionsOf(n8n: N8nInstance, workflowId: string): Promise<any[]> {
	const body = await n8n.rest<any>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	const list: any[] = body.data?.results ?? body.results ?? [];
	return list.sort((a, b) => Number(a.id) - Number(b.id));
}

function workerOf(workers: N8nProcess[], executionId: string): string {
	const started = new RegExp(`Worker started execution ${executionId}\\b`);
	const index = workers.findIndex((w) => started.test(w.output()));
	return index < 0 ? '?' : String(index + 1);
}

async function runTrial(n8n: N8nInstance, workers: N8nProcess[], sim: AthenaSimulator, trial: Trial): Promise<TrialResult> {
	const sheetFrom = (first: number, count: number) => Array.from({ length: count }, (_, i) => sheetRow(trial.offset + first + i));
	// B's sheet starts OVERLAP_B_SHIFT rows later (0: the same sheet); the third run posts both sheets' rows
	const bodyA = { rows: sheetFrom(0, SETTINGS.rows) };
	const bodyB = { rows: sheetFrom(SETTINGS.shift, SETTINGS.rows) };
	const rows = sheetFrom(0, SETTINGS.rows + SETTINGS.shift);
	const before = lastLedgerSeq(sim);
	const start = performance.now();
	const second = new Promise<void>((r) => (SETTINGS.staggerMs ? setTimeout(r, SETTINGS.staggerMs) : r())).then(() => callWebhook(n8n.url, trial.workflowId, bodyB));
	const [a, b] = await Promise.all([callWebhook(n8n.url, trial.workflowId, bodyA), second]);
	const wallS = (performance.now() - start) / 1000;
	const middle = lastLedgerSeq(sim);
	const third = await callWebhook(n8n.url, trial.workflowId, { rows });
	const after = lastLedgerSeq(sim);

	const overlapping = postedPerRow(sim, before, middle, rows);
	const thirdRun = postedPerRow(sim, middle, after, rows);
	let double = 0;
	let rowsDouble = 0;
	let lost = 0;
	let first3 = 0;
	let missing = 0;
	for (const row of rows) {
		const n = overlapping.get(row.amount)!;
		const m = thirdRun.get(row.amount)!;
		if (n > 1) {
			double += n - 1;
			rowsDouble++;
		}
		if (m > 0 && n > 0) lost++;
		if (m > 0 && n === 0) first3++;
		if (n + m === 0) missing++;
	}

	const executions = await executionsOf(n8n, trial.workflowId);
	const [ea, eb] = executions;
	const time = (value: unknown) => (value ? new Date(String(value)).getTime() : Number.NaN);
	const overlapS = ea && eb ? Math.max(0, Math.min(time(ea.stoppedAt), time(eb.stoppedAt)) - Math.max(time(ea.startedAt), time(eb.startedAt))) / 1000 : Number.NaN;
	const reasons: Statuses = {};
	const httpErrors = [a, b, third].filter((x) => x.status !== 200).map((x) => `HTTP ${x.status}: ${x.text.slice(0, 200)}`);
	return {
		overlapS,
		wallS,
		statusesA: statusesOf(a, reasons),
		statusesB: statusesOf(b, reasons),
		statusesThird: statusesOf(third, reasons),
		double,
		rowsDouble,
		lost,
		first3,
		missing,
		workers: workers.length && ea && eb ? `${workerOf(workers, String(ea.id))}+${workerOf(workers, String(eb.id))}` : '—',
		httpErrors,
		reasons,
	};
}

// ---- one setup ---------------------------------------------------------------------------------------------------

interface SetupRun {
	setup: Setup;
	trials: Trial[];
}

async function runSetup(setup: Setup, tarball: string): Promise<SetupRun> {
	log(`== ${setup.name}: ${setup.label} ==`);
	const sim = await startSimulator({ tokenLifetimeSeconds: 86400 });
	sim.configure({ latencyMs: SETTINGS.latencyMs, rateLimit: { perSecond: null } });
	let booted: Booted | undefined;
	const trials: Trial[] = Array.from({ length: setup.trials }, (_, index) => ({
		index,
		workflowId: `ovl${setup.name.replace(/[^a-z0-9]/g, '').slice(0, 8)}${String(index).padStart(5, '0')}`,
		offset: index * (SETTINGS.rows + SETTINGS.shift),
	}));
	try {
		booted = await bootSetup(setup, tarball);
		const { n8n, queue } = booted;
		await n8n.importCredential(simulatorCredential(sim.url, ATHENA_CREDENTIAL_ID, 'athena (overlap)', await simulatorToken(sim)));
		await n8n.importWorkflow(trials.map(workflowFor));
		for (const trial of trials) await activateWorkflow(n8n, trial.workflowId);
		for (const trial of trials) {
			trial.result = await runTrial(n8n, queue?.workers ?? [], sim, trial);
			const r = trial.result;
			log(
				`  [${setup.name}] trial ${trial.index + 1}/${setup.trials}: overlap ${fmt(r.overlapS, 1)} s, double ${r.double}, lost ${r.lost}, third run first posts ${r.first3}, missing ${r.missing}` +
					` | A ${JSON.stringify(r.statusesA)} B ${JSON.stringify(r.statusesB)} third ${JSON.stringify(r.statusesThird)}` +
					(queue ? ` | workers ${r.workers}` : '') +
					(r.httpErrors.length ? ` | ${r.httpErrors.join('; ')}` : '') +
					(Object.keys(r.reasons).length ? ` | ${JSON.stringify(r.reasons)}` : ''),
			);
		}
		return { setup, trials };
	} finally {
		await booted?.stop();
		await sim.close();
	}
}

// ---- report ------------------------------------------------------------------------------------------------------

interface Totals {
	double: number;
	rowsDouble: number;
	lost: number;
	first3: number;
	missing: number;
	trials: number;
	trialsWithDouble: number;
	trialsWithLost: number;
	overlapMedianS: number;
	statuses: Statuses;
}

function addInto(target: Statuses, source: Statuses): void {
	for (const [k, v] of Object.entries(source)) target[k] = (target[k] ?? 0) + v;
}

function totals(run: SetupRun): Totals {
	const done = run.trials.filter((t) => t.result).map((t) => t.result!);
	const statuses: Statuses = {};
	for (const r of done) {
		addInto(statuses, r.statusesA);
		addInto(statuses, r.statusesB);
	}
	const overlaps = done.map((r) => r.overlapS).filter(Number.isFinite).sort((x, y) => x - y);
	return {
		double: done.reduce((s, r) => s + r.double, 0),
		rowsDouble: done.reduce((s, r) => s + r.rowsDouble, 0),
		lost: done.reduce((s, r) => s + r.lost, 0),
		first3: done.reduce((s, r) => s + r.first3, 0),
		missing: done.reduce((s, r) => s + r.missing, 0),
		trials: done.length,
		trialsWithDouble: done.filter((r) => r.double > 0).length,
		trialsWithLost: done.filter((r) => r.lost > 0).length,
		overlapMedianS: overlaps.length ? overlaps[Math.floor(overlaps.length / 2)] : Number.NaN,
		statuses,
	};
}

const statusText = (s: Statuses) =>
	Object.entries(s)
		.sort((a, b) => b[1] - a[1])
		.map(([k, v]) => `${k} ${v}`)
		.join(', ');

function table(run: SetupRun): string[] {
	const queue = run.setup.queue;
	const header = ['trial', 'overlap (s)', 'run A', 'run B', 'posted twice', 'lost claims (third run re-posted)', 'third run: first posts', 'never posted', 'third run', ...(queue ? ['workers A+B'] : [])];
	const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 || (i >= 2 && i <= 3) || i === 8 || i === 9 ? '---' : '---:')).join(' | ')} |`];
	for (const trial of run.trials) {
		const r = trial.result;
		if (!r) continue;
		lines.push(
			`| ${[
				trial.index + 1,
				fmt(r.overlapS, 1),
				statusText(r.statusesA),
				statusText(r.statusesB),
				r.double,
				r.lost,
				r.first3,
				r.missing,
				statusText(r.statusesThird),
				...(queue ? [r.workers] : []),
			].join(' | ')} |`,
		);
	}
	const t = totals(run);
	lines.push(`| **total** | median ${fmt(t.overlapMedianS, 1)} | | | **${t.double}** | **${t.lost}** | ${t.first3} | ${t.missing} | |${queue ? ' |' : ''}`);
	return lines;
}

function gitCommit(): string {
	try {
		const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).toString().trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }).toString().trim();
		return dirty ? `${head} (with uncommitted changes)` : head;
	} catch {
		return 'unknown';
	}
}

function summaryLines(runs: SetupRun[]): string[] {
	const figure = (name: SetupName, field: 'double' | 'lost') => {
		const run = runs.find((r) => r.setup.name === name);
		return run ? String(totals(run)[field]) : '—';
	};
	const trialsOf = (names: SetupName[]) => {
		const counts = [...new Set(runs.filter((r) => names.includes(r.setup.name)).map((r) => totals(r).trials))];
		return counts.length ? counts.join('/') : '0';
	};
	const lines = [
		`overlap-n8n: sqlite_double=${figure('sqlite', 'double')} sqlite_lost=${figure('sqlite', 'lost')} postgres_double=${figure('postgres', 'double')} postgres_lost=${figure('postgres', 'lost')} trials=${trialsOf(['sqlite', 'postgres'])}${SETTINGS.shift ? ` b_shift=${SETTINGS.shift}` : ''}`,
	];
	if (runs.some((r) => r.setup.name === 'sqlite-limit1' || r.setup.name === 'postgres-1worker')) {
		lines.push(
			`overlap-n8n-guarded: sqlite_limit1_double=${figure('sqlite-limit1', 'double')} sqlite_limit1_lost=${figure('sqlite-limit1', 'lost')} postgres_1worker_double=${figure('postgres-1worker', 'double')} postgres_1worker_lost=${figure('postgres-1worker', 'lost')} trials=${trialsOf(['sqlite-limit1', 'postgres-1worker'])}${SETTINGS.shift ? ` b_shift=${SETTINGS.shift}` : ''}`,
		);
	}
	return lines;
}

function writeReport(runs: SetupRun[], startedAt: Date, loadStart: number[], tarball: string, commit: string): void {
	const env = settingsGiven((name) => name.startsWith('OVERLAP_'));
	const lines = [
		'# Two executions of one posting workflow at the same moment, in a real n8n',
		'',
		`Date: ${startedAt.toISOString()}  `,
		`Code measured: commit ${commit}  `,
		`Command: \`${env ? `${env} ` : ''}npm run trials:overlap\` (bench/n8n/overlap.ts; ${SETTINGS.rows} rows a sheet${SETTINGS.shift ? `, B's sheet shifted by ${SETTINGS.shift} rows` : ''}; setups ${SETTINGS.setups.join(', ')})`,
		'',
		'## Machine',
		'',
		`- CPU: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; RAM ${fmt(totalmem() / 1024 ** 3, 1)} GB; load average at the start ${loadStart.map((l) => l.toFixed(2)).join(', ')} (the machine is shared)`,
		`- n8n ${N8N_NEWEST} (pinned install, Node 24) started by scripts/lib; PostgreSQL and Redis from scripts/lib/queue-mode.ts; package tarball ${path.basename(tarball)} installed with npm as users do`,
		'',
		'## How',
		'',
		'- Each trial has its own workflow, activated (new workflow ID and node ID: the node\'s processed-data history starts empty): Webhook (POST, answers with all items of the last node) → Split Out (`body.rows`) → Record Payment (every field mapped, Duplicate Check By Payment Details, On Error: Continue, ' +
			`Requests per Second ${SETTINGS.requestsPerSecond}, Concurrency ${SETTINGS.concurrency}). athena (the simulator) answers after ${SETTINGS.latencyMs} ms, no rate cap.`,
		(SETTINGS.shift
			? `- A ${SETTINGS.rows}-row sheet (each row its own amount) and the same sheet shifted by ${SETTINGS.shift} rows (its first ${SETTINGS.rows - Math.min(SETTINGS.shift, SETTINGS.rows)} rows are A's last ones) are POSTed to the webhook in the same tick`
			: `- The same ${SETTINGS.rows}-row sheet (each row its own amount) is POSTed to the webhook twice in the same tick`) +
			`${SETTINGS.staggerMs ? ` (the second ${SETTINGS.staggerMs} ms later)` : ''}: runs A and B. When both have answered, a third POST of ${SETTINGS.shift ? `the ${SETTINGS.rows + SETTINGS.shift} rows of both` : 'the same sheet'}.`,
		"- Counted in athena's ledger: **posted twice** = extra payments A and B made together (Σ count − 1 over the rows); **lost claims** = rows the third run posted again although A or B had posted them (a claim one execution wrote and the other's write erased); third run first posts = rows neither A nor B posted (they came out failed: posting them is right); never posted = rows no run posted.",
		"- Why: n8n's processed-data helper (n8n/dist/deduplication/deduplication-helper.js) reads the node's whole key list, adds the new keys and writes the list back, with no lock. A row both executions read as free is posted by both. A write made from a list read before the other execution's write erases the other's newer claims: if the erasing execution has that row still to come, it reads it as free and posts it too (one more double); if not, nobody holds the claim any more and the next run posts the row again (a lost claim).",
		"- overlap = how long A and B were both running, from n8n's execution start/stop times. Run columns: the node's statuses in the webhook answers. Queue mode: which worker ran A and B (from the workers' logs).",
		'',
	];
	for (const run of runs) {
		const t = totals(run);
		lines.push(
			`## ${run.setup.label}`,
			'',
			...table(run),
			'',
			`- ${t.trials} trials: ${t.double} payments posted twice (${t.rowsDouble} rows, in ${t.trialsWithDouble} trials), ${t.lost} lost claims (in ${t.trialsWithLost} trials), ${t.first3} rows first posted by the third run, ${t.missing} never posted.`,
			`- Statuses of runs A and B together: ${statusText(t.statuses)}.`,
		);
		for (const trial of run.trials) for (const e of trial.result?.httpErrors ?? []) lines.push(`- trial ${trial.index + 1}: ${e}`);
		for (const trial of run.trials) {
			for (const [reason, count] of Object.entries(trial.result?.reasons ?? {})) lines.push(`- trial ${trial.index + 1}, ${count} row(s) ${reason}`);
		}
		lines.push('');
	}
	lines.push('## Summary', '', '```', ...summaryLines(runs), '```', '', `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}.`, '');
	fs.writeFileSync(SETTINGS.out, lines.join('\n'));
}

// ---- many executions at once (npm run trials:concurrency) ----------------------------------------------------------

const PROBE = path.join(__dirname, 'probe.cjs');

interface Code {
	label: 'now' | 'before';
	tarball: string;
}

interface StoreCalls {
	calls: number;
	lockCalls: number;
	ms: number;
}

interface ManyTrial {
	setup: Setup;
	code: Code['label'];
	index: number;
	load: number;
	phases: ManyAtOncePhase[];
	tally: ManyAtOnceTally;
	store: StoreCalls[];
}

/** Why n8n's failed executions of a workflow failed (the node's error), for rows a webhook answered without items. */
async function failedExecutionErrors(n8n: N8nInstance, workflowId: string): Promise<Record<string, number>> {
	// n8n keeps execution data in the `flatted` format; its own copy reads it
	const flatted = createRequire(path.join(n8n.install.dir, 'package.json'))('flatted') as { parse(text: string): any };
	const list = (await executionsOf(n8n, workflowId)).filter((execution) => execution.status === 'error');
	const reasons: Record<string, number> = {};
	for (const execution of list) {
		const one = await n8n.rest<any>('GET', `/rest/executions/${execution.id}`);
		const raw = (one.data ?? one).data;
		const data = typeof raw === 'string' ? flatted.parse(raw) : raw;
		const tasks = Object.entries(data?.resultData?.runData ?? {}).flatMap(([node, runs]) => (runs as any[]).map((task) => ({ node, error: task?.error })));
		const failed = tasks.find((task) => task.error);
		const error = data?.resultData?.error ?? failed?.error;
		const reason = `execution failed${failed ? ` in ${failed.node}` : ''}: ${String(error?.message ?? '?').slice(0, 160)}`;
		reasons[reason] = (reasons[reason] ?? 0) + 1;
	}
	return reasons;
}

function probeLines(file: string): Array<{ op: string; scope: string; ms: number }> {
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line));
}

/** One setup: a stack per code (all up at once), then each trial on each stack in turn, the order alternating. */
async function runManySetup(setup: Setup, codes: Code[]): Promise<ManyTrial[]> {
	log(`== ${setup.name}: ${setup.label} (${codes.map((c) => c.label).join(' and ')}) ==`);
	const stacks: Array<{ code: Code; sim: AthenaSimulator; booted?: Booted; probeFile: string; workflowIds: string[] }> = [];
	const results: ManyTrial[] = [];
	try {
		for (const code of codes) {
			const sim = await startSimulator({ tokenLifetimeSeconds: 86400, latencyMs: MANY.latencyMs });
			const probeFile = path.join(tempDir(`concurrency-probe-${code.label}-`), 'store-calls.jsonl');
			const stack = { code, sim, probeFile, workflowIds: Array.from({ length: setup.trials }, (_, i) => `many${code.label[0]}${setup.name.replace(/[^a-z]/g, '').slice(0, 6)}${String(i).padStart(4, '0')}`) };
			stacks.push(stack);
			const booted = await bootSetup(setup, code.tarball, { NODE_OPTIONS: `--require ${PROBE}`, BENCH_N8N_PROBE_FILE: probeFile });
			Object.assign(stack, { booted });
			await booted.n8n.importCredential(simulatorCredential(sim.url, ATHENA_CREDENTIAL_ID, 'athena (many at once)', await simulatorToken(sim)));
			await booted.n8n.importWorkflow(stack.workflowIds.map((id) => manyAtOnceWorkflow({ id, webhookPath: id, credentialId: ATHENA_CREDENTIAL_ID })));
			for (const id of stack.workflowIds) await activateWorkflow(booted.n8n, id);
		}
		for (let index = 0; index < setup.trials; index++) {
			const order = index % 2 ? [...stacks].reverse() : stacks;
			for (const stack of order) {
				const n8n = stack.booted!.n8n;
				const webhookPath = stack.workflowIds[index];
				// every trial its own payments (amounts), so the ledger tells trials apart
				const from = index * (MANY.requests * MANY.most + 1);
				const requests = manyAtOnceRequests(MANY.requests, { from, mostPerRequest: MANY.most });
				// A workflow that has run before (its node's store row exists), as a live webhook's is: one payment first.
				if (MANY.warmUp) await postToWebhook(n8n.url, webhookPath, { rows: [sheetRow(from + MANY.requests * MANY.most)] });
				const ledger = stack.sim.ledger();
				const fromSeq = ledger.length ? ledger[ledger.length - 1].seq : 0;
				const load = loadavg()[0];
				const phases: ManyAtOncePhase[] = [];
				const store: StoreCalls[] = [];
				const hows: Array<['at once' | 'one by one', string]> = [['at once', 'at once'], ['at once', 'again at once'], ['one by one', 'one by one']];
				for (const [how, label] of hows.slice(0, MANY.phases)) {
					const before = probeLines(stack.probeFile).length;
					phases.push(await sendManyAtOnce(stack.sim, n8n.url, webhookPath, requests, how, label));
					// the lock is given back just after the last call: let the probe lines of this phase land
					await new Promise((resolve) => setTimeout(resolve, 300));
					const calls = probeLines(stack.probeFile).slice(before);
					store.push({ calls: calls.length, lockCalls: calls.filter((c) => c.scope === 'workflow').length, ms: calls.reduce((sum, c) => sum + c.ms, 0) });
				}
				const tally = tallyManyAtOnce(requests, phases, stack.sim.ledger(), fromSeq);
				if (Object.keys(tally.reasons).some((reason) => reason.startsWith('no answer'))) Object.assign(tally.reasons, await failedExecutionErrors(n8n, webhookPath));
				results.push({ setup, code: stack.code.label, index, load, phases, tally, store });
				log(
					`  [${setup.name} ${stack.code.label}] trial ${index + 1}/${setup.trials} (load ${load.toFixed(2)}): ${tally.requests} requests, ${tally.rows} rows; double ${tally.doublePosts}, lost ${tally.lostClaims}, failed ${tally.failedRows}; ` +
						phases.map((phase, i) => `${phase.label} ${fmt(phase.wallMs / 1000, 1)} s ${JSON.stringify(tally.statuses[i])} store ${store[i].calls} (lock ${store[i].lockCalls})`).join('; ') +
						(Object.keys(tally.reasons).length ? ` | ${JSON.stringify(tally.reasons)}` : ''),
				);
			}
		}
		return results;
	} finally {
		for (const stack of stacks) {
			await stack.booted?.stop();
			await stack.sim.close();
			if (process.env.CONCURRENCY_KEEP_PROBE) fs.copyFileSync(stack.probeFile, `${process.env.CONCURRENCY_KEEP_PROBE}-${setup.name}-${stack.code.label}.jsonl`);
			fs.rmSync(path.dirname(stack.probeFile), { recursive: true, force: true });
		}
	}
}

const median = (values: number[]) => {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (!sorted.length) return Number.NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function manyTable(trials: ManyTrial[]): string[] {
	const phaseNames = ['1st burst', 'again at once', 'one by one'].slice(0, MANY.phases);
	const header = ['code', 'trial', 'load', 'requests', 'rows', 'double posts', 'lost claims', 'failed rows', ...phaseNames.map((p) => `wall ${p} (s)`), 'store calls (lock)', 'statuses'];
	const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i < 2 || i === header.length - 1 ? '---' : '---:')).join(' | ')} |`];
	for (const t of trials) {
		lines.push(
			`| ${[
				t.code,
				t.index + 1,
				t.load.toFixed(1),
				t.tally.requests,
				t.tally.rows,
				t.tally.doublePosts,
				t.tally.lostClaims,
				t.tally.failedRows,
				...t.phases.map((p) => fmt(p.wallMs / 1000, 1)),
				t.store.map((c) => `${c.calls} (${c.lockCalls})`).join(' / '),
				t.tally.statuses.map((st) => statusText(st)).join(' / '),
			].join(' | ')} |`,
		);
	}
	return lines;
}

function manySummary(all: ManyTrial[]): string {
	const parts: string[] = [];
	for (const name of MANY.setups) {
		for (const code of ['now', 'before'] as const) {
			const trials = all.filter((t) => t.setup.name === name && t.code === code);
			if (!trials.length) continue;
			const key = `${code === 'before' ? 'before_' : ''}${name.replace(/-/g, '_')}`;
			const sum = (f: (t: ManyTrial) => number) => trials.reduce((total, t) => total + f(t), 0);
			parts.push(
				`${key}_double=${sum((t) => t.tally.doublePosts)} ${key}_lost=${sum((t) => t.tally.lostClaims)} ${key}_failed=${sum((t) => t.tally.failedRows)} ${key}_wall_s=${fmt(median(trials.map((t) => t.phases[0].wallMs / 1000)), 1)}`,
			);
		}
	}
	return `concurrency-n8n: ${parts.join(' ')} trials=${MANY.trials} requests=${MANY.requests} most=${MANY.most}`;
}

function writeManyReport(all: ManyTrial[], startedAt: Date, loadStart: number[], commit: string): void {
	const env = settingsGiven((name) => name.startsWith('CONCURRENCY_') || name === 'OVERLAP_TARBALL');
	const lines = [
		'# Many executions of one posting workflow at once, in a real n8n',
		'',
		`Date: ${startedAt.toISOString()}  `,
		`Code measured ("now"): commit ${commit}${process.env.OVERLAP_TARBALL ? ` (tarball ${process.env.OVERLAP_TARBALL})` : ''}  `,
		...(MANY.beforeTarball ? [`"before": ${MANY.beforeTarball}, side by side in the same run  `] : []),
		`Command: \`${env ? `${env} ` : ''}npm run trials:concurrency\` (bench/n8n/overlap.ts)`,
		'',
		'## Machine',
		'',
		`- CPU: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; RAM ${fmt(totalmem() / 1024 ** 3, 1)} GB; load average at the start ${loadStart.map((l) => l.toFixed(2)).join(', ')}, at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')} (the machine is shared; each trial's 1-minute load is in the tables)`,
		`- n8n ${N8N_NEWEST} (pinned install, Node 24) started by scripts/lib; PostgreSQL and Redis from scripts/lib/queue-mode.ts; each build's tarball installed with npm as users do (on every worker in queue mode)`,
		'',
		'## How',
		'',
		`- Each trial has its own workflow, activated: Webhook (POST, answers with every item of the last node when it finishes) → Split Out (\`body.rows\`) → Payment → Record (node version 2, every field mapped from the row, Duplicate Check By Payment Details, Continue On Fail). athena (the simulator) answers after ${MANY.latencyMs} ms, no rate cap.`,
		...(MANY.warmUp ? ["- Each trial's workflow first posts one payment of its own (a webhook that has run before: its node's store row exists), not counted."] : []),
		`- ${MANY.requests} requests of 1–${MANY.most} different payments each (each payment its own patient and amount) POSTed at once${MANY.phases === 3 ? '; when all have answered, the same requests again at once (a double submit); then the same requests one by one' : ''}.`,
		"- From athena's ledger: **double posts** = extra payments stored (Σ times stored − 1); **lost claims** = payments a later phase stored again after an earlier one had (the claim was erased in n8n's store); **failed rows** = rows over all phases that came out neither `posted` nor `skipped`. Wall = first request sent to last answer, per phase. Store calls: every call of n8n's processed-data helper in the phase (bench/n8n/probe.cjs), in brackets those on the workflow-scope row (the lock of storeTurns.ts: take and give back).",
		...(MANY.beforeTarball ? ['- "now" and "before" run on two stacks up at the same time, each with its own simulator; each trial runs on one then the other, the order alternating, so both see the same machine.'] : []),
		'',
	];
	for (const name of MANY.setups) {
		const trials = all.filter((t) => t.setup.name === name);
		if (!trials.length) continue;
		lines.push(`## ${trials[0].setup.label}`, '', ...manyTable(trials), '');
		const byCode = (code: string) => trials.filter((t) => t.code === code);
		const wall = (code: string) => median(byCode(code).map((t) => t.phases[0].wallMs / 1000));
		if (byCode('before').length && byCode('now').length) {
			const paired = byCode('now').map((now) => now.phases[0].wallMs / (byCode('before').find((before) => before.index === now.index)?.phases[0].wallMs ?? Number.NaN));
			lines.push(
				`- First burst, median wall: now ${fmt(wall('now'), 1)} s, before ${fmt(wall('before'), 1)} s: **${fmt(wall('now') / wall('before'), 2)}×**; median of the trials' own ratios ${fmt(median(paired), 2)}× (${paired.map((r) => fmt(r, 2)).join(', ')}).`,
			);
		}
		for (const t of trials) for (const [reason, count] of Object.entries(t.tally.reasons)) lines.push(`- ${t.code}, trial ${t.index + 1}: ${count} row(s) ${reason}`);
		lines.push('');
	}
	lines.push('## Summary', '', '```', manySummary(all), '```', '');
	fs.writeFileSync(MANY.out, lines.join('\n'));
}

async function mainConcurrency(): Promise<void> {
	const startedAt = new Date();
	const loadStart = loadavg();
	const commit = gitCommit();
	log(`concurrency trials: code at ${commit}`);
	const codes: Code[] = [{ label: 'now', tarball: process.env.OVERLAP_TARBALL ? path.resolve(process.env.OVERLAP_TARBALL) : await buildAndPack() }];
	if (MANY.beforeTarball) codes.push({ label: 'before', tarball: MANY.beforeTarball });
	const all: ManyTrial[] = [];
	for (const name of MANY.setups) all.push(...(await runManySetup({ ...setupOf(name), trials: MANY.trials }, codes)));
	writeManyReport(all, startedAt, loadStart, commit);
	console.log(`\ncode: ${commit}\nwritten: ${path.relative(ROOT, MANY.out)}\n${manySummary(all)}`);
}

async function main(): Promise<void> {
	const startedAt = new Date();
	const loadStart = loadavg();
	const commit = gitCommit();
	log(`overlap trials: code at ${commit}`);
	const tarball = process.env.OVERLAP_TARBALL ? path.resolve(process.env.OVERLAP_TARBALL) : await buildAndPack();
	const runs: SetupRun[] = [];
	for (const name of SETTINGS.setups) runs.push(await runSetup(setupOf(name), tarball));
	for (const run of runs) console.log(`\n${run.setup.label}\n${table(run).join('\n')}`);
	writeReport(runs, startedAt, loadStart, tarball, commit);
	console.log(`\ncode: ${commit}\nwritten: ${path.relative(ROOT, SETTINGS.out)}\n${summaryLines(runs).join('\n')}`);
}

(process.argv[2] === 'concurrency' ? mainConcurrency() : main()).then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
