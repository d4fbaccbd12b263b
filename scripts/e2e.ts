/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The real-n8n end-to-end suite: ensures the pinned n8n lines (cached in .cache/), builds and packs the project
 * once, then runs every test file in test/e2e/ (node's test runner, one file at a time: each boots its own n8n).
 *
 *   npm run e2e                              # all files, all pinned n8n lines (2.41.1, 2.8.4, 1.123.81)
 *   npm run e2e -- smoke                     # only files whose name contains "smoke"
 *   E2E_N8N_VERSIONS=2.41.1 npm run e2e      # one line only
 *   E2E_PARALLEL=1 npm run e2e               # the lines one after the other (default 2 side by side)
 *   E2E_TARBALL=old.tgz npm run e2e          # a tarball packed elsewhere instead of this tree
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { log, ROOT, secs, timed } from './lib/common';
import { ensureN8n, N8N_LINES, N8N_NEWEST, N8N_V1, runtimeFor } from './lib/n8n-install';
import { buildAndPack } from './lib/pack';

/**
 * The lines run side by side, E2E_PARALLEL [2] at a time (the machine has 2 cores; n8n mostly waits): the newest line,
 * which runs the most files (queue mode, the editor, the Trigger's pollers), in a slot of its own, the others one
 * after the other in the second slot. Each line's output is prefixed with its version.
 */
function slotsFor(versions: string[], parallel: number): string[][] {
	if (parallel <= 1 || versions.length <= 1) return [versions];
	const [first, ...rest] = versions;
	const slots: string[][] = [[first]];
	rest.forEach((version, index) => {
		const slot = 1 + (index % Math.max(1, parallel - 1));
		(slots[slot] ??= []).push(version);
	});
	return slots;
}

function runLine(version: string, files: string[], tarball: string, prefixed: boolean): Promise<number> {
	return new Promise<number>((resolve) => {
		const child = spawn(
			process.execPath,
			[path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
			{
				cwd: ROOT,
				stdio: prefixed ? ['ignore', 'pipe', 'pipe'] : 'inherit',
				env: { ...process.env, E2E_TARBALL: tarball, E2E_N8N_VERSIONS: version },
			},
		);
		if (prefixed) {
			for (const stream of [child.stdout!, child.stderr!]) {
				let partial = '';
				stream.on('data', (chunk: Buffer) => {
					const lines = (partial + chunk.toString()).split('\n');
					partial = lines.pop() ?? '';
					for (const line of lines) process.stdout.write(`[${version}] ${line}\n`);
				});
				stream.on('end', () => partial && process.stdout.write(`[${version}] ${partial}\n`));
			}
		}
		child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)));
	});
}

async function main(): Promise<number> {
	const begin = Date.now();
	const filters = process.argv.slice(2);
	const dir = path.join(ROOT, 'test', 'e2e');
	// Test files are those that use node:test; the rest (helpers.ts, editorPage.ts, paymentSheet.ts) are modules they import.
	const isTestFile = (f: string) => f.endsWith('.ts') && /from 'node:test'/.test(fs.readFileSync(path.join(dir, f), 'utf8'));
	const files = fs
		.readdirSync(dir)
		.filter(isTestFile)
		.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
		.sort()
		.map((f) => path.join('test', 'e2e', f));
	if (files.length === 0) {
		log(`e2e: no test files match ${filters.join(' ')}`);
		return 1;
	}
	const versions = process.env.E2E_N8N_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean) ?? [...N8N_LINES];
	const parallel = Math.max(1, Number(process.env.E2E_PARALLEL ?? 2) || 1);
	const slots = slotsFor(versions, parallel);
	// Node 24 first (lines share it) and the package once; then each slot installs a line and runs it, so a slot's
	// tests start as soon as its own line is installed (the 1.x install is the longest).
	if (versions.some((v) => v !== N8N_V1)) await runtimeFor(N8N_NEWEST);
	// E2E_TARBALL: run the suite on another build of the package (e.g. an older commit packed elsewhere).
	const given = process.env.E2E_TARBALL ? path.resolve(process.env.E2E_TARBALL) : undefined;
	if (given && !fs.existsSync(given)) throw new Error(`E2E_TARBALL: ${given} not found`);
	const tarball = given ?? (await timed('e2e: build and pack', () => buildAndPack()));
	if (given) log(`e2e: package from E2E_TARBALL ${given}`);
	log(`e2e: running ${files.join(', ')} on n8n ${slots.map((slot) => slot.join(' then ')).join(' | beside | ')}`);
	const codes = await Promise.all(
		slots.map(async (slot) => {
			const results: number[] = [];
			for (const version of slot) {
				await timed(`e2e: n8n ${version} install`, () => ensureN8n(version));
				const start = Date.now();
				const code = await runLine(version, files, tarball, slots.length > 1);
				log(`e2e: n8n ${version} ${code === 0 ? 'passed' : 'FAILED'} in ${secs(start)}`);
				results.push(code);
			}
			return results;
		}),
	);
	const code = codes.flat().some((c) => c !== 0) ? 1 : 0;
	log(`e2e: ${code === 0 ? 'passed' : 'FAILED'} in ${secs(begin)}`);
	return code;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e);
		process.exit(1);
	},
);
