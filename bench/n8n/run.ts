/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * `npm run bench:n8n`: posting at scale in a real n8n. The pinned n8n 2.41.1 (scripts/lib) runs with the packed
 * package installed as users install it; each sheet goes to an activated workflow (Webhook → Split Out → the posting
 * node) that n8n itself runs, against the athena simulator, on SQLite and on PostgreSQL (the throwaway server queue
 * mode uses), side by side with n8n's HTTP Request node doing the same posting (as bench/workload.ts configures it).
 *
 *   (1) capped: athena answers after BENCH_LATENCY ms and refuses more than BENCH_CAP calls a second (429):
 *       wall / floor, floor = rows / cap. The two variants run at the same time, each against its own simulator.
 *   (2) no cap, no latency: rows per second, CPU per row of the n8n process (/proc/<pid>/stat), time in n8n's
 *       processed-data store per call and per row (bench/n8n/probe.cjs, preloaded into n8n), peak RSS of n8n
 *       (/proc/<pid>/status VmHWM, reset before each run through /proc/<pid>/clear_refs).
 *
 * A history case ("10000@45000") first writes 45,000 earlier postings of that node into n8n's processed-data table
 * (bench/n8n/seed-history.cjs, the way n8n writes it) and the last 20,000 of them into its static data (what the
 * node keeps to explain skipped rows). The HTTP Request node keeps nothing, so it runs once per sheet size.
 *
 * Settings (environment; defaults in brackets):
 *   BENCH_DBS [sqlite,postgres]   BENCH_PARTS [capped,nocap]
 *   BENCH_SIZES [1000,5000,10000] (empty history)   BENCH_HISTORY_SIZES [1000,10000]   BENCH_EARLIER [45000]
 *   BENCH_CAPPED / BENCH_NOCAP: the case list of one part, overriding the three above, e.g. "1000,10000@45000"
 *   BENCH_CAPPED_SQLITE, BENCH_NOCAP_POSTGRES, …: the same for one database only
 *   BENCH_HTTP [1] (0 = skip the HTTP Request node)   BENCH_CAP [10]   BENCH_LATENCY [150]
 *   BENCH_CONCURRENCY [⌈cap × latency⌉ + 1] (the node's Concurrency under the cap)
 *   BENCH_OUT [bench/RESULTS-n8n.md]   BENCH_TARBALL (a packed tarball; default: build and pack this project)
 *
 * Last line of stdout:
 *   bench-n8n: floor_ratio_10k=… cpu_ratio=… claim_ms_at_45k=… rows_per_s_nocap_10k=… failed=… duplicates=…
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import * as path from 'node:path';

import { log, ROOT, run } from '../../scripts/lib/common';
import { N8N_NEWEST } from '../../scripts/lib/n8n-install';
import type { N8nInstance } from '../../scripts/lib/n8n-instance';
import { installCommunityPackage, startN8n, tempDir } from '../../scripts/lib/n8n-instance';
import { buildAndPack } from '../../scripts/lib/pack';
import type { PostgresService } from '../../scripts/lib/queue-mode';
import { postgresEnv, startPostgres } from '../../scripts/lib/queue-mode';
import { activateWorkflow, callWebhook, rowsWebhookWorkflow } from '../../scripts/lib/webhook-workflows';
import { lastLedgerSeq, NODE_TYPE, simulatorCredential, simulatorToken } from '../../test/e2e/helpers';
import type { SheetRow } from '../../test/e2e/paymentSheet';
import { sheetRow } from '../../test/e2e/paymentSheet';
import { CLIENT_ID, CLIENT_SECRET, SCOPE, startSimulator } from '../../test/simulator';
import type { AthenaSimulator } from '../../test/simulator';
import { fmt, leastSquares } from '../stats';
import type { Variant, VariantSettings } from '../workload';
import { POSTING_NODE_NAME, TRIGGER_NAME, VARIANT_LABEL, athenaNode, httpRequestNode } from '../workload';
import { envInt, envList, settingsGiven } from './settings';

const PROBE = path.join(__dirname, 'probe.cjs');
const SEEDER = path.join(__dirname, 'seed-history.cjs');
const ATHENA_CREDENTIAL_ID = 'benchN8nAthena01';
const HTTP_CREDENTIAL_REF = 'benchN8nGeneric1';
/** What the node keeps in its static data to explain skipped rows (posting/memory/index.ts MAX_DETAILS). */
const DETAILS_KEPT = 20000;

// ---- settings ----------------------------------------------------------------------------------------------------

type Db = 'sqlite' | 'postgres';
type Part = 'capped' | 'nocap';
interface Case {
	rows: number;
	earlier: number;
}

function parseCases(text: string[]): Case[] {
	return text.map((item) => {
		const [rows, earlier = '0'] = item.split('@');
		const parsed = { rows: Number(rows), earlier: Number(earlier) };
		if (!Number.isInteger(parsed.rows) || parsed.rows <= 0 || !Number.isInteger(parsed.earlier) || parsed.earlier < 0) {
			throw new Error(`bad case "${item}": rows[@earlier postings]`);
		}
		return parsed;
	});
}

const EARLIER = envInt('BENCH_EARLIER', 45000);
const DEFAULT_CASES = [
	...envList('BENCH_SIZES', '1000,5000,10000'),
	...envList('BENCH_HISTORY_SIZES', '1000,10000').map((rows) => `${rows}@${EARLIER}`),
];
const SETTINGS = {
	dbs: envList('BENCH_DBS', 'sqlite,postgres') as Db[],
	parts: envList('BENCH_PARTS', 'capped,nocap') as Part[],
	cases: {
		capped: parseCases(process.env.BENCH_CAPPED ? envList('BENCH_CAPPED', '') : DEFAULT_CASES),
		nocap: parseCases(process.env.BENCH_NOCAP ? envList('BENCH_NOCAP', '') : DEFAULT_CASES),
	} as Record<Part, Case[]>,
	http: process.env.BENCH_HTTP !== '0',
	cap: envInt('BENCH_CAP', 10),
	latencyMs: envInt('BENCH_LATENCY', 150),
	out: path.resolve(ROOT, process.env.BENCH_OUT ?? 'bench/RESULTS-n8n.md'),
	/** The node's Concurrency under the cap: ⌈cap × latency⌉ + 1 unless BENCH_CONCURRENCY says otherwise. */
	cappedConcurrency: 0,
};
SETTINGS.cappedConcurrency = envInt('BENCH_CONCURRENCY', Math.ceil((SETTINGS.cap * SETTINGS.latencyMs) / 1000) + 1);
for (const db of SETTINGS.dbs) if (db !== 'sqlite' && db !== 'postgres') throw new Error(`BENCH_DBS: unknown "${db}"`);
for (const part of SETTINGS.parts) if (part !== 'capped' && part !== 'nocap') throw new Error(`BENCH_PARTS: unknown "${part}"`);

function variantSettings(part: Part, variant: Variant): VariantSettings {
	if (part === 'capped') {
		return variant === 'node'
			? { requestsPerSecond: SETTINGS.cap, concurrency: SETTINGS.cappedConcurrency, batchSize: null, batchIntervalMs: 0 }
			: { requestsPerSecond: 0, concurrency: 0, batchSize: SETTINGS.cap, batchIntervalMs: 1000 };
	}
	return variant === 'node'
		? { requestsPerSecond: 1000, concurrency: 20, batchSize: null, batchIntervalMs: 0 }
		: { requestsPerSecond: 0, concurrency: 0, batchSize: null, batchIntervalMs: 0 };
}

// ---- the runs ----------------------------------------------------------------------------------------------------

interface Run {
	db: Db;
	part: Part;
	variant: Variant;
	rows: number;
	earlier: number;
	workflowId: string;
	nodeId: string;
	/** Index of the sheet's first row: every run posts rows no other run posted (unique amounts). */
	offset: number;
	/** Runs at the same time as another run (capped pairs): CPU and RSS belong to both. */
	parallel?: boolean;
	result?: RunResult;
}

interface RunResult {
	wallS: number;
	floorRatio: number;
	rowsPerSecond: number;
	posted: number;
	failed: number;
	duplicates: number;
	strays: number;
	throttled: number;
	reportedPosted: number;
	reportedOther: number;
	failures: Record<string, number>;
	cpuPerRowMs: number;
	peakRssMb: number;
	rssBeforeMb: number;
	storeCalls: number;
	keysPerCall: number;
	storeMsPerCall: number;
	dbMsPerCall: number;
	storeMsPerRow: number;
	storeErrors: number;
}

let nextOffset = 0;
let nextWorkflow = 0;

function planRuns(db: Db): Run[][] {
	const steps: Run[][] = [];
	const make = (part: Part, variant: Variant, c: Case): Run => {
		const run: Run = {
			db,
			part,
			variant,
			rows: c.rows,
			earlier: variant === 'node' ? c.earlier : 0,
			workflowId: `bn8n${db[0]}${part[0]}${variant[0]}${String(nextWorkflow++).padStart(6, '0')}`,
			nodeId: randomUUID(),
			offset: nextOffset,
		};
		nextOffset += c.rows;
		return run;
	};
	for (const part of SETTINGS.parts) {
		const httpDone = new Set<number>();
		const override = process.env[`BENCH_${part.toUpperCase()}_${db.toUpperCase()}`];
		for (const c of override ? parseCases(override.split(',')) : SETTINGS.cases[part]) {
			const node = make(part, 'node', c);
			const httpRun = SETTINGS.http && !httpDone.has(c.rows) ? make(part, 'http', { rows: c.rows, earlier: 0 }) : undefined;
			if (httpRun) httpDone.add(c.rows);
			if (httpRun && part === 'capped') {
				node.parallel = httpRun.parallel = true;
				steps.push([node, httpRun]);
			} else {
				steps.push([node]);
				if (httpRun) steps.push([httpRun]);
			}
		}
	}
	return steps;
}

/** Earlier postings of a node: what its duplicate memory holds after `count` payments (oldest first). */
function earlierKeys(count: number): string[] {
	return Array.from({ length: count }, (_, i) => `athena-${i.toString(16).padStart(32, '0')}`);
}

function workflowFor(run: Run, sims: Record<Variant, AthenaSimulator>): object {
	const settings = variantSettings(run.part, run.variant);
	const posting =
		run.variant === 'node'
			? { ...athenaNode(NODE_TYPE, settings), credentials: { athenahealthOAuth2Api: { id: ATHENA_CREDENTIAL_ID, name: 'athena (bench)' } } }
			: { ...httpRequestNode(sims.http.url, settings), credentials: { oAuth2Api: { id: HTTP_CREDENTIAL_REF, name: 'athena generic OAuth2 (bench)' } } };
	posting.id = run.nodeId;
	posting.position = [440, 0];
	const staticData: Record<string, unknown> = {};
	if (run.earlier) {
		const postings: Record<string, object> = {};
		for (const key of earlierKeys(run.earlier).slice(-DETAILS_KEPT)) {
			postings[key] = { status: 'posted', at: '2026-11-01T12:00:00.000Z', executionId: '1', paymentBatchId: '1001' };
		}
		staticData[`node:${POSTING_NODE_NAME}`] = { postings };
	}
	return rowsWebhookWorkflow({
		id: run.workflowId,
		name: `bench-n8n ${run.part} ${VARIANT_LABEL[run.variant]} ${run.rows}${run.earlier ? `@${run.earlier}` : ''}`,
		staticData: run.earlier ? staticData : null,
		webhookName: TRIGGER_NAME,
		webhookPath: run.workflowId,
		rowsTo: posting,
	});
}

// ---- /proc -------------------------------------------------------------------------------------------------------

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU of a process so far, ms. */
function cpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// fields[0] is field 3 (state): utime is field 14, stime field 15
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function statusKb(pid: number, name: string): number {
	const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) : Number.NaN;
}

