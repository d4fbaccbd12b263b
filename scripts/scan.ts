/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * n8n's static scanner for community packages (@n8n/scan-community-package, `analyzePackage`), the check n8n runs on
 * a package before verifying it, on what npm would publish: the tarball `npm pack` makes, unpacked. Then on the source
 * files n8n's scan reads from the provenance-attested repository (its SOURCE_FILE_PATTERNS: package.json, nodes/,
 * credentials/). Fails on any violation.
 *
 *   npm run scan                 # builds, packs into .cache/pack/, scans
 *   npm run scan -- --no-build   # packs the dist/ that is there
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { log, ROOT, run, secs } from './lib/common';
import { buildAndPack } from './lib/pack';

/** The scanner's module (an ES module without type declarations; see scan-community-package.d.ts). */
const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';

type Scanner = typeof import('@n8n/scan-community-package/scanner/scanner.mjs');

async function main(): Promise<number> {
	const begin = Date.now();
	const { analyzePackage, SOURCE_FILE_PATTERNS } = (await import(pathToFileURL(require.resolve(SCANNER)).href)) as Scanner;
	const tarball = await buildAndPack({ build: !process.argv.includes('--no-build') });
	const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-community-package-'));
	try {
		await run('tar', ['-xzf', tarball, '-C', unpacked]);
		const checks: Array<[string, string, string[] | undefined]> = [
			['packed tarball', path.join(unpacked, 'package'), undefined],
			['source (package.json, nodes/, credentials/)', ROOT, SOURCE_FILE_PATTERNS],
		];
		let failed = false;
		for (const [what, dir, patterns] of checks) {
			const start = Date.now();
			const result = await analyzePackage(dir, patterns);
			log(`scan ${what}: ${result.passed ? 'passed' : `FAILED: ${result.message}`} in ${secs(start)}`);
			if (!result.passed) {
				failed = true;
				if (result.details) console.log(result.details);
			}
		}
		log(`scan: ${failed ? 'FAILED' : 'passed'} in ${secs(begin)} (${path.relative(ROOT, tarball)})`);
		return failed ? 1 : 0;
	} finally {
		fs.rmSync(unpacked, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e);
		process.exit(1);
	},
);
