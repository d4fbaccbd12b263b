/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, @typescript-eslint/no-explicit-any, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * n8n in queue mode on loopback: a throwaway Redis and PostgreSQL (Debian packages, installed with apt-get when
 * missing, each in a temp folder), an n8n main (`n8n start`) and one worker (`n8n worker`) sharing the database,
 * the Redis queue and the encryption key, each with its own user folder where the community package is installed
 * (a worker without the package fails with "Unrecognized node type" while manual runs on the main work).
 *
 * What really runs on the worker (n8n 2.41.1): production executions, e.g. an active workflow's webhook: the main
 * enqueues the job, the worker logs "Worker started execution <id>" / "Worker finished execution <id>", and with
 * `responseMode: lastNode` the HTTP answer carries the worker's output. `n8n execute` does NOT use the queue: it
 * logs "CLI command `execute` does not support queue mode. Falling back to regular mode." and runs in-process.
 *
 *   npx tsx scripts/lib/queue-mode.ts [version] [tarball]     # self-test: webhook → Set (→ nothing else) on the worker
 */
import { spawn } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { exists, isMain, log, run, secs } from './common';
import { ensureN8n, N8N_NEWEST } from './n8n-install';
import {
	freePort,
	installCommunityPackage,
	N8nInstance,
	n8nEnv,
	N8nProcess,
	spawnN8n,
	startN8n,
	tempDir,
} from './n8n-instance';
import { activateWorkflow, callWebhook, webhookNode } from './webhook-workflows';

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

function postgresBinDir(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!exists(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) => exists(path.join(base, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

/** apt-get installs redis-server and postgresql when their binaries are missing. */
export async function ensureQueuePackages(): Promise<{ redisServer: string; pgBin: string }> {
	const missing: string[] = [];
	if (!exists('/usr/bin/redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (missing.length) {
		const start = Date.now();
		log(`queue mode: apt-get install ${missing.join(' ')} ...`);
		await run('apt-get', ['update'], { env: APT_ENV });
		await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env: APT_ENV });
		log(`queue mode: packages installed in ${secs(start)}`);
	}
	const pgBin = postgresBinDir();
	if (!pgBin || !exists('/usr/bin/redis-server')) throw new Error('queue mode: redis-server or postgresql still missing');
	return { redisServer: '/usr/bin/redis-server', pgBin };
}

export interface Service {
	host: string;
	port: number;
	dir: string;
	stop(): Promise<void>;
}

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const sock = net.connect(port, '127.0.0.1');
		let data = '';
		sock.setTimeout(1000, () => {
			sock.destroy();
			resolve(false);
		});
		sock.on('connect', () => sock.write('PING\r\n'));
		sock.on('data', (d) => {
			data += d.toString();
			if (data.includes('\r\n')) {
				sock.destroy();
				resolve(data.startsWith('+PONG'));
			}
		});
		sock.on('error', () => resolve(false));
	});
}

