/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * `npm run demo`: the package in a real n8n, end to end, on this machine alone.
 *
 * Ensures the pinned n8n (2.41.1) and its Node 24 (first run: several minutes of installs, cached in .cache/),
 * builds (when the sources changed) and packs the package, installs the tarball into a temporary n8n user folder
 * the way users install community packages, starts the athena simulator, writes a CSV of a day's payments (good
 * rows of every method, a row typed twice, malformed rows, rows athena refuses), imports a simulator credential and
 * the scheduled-posting example, runs it with n8n's CLI, prints each row's outcome and the totals, and stops
 * everything it started (also on an error or Ctrl-C).
 *
 * On success the last line is `demo: rows=<n> posted=<n> skipped=<n> invalid=<n> failed=<n> unknown=<n>` (exit 0);
 * on a failure it is `demo: FAILED: <reason>` (exit 1).
 */
import * as fs from 'fs';
import * as path from 'path';
import { log, ROOT, secs } from './lib/common';
import { ensureN8n, N8N_NEWEST } from './lib/n8n-install';
import { tempDir } from './lib/n8n-instance';
import { buildAndPack } from './lib/pack';
import {
	cliN8n,
	EXAMPLE_FILES,
	loadExample,
	nodeOutput,
	parseCsv,
	POSTING_BATCHES_NODE,
	POSTING_READ_NODE,
	POSTING_WRITE_NODE,
	postingExampleFiles,
	prepareExample,
	samplePayments,
	samplePaymentsCsv,
	simulatorCredential,
} from '../test/e2e/helpers';
import { startSimulator } from '../test/simulator';

const STATUSES = ['posted', 'skipped', 'invalid', 'failed', 'unknown'] as const;

const cleanups: Array<() => Promise<unknown> | unknown> = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
	cleaning ??= (async () => {
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch {
				/* keep cleaning */
			}
		}
	})();
	return cleaning;
}

/** mm/dd/yyyy in US Eastern (athena's clock), `daysAgo` days back. */
function easternDate(daysAgo = 0): string {
	return new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		new Date(Date.now() - daysAgo * 86_400_000),
	);
}

function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
	}
	return newest;
}

/** Whether dist/ is missing or older than any source it is built from. */
function needsBuild(): boolean {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const outputs: string[] = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].map((f: string) => path.join(ROOT, f));
	if (!outputs.every((f) => fs.existsSync(f))) return true;
	const built = Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
	const sources = Math.max(
		newestMtime(path.join(ROOT, 'nodes')),
		newestMtime(path.join(ROOT, 'credentials')),
		...['package.json', 'tsconfig.build.json', 'gulpfile.js'].map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs),
	);
	return sources > built;
}

