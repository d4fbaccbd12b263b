/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Ensures a pinned n8n release in the project-local cache `.cache/n8n-<version>/` (reused when present, keyed on
 * the version). Two lines are supported:
 *   NEWEST  n8n 2.41.1 on Node 24 (from ./node24; n8n 2.37+ requires Node 24; 2.41.3 failed with ETARGET)
 *   OLDER   n8n 2.8.4  on the system Node 20 (needs overrides.xlsx = 0.18.5: n8n-nodes-base points xlsx at a CDN
 *           tarball that cannot be reached)
 *   V1      n8n 1.123.81 (the last 1.x) on the system Node 20, with N8N_EXPRESSION_ENGINE=legacy (isolated-vm ships
 *           no Node 20 build, and installs run without scripts), same xlsx override
 * Installed (npm ci from the committed lockfile, else npm install) with --ignore-scripts (an optional Kafka client's native build fails and would roll back everything),
 * then sqlite3 is compiled from source (its prebuilt download is unreachable). A marker file is written only after
 * a complete install, so an interrupted install is redone from scratch.
 *
 * When scripts/n8n-locks/n8n-<version>.package-lock.json exists, the install is `npm ci` from it: the exact tree
 * that was verified to boot (the registry's ranges move: 2.8.4 broke twice that way, see installManifest).
 *
 *   npx tsx scripts/lib/n8n-install.ts [newest|older|v1|all|<version>]
 *   npx tsx scripts/lib/n8n-install.ts save-lock <version>...     # after a fresh install booted and ran
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { CACHE, exists, isMain, log, pathWith, ROOT, run, secs, writeFile } from './common';
import { ensureNode24, node24Dir } from './node24';

export const N8N_NEWEST = '2.41.1';
export const N8N_OLDER = '2.8.4';
/** The last 1.x release (npm `n8n@1.123`), which many self-hosted instances still run. */
export const N8N_V1 = '1.123.81';
export const N8N_LINES = [N8N_NEWEST, N8N_OLDER, N8N_V1] as const;

export interface N8nInstall {
	version: string;
	/** The install folder, `.cache/n8n-<version>`. */
	dir: string;
	/** The Node binary that runs this n8n (Node 24 for 2.37+, else the system Node). */
	nodeBin: string;
	/** `node_modules/n8n/bin/n8n`, to be run with `nodeBin`. */
	n8nBin: string;
	/** Environment for running node/npm of the right line: PATH with nodeBin's folder first, npm_config_nodedir. */
	env: NodeJS.ProcessEnv;
	/** Whether this n8n line knows the `mcp-registry` module (2.41 does; 2.8 refuses an unknown name). */
	hasMcpRegistryModule: boolean;
	/** Environment every n8n process of this line needs (1.x on Node 20: the legacy expression engine). */
	lineEnv: Record<string, string>;
}

function isV1(version: string): boolean {
	return version.split('.')[0] === '1';
}

function readMarker(file: string): { recipe?: string } | undefined {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function needsNode24(version: string): boolean {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 37);
}

/** Node binary and environment for running (and installing) a given n8n version. */
export async function runtimeFor(version: string): Promise<{ nodeBin: string; env: NodeJS.ProcessEnv }> {
	if (needsNode24(version)) {
		const nodeBin = await ensureNode24();
		return {
			nodeBin,
			env: { ...process.env, PATH: pathWith(path.dirname(nodeBin)), npm_config_nodedir: node24Dir() },
		};
	}
	return { nodeBin: process.execPath, env: { ...process.env, PATH: pathWith(path.dirname(process.execPath)) } };
}

/** Verified lockfiles of the n8n installs, one per version (committed). */
export const LOCK_DIR = path.join(ROOT, 'scripts', 'n8n-locks');

export function lockFileFor(version: string): string {
	return path.join(LOCK_DIR, `n8n-${version}.package-lock.json`);
}

/** Copies a working install's package-lock.json into scripts/n8n-locks/ (do it after the install booted and ran). */
export function saveLock(version: string): string {
	const src = path.join(n8nDir(version), 'package-lock.json');
	if (!exists(path.join(n8nDir(version), '.complete'))) throw new Error(`save-lock: no complete install of n8n ${version}`);
	const dest = lockFileFor(version);
	writeFile(dest, fs.readFileSync(src, 'utf8'));
	log(`save-lock: ${path.relative(ROOT, dest)}`);
	return dest;
}

export function n8nDir(version: string): string {
	return path.join(CACHE, `n8n-${version}`);
}

/**
 * The package.json of the install folder. Its `overrides` fix what the registry no longer resolves as it did when
 * that release came out; it is part of the cache key (a changed recipe reinstalls).
 */
export function installManifest(version: string): Record<string, unknown> {
	const pkg: Record<string, unknown> = {
		name: `n8n-${version}-install`,
		private: true,
		dependencies: { n8n: version },
	};
	if (isV1(version)) {
		pkg.overrides = {
			// n8n-nodes-base points xlsx at a CDN tarball that cannot be reached.
			xlsx: '0.18.5',
			// As on 2.8.4: 1.2.x requires @langchain/core >= 1.1.48 (n8n 1.123.81 pins 1.1.8), and `n8n start` fails
			// with "Command "start" not found" (seen; `import` and `execute` still load).
			'@langchain/langgraph-checkpoint': '1.0.0',
		};
	} else if (!needsNode24(version)) {
		pkg.overrides = {
			// n8n-nodes-base points xlsx at a CDN tarball that cannot be reached.
			xlsx: '0.18.5',
			// Floats to 1.2.x, which requires @langchain/core/utils/uuid (core >= 1.1.48) while n8n 2.8.4 pins
			// @langchain/core 1.1.8: every command then fails to load ("Command "start" not found").
			'@langchain/langgraph-checkpoint': '1.0.0',
			// `^1.0.0-beta.32` resolves to the registry's `latest`, 1.0.0-preview.6, which drags @opentelemetry/core
			// 0.10.2 to the top of node_modules; @sentry/opentelemetry then fails at boot with "Class extends value
			// undefined" ("There was an error initializing DB"). beta.36 matches the @opentelemetry 2.x/0.205 line.
			'@azure/monitor-opentelemetry-exporter': '1.0.0-beta.36',
		};
	}
	return pkg;
}

/**
 * Peer dependencies the committed lockfiles lack and n8n needs at run time. The lockfiles were resolved with
 * `legacy-peer-deps` (the project's .npmrc sets it, and `npm run …` passes it on to child npm processes as
 * npm_config_legacy_peer_deps), so npm left out non-optional peers. The one that matters: `date-fns` 2.x, a peer of
 * `ts-ics` and `date-fns-tz`, which n8n-nodes-base's Extract From File loads (every Extract From File run failed
 * with "Cannot find module 'date-fns'" on 2.41.1 and 2.8.4). A fresh resolution without legacy-peer-deps adds
 * date-fns 2.30.0 (seen with `npm install --dry-run` in .cache/n8n-2.41.1). Added next to the install without
 * touching its lock or marker (no reinstall); its one dependency, @babel/runtime, is in both trees.
 */
const MISSING_PEERS: ReadonlyArray<{ name: string; version: string; neededBy: string }> = [
	{ name: 'date-fns', version: '2.30.0', neededBy: 'ts-ics' },
];

async function ensureMissingPeers(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
	for (const peer of MISSING_PEERS) {
		const target = path.join(dir, 'node_modules', peer.name);
		if (!exists(path.join(dir, 'node_modules', peer.neededBy)) || exists(path.join(target, 'package.json'))) continue;
		const start = Date.now();
		const tmp = fs.mkdtempSync(path.join(dir, `.peer-${peer.name}-`));
		try {
			const { stdout } = await run('npm', ['pack', `${peer.name}@${peer.version}`, '--pack-destination', tmp, '--loglevel=error'], { cwd: tmp, env });
			const tgz = path.join(tmp, stdout.trim().split('\n').pop()!.trim());
			await run('tar', ['-xzf', tgz, '-C', tmp]);
			fs.rmSync(target, { recursive: true, force: true });
			// A rename: other processes never see a half-extracted package.
			fs.renameSync(path.join(tmp, 'package'), target);
			log(`n8n install ${path.basename(dir)}: added the missing peer ${peer.name}@${peer.version} (needed by ${peer.neededBy}) in ${secs(start)}`);
		} finally {
			fs.rmSync(tmp, { recursive: true, force: true });
		}
	}
}

/** Installs n8n@version into `.cache/n8n-<version>/` unless a complete install is there; returns how to run it. */
export async function ensureN8n(version: string = N8N_NEWEST): Promise<N8nInstall> {
	const dir = n8nDir(version);
	const marker = path.join(dir, '.complete');
	const { nodeBin, env } = await runtimeFor(version);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const result: N8nInstall = {
		version,
		dir,
		nodeBin,
		n8nBin,
		env,
		hasMcpRegistryModule: needsNode24(version),
		lineEnv: isV1(version) ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {},
	};
	const lockFile = lockFileFor(version);
	const lock = exists(lockFile) ? fs.readFileSync(lockFile, 'utf8') : undefined;
	const recipe = JSON.stringify(installManifest(version)) + (lock ? ` lock:${createHash('sha256').update(lock).digest('hex')}` : '');
	if (exists(marker) && exists(n8nBin) && readMarker(marker)?.recipe === recipe) {
		log(`n8n ${version}: reusing ${dir}`);
		await ensureMissingPeers(dir, env);
		return result;
	}
	const nodeVersion = (await run(nodeBin, ['--version'])).stdout.trim();
	log(`n8n ${version}: installing into ${dir} with Node ${nodeVersion} (about 2,200 packages, 2.7 GB) ...`);
	if (exists(dir)) {
		const rmStart = Date.now();
		fs.rmSync(dir, { recursive: true, force: true });
		log(`n8n ${version}: removed the incomplete or outdated install in ${secs(rmStart)}`);
	}
	const start = Date.now();
	fs.mkdirSync(dir, { recursive: true });
	const pkg = installManifest(version);
	writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
	if (lock) {
		// The exact tree that was verified: immune to the registry's ranges moving on.
		log(`n8n ${version}: npm ci from ${path.relative(ROOT, lockFile)}`);
		fs.writeFileSync(path.join(dir, 'package-lock.json'), lock);
		await run('npm', ['ci', ...npmFlags], { cwd: dir, env });
	} else {
		log(`n8n ${version}: no lockfile in ${path.relative(ROOT, LOCK_DIR)}: resolving ranges afresh (save the new lock with \`npx tsx scripts/lib/n8n-install.ts save-lock ${version}\` once it boots)`);
		await run('npm', ['install', ...npmFlags], { cwd: dir, env });
	}
	const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
	if (installed !== version) throw new Error(`n8n install: got ${installed}, expected ${version}`);
	log(`n8n ${version}: npm install done in ${secs(start)}; compiling sqlite3 from source ...`);
	const rebuildStart = Date.now();
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error'], {
		cwd: dir,
		env: { ...env, npm_config_build_from_source: 'true' },
	});
	// Prove the native module loads under the Node that will run n8n.
	await run(nodeBin, ['-e', 'require("sqlite3")'], { cwd: dir, env });
	log(`n8n ${version}: sqlite3 built in ${secs(rebuildStart)}`);
	await ensureMissingPeers(dir, env);
	writeFile(marker, JSON.stringify({ version, node: nodeVersion, recipe, installedAt: new Date().toISOString() }) + '\n');
	log(`n8n ${version}: installed in ${secs(start)}`);
	return result;
}

if (isMain(__filename)) {
	if (process.argv[2] === 'save-lock') {
		for (const v of process.argv.slice(3)) saveLock(v);
		process.exit(0);
	}
	const arg = process.argv[2] ?? 'all';
	const versions = arg === 'all' ? [...N8N_LINES] : arg === 'newest' ? [N8N_NEWEST] : arg === 'older' ? [N8N_OLDER] : arg === 'v1' ? [N8N_V1] : [arg];
	(async () => {
		for (const v of versions) {
			const start = Date.now();
			const inst = await ensureN8n(v);
			log(`n8n ${v}: ready (${secs(start)}): ${inst.nodeBin} ${inst.n8nBin}`);
		}
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
