/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, @typescript-eslint/no-explicit-any, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Boots a real, pinned n8n headless on 127.0.0.1 (settings from shared/real-n8n-notes.md), sets up the owner and
 * logs in, and gives helpers to import credentials/workflows, execute workflows through the CLI, list node types,
 * and call the REST API. Also installs a community package into a user folder exactly as users do.
 *
 *   npx tsx scripts/lib/n8n-instance.ts [version]    # boots, prints the node-type count, stops
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { isMain, log, run, RunResult, secs, writeFile } from './common';
import { ensureN8n, N8N_NEWEST, N8nInstall } from './n8n-install';

export const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Test-Passw0rd',
};

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** The environment that keeps n8n on loopback, quiet and offline. */
export function n8nEnv(
	install: N8nInstall,
	userFolder: string,
	port: number,
	extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...install.env,
		N8N_USER_FOLDER: userFolder,
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		...install.lineEnv,
	};
	// On 2.41 this module calls n8n's servers at boot; 2.8 does not know the name and refuses to start with it.
	if (install.hasMcpRegistryModule) env.N8N_DISABLED_MODULES = 'mcp-registry';
	for (const [k, v] of Object.entries(extra)) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	return env;
}

export interface N8nProcess {
	child: ChildProcess;
	logFile: string;
	/** Everything the process printed so far. */
	output(): string;
	/** Resolves when the output matches `re` (rejects if the process exits first or on timeout). */
	waitForOutput(re: RegExp, timeoutMs: number): Promise<void>;
	exited(): boolean;
	/** Stops the whole process tree (SIGTERM to the group, SIGKILL after `graceMs`). */
	stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	const killAll = () => {
		for (const c of running) {
			try {
				if (c.pid) process.kill(-c.pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}
	};
	process.on('exit', killAll);
	for (const sig of ['SIGINT', 'SIGTERM'] as const) {
		process.on(sig, () => {
			killAll();
			process.exit(130);
		});
	}
}

/** Spawns `n8n <args>` as the leader of its own process group, its output going to `logFile`. */
export function spawnN8n(install: N8nInstall, args: string[], env: NodeJS.ProcessEnv, logFile: string): N8nProcess {
	installExitHook();
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const out = fs.createWriteStream(logFile);
	const child = spawn(install.nodeBin, [install.n8nBin, ...args], {
		env,
		cwd: env.N8N_USER_FOLDER,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	running.add(child);
	let buf = '';
	let exitedFlag = false;
	const listeners = new Set<() => void>();
	const onData = (d: Buffer) => {
		buf += d.toString();
		out.write(d);
		for (const l of listeners) l();
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	const exitPromise = new Promise<void>((resolve) =>
		child.on('exit', () => {
			exitedFlag = true;
			running.delete(child);
			for (const l of listeners) l();
			resolve();
		}),
	);
	return {
		child,
		logFile,
		output: () => buf,
		exited: () => exitedFlag,
		waitForOutput(re, timeoutMs) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					listeners.delete(check);
					reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re} in ${logFile}\n${tail(buf)}`));
				}, timeoutMs);
				const check = () => {
					if (re.test(buf)) {
						clearTimeout(timer);
						listeners.delete(check);
						resolve();
					} else if (exitedFlag) {
						clearTimeout(timer);
						listeners.delete(check);
						reject(new Error(`n8n ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before ${re}\n${tail(buf)}`));
					}
				};
				listeners.add(check);
				check();
			});
		},
		async stop(graceMs = 10_000) {
			if (!exitedFlag && child.pid) {
				try {
					process.kill(-child.pid, 'SIGTERM');
				} catch {
					/* gone */
				}
				const timer = setTimeout(() => {
					try {
						process.kill(-child.pid!, 'SIGKILL');
					} catch {
						/* gone */
					}
				}, graceMs);
				await exitPromise;
				clearTimeout(timer);
			}
			// The task runner child shares the group: make sure nothing of the tree is left.
			try {
				if (child.pid) process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
			await new Promise<void>((resolve) => out.end(resolve));
		},
	};
}

function tail(s: string, lines = 40): string {
	return s.split('\n').slice(-lines).join('\n');
}

export interface ExecuteResult {
	/** Whether the parsed run data has no `resultData.error` (the exit code is not used: see `execute`). */
	ok: boolean;
	/** The full IRun object n8n printed. */
	run: any;
	/** `run.data.resultData.runData`: node name → task data. */
	runData: Record<string, any[]>;
	/** `resultData.error`, when the workflow failed. */
	error?: any;
	/** The main output items (json only) of the last node that ran. */
	lastNodeJson: any[];
	exitCode: number | null;
	signal: string | null;
	stdout: string;
	stderr: string;
}

/**
 * Finds the IRun JSON in `n8n execute` output logged with N8N_LOG_FORMAT=json: the line whose `message` is itself
 * JSON with `data.resultData`. Returns undefined when there is none.
 */
export function parseExecuteOutput(stdout: string): any | undefined {
	let found: any;
	for (const line of stdout.split('\n')) {
		const t = line.trim();
		if (!t.startsWith('{')) continue;
		let entry: any;
		try {
			entry = JSON.parse(t);
		} catch {
			continue;
		}
		const msg = entry?.message;
		if (typeof msg !== 'string' || !msg.trimStart().startsWith('{')) continue;
		try {
			const parsed = JSON.parse(msg);
			if (parsed?.data?.resultData) found = parsed;
		} catch {
			/* not the result */
		}
	}
	return found;
}

export interface N8nInstance {
	version: string;
	install: N8nInstall;
	url: string;
	port: number;
	/** `n8n-auth=…` for the owner, for REST calls. */
	cookie: string;
	userFolder: string;
	/** The server's environment (the CLI helpers reuse it). */
	env: NodeJS.ProcessEnv;
	process: N8nProcess;
	/** Boot time to readiness, in ms. */
	bootMs: number;
	stop(): Promise<void>;
	/** Runs `n8n <args>` with the same environment and its own task-broker port. */
	cli(args: string[], extraEnv?: Record<string, string | undefined>): Promise<RunResult>;
	/** `n8n import:credentials`: one credential object or an array (`data` as a plain object is encrypted on import). */
	importCredential(json: object | object[]): Promise<void>;
	/** `n8n import:workflow`: one workflow object or an array; each should carry an `id`. */
	importWorkflow(json: object | object[]): Promise<void>;
	/** `n8n execute --id=<id> --rawOutput`, parsed. */
	execute(workflowId: string): Promise<ExecuteResult>;
	/** GET /types/nodes.json (needs the login cookie on 2.x). */
	nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>>;
	/** A REST call with the owner's cookie; returns the parsed body (throws on a non-2xx answer). */
	rest<T = any>(method: string, urlPath: string, body?: unknown): Promise<T>;
}

export interface StartOptions {
	version?: string;
	/** Defaults to a fresh temp folder (removed on stop). */
	userFolder?: string;
	port?: number;
	env?: Record<string, string | undefined>;
	/** Set up the owner and log in (default true). */
	owner?: boolean;
	readinessTimeoutMs?: number;
	/** Keep a temp user folder after stop (default false; a given userFolder is never removed). */
	keepUserFolder?: boolean;
}

export function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function waitForReady(url: string, proc: N8nProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (proc.exited()) {
			throw new Error(`n8n exited (${proc.child.exitCode ?? proc.child.signalCode}) before it was ready; log ${proc.logFile}\n${tail(proc.output())}`);
		}
		try {
			const res = await fetch(`${url}/healthz/readiness`);
			if (res.ok) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`n8n not ready after ${timeoutMs} ms; log ${proc.logFile}\n${tail(proc.output())}`);
}

function cookieFrom(res: Response): string {
	const h = res.headers as unknown as { getSetCookie?: () => string[] };
	const all = h.getSetCookie ? h.getSetCookie() : [res.headers.get('set-cookie') ?? ''];
	for (const c of all) {
		const m = /(?:^|,\s*)(n8n-auth=[^;]+)/.exec(c);
		if (m) return m[1];
	}
	return '';
}

async function setupOwnerAndLogin(url: string): Promise<string> {
	// /healthz/readiness answers 200 once the database is migrated, which can be before the REST routes are
	// mounted (seen on 2.8.4: 404 on /rest/owner/setup right after readiness): retry while it is 404.
	const deadline = Date.now() + 60_000;
	let setup: Response;
	for (;;) {
		setup = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (setup.status !== 404 || Date.now() > deadline) break;
		await setup.text();
		await new Promise((r) => setTimeout(r, 250));
	}
	// 400 when an owner already exists (a reused user folder): then logging in is enough.
	if (!setup.ok && setup.status !== 400) {
		throw new Error(`POST /rest/owner/setup: ${setup.status} ${await setup.text()}`);
	}
	const login = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!login.ok) throw new Error(`POST /rest/login: ${login.status} ${await login.text()}`);
	const cookie = cookieFrom(login);
	if (!cookie) throw new Error('POST /rest/login: no n8n-auth cookie in the answer');
	return cookie;
}

/** Runs `n8n <args>` once (not a server), with the given env plus its own task-broker port. */
export async function runN8nCli(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	args: string[],
	extraEnv: Record<string, string | undefined> = {},
): Promise<RunResult> {
	const e: NodeJS.ProcessEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	for (const [k, v] of Object.entries(extraEnv)) {
		if (v === undefined) delete e[k];
		else e[k] = v;
	}
	return run(install.nodeBin, [install.n8nBin, ...args], {
		env: e,
		cwd: env.N8N_USER_FOLDER,
		allowFailure: true,
		timeoutMs: 5 * 60_000,
	});
}

function writeTempJson(dir: string, prefix: string, json: unknown): string {
	const file = path.join(dir, `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
	writeFile(file, JSON.stringify(json, null, 2));
	return file;
}

async function importInto(install: N8nInstall, env: NodeJS.ProcessEnv, kind: 'credentials' | 'workflow', json: object | object[]) {
	const dir = path.join(env.N8N_USER_FOLDER!, 'e2e-imports');
	const file = writeTempJson(dir, kind, Array.isArray(json) ? json : [json]);
	const start = Date.now();
	const r = await runN8nCli(install, env, [`import:${kind}`, `--input=${file}`]);
	// Judged by n8n's own "Successfully imported" line as well as the exit code (a crash at shutdown was seen once).
	if (!/Successfully imported/i.test(r.stdout + r.stderr)) {
		throw new Error(`n8n import:${kind} failed (${r.code ?? r.signal}):\n${tail(r.stdout + r.stderr)}`);
	}
	log(`n8n import:${kind} ${path.basename(file)}: ${secs(start)}`);
}

/**
 * `n8n execute --id=<id> --rawOutput`, logging as JSON, and parses the run out of the log. Success is judged by the
 * parsed run (no `resultData.error`), not by the exit code: a segmentation fault at shutdown after a good run was
 * seen once in 19 runs.
 */
export async function executeWorkflow(install: N8nInstall, env: NodeJS.ProcessEnv, workflowId: string): Promise<ExecuteResult> {
	const start = Date.now();
	const r = await runN8nCli(install, env, ['execute', `--id=${workflowId}`, '--rawOutput'], {
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
	});
	const parsed = parseExecuteOutput(r.stdout) ?? parseExecuteOutput(r.stderr);
	if (!parsed) {
		throw new Error(`n8n execute --id=${workflowId}: no run data in the output (exit ${r.code ?? r.signal}):\n${tail(r.stdout + '\n' + r.stderr)}`);
	}
	const resultData = parsed.data.resultData;
	const runData: Record<string, any[]> = resultData.runData ?? {};
	const lastNode: string | undefined = resultData.lastNodeExecuted;
	const lastRuns = lastNode ? runData[lastNode] : undefined;
	const lastMain = lastRuns?.[lastRuns.length - 1]?.data?.main?.[0] ?? [];
	const result: ExecuteResult = {
		ok: !resultData.error,
		run: parsed,
		runData,
		error: resultData.error,
		lastNodeJson: lastMain.map((i: any) => i.json),
		exitCode: r.code,
		signal: r.signal,
		stdout: r.stdout,
		stderr: r.stderr,
	};
	if (result.ok && r.code !== 0) {
		log(`n8n execute --id=${workflowId}: good run, but the process exited with ${r.code ?? r.signal} at shutdown (judged by the run data)`);
	}
	log(`n8n execute --id=${workflowId}: ${result.ok ? 'success' : 'FAILED: ' + (resultData.error?.message ?? '?')} in ${secs(start)}`);
	return result;
}

/** Boots `n8n start` and waits for readiness; sets up the owner and logs in unless `owner: false`. */
export async function startN8n(opts: StartOptions = {}): Promise<N8nInstance> {
	const install = await ensureN8n(opts.version ?? N8N_NEWEST);
	const createdFolder = !opts.userFolder;
	const userFolder = opts.userFolder ?? tempDir(`n8n-${install.version}-`);
	const port = opts.port ?? (await freePort());
	const env = n8nEnv(install, userFolder, port, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...opts.env,
	});
	const url = `http://127.0.0.1:${port}`;
	const start = Date.now();
	log(`n8n ${install.version}: booting on ${url} (user folder ${userFolder}) ...`);
	const proc = spawnN8n(install, ['start'], env, path.join(userFolder, 'n8n-start.log'));
	try {
		await waitForReady(url, proc, opts.readinessTimeoutMs ?? 180_000);
	} catch (e) {
		await proc.stop();
		throw e;
	}
	const bootMs = Date.now() - start;
	log(`n8n ${install.version}: ready in ${secs(start)}`);
	let cookie = '';
	if (opts.owner !== false) {
		cookie = await setupOwnerAndLogin(url);
		log(`n8n ${install.version}: owner set up and logged in`);
	}
	const rest = async <T = any>(method: string, urlPath: string, body?: unknown): Promise<T> => {
		const res = await fetch(url + urlPath, {
			method,
			headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${text.slice(0, 2000)}`);
		try {
			return JSON.parse(text) as T;
		} catch {
			return text as unknown as T;
		}
	};
	return {
		version: install.version,
		install,
		url,
		port,
		cookie,
		userFolder,
		env,
		process: proc,
		bootMs,
		async stop() {
			const s = Date.now();
			await proc.stop();
			if (createdFolder && !opts.keepUserFolder) fs.rmSync(userFolder, { recursive: true, force: true });
			log(`n8n ${install.version}: stopped in ${secs(s)}`);
		},
		cli: (args, extraEnv) => runN8nCli(install, env, args, extraEnv),
		importCredential: (json) => importInto(install, env, 'credentials', json),
		importWorkflow: (json) => importInto(install, env, 'workflow', json),
		execute: (id) => executeWorkflow(install, env, id),
		async nodeTypes() {
			const body = await rest<any>('GET', '/types/nodes.json');
			return Array.isArray(body) ? body : body.data;
		},
		rest,
	};
}

/**
 * Installs a packed community package into `$N8N_USER_FOLDER/.n8n/nodes` the way users (and n8n itself) do:
 * `npm install <tgz> --legacy-peer-deps --ignore-scripts` next to a package.json there. Returns the package name.
 */
export async function installCommunityPackage(userFolder: string, tarballPath: string): Promise<string> {
	const start = Date.now();
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		writeFile(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n');
	}
	await run('npm', ['install', path.resolve(tarballPath), '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
	});
	const deps = JSON.parse(fs.readFileSync(pkgJson, 'utf8')).dependencies ?? {};
	const name = Object.keys(deps).find((d) => String(deps[d]).includes(path.basename(tarballPath))) ?? Object.keys(deps).pop();
	log(`community package ${name ?? path.basename(tarballPath)}: installed into ${nodesDir} in ${secs(start)}`);
	return name ?? '';
}

if (isMain(__filename)) {
	(async () => {
		const n8n = await startN8n({ version: process.argv[2] });
		try {
			const types = await n8n.nodeTypes();
			log(`n8n ${n8n.version}: ${types.length} node types listed`);
		} finally {
			await n8n.stop();
		}
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
