/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The real-n8n end-to-end suite: ensures the pinned n8n lines (cached in .cache/), builds and packs the project
 * once, then runs every test file in test/e2e/ (node's test runner, one file at a time: each boots its own n8n).
 *
 *   npm run e2e                              # all files, all pinned n8n lines (2.41.1, 2.8.4, 1.123.81)
 *   npm run e2e -- smoke                     # only files whose name contains "smoke"
 *   E2E_N8N_VERSIONS=2.41.1 npm run e2e      # one line only
 *   E2E_TARBALL=old.tgz npm run e2e          # a tarball packed elsewhere instead of this tree
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { log, ROOT, secs, timed } from './lib/common';
import { ensureN8n, N8N_LINES } from './lib/n8n-install';
import { buildAndPack } from './lib/pack';

async function main(): Promise<number> {
	const begin = Date.now();
	const filters = process.argv.slice(2);
	const dir = path.join(ROOT, 'test', 'e2e');
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.ts') && f !== 'helpers.ts')
		.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
		.sort()
		.map((f) => path.join('test', 'e2e', f));
	if (files.length === 0) {
		log(`e2e: no test files match ${filters.join(' ')}`);
		return 1;
	}
	const versions = process.env.E2E_N8N_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean) ?? [...N8N_LINES];
	for (const v of versions) await timed(`e2e: n8n ${v} install`, () => ensureN8n(v));
	// E2E_TARBALL: run the suite on another build of the package (e.g. an older commit packed elsewhere).
	const given = process.env.E2E_TARBALL ? path.resolve(process.env.E2E_TARBALL) : undefined;
	if (given && !fs.existsSync(given)) throw new Error(`E2E_TARBALL: ${given} not found`);
	const tarball = given ?? (await timed('e2e: build and pack', () => buildAndPack()));
	if (given) log(`e2e: package from E2E_TARBALL ${given}`);
	log(`e2e: running ${files.join(', ')} on n8n ${versions.join(', ')}`);
	const code = await new Promise<number>((resolve) => {
		const child = spawn(
			process.execPath,
			[path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
			{
				cwd: ROOT,
				stdio: 'inherit',
				env: { ...process.env, E2E_TARBALL: tarball, E2E_N8N_VERSIONS: versions.join(',') },
			},
		);
		child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)));
	});
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
