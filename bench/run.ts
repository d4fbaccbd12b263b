/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * `npm run bench`: posts the same spreadsheet of payments to the athena simulator through
 *   (a) this package's athenahealth node (Payment → Record), and
 *   (b) n8n's HTTP Request node with a generic OAuth2 (client credentials) credential, configured as a careful user
 *       would (form body, batching under the cap, no Retry On Fail),
 * under (1) simulated latency + a requests-per-second cap answered with 429 and (2) no latency, no cap (overhead);
 * then a memory run of this node with growing sheets. Every measured run is its own worker process
 * (bench/worker.ts), so its CPU time and peak memory are its own; the simulator runs here, in the parent.
 *
 * Flags (defaults in brackets): --rows [500] --runs [3] (runs of scenario 1) --cap [10] --latency [150] (ms)
 *   --overhead-runs [5] (runs of scenario 2 and of the history run: a few seconds each, and the CPU figure is noisy)
 *   --earlier [20000] (postings the node remembers in the history run) --mem-rows [1000,2000,5000,10000] --mem-runs [3]
 *   --only [capped,overhead,history,memory] --out [bench/RESULTS.md]
 *
 * Prints a table per scenario and writes it with the machine and the command to --out; the last line of stdout is
 *   bench: floor_ratio=… failed=… duplicates=… cpu_ratio=… mem_per_1k_rows_mb=…
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { ensureN8n, N8N_NEWEST } from '../scripts/lib/n8n-install';
import { simulatorToken } from '../test/e2e/helpers';
import { sheet } from '../test/e2e/paymentSheet';
import { startSimulator } from '../test/simulator';
import type { AthenaSimulator, SimulatorConfigInput } from '../test/simulator';
import { fmt, leastSquares, median, ratio } from './stats';
import type { WorkerResult, WorkerSpec } from './worker';
import type { Variant, VariantSettings } from './workload';
import { HTTP_REQUEST_VERSION, VARIANT_LABEL } from './workload';

const ROOT = resolve(__dirname, '..');
const WORKER = join(__dirname, 'worker.ts');
const VARIANTS: Variant[] = ['node', 'http'];
const WORKER_TIMEOUT_MS = 15 * 60 * 1000;

// ---- options -----------------------------------------------------------------------------------------------------

type Part = 'capped' | 'overhead' | 'history' | 'memory';
const PARTS: Part[] = ['capped', 'overhead', 'history', 'memory'];

interface Options {
	rows: number;
	runs: number;
	cap: number;
	latencyMs: number;
	memRows: number[];
	memRuns: number;
	overheadRuns: number;
	earlier: number;
	only: Set<Part>;
	out: string;
}

function parseOptions(argv: string[]): Options {
	const values: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			console.log(readFileSync(__filename, 'utf8').split('*/')[0]);
			process.exit(0);
		}
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match) throw new Error(`unknown argument "${arg}" (see --help)`);
		const value = match[2] ?? argv[++i];
		if (value === undefined) throw new Error(`--${match[1]} needs a value`);
		values[match[1]] = value;
	}
	const known = ['rows', 'runs', 'overhead-runs', 'earlier', 'cap', 'latency', 'mem-rows', 'mem-runs', 'only', 'out'];
	for (const key of Object.keys(values)) if (!known.includes(key)) throw new Error(`unknown flag --${key} (see --help)`);
	const positive = (key: string, fallback: number) => {
		const value = values[key] === undefined ? fallback : Number(values[key]);
		if (!Number.isInteger(value) || value <= 0) throw new Error(`--${key} must be a positive integer`);
		return value;
	};
	const latency = values.latency === undefined ? 150 : Number(values.latency);
	if (!Number.isInteger(latency) || latency < 0) throw new Error('--latency must be an integer ≥ 0 (ms)');
	const memRows = (values['mem-rows'] ?? '1000,2000,5000,10000').split(',').map(Number);
	if (memRows.length < 2 || memRows.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--mem-rows needs at least two positive integers');
	const only = new Set((values.only ?? PARTS.join(',')).split(',') as Part[]);
	for (const part of only) if (!PARTS.includes(part)) throw new Error(`--only: unknown part "${part}"`);
	return {
		rows: positive('rows', 500),
		runs: positive('runs', 3),
		overheadRuns: positive('overhead-runs', 5),
		earlier: positive('earlier', 20000),
		cap: positive('cap', 10),
		latencyMs: latency,
		memRows: [...new Set(memRows)].sort((a, b) => a - b),
		memRuns: positive('mem-runs', 3),
		only,
		out: resolve(ROOT, values.out ?? 'bench/RESULTS.md'),
	};
}

