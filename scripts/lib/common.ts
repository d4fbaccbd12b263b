/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Shared helpers for the real-n8n scripts: project paths, logging with timings, and running child processes.
 * Only Node built-ins.
 */
import { spawn, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The project root (the folder holding package.json). */
export const ROOT = path.resolve(__dirname, '..', '..');
/** Project-local cache for Node 24, n8n installs and packed tarballs (git-ignored). */
export const CACHE = path.join(ROOT, '.cache');

export function log(msg: string): void {
	const t = new Date().toISOString().slice(11, 19);
	process.stdout.write(`[${t}] ${msg}\n`);
}

/** Seconds since `start` (from Date.now()), one decimal. */
export function secs(start: number): string {
	return ((Date.now() - start) / 1000).toFixed(1) + ' s';
}

/** Runs `fn`, logging its label before and its duration after. */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const start = Date.now();
	log(`${label} ...`);
	try {
		const result = await fn();
		log(`${label}: done in ${secs(start)}`);
		return result;
	} catch (error) {
		log(`${label}: FAILED after ${secs(start)}`);
		throw error;
	}
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Print the child's output live (default: only on failure, the last 60 lines). */
	stream?: boolean;
	/** Do not throw on a non-zero exit. */
	allowFailure?: boolean;
	input?: string;
	timeoutMs?: number;
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** Runs a command (no shell) and collects its output; throws with the output's tail on a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const spawnOpts: SpawnOptions = {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		};
		const child = spawn(cmd, args, spawnOpts);
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (d: Buffer) => {
			stdout += d.toString();
			if (opts.stream) process.stdout.write(d);
		});
		child.stderr!.on('data', (d: Buffer) => {
			stderr += d.toString();
			if (opts.stream) process.stderr.write(d);
		});
		let timer: NodeJS.Timeout | undefined;
		if (opts.timeoutMs) {
			timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
		}
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			const result = { code, signal, stdout, stderr };
			if ((code !== 0 || signal) && !opts.allowFailure) {
				const tail = (stdout + '\n' + stderr).split('\n').slice(-60).join('\n');
				reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n${tail}`));
			} else {
				resolve(result);
			}
		});
		if (opts.input !== undefined) {
			child.stdin!.on('error', () => undefined); // a child that exits without reading its input: not our error
			child.stdin!.end(opts.input);
		}
	});
}

export function exists(p: string): boolean {
	return fs.existsSync(p);
}

/** Writes a file, creating its folder. */
export function writeFile(p: string, content: string): void {
	fs.mkdirSync(path.dirname(p), { recursive: true });
	fs.writeFileSync(p, content);
}

/** PATH with `binDir` first. */
export function pathWith(binDir: string, basePath = process.env.PATH ?? ''): string {
	return [binDir, basePath].filter(Boolean).join(path.delimiter);
}

/** True when this file is the script being run (`tsx scripts/lib/x.ts`). */
export function isMain(filename: string): boolean {
	return !!process.argv[1] && path.resolve(process.argv[1]) === path.resolve(filename);
}