/** A throwaway Redis on 127.0.0.1 (no persistence), in a temp folder. */
export async function startRedis(): Promise<Service> {
	const { redisServer } = await ensureQueuePackages();
	const start = Date.now();
	const dir = tempDir('redis-');
	const port = await freePort();
	const out = fs.openSync(path.join(dir, 'redis.log'), 'a');
	const child = spawn(
		redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'],
		{ detached: true, stdio: ['ignore', out, out] },
	);
	const exitHook = () => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	};
	process.on('exit', exitHook);
	const deadline = Date.now() + 20_000;
	while (!(await redisPing(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			throw new Error(`redis did not start:\n${fs.readFileSync(path.join(dir, 'redis.log'), 'utf8')}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	log(`queue mode: redis on 127.0.0.1:${port} in ${secs(start)}`);
	return {
		host: '127.0.0.1',
		port,
		dir,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.on('exit', r));
				process.kill(-child.pid!, 'SIGTERM');
				await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
				exitHook();
			}
			process.removeListener('exit', exitHook);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export interface PostgresService extends Service {
	user: string;
	database: string;
}

/**
 * A throwaway PostgreSQL on 127.0.0.1 with trust auth: initdb + pg_ctl as the `postgres` system user (PostgreSQL
 * refuses to run as root), in a temp folder, with database `database` created.
 */
export async function startPostgres(database = 'n8n'): Promise<PostgresService> {
	const { pgBin } = await ensureQueuePackages();
	const start = Date.now();
	const dir = tempDir('pg-');
	const dataDir = path.join(dir, 'data');
	const port = await freePort();
	const asRoot = process.getuid?.() === 0;
	if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);
	const pg = (cmd: string, args: string[]) =>
		asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(pgBin, cmd), ...args], { cwd: dir }) : run(path.join(pgBin, cmd), args, { cwd: dir });
	try {
		await pg('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
	} catch (e) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw e;
	}
	await pg('pg_ctl', [
		'-D', dataDir,
		'-l', path.join(dir, 'postgres.log'),
		'-w', '-t', '60',
		'-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
		'start',
	]);
	const stopSync = () => {
		try {
			const pidFile = path.join(dataDir, 'postmaster.pid');
			if (exists(pidFile)) process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
		} catch {
			/* gone */
		}
	};
	process.on('exit', stopSync);
	await pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
	log(`queue mode: postgres on 127.0.0.1:${port} (database ${database}) in ${secs(start)}`);
	return {
		host: '127.0.0.1',
		port,
		dir,
		user: 'postgres',
		database,
		async stop() {
			await pg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => stopSync());
			process.removeListener('exit', stopSync);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** What n8n needs to keep its data in `postgres` (regular mode, or main and workers in queue mode). */
export function postgresEnv(postgres: PostgresService): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
	};
}

export interface QueueModeOptions {
	version?: string;
	/** Community package tarballs installed into both the main's and the worker's user folder. */
	tarballs?: string[];
	/** Install the packages on the worker (default true; false reproduces "Unrecognized node type" on workers). */
	installOnWorker?: boolean;
	env?: Record<string, string | undefined>;
	concurrency?: number;
	/** How many workers (default 1), each with its own user folder, all on the same queue and database. */
	workers?: number;
}

export interface QueueMode {
	main: N8nInstance;
	/** The first worker. */
	worker: N8nProcess;
	workerUserFolder: string;
	/** Every worker (`worker` is the first). */
	workers: N8nProcess[];
	redis: Service;
	postgres: PostgresService;
	/** Env shared by main and worker (queue, database, encryption key). */
	sharedEnv: Record<string, string>;
	/** Activates (publishes) a workflow through the REST API, so its trigger/webhook is live. */
	activateWorkflow(workflowId: string): Promise<void>;
	/** Waits until the worker's log says it finished `executionId`. */
	waitForWorkerExecution(executionId: string, timeoutMs?: number): Promise<void>;
	/** Execution ids the worker logged as finished. */
	workerFinishedExecutions(): string[];
	stop(): Promise<void>;
}

/** Starts Redis, PostgreSQL, an n8n main and one worker (or `workers`) in queue mode. */
export async function startQueueMode(opts: QueueModeOptions = {}): Promise<QueueMode> {
	const begin = Date.now();
	const install = await ensureN8n(opts.version ?? N8N_NEWEST);
	const redis = await startRedis();
	let postgres: PostgresService;
	try {
		postgres = await startPostgres();
	} catch (e) {
		await redis.stop();
		throw e;
	}
	const sharedEnv: Record<string, string> = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		...postgresEnv(postgres),
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
	};
	const mainFolder = tempDir('n8n-main-');
	const workerFolders = Array.from({ length: Math.max(1, opts.workers ?? 1) }, () => tempDir('n8n-worker-'));
	for (const t of opts.tarballs ?? []) {
		await installCommunityPackage(mainFolder, t);
		if (opts.installOnWorker !== false) for (const folder of workerFolders) await installCommunityPackage(folder, t);
	}
	let main: N8nInstance | undefined;
	const workers: N8nProcess[] = [];
	const stopAll = async () => {
		for (const w of workers) await w.stop();
		await main?.stop();
		await redis.stop();
		await postgres.stop();
		fs.rmSync(mainFolder, { recursive: true, force: true });
		for (const folder of workerFolders) fs.rmSync(folder, { recursive: true, force: true });
	};
	try {
		main = await startN8n({ version: install.version, userFolder: mainFolder, env: { ...sharedEnv, ...opts.env } });
		for (const folder of workerFolders) {
			const workerStart = Date.now();
			const workerEnv = n8nEnv(install, folder, await freePort(), {
				...sharedEnv,
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				...opts.env,
			});
			const w = spawnN8n(install, ['worker', `--concurrency=${opts.concurrency ?? 2}`], workerEnv, path.join(folder, 'n8n-worker.log'));
			workers.push(w);
			await w.waitForOutput(/n8n worker is now ready/, 120_000);
			log(`queue mode: worker ${workers.length} ready in ${secs(workerStart)}`);
		}
	} catch (e) {
		await stopAll();
		throw e;
	}
	log(`queue mode: redis + postgres + main + ${workers.length} worker(s) up in ${secs(begin)}`);
	const m = main;
	const w = workers[0];
	const finished = () => workers.flatMap((x) => [...x.output().matchAll(/Worker finished execution (\S+)/g)].map((y) => y[1]));
	return {
		main: m,
		worker: w,
		workerUserFolder: workerFolders[0],
		workers,
		redis,
		postgres,
		sharedEnv,
		activateWorkflow: (workflowId) => activateWorkflow(m, workflowId),
		waitForWorkerExecution: async (executionId, timeoutMs = 60_000) => {
			const done = new RegExp(`Worker finished execution ${executionId}\\b`);
			// one worker: its own wait (a timeout rejects with its log tail); several: whichever ran it
			if (workers.length === 1) return await w.waitForOutput(done, timeoutMs);
			await Promise.any(workers.map((x) => x.waitForOutput(done, timeoutMs)));
		},
		workerFinishedExecutions: finished,
		stop: async () => {
			const s = Date.now();
			await stopAll();
			log(`queue mode: stopped in ${secs(s)}`);
		},
	};
}

/** The self-test workflow: a POST webhook answering with the last node's output, then a Set node. */
export function webhookWorkflow(id: string, webhookPath: string, extraNodes: any[] = []): any {
	const nodes: any[] = [
		webhookNode({ path: webhookPath }),
		{
			id: randomUUID(),
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [{ id: randomUUID(), name: 'ranOn', value: 'queue', type: 'string' }],
				},
				includeOtherFields: true,
				options: {},
			},
		},
		...extraNodes,
	];
	const connections: Record<string, any> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: `Queue self-test ${id}`, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

if (isMain(__filename)) {
	(async () => {
		const version = process.argv[2] ?? N8N_NEWEST;
		const tarballs = process.argv[3] ? [process.argv[3]] : [];
		const q = await startQueueMode({ version, tarballs });
		try {
			const wfId = 'queueSelfTest001';
			await q.main.importWorkflow(webhookWorkflow(wfId, 'e2e-queue'));
			await q.activateWorkflow(wfId);
			const start = Date.now();
			const answer = await callWebhook(q.main.url, 'e2e-queue', { hello: 'worker' });
			log(`queue mode: webhook answered ${answer.status} in ${secs(start)}: ${answer.text.slice(0, 300)}`);
			const execs = await q.main.rest<any>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: wfId }))}`);
			const list = execs.data?.results ?? execs.results ?? [];
			const id = String(list[0]?.id ?? '');
			log(`queue mode: executions of ${wfId}: ${JSON.stringify(list.map((e: any) => ({ id: e.id, status: e.status, mode: e.mode })))}`);
			if (!id) throw new Error('queue mode: no execution recorded for the webhook call');
			await q.waitForWorkerExecution(id, 30_000);
			log(`queue mode: the worker ran execution ${id} (worker finished: ${q.workerFinishedExecutions().join(', ')})`);
			if (answer.status !== 200 || !answer.text.includes('"ranOn":"queue"')) throw new Error('queue mode: unexpected webhook answer');
			log('queue mode: OK');
		} finally {
			await q.stop();
		}
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