// ---- scenarios ---------------------------------------------------------------------------------------------------

interface Scenario {
	key: Part;
	title: string;
	simulator: SimulatorConfigInput;
	/** Requests per second athena allows (floor = rows / cap), or null. */
	cap: number | null;
	/** Store a valid token in the credential before the run (as after an earlier run) instead of a new credential. */
	warmToken: boolean;
	/** Postings this node remembers from earlier runs (0 = a workflow that never ran). */
	earlierPostings: number;
	settings: Record<Variant, VariantSettings>;
	describe: string[];
}

function cappedScenario(options: Options): Scenario {
	const concurrency = Math.ceil((options.cap * options.latencyMs) / 1000) + 1;
	return {
		key: 'capped',
		title: `(1) latency ${options.latencyMs} ms, cap ${options.cap} requests/s answered with 429`,
		simulator: { latencyMs: options.latencyMs, rateLimit: { perSecond: options.cap, status: 429, retryAfterSeconds: null } },
		cap: options.cap,
		warmToken: false,
		earlierPostings: 0,
		settings: {
			node: { requestsPerSecond: options.cap, concurrency, batchSize: null, batchIntervalMs: 0 },
			http: { requestsPerSecond: 0, concurrency: 0, batchSize: options.cap, batchIntervalMs: 1000 },
		},
		describe: [
			`athena simulator: every /v1 call answered after ${options.latencyMs} ms; more than ${options.cap} calls in one 1-second window → 429 (no Retry-After). Token endpoint: its default 5 tokens a minute.`,
			`Credential: new (no token stored yet), as on the first run of a workflow.`,
			`${VARIANT_LABEL.node}: Requests per Second ${options.cap} (the cap), Concurrency ${concurrency} (⌈cap × latency⌉ + 1), Duplicate Check By Payment Details (its default), On Error: Continue.`,
			`${VARIANT_LABEL.http}: Batching ${options.cap} items per batch, 1000 ms interval (the cap), no Retry On Fail (a retried POST can post twice), On Error: Continue.`,
		],
	};
}

const OVERHEAD_NODE: VariantSettings = { requestsPerSecond: 1000, concurrency: 20, batchSize: null, batchIntervalMs: 0 };

function overheadScenario(): Scenario {
	return {
		key: 'overhead',
		title: '(2) no latency, no cap (pure overhead)',
		simulator: { latencyMs: 0, rateLimit: { perSecond: null } },
		cap: null,
		warmToken: true,
		earlierPostings: 0,
		settings: {
			node: OVERHEAD_NODE,
			http: { requestsPerSecond: 0, concurrency: 0, batchSize: null, batchIntervalMs: 0 },
		},
		describe: [
			'athena simulator: no latency, no cap.',
			'Credential: a valid token already stored (as after an earlier run), so neither variant fetches one: a new credential would make the HTTP Request node, which sends every row at once, fetch one token per row and lose all but 5 rows to the token limit.',
			`${VARIANT_LABEL.node}: Requests per Second 1000, Concurrency 20 (its maximum), Duplicate Check By Payment Details.`,
			`${VARIANT_LABEL.http}: no batching (every row sent at once), no Retry On Fail.`,
		],
	};
}