function table(headers: string[], rows: string[][]): string {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
	return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function clip(s: string, n: number): string {
	return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

async function main(): Promise<string> {
	const begin = Date.now();
	log('demo: n8n-nodes-athenahealth in a real n8n, posting a day of payments to the athena simulator');

	// 1. n8n and its Node (minutes on a first run; reused afterwards).
	const install = await ensureN8n(N8N_NEWEST);

	// 2. The package as users get it: built, packed, installed from the tarball into a fresh user folder.
	const work = tempDir('athena-demo-');
	cleanups.push(() => fs.rmSync(work, { recursive: true, force: true }));
	const build = needsBuild();
	log(build ? 'demo: building the package (dist/ is missing or older than the sources) ...' : 'demo: dist/ is up to date with the sources: packing it');
	const tarball = await buildAndPack({ build, destination: path.join(work, 'pack') });
	const n8n = await cliN8n({ version: install.version, tarball, userFolder: path.join(work, 'n8n') });

	// 3. athena: the simulator, its close date a month back so today's payments post.
	const sim = await startSimulator({ closeDate: easternDate(30) });
	cleanups.push(() => sim.close());
	log(`demo: athena simulator on ${sim.url} (practice 195900, close date ${easternDate(30)})`);

	// 4. A day of payments: 25 rows.
	const all = samplePayments(easternDate(), easternDate(40));
	const dropped = new Set(['115', '116', '117', '118', 'abc']);
	const rows = all.filter((r) => !dropped.has(r.fields.patient_id ?? '')).map((r, i) => ({ ...r, fields: { ...r.fields, row: String(i + 1) } }));
	const files = postingExampleFiles(n8n.filesDir);
	const [input, results, batches] = [files[POSTING_READ_NODE], files[POSTING_WRITE_NODE], files[POSTING_BATCHES_NODE]];
	fs.writeFileSync(input, samplePaymentsCsv(rows));
	log(`demo: wrote ${rows.length} payment rows to ${input}`);

	// 5. Credential and the scheduled-posting example (only its file paths and credential id changed), then run it.
	const credentialId = 'demoSimCred01';
	await n8n.importCredential(simulatorCredential(sim.url, credentialId));
	const example = loadExample(EXAMPLE_FILES.posting);
	await n8n.importWorkflow(prepareExample(example, { credentialId, files }));
	log(`demo: credential and "${example.name}" imported; running it with n8n execute ...`);
	const run = await n8n.execute(example.id);
	if (!run.ok) throw new Error(`the workflow failed: ${run.error?.message ?? JSON.stringify(run.error)}`);

	// 6. Each row's outcome, from the results CSV the workflow wrote.
	const lines = parseCsv(fs.readFileSync(results, 'utf8'));
	const posted = nodeOutput(run, 'Record payment');
	const amountOf = (line: Record<string, string>, i: number) =>
		posted[i]?.totalAmount ?? [line.copay, line.other_amount].filter(Boolean).join(' + ');
	console.log('');
	console.log(
		table(
			['row', 'patient', 'method', 'amount', 'status', 'batch ID or reason'],
			lines.map((l, i) => [l.row, l.patient_id, l.method, amountOf(l, i), l.status, l.payment_batch_id || clip(l.message.replace(/^Invalid input in (item|row) \d+: /, ''), 90)]),
		),
	);
	const counts = Object.fromEntries(STATUSES.map((s) => [s, lines.filter((l) => l.status === s).length])) as Record<(typeof STATUSES)[number], number>;
	const totalPosted = posted.filter((p) => p?.status === 'posted').reduce((sum, p) => sum + Math.round(Number(p.totalAmount) * 100), 0);
	const ledger = sim.ledger().filter((e) => e.kind === 'record');
	console.log('');
	console.log(`Totals: ${lines.length} rows; ${STATUSES.map((s) => `${counts[s]} ${s}`).join(', ')}; $${(totalPosted / 100).toFixed(2)} posted.`);
	console.log(`athena (the simulator) stored ${ledger.length} payments in ${new Set(ledger.map((e) => e.paymentbatchid)).size} payment batches.`);
	console.log(`Results CSV as the workflow wrote it: ${results} (removed when the demo ends).`);
	const batchLines = parseCsv(fs.readFileSync(batches, 'utf8'));
	console.log(`Batch report CSV (one line per payment batch, to tick off in athenaOne): ${batchLines.length} batches, ${batches}.`);
	if (ledger.length !== counts.posted) throw new Error(`athena stored ${ledger.length} payments but ${counts.posted} rows say posted`);
	log(`demo: done in ${secs(begin)}`);
	return `demo: rows=${lines.length} posted=${counts.posted} skipped=${counts.skipped} invalid=${counts.invalid} failed=${counts.failed} unknown=${counts.unknown}`;
}

/**
 * The demo's own child processes and theirs (an `n8n import`/`execute` in flight and its task runner), read from
 * /proc. n8n waits for a running execution to end before it honours SIGINT or SIGTERM, so they get SIGKILL.
 */
function killDescendants(): void {
	if (!fs.existsSync('/proc')) return;
	const children = new Map<number, number[]>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
		} catch {
			/* gone */
		}
	}
	const descendants: number[] = [];
	const walk = (pid: number) => {
		for (const child of children.get(pid) ?? []) {
			descendants.push(child);
			walk(child);
		}
	};
	walk(process.pid);
	for (const pid of descendants) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		log(`demo: ${signal}: stopping what the demo started ...`);
		killDescendants();
		void cleanUp().finally(() => {
			console.log(`demo: interrupted (${signal})`);
			process.exit(130);
		});
	});
}

main().then(
	async (summary) => {
		await cleanUp();
		console.log(summary);
		process.exit(0);
	},
	async (error) => {
		console.error(error instanceof Error ? error.stack ?? error.message : String(error));
		await cleanUp();
		// No summary line on failure: a last line that looks like a result would hide it.
		console.log(`demo: FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
		process.exit(1);
	},
);