/** Resets the process' peak RSS (VmHWM) to its current RSS; false when the kernel refuses. */
function resetPeakRss(pid: number): boolean {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

// ---- one step (one run, or a capped pair at the same time) ------------------------------------------------------

async function postSheet(n8n: N8nInstance, run: Run, rows: SheetRow[]): Promise<{ status: number; text: string; wallS: number }> {
	const { status, text, ms } = await callWebhook(n8n.url, run.workflowId, { rows });
	return { status, text, wallS: ms / 1000 };
}

function readProbe(file: string, fromLine: number): Array<{ op: string; keys: number; ms: number; dbMs: number; ok: boolean }> {
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.slice(fromLine)
		.map((line) => JSON.parse(line));
}

function probeLines(file: string): number {
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

function ledgerFigures(sim: AthenaSimulator, fromSeq: number, rows: SheetRow[]) {
	const expected = new Set(rows.map((row) => row.amount));
	const seen = new Map<string, number>();
	for (const entry of sim.ledger()) {
		if (entry.kind !== 'record' || entry.seq <= fromSeq) continue;
		const amount = entry.form.otheramount ?? entry.amount ?? '';
		seen.set(amount, (seen.get(amount) ?? 0) + 1);
	}
	let posted = 0;
	let duplicates = 0;
	let strays = 0;
	for (const [amount, count] of seen) {
		if (expected.has(amount)) posted++;
		else strays += count;
		duplicates += count - 1;
	}
	return { posted, failed: rows.length - posted, duplicates, strays };
}

function classify(variant: Variant, text: string) {
	let items: Array<Record<string, unknown>> = [];
	try {
		const parsed = JSON.parse(text);
		items = Array.isArray(parsed) ? parsed : [parsed];
	} catch {
		/* not JSON: counted as nothing reported */
	}
	let reportedPosted = 0;
	let reportedOther = 0;
	const failures: Record<string, number> = {};
	for (const json of items) {
		const ok = variant === 'node' ? json.status === 'posted' : json.error === undefined && (json.success === true || json.success === 'true');
		if (ok) reportedPosted++;
		else if (variant === 'node' ? ['failed', 'unknown', 'invalid'].includes(String(json.status)) : json.error !== undefined) {
			const error = json.error as { message?: string } | string | undefined;
			const message = String((typeof error === 'object' ? error?.message : error) ?? json.status).slice(0, 160);
			failures[message] = (failures[message] ?? 0) + 1;
		} else reportedOther++;
	}
	return { reportedPosted, reportedOther, failures };
}

async function runStep(n8n: N8nInstance, sims: Record<Variant, AthenaSimulator>, probeFile: string, step: Run[]): Promise<void> {
	const pid = n8n.process.child.pid!;
	const part = step[0].part;
	for (const sim of Object.values(sims)) {
		sim.configure(part === 'capped'
			? { latencyMs: SETTINGS.latencyMs, rateLimit: { perSecond: SETTINGS.cap, status: 429, retryAfterSeconds: null } }
			: { latencyMs: 0, rateLimit: { perSecond: null } });
	}
	const sheets = step.map((run) => Array.from({ length: run.rows }, (_, i) => sheetRow(run.offset + i)));
	const seqBefore = step.map((run) => lastLedgerSeq(sims[run.variant]));
	const throttledBefore = step.map((run) => sims[run.variant].stats().throttled);
	const probeFrom = probeLines(probeFile);
	const peakResettable = resetPeakRss(pid);
	const rssBeforeMb = statusKb(pid, 'VmRSS') / 1024;
	let sampledPeakKb = statusKb(pid, 'VmRSS');
	const sampler = setInterval(() => (sampledPeakKb = Math.max(sampledPeakKb, statusKb(pid, 'VmRSS'))), 200);
	const cpuBefore = cpuMs(pid);
	const answers = await Promise.all(step.map((run, i) => postSheet(n8n, run, sheets[i])));
	const cpu = cpuMs(pid) - cpuBefore;
	clearInterval(sampler);
	const peakRssMb = Math.max(peakResettable ? statusKb(pid, 'VmHWM') : 0, sampledPeakKb) / 1024;
	const probe = readProbe(probeFile, probeFrom);

	step.forEach((run, i) => {
		const answer = answers[i];
		if (answer.status !== 200) log(`  ${run.workflowId}: webhook answered ${answer.status}: ${answer.text.slice(0, 300)}`);
		const sim = sims[run.variant];
		const ledger = ledgerFigures(sim, seqBefore[i], sheets[i]);
		// store calls belong to the node's run (the HTTP Request node makes none)
		const calls = run.variant === 'node' ? probe : [];
		const sum = (f: (c: (typeof probe)[number]) => number) => calls.reduce((total, c) => total + f(c), 0);
		run.result = {
			wallS: answer.wallS,
			floorRatio: part === 'capped' ? answer.wallS / (run.rows / SETTINGS.cap) : Number.NaN,
			rowsPerSecond: run.rows / answer.wallS,
			...ledger,
			throttled: sim.stats().throttled - throttledBefore[i],
			...classify(run.variant, answer.text),
			cpuPerRowMs: run.parallel ? Number.NaN : cpu / run.rows,
			peakRssMb: run.parallel ? Number.NaN : peakRssMb,
			rssBeforeMb,
			storeCalls: calls.length,
			keysPerCall: calls.length ? sum((c) => c.keys) / calls.length : Number.NaN,
			storeMsPerCall: calls.length ? sum((c) => c.ms) / calls.length : Number.NaN,
			dbMsPerCall: calls.length ? sum((c) => c.dbMs) / calls.length : Number.NaN,
			storeMsPerRow: calls.length ? sum((c) => c.ms) / run.rows : Number.NaN,
			storeErrors: calls.filter((c) => !c.ok).length,
		};
		const r = run.result;
		log(
			`  [${run.db} ${run.part}] ${VARIANT_LABEL[run.variant].padEnd(18)} ${run.rows} rows${run.earlier ? ` after ${run.earlier}` : ''}: wall ${fmt(r.wallS, 1)} s` +
				(part === 'capped' ? `, floor ratio ${fmt(r.floorRatio, 3)}` : `, ${fmt(r.rowsPerSecond, 1)} rows/s, CPU ${fmt(r.cpuPerRowMs, 2)} ms/row, peak RSS ${fmt(r.peakRssMb, 0)} MB`) +
				`, posted ${r.posted}, failed ${r.failed}, duplicates ${r.duplicates}, 429s ${r.throttled}` +
				(calls.length ? `, store ${calls.length} calls × ${fmt(r.keysPerCall, 1)} keys, ${fmt(r.storeMsPerCall, 1)} ms/call (db ${fmt(r.dbMsPerCall, 1)})` : '') +
				(Object.keys(r.failures).length ? `; failures ${JSON.stringify(r.failures)}` : ''),
		);
	});
}

// ---- one database ------------------------------------------------------------------------------------------------

async function seedHistory(n8n: N8nInstance, db: Db, postgres: PostgresService | undefined, runs: Run[]): Promise<void> {
	const histories = runs.filter((run) => run.earlier);
	if (!histories.length) return;
	const target =
		db === 'sqlite'
			? { db, file: path.join(n8n.userFolder, '.n8n', 'database.sqlite') }
			: { db, host: postgres!.host, port: postgres!.port, user: postgres!.user, database: postgres!.database, pgModule: path.join(n8n.install.dir, 'node_modules', 'pg') };
	const specFile = path.join(n8n.userFolder, 'bench-seed.json');
	fs.writeFileSync(specFile, JSON.stringify({ ...target, rows: histories.map((run) => ({ workflowId: run.workflowId, nodeId: run.nodeId, keys: earlierKeys(run.earlier) })) }));
	const { stdout } = await run(n8n.install.nodeBin, ['--no-warnings', SEEDER, specFile]);
	log(`  ${stdout.trim()} (${histories.map((run) => run.earlier).join(', ')} earlier postings)`);
}

async function benchDatabase(db: Db, tarball: string): Promise<Run[]> {
	log(`== ${db} ==`);
	const userFolder = tempDir(`bench-n8n-${db}-`);
	const probeFile = path.join(userFolder, 'store-calls.jsonl');
	let postgres: PostgresService | undefined;
	let n8n: N8nInstance | undefined;
	const sims = { node: await startSimulator({ tokenLifetimeSeconds: 86400 }), http: await startSimulator({ tokenLifetimeSeconds: 86400 }) };
	try {
		await installCommunityPackage(userFolder, tarball);
		if (db === 'postgres') postgres = await startPostgres();
		const dbEnv = postgres ? postgresEnv(postgres) : {};
		n8n = await startN8n({
			version: N8N_NEWEST,
			userFolder,
			env: { ...dbEnv, NODE_OPTIONS: `--require ${PROBE}`, BENCH_N8N_PROBE_FILE: probeFile },
		});
		await n8n.importCredential([
			simulatorCredential(sims.node.url, ATHENA_CREDENTIAL_ID, 'athena (bench)', await simulatorToken(sims.node)),
			{
				id: HTTP_CREDENTIAL_REF,
				name: 'athena generic OAuth2 (bench)',
				type: 'oAuth2Api',
				data: {
					grantType: 'clientCredentials',
					accessTokenUrl: sims.http.tokenUrl,
					clientId: CLIENT_ID,
					clientSecret: CLIENT_SECRET,
					scope: SCOPE,
					authentication: 'header',
					oauthTokenData: await simulatorToken(sims.http),
				},
			},
		]);
		const steps = planRuns(db);
		const runs = steps.flat();
		await n8n.importWorkflow(runs.map((run) => workflowFor(run, sims)));
		await seedHistory(n8n, db, postgres, runs);
		for (const run of runs) await activateWorkflow(n8n, run.workflowId);
		for (const step of steps) await runStep(n8n, sims, probeFile, step);
		return runs;
	} finally {
		await n8n?.stop();
		await postgres?.stop();
		await sims.node.close();
		await sims.http.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

// ---- report ------------------------------------------------------------------------------------------------------

const caseLabel = (run: Run) => `${run.rows.toLocaleString('en-US')}${run.earlier ? ` after ${run.earlier.toLocaleString('en-US')}` : ''}`;

function table(runs: Run[]): string[] {
	const header = [
		'part', 'variant', 'rows (after earlier postings)', 'wall (s)', 'wall / floor', 'rows/s', 'posted', 'failed', 'dup', '429s',
		'n8n CPU/row (ms)', 'n8n peak RSS (MB)', 'RSS growth (MB)', 'store calls', 'keys/call', 'store ms/call', 'db ms/call', 'store ms/row',
	];
	const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`];
	for (const run of runs) {
		const r = run.result;
		if (!r) continue;
		const node = run.variant === 'node';
		lines.push(
			`| ${[
				run.part === 'capped' ? `(1) cap ${SETTINGS.cap}/s, ${SETTINGS.latencyMs} ms` : '(2) no cap',
				VARIANT_LABEL[run.variant],
				caseLabel(run),
				fmt(r.wallS, 1),
				fmt(r.floorRatio, 3),
				fmt(r.rowsPerSecond, 1),
				r.posted,
				r.failed,
				r.duplicates,
				r.throttled,
				run.parallel ? '(pair)' : fmt(r.cpuPerRowMs, 3),
				run.parallel ? '(pair)' : fmt(r.peakRssMb, 0),
				run.parallel ? '(pair)' : fmt(r.peakRssMb - r.rssBeforeMb, 0),
				node ? r.storeCalls : '—',
				node ? fmt(r.keysPerCall, 1) : '—',
				node ? fmt(r.storeMsPerCall, 1) : '—',
				node ? fmt(r.dbMsPerCall, 1) : '—',
				node ? fmt(r.storeMsPerRow, 2) : '—',
			].join(' | ')} |`,
		);
	}
	return lines;
}

interface Summary {
	line: string;
	notes: string[];
}

function find(runs: Run[], part: Part, variant: Variant, rows: number, earlier: number): RunResult | undefined {
	return runs.find((run) => run.part === part && run.variant === variant && run.rows === rows && run.earlier === earlier && run.result)?.result;
}

const sizesDescending = (runs: Run[]) => [...new Set(runs.map((run) => run.rows))].sort((a, b) => b - a);

function summarise(runs: Run[]): Summary {
	const notes: string[] = [];
	// prefer SQLite (n8n's default) for the single figures; each figure says where it came from
	const order = (db: Db) => runs.filter((run) => run.db === db);
	const pick = <T>(f: (rs: Run[]) => T | undefined): { value: T | undefined; db?: Db } => {
		for (const db of ['sqlite', 'postgres'] as Db[]) {
			const value = f(order(db));
			if (value !== undefined) return { value, db };
		}
		return { value: undefined };
	};
	const floor = pick((rs) => find(rs, 'capped', 'node', 10000, EARLIER)?.floorRatio ?? find(rs, 'capped', 'node', 10000, 0)?.floorRatio);
	const cpu = pick((rs) => {
		for (const rows of sizesDescending(rs)) {
			const node = find(rs, 'nocap', 'node', rows, 0);
			const httpRun = find(rs, 'nocap', 'http', rows, 0);
			if (node && httpRun) return { ratio: node.cpuPerRowMs / httpRun.cpuPerRowMs, rows };
		}
		return undefined;
	});
	const claim = pick((rs) => {
		for (const rows of sizesDescending(rs)) {
			const at45 = find(rs, 'nocap', 'node', rows, EARLIER);
			if (at45) return { ms: at45.dbMsPerCall, rows, at0: find(rs, 'nocap', 'node', rows, 0)?.dbMsPerCall };
		}
		return undefined;
	});
	const rps = pick((rs) => find(rs, 'nocap', 'node', 10000, 0)?.rowsPerSecond);
	const nodeRuns = runs.filter((run) => run.variant === 'node' && run.result);
	const failed = Math.max(0, ...nodeRuns.map((run) => run.result!.failed));
	const duplicates = Math.max(0, ...nodeRuns.map((run) => run.result!.duplicates));
	notes.push(`floor_ratio_10k: ${floor.db ?? '—'}, capped 10,000 rows ${find(order(floor.db ?? 'sqlite'), 'capped', 'node', 10000, EARLIER) ? `after ${EARLIER.toLocaleString('en-US')} earlier postings` : 'with an empty history'}`);
	if (cpu.value) notes.push(`cpu_ratio: ${cpu.db}, no cap, ${cpu.value.rows.toLocaleString('en-US')} rows, empty history (athenahealth node / HTTP Request node, CPU per row of the n8n process)`);
	if (claim.value) {
		notes.push(
			`claim_ms_at_45k: ${claim.db}, no cap, ${claim.value.rows.toLocaleString('en-US')} rows after ${EARLIER.toLocaleString('en-US')}: database time (find + update of the node's processed-data row) per store call; at an empty history ${fmt(claim.value.at0, 1)} ms (ratio ${fmt(claim.value.ms / (claim.value.at0 ?? Number.NaN), 2)})`,
		);
	}
	notes.push(`failed / duplicates: the worst single run of the athenahealth node over every database and part (from athena's ledger)`);
	const line =
		`bench-n8n: floor_ratio_10k=${fmt(floor.value, 3)} cpu_ratio=${fmt(cpu.value?.ratio, 3)} claim_ms_at_45k=${fmt(claim.value?.ms, 1)}` +
		` rows_per_s_nocap_10k=${fmt(rps.value, 1)} failed=${failed} duplicates=${duplicates}`;
	return { line, notes };
}

function memoryLine(runs: Run[], db: Db): string | undefined {
	const sized = runs.filter((run) => run.db === db && run.part === 'nocap' && run.variant === 'node' && !run.earlier && run.result);
	if (sized.length < 2) return undefined;
	const fit = leastSquares(sized.map((run) => run.rows / 1000), sized.map((run) => run.result!.peakRssMb));
	return `Peak RSS of n8n, athenahealth node, no cap, empty history (${sized.map((run) => `${run.rows}: ${fmt(run.result!.peakRssMb, 0)} MB`).join(', ')}): ${fmt(fit.slope, 1)} MB per 1,000 rows (least squares, R² ${fmt(fit.r2, 3)}).`;
}

function writeReport(runs: Run[], summary: Summary, startedAt: Date, loadStart: number[], tarball: string, benchS: number): void {
	const env = settingsGiven((name) => name.startsWith('BENCH_') && name !== 'BENCH_N8N_PROBE_FILE');
	const lines = [
		'# Benchmark in a real n8n: posting at scale, SQLite and PostgreSQL, this node vs the HTTP Request node',
		'',
		`Date: ${startedAt.toISOString()}  `,
		`Command: \`${env ? `${env} ` : ''}npm run bench:n8n\` (databases ${SETTINGS.dbs.join(', ')}; parts ${SETTINGS.parts.join(', ')}; capped cases ${SETTINGS.cases.capped.map((c) => `${c.rows}${c.earlier ? `@${c.earlier}` : ''}`).join(', ')}; no-cap cases ${SETTINGS.cases.nocap.map((c) => `${c.rows}${c.earlier ? `@${c.earlier}` : ''}`).join(', ')})`,
		'',
		'## Machine',
		'',
		`- CPU: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; RAM ${fmt(totalmem() / 1024 ** 3, 1)} GB; load average at the start ${loadStart.map((l) => l.toFixed(2)).join(', ')} (the machine is shared)`,
		`- n8n ${N8N_NEWEST} (pinned install, Node 24) started by scripts/lib/n8n-instance.ts; PostgreSQL from scripts/lib/queue-mode.ts (fsync off); package tarball ${path.basename(tarball)} installed with npm as users do`,
		'',
		'## How',
		'',
		'- Workflow per run, activated: Webhook (POST, answers with all items of the last node) → Split Out (`body.rows`) → the posting node. The sheet is POSTed to the webhook; wall time = until n8n answers (includes n8n saving the execution).',
		`- athenahealth node: Record Payment, every field mapped, Duplicate Check By Payment Details, On Error: Continue; capped: Requests per Second = cap, Concurrency ${SETTINGS.cappedConcurrency}${process.env.BENCH_CONCURRENCY ? '' : ' (⌈cap × latency⌉ + 1)'}; no cap: 1000 / 20.`,
		'- HTTP Request node (v4.5, generic OAuth2 client credentials): form body; capped: Batching cap items per 1000 ms; no cap: no batching; no Retry On Fail, On Error: Continue. It keeps no history, so it runs once per sheet size.',
		'- Both credentials hold a valid token (as after a first run). Each variant has its own simulator; in (1) the two run at the same time (so CPU and RSS are not given per variant there).',
		`- History "after N": N earlier postings of that node written into n8n's \`processed_data\` row as n8n writes it (md5 base64 of each key, mode entries) and the last ${DETAILS_KEPT.toLocaleString('en-US')} into the node's static data.`,
		'- posted / failed / duplicates are counted in athena\'s ledger. CPU = utime + stime of the n8n main process (/proc/<pid>/stat) during the run. Peak RSS = VmHWM of that process, reset before each run (to its RSS then, which holds what earlier runs left: one n8n serves every run of a database); RSS growth = peak − RSS at the start of the run. Store = n8n\'s processed-data helper (checkProcessedAndRecord / removeProcessed / getProcessedDataCount / clearAllProcessedItems, the workflow-scope lock of storeTurns.ts included) timed inside n8n by bench/n8n/probe.cjs; db = the part of it in the repository\'s findOne / update / insert / delete.',
		'',
	];
	for (const db of SETTINGS.dbs) {
		const dbRuns = runs.filter((run) => run.db === db);
		lines.push(`## ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, '', ...table(dbRuns), '');
		const memory = memoryLine(runs, db);
		if (memory) lines.push(`- ${memory}`);
		for (const run of dbRuns) {
			if (run.result && Object.keys(run.result.failures).length) lines.push(`- ${VARIANT_LABEL[run.variant]}, ${run.part}, ${caseLabel(run)}: failures ${JSON.stringify(run.result.failures)}`);
			if (run.result?.storeErrors) lines.push(`- ${VARIANT_LABEL[run.variant]}, ${run.part}, ${caseLabel(run)}: ${run.result.storeErrors} store calls threw`);
		}
		lines.push('');
	}
	lines.push('## Summary line', '', ...summary.notes.map((note) => `- ${note}`), '', '```', summary.line, '```', '', `Bench time: ${benchS.toFixed(0)} s. Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}.`, '');
	fs.writeFileSync(SETTINGS.out, lines.join('\n'));
}

async function main(): Promise<void> {
	const startedAt = new Date();
	const loadStart = loadavg();
	const tarball = process.env.BENCH_TARBALL ? path.resolve(process.env.BENCH_TARBALL) : await buildAndPack();
	const runs: Run[] = [];
	for (const db of SETTINGS.dbs) runs.push(...(await benchDatabase(db, tarball)));
	const summary = summarise(runs);
	for (const db of SETTINGS.dbs) {
		console.log(`\n${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}\n${table(runs.filter((run) => run.db === db)).join('\n')}`);
		const memory = memoryLine(runs, db);
		if (memory) console.log(memory);
	}
	writeReport(runs, summary, startedAt, loadStart, tarball, (Date.now() - startedAt.getTime()) / 1000);
	// every figure of every run, for a later look (not committed)
	fs.writeFileSync(SETTINGS.out.replace(/\.md$/, '.json'), JSON.stringify(runs, null, 1));
	console.log(`\nwritten: ${path.relative(ROOT, SETTINGS.out)}\n${summary.notes.join('\n')}\n${summary.line}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