function historyScenario(options: Options): Scenario {
	return {
		...overheadScenario(),
		key: 'history',
		title: `(2b) as (2), in a workflow whose node already remembers ${options.earlier.toLocaleString('en-US')} postings`,
		earlierPostings: options.earlier,
	};
}

function memoryScenario(): Scenario {
	return { ...overheadScenario(), key: 'memory', title: 'memory: this node, no latency, no cap' };
}

// ---- one measured run --------------------------------------------------------------------------------------------

interface RunFigures extends WorkerResult {
	scenario: Scenario['key'];
	run: number;
	/** Distinct sheet rows found in athena's ledger. */
	posted: number;
	/** Sheet rows not in the ledger. */
	failed: number;
	/** Ledger entries beyond the first for the same sheet row. */
	duplicates: number;
	/** Ledger entries that match no sheet row (should be 0). */
	strays: number;
	tokenRequests: number;
	throttled: number;
	cpuPerRowMs: number;
	rowsPerSecond: number;
	/** wall / (rows / cap) */
	floorRatio: number;
}

function runWorker(spec: WorkerSpec): Promise<WorkerResult> {
	return new Promise((resolvePromise, reject) => {
		// BENCH_CPU_PROF=<dir>: each worker writes a V8 CPU profile there (node --cpu-prof; not allowed in NODE_OPTIONS)
		const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
		const child = spawn(process.execPath, [...profile, '--expose-gc', '--import', 'tsx', WORKER, JSON.stringify(spec)], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const line = stdout.split('\n').find((text) => text.startsWith('@@bench@@'));
			if (code !== 0 || !line) {
				reject(new Error(`worker (${spec.variant}, ${spec.rows} rows) ended with ${signal ?? code}:\n${stderr.split('\n').slice(-30).join('\n')}`));
				return;
			}
			resolvePromise(JSON.parse(line.slice('@@bench@@'.length)) as WorkerResult);
		});
	});
}

async function measure(
	sim: AthenaSimulator,
	n8nModules: string,
	scenario: Scenario,
	variant: Variant,
	rows: number,
	run: number,
): Promise<RunFigures> {
	sim.reset(scenario.simulator);
	const oauthTokenData = scenario.warmToken ? await simulatorToken(sim) : undefined;
	const before = sim.stats();
	const result = await runWorker({
		variant,
		rows,
		baseUrl: sim.url,
		tokenUrl: sim.tokenUrl,
		n8nModules,
		settings: scenario.settings[variant],
		oauthTokenData,
		earlierPostings: variant === 'node' ? scenario.earlierPostings : 0,
	});
	const after = sim.stats();

	// athena's ledger against the sheet: each row's amount is unique
	const expected = new Set(sheet(rows).map((row) => row.amount));
	const seen = new Map<string, number>();
	for (const entry of sim.ledger()) {
		if (entry.kind !== 'record') continue;
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
	const wallS = result.wallMs / 1000;
	return {
		...result,
		scenario: scenario.key,
		run,
		posted,
		failed: rows - posted,
		duplicates,
		strays,
		tokenRequests: after.tokenRequests - before.tokenRequests,
		throttled: after.throttled - before.throttled,
		cpuPerRowMs: result.cpuMs / rows,
		rowsPerSecond: rows / wallS,
		floorRatio: scenario.cap ? wallS / (rows / scenario.cap) : Number.NaN,
	};
}

function progressLine(figures: RunFigures, runs: number): string {
	const parts = [
		`wall ${fmt(figures.wallMs / 1000, 2)} s`,
		Number.isFinite(figures.floorRatio) ? `floor ratio ${fmt(figures.floorRatio, 3)}` : undefined,
		`posted ${figures.posted}`,
		`failed ${figures.failed}`,
		`duplicates ${figures.duplicates}`,
		`tokens ${figures.tokenRequests}`,
		`429s ${figures.throttled}`,
		`CPU ${fmt(figures.cpuPerRowMs, 2)} ms/row`,
		`peak RSS ${fmt(figures.maxRssMb, 0)} MB`,
	].filter(Boolean);
	const mismatch =
		figures.reportedPosted !== figures.posted ? ` (the workflow reported ${figures.reportedPosted} posted, the ledger has ${figures.posted})` : '';
	return `  [${figures.scenario} ${figures.run}/${runs}] ${VARIANT_LABEL[figures.variant].padEnd(18)} ${figures.rows} rows: ${parts.join(', ')}${mismatch}`;
}

// ---- tables ------------------------------------------------------------------------------------------------------

interface Figure {
	label: string;
	decimals: number;
	get(figures: RunFigures): number;
}

const FIGURES: Figure[] = [
	{ label: 'wall time (s)', decimals: 2, get: (f) => f.wallMs / 1000 },
	{ label: 'rows per second', decimals: 2, get: (f) => f.rowsPerSecond },
	{ label: 'wall / floor (floor = rows / cap)', decimals: 3, get: (f) => f.floorRatio },
	{ label: 'rows posted (in athena’s ledger)', decimals: 0, get: (f) => f.posted },
	{ label: 'rows failed (not in the ledger)', decimals: 0, get: (f) => f.failed },
	{ label: 'duplicates in the ledger', decimals: 0, get: (f) => f.duplicates },
	{ label: 'token requests', decimals: 0, get: (f) => f.tokenRequests },
	{ label: '429 answers from athena', decimals: 0, get: (f) => f.throttled },
	{ label: 'CPU time per row (ms)', decimals: 3, get: (f) => f.cpuPerRowMs },
	{ label: 'peak memory: max RSS (MB)', decimals: 0, get: (f) => f.maxRssMb },
	{ label: 'peak V8 heap during the run (MB)', decimals: 1, get: (f) => f.peakHeapMb },
	{ label: 'heap kept after the run, above the start (MB)', decimals: 1, get: (f) => f.heapAfterMb - f.heapBeforeMb },
];

function markdownTable(header: string[], rows: string[][]): string[] {
	const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
	return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function scenarioTable(results: RunFigures[]): { lines: string[]; medians: Record<Variant, Record<string, number>> } {
	const medians = { node: {}, http: {} } as Record<Variant, Record<string, number>>;
	const rows: string[][] = [];
	for (const figure of FIGURES) {
		const values = VARIANTS.map((variant) => median(results.filter((r) => r.variant === variant).map(figure.get)));
		if (values.every((value) => !Number.isFinite(value))) continue;
		VARIANTS.forEach((variant, i) => (medians[variant][figure.label] = values[i]));
		rows.push([figure.label, fmt(values[0], figure.decimals), fmt(values[1], figure.decimals), ratio(values[0], values[1])]);
	}
	return { lines: markdownTable(['figure (median)', VARIANT_LABEL.node, VARIANT_LABEL.http, '(a) / (b)'], rows), medians };
}

function failureLines(results: RunFigures[]): string[] {
	const lines: string[] = [];
	for (const variant of VARIANTS) {
		const counts: Record<string, number> = {};
		for (const result of results.filter((r) => r.variant === variant)) {
			for (const [message, count] of Object.entries(result.failureMessages)) counts[message] = (counts[message] ?? 0) + count;
		}
		const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
		const runs = results.filter((r) => r.variant === variant).length;
		if (!entries.length) lines.push(`- ${VARIANT_LABEL[variant]}: no row reported failed in ${runs} runs.`);
		else lines.push(`- ${VARIANT_LABEL[variant]}, failed rows over ${runs} runs: ${entries.map(([message, count]) => `${count}× “${message}”`).join('; ')}`);
	}
	return lines;
}

// ---- machine -----------------------------------------------------------------------------------------------------

function machine(n8nModules: string): string[] {
	let cpuModel = cpus()[0]?.model ?? 'unknown';
	try {
		const line = readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find((text) => text.startsWith('model name'));
		if (line) cpuModel = line.split(':')[1].trim();
	} catch {
		// not Linux: os.cpus() is enough
	}
	const version = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
	return [
		`- CPU: ${cpuModel}, ${cpus().length} cores`,
		`- RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
		`- Node.js ${process.version} (${process.platform} ${process.arch}), every run in its own process`,
		`- n8n-core ${version(require.resolve('n8n-core/package.json'))}, n8n-workflow ${version(require.resolve('n8n-workflow/package.json'))} (the engine harness, test/harness)`,
		`- n8n-nodes-base ${version(join(n8nModules, 'n8n-nodes-base', 'package.json'))} (HTTP Request node v${HTTP_REQUEST_VERSION}, oAuth2Api credential) from ${relative(ROOT, n8nModules)}`,
	];
}

/** A hash of the node's and credential's sources, so a result names the code it measured (others may edit it). */
function sourceHash(): string {
	const hash = createHash('sha256');
	const walk = (dir: string) => {
		for (const name of readdirSync(dir).sort()) {
			const file = join(dir, name);
			if (statSync(file).isDirectory()) walk(file);
			else hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
		}
	};
	walk(join(ROOT, 'nodes'));
	walk(join(ROOT, 'credentials'));
	return hash.digest('hex').slice(0, 12);
}

function gitState(): string {
	try {
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], { cwd: ROOT, encoding: 'utf8' }).trim();
		return `git ${head}${dirty ? ', with uncommitted changes in nodes/ or credentials/' : ''}`;
	} catch {
		return 'not a git checkout';
	}
}

// ---- main --------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const started = Date.now();
	const argv = process.argv.slice(2);
	const options = parseOptions(argv);
	const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
	const sourcesAtStart = sourceHash();
	const gitAtStart = gitState();
	const install = await ensureN8n(N8N_NEWEST);
	const n8nModules = join(install.dir, 'node_modules');
	const sim = await startSimulator();
	const report: string[] = [];
	const say = (line = '') => {
		console.log(line);
		report.push(line);
	};
	const all: RunFigures[] = [];
	let summaryFloor = Number.NaN;
	let cpuRatio = Number.NaN;
	let memSlope = Number.NaN;
	const notes: string[] = [];
	let memoryVerdict: string | undefined;
	let overheadResults: RunFigures[] = [];

	try {
		say('# Benchmark: Record Payment through this node vs the HTTP Request node');
		say();
		say(`Date: ${new Date().toISOString()}  `);
		say(
			`Command: \`${command}\` (rows ${options.rows}; runs: ${options.runs} of (1), ${options.overheadRuns} of (2) and (2b); cap ${options.cap}/s; latency ${options.latencyMs} ms; memory rows ${options.memRows.join('/')} × ${options.memRuns} runs)`,
		);
		say();
		say('## Machine');
		say();
		for (const line of machine(n8nModules)) say(line);
		say(`- Code measured: node and credential sources sha256 ${sourcesAtStart} (${gitAtStart})`);
		say(`- Load average when the bench started: ${loadavg().map((load) => load.toFixed(2)).join(', ')} (1, 5, 15 min; the machine may be shared)`);
		say();
		say('## Workload');
		say();
		say(`The same sheet for every run: row i = patient (i mod 2000) + 1, a department, CASH / CHECK (with check number) / MC/VISA (with last 4) in turn, a unique amount ("1.00", "1.01", …) as Other Amount, post date 12/01/2026. Both variants run Trigger → posting node through n8n-core's WorkflowExecute (test/harness) with the real OAuth2 client-credentials flow, against the athena simulator (test/simulator) in the parent process. Rows posted, failed and duplicated are counted in the simulator's ledger, not taken from the workflow's word. Figures are medians over the runs; each run is a new worker process (CPU = user + system time of that process during the execution; peak memory = its max RSS).`);

		for (const scenario of [cappedScenario(options), overheadScenario()]) {
			if (!options.only.has(scenario.key)) continue;
			say();
			say(`## ${scenario.title}`);
			say();
			for (const line of scenario.describe) say(`- ${line}`);
			say();
			const results: RunFigures[] = [];
			const runs = scenario.key === 'capped' ? options.runs : options.overheadRuns;
			for (let run = 1; run <= runs; run++) {
				for (const variant of VARIANTS) {
					const figures = await measure(sim, n8nModules, scenario, variant, options.rows, run);
					console.log(progressLine(figures, runs));
					results.push(figures);
				}
			}
			all.push(...results);
			say();
			const { lines, medians } = scenarioTable(results);
			for (const line of lines) say(line);
			say();
			for (const line of failureLines(results)) say(line);
			if (scenario.key === 'capped') {
				summaryFloor = medians.node['wall / floor (floor = rows / cap)'];
				say(`- Floor: ${options.rows} rows / ${options.cap} per second = ${fmt(options.rows / options.cap, 1)} s.`);
			} else {
				cpuRatio = medians.node['CPU time per row (ms)'] / medians.http['CPU time per row (ms)'];
				overheadResults = results;
			}
		}

		if (options.only.has('history')) {
			const scenario = historyScenario(options);
			say();
			say(`## ${scenario.title}`);
			say();
			say(
				`- The node keeps a record of each payment it posted in the workflow's static data (up to 20,000; posting/memory/index.ts) to explain skipped rows. A workflow that has posted ${options.earlier.toLocaleString('en-US')} payments before starts with that many. Same settings as (2); the HTTP Request node keeps nothing, so its column is (2) again.`,
			);
			say();
			const results: RunFigures[] = [];
			for (let run = 1; run <= options.overheadRuns; run++) {
				const figures = await measure(sim, n8nModules, scenario, 'node', options.rows, run);
				console.log(progressLine(figures, options.overheadRuns));
				results.push(figures);
			}
			all.push(...results);
			const fresh = overheadResults.filter((f) => f.variant === 'node');
			const http = overheadResults.filter((f) => f.variant === 'http');
			const rows = FIGURES.filter((figure) => !figure.label.startsWith('wall / floor')).map((figure) => {
				const history = median(results.map(figure.get));
				const http2 = median(http.map(figure.get));
				return [figure.label, fmt(history, figure.decimals), fmt(median(fresh.map(figure.get)), figure.decimals), fmt(http2, figure.decimals), ratio(history, http2)];
			});
			for (const line of markdownTable(
				['figure (median)', `${VARIANT_LABEL.node}, ${options.earlier.toLocaleString('en-US')} earlier postings`, `${VARIANT_LABEL.node}, new workflow (2)`, `${VARIANT_LABEL.http} (2)`, 'first / HTTP Request'],
				rows,
			))
				say(line);
			say();
			for (const line of failureLines(results).slice(0, 1)) say(line);
			const slower = median(results.map((f) => f.cpuPerRowMs)) / median(fresh.map((f) => f.cpuPerRowMs));
			notes.push(
				`Not a target, for the owner: with ${options.earlier.toLocaleString('en-US')} earlier postings remembered, CPU per row is ${fmt(slower, 2)}x that of a new workflow (${fmt(median(results.map((f) => f.cpuPerRowMs)), 3)} vs ${fmt(median(fresh.map((f) => f.cpuPerRowMs)), 3)} ms).`,
			);
		}

		if (options.only.has('memory')) {
			const scenario = memoryScenario();
			say();
			say(`## Memory: this node with ${options.memRows.join(', ')} rows`);
			say();
			say(`- Same settings as (2): no latency, no cap, token stored, Requests per Second 1000, Concurrency 20, Duplicate Check By Payment Details; ${options.memRuns} runs per size, medians.`);
			say();
			const bySize: Array<{ rows: number; results: RunFigures[] }> = [];
			for (const rows of options.memRows) {
				const results: RunFigures[] = [];
				for (let run = 1; run <= options.memRuns; run++) {
					const figures = await measure(sim, n8nModules, scenario, 'node', rows, run);
					console.log(progressLine(figures, options.memRuns));
					results.push(figures);
				}
				all.push(...results);
				bySize.push({ rows, results });
			}
			const med = (results: RunFigures[], get: (f: RunFigures) => number) => median(results.map(get));
			const table = bySize.map(({ rows, results }) => [
				String(rows),
				fmt(med(results, (f) => f.maxRssMb), 0),
				fmt(med(results, (f) => f.peakHeapMb), 1),
				fmt(med(results, (f) => f.heapAfterMb - f.heapBeforeMb), 1),
				fmt(med(results, (f) => f.wallMs / 1000), 2),
				fmt(med(results, (f) => f.cpuPerRowMs), 3),
				String(Math.max(...results.map((f) => f.failed))),
				String(Math.max(...results.map((f) => f.duplicates))),
			]);
			for (const line of markdownTable(
				['rows', 'peak RSS (MB)', 'peak heap (MB)', 'heap kept (MB)', 'wall (s)', 'CPU per row (ms)', 'failed (worst run)', 'duplicates (worst run)'],
				table,
			))
				say(line);
			say();
			const xs = bySize.map(({ rows }) => rows / 1000);
			const describeGrowth = (label: string, get: (f: RunFigures) => number, decimals: number) => {
				const ys = bySize.map(({ results }) => med(results, get));
				const line = leastSquares(xs, ys);
				// slope over the first half of the range vs over the second half
				const mid = xs.reduce((best, x) => (Math.abs(x - xs[xs.length - 1] / 2) < Math.abs(best - xs[xs.length - 1] / 2) ? x : best), xs[0]);
				const m = xs.indexOf(mid);
				const first = m > 0 ? (ys[m] - ys[0]) / (xs[m] - xs[0]) : Number.NaN;
				const second = m < xs.length - 1 ? (ys[ys.length - 1] - ys[m]) / (xs[xs.length - 1] - xs[m]) : Number.NaN;
				const growth = second / first;
				const verdict = !Number.isFinite(growth)
					? 'not enough sizes to tell'
					: growth > 1.25
						? 'FASTER than linear'
						: growth < 0.75
							? 'slower than linear'
							: 'linear';
				say(
					`- ${label}: ${fmt(line.slope, decimals)} per 1,000 rows (least squares, R² ${fmt(line.r2, 3)}, intercept ${fmt(line.intercept, 1)}); slope ${xs[0]}k→${mid}k ${fmt(first, decimals)}, ${mid}k→${xs[xs.length - 1]}k ${fmt(second, decimals)}: second / first = ${fmt(growth, 2)} → ${verdict}.`,
				);
				return { slope: line.slope, growth, verdict };
			};
			const rss = describeGrowth('Peak RSS (MB)', (f) => f.maxRssMb, 1);
			describeGrowth('Peak V8 heap (MB)', (f) => f.peakHeapMb, 1);
			describeGrowth('Heap kept after the run (MB)', (f) => f.heapAfterMb - f.heapBeforeMb, 2);
			const cpu = describeGrowth('CPU time of the run (s)', (f) => f.cpuMs / 1000, 2);
			memSlope = rss.slope;
			const memoryMet = rss.verdict === 'FASTER than linear' ? 'MISSED' : Number.isFinite(rss.growth) ? 'met' : 'not measured (needs 3 sizes)';
			memoryVerdict = `Memory growing no faster than linearly in rows (peak RSS): ${memoryMet} (second-half / first-half slope ${fmt(rss.growth, 2)}).`;
			if (cpu.verdict === 'FASTER than linear') notes.push(`CPU time grows faster than linearly with rows (second-half / first-half slope ${fmt(cpu.growth, 2)}): see the CPU per row column.`);
		}
	} finally {
		await sim.close();
	}

	const nodeRuns = all.filter((f) => f.variant === 'node');
	const worstFailed = nodeRuns.length ? Math.max(...nodeRuns.map((f) => f.failed)) : Number.NaN;
	const worstDuplicates = nodeRuns.length ? Math.max(...nodeRuns.map((f) => f.duplicates)) : Number.NaN;
	const cappedNode = nodeRuns.filter((f) => f.scenario === 'capped');
	const verdicts: string[] = [];
	if (options.only.has('capped')) {
		verdicts.push(
			`Under the cap, wall time within 1.1x of the floor: ${summaryFloor <= 1.1 ? 'met' : 'MISSED'} (${fmt(summaryFloor, 3)}x).`,
			`Under the cap, zero failed rows and zero duplicates: ${cappedNode.every((f) => f.failed === 0 && f.duplicates === 0) ? 'met' : 'MISSED'} (worst run: ${Math.max(...cappedNode.map((f) => f.failed))} failed, ${Math.max(...cappedNode.map((f) => f.duplicates))} duplicates).`,
		);
	}
	if (options.only.has('overhead')) {
		verdicts.push(`Without latency, CPU per row no worse than the HTTP Request node's: ${cpuRatio <= 1 ? 'met' : 'MISSED'} (${fmt(cpuRatio, 3)}x).`);
	}
	if (memoryVerdict) verdicts.push(memoryVerdict);
	const sourcesAtEnd = sourceHash();
	if (sourcesAtEnd !== sourcesAtStart) {
		notes.unshift(
			`WARNING: the node's sources changed while the bench ran (sha256 ${sourcesAtStart} → ${sourcesAtEnd}, ${gitState()}): runs measured different code. Run it again.`,
		);
	}
	say();
	say('## Targets');
	say();
	for (const line of [...verdicts, ...notes]) say(`- ${line}`);
	const num = (value: number, decimals: number) => (Number.isFinite(value) ? value.toFixed(decimals) : 'n/a');
	const summary = `bench: floor_ratio=${num(summaryFloor, 3)} failed=${num(worstFailed, 0)} duplicates=${num(worstDuplicates, 0)} cpu_ratio=${num(cpuRatio, 3)} mem_per_1k_rows_mb=${num(memSlope, 1)}`;
	say();
	say('## Summary line');
	say();
	say('`failed` and `duplicates` are the worst single run of this node over every scenario; `floor_ratio` is the median of (1); `cpu_ratio` the medians of (2); `mem_per_1k_rows_mb` the least-squares slope of peak RSS in the memory run.');
	say();
	say('```');
	say(summary);
	say('```');
	say();
	say('## Every run');
	say();
	for (const line of markdownTable(
		['scenario', 'run', 'variant', 'rows', 'wall (s)', 'posted', 'failed', 'dup', 'tokens', '429s', 'CPU/row (ms)', 'max RSS (MB)', 'peak heap (MB)', 'workflow said posted'],
		all.map((f) => [
			f.scenario,
			String(f.run),
			VARIANT_LABEL[f.variant],
			String(f.rows),
			fmt(f.wallMs / 1000, 2),
			String(f.posted),
			String(f.failed),
			String(f.duplicates),
			String(f.tokenRequests),
			String(f.throttled),
			fmt(f.cpuPerRowMs, 3),
			fmt(f.maxRssMb, 0),
			fmt(f.peakHeapMb, 1),
			String(f.reportedPosted),
		]),
	))
		say(line);
	say();
	say(`Bench time: ${fmt((Date.now() - started) / 1000, 0)} s. Load average at the end: ${loadavg().map((load) => load.toFixed(2)).join(', ')}.`);
	writeFileSync(options.out, report.join('\n') + '\n');
	console.log(`(written to ${relative(ROOT, options.out)})`);
	console.log(summary);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
