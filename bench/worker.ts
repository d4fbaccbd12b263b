/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * One measured run, in its own process (started by bench/run.ts: `node --expose-gc --import tsx bench/worker.ts <spec>`),
 * so the CPU time and the peak memory it reports belong to this run alone. The simulator runs in the parent.
 *
 * Both variants go through the same engine harness (test/harness: n8n-core 2.41.1's WorkflowExecute, real OAuth2
 * client-credentials flow). For the HTTP Request variant, n8n-nodes-base's HTTP Request node and `oAuth2Api`
 * credential are loaded from the cached n8n 2.41.1 install, with their `n8n-workflow` / `n8n-core` requires pointed at
 * the copies the harness uses (else n8n's `instanceof` checks between them fail).
 *
 * Prints one line `@@bench@@{json}` (a WorkerResult) on stdout.
 */
import Module from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { ICredentialType, IDataObject, INodeExecutionData, INodeParameters, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { sheet } from '../test/e2e/paymentSheet';
import type { Variant, VariantSettings } from './workload';
import { CREDENTIAL_ID, HTTP_REQUEST_TYPE, POSTING_NODE_NAME, TRIGGER_NAME, athenaNode, httpRequestNode } from './workload';

export interface WorkerSpec {
	variant: Variant;
	rows: number;
	baseUrl: string;
	tokenUrl: string;
	/** node_modules of the cached n8n install (n8n-nodes-base lives there). */
	n8nModules: string;
	settings: VariantSettings;
	/** A token to store in the credential before the run (as after an earlier run); none = a new credential. */
	oauthTokenData?: IDataObject;
	/** Extra parameters for this node (e.g. to measure the cost of one setting); none in the standard scenarios. */
	nodeOverrides?: INodeParameters;
	/**
	 * Postings this node remembers from earlier runs (its static data), as a workflow that has posted before holds
	 * (the node keeps up to 20,000). 0 = a workflow that never ran.
	 */
	earlierPostings?: number;
}

export interface WorkerResult {
	variant: Variant;
	rows: number;
	/** Wall time of the execution (engine.run), ms. */
	wallMs: number;
	/** User + system CPU of this process during the execution, ms. */
	cpuMs: number;
	/** Peak resident set size of this process (whole life, includes loading n8n), MB. */
	maxRssMb: number;
	/** RSS just before the execution started, MB. */
	rssBeforeMb: number;
	/** Largest V8 heapUsed sampled every 20 ms during the execution, MB. */
	peakHeapMb: number;
	/** heapUsed after the execution and a full GC, with its result still referenced (what n8n would save), MB. */
	heapAfterMb: number;
	/** heapUsed before the execution (after a full GC), MB. */
	heapBeforeMb: number;
	status: string;
	/** Output items the workflow reported as posted / failed. */
	reportedPosted: number;
	reportedFailed: number;
	reportedOther: number;
	/** The most frequent failure messages of this run (message → count). */
	failureMessages: Record<string, number>;
}

const MB = 1024 * 1024;

/** n8n-nodes-base requires `n8n-workflow` / `n8n-core`: give it the harness' copies. */
function shareN8nPackagesWithHarness(): void {
	const mapped: Record<string, string> = {
		'n8n-workflow': require.resolve('n8n-workflow'),
		'n8n-core': require.resolve('n8n-core'),
	};
	const loader = Module as unknown as { _resolveFilename: (request: unknown, ...rest: unknown[]) => string };
	const original = loader._resolveFilename;
	loader._resolveFilename = function (this: unknown, request: unknown, ...rest: unknown[]): string {
		if (typeof request === 'string' && Object.prototype.hasOwnProperty.call(mapped, request)) return mapped[request];
		return original.call(this, request, ...rest);
	};
}

function gc(): void {
	const collect = (globalThis as { gc?: () => void }).gc;
	if (!collect) throw new Error('run the worker with --expose-gc');
	collect();
	collect();
}

/** Posted / failed as the workflow itself reports it. */
function classify(variant: Variant, items: INodeExecutionData[]) {
	let reportedPosted = 0;
	let reportedFailed = 0;
	let reportedOther = 0;
	const failureMessages: Record<string, number> = {};
	const fail = (message: unknown) => {
		reportedFailed++;
		const text = String(message ?? 'unknown error').slice(0, 160);
		failureMessages[text] = (failureMessages[text] ?? 0) + 1;
	};
	for (const { json } of items) {
		if (variant === 'node') {
			if (json.status === 'posted') reportedPosted++;
			else if (json.status === 'failed' || json.status === 'unknown' || json.status === 'invalid') fail(`${json.status}: ${json.error}`);
			else reportedOther++;
		} else if (json.error !== undefined) {
			const error = json.error as IDataObject | string;
			fail(typeof error === 'object' ? (error.message ?? JSON.stringify(error)) : error);
		} else if (json.success === 'true' || json.success === true) {
			reportedPosted++;
		} else {
			reportedOther++;
		}
	}
	return { reportedPosted, reportedFailed, reportedOther, failureMessages };
}

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2] ?? '') as WorkerSpec;
	shareN8nPackagesWithHarness();

	const { MANUAL_TRIGGER_TYPE, TestEngine, loadPackageNodeTypes } = await import('../test/harness/engine');
	const { CLIENT_ID, CLIENT_SECRET, PRACTICE_ID, SCOPE } = await import('../test/simulator/seed');

	const { nodeTypes, credentialTypes, packageName } = loadPackageNodeTypes();
	const extraNodes: Record<string, INodeType | IVersionedNodeType> = {};
	const extraCredentials: Record<string, ICredentialType> = {};
	let credential;
	let postingNode;
	if (spec.variant === 'http') {
		const base = join(spec.n8nModules, 'n8n-nodes-base', 'dist');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { HttpRequest } = require(join(base, 'nodes', 'HttpRequest', 'HttpRequest.node.js'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { OAuth2Api } = require(join(base, 'credentials', 'OAuth2Api.credentials.js'));
		extraNodes[HTTP_REQUEST_TYPE] = new HttpRequest();
		extraCredentials.oAuth2Api = new OAuth2Api();
		credential = {
			id: CREDENTIAL_ID,
			name: 'athena (generic OAuth2)',
			type: 'oAuth2Api',
			data: {
				grantType: 'clientCredentials',
				accessTokenUrl: spec.tokenUrl,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				scope: SCOPE,
				authentication: 'header',
				...(spec.oauthTokenData ? { oauthTokenData: spec.oauthTokenData } : {}),
			},
		};
		postingNode = httpRequestNode(spec.baseUrl, spec.settings);
	} else {
		credential = {
			id: CREDENTIAL_ID,
			name: 'athena',
			type: 'athenahealthOAuth2Api',
			data: {
				environment: 'custom',
				baseUrl: spec.baseUrl,
				practiceId: PRACTICE_ID,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				...(spec.oauthTokenData ? { oauthTokenData: spec.oauthTokenData } : {}),
			},
		};
		postingNode = athenaNode(`${packageName}.athenahealth`, spec.settings);
		if (spec.nodeOverrides) postingNode.parameters = { ...postingNode.parameters, ...spec.nodeOverrides };
	}

	const engine = new TestEngine({
		nodeTypes: { ...nodeTypes, ...extraNodes },
		credentialTypes: { ...credentialTypes, ...extraCredentials },
		credentials: [credential],
	});
	const workflow = {
		id: `bench-${spec.variant}`,
		nodes: [
			{ id: 'sheet', name: TRIGGER_NAME, type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			postingNode,
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: POSTING_NODE_NAME, type: 'main' as const, index: 0 }]] } },
	};
	if (spec.variant === 'node' && spec.earlierPostings) {
		// what the node's static data holds after earlier runs: one record per posted payment, keyed by its hash
		const postings: IDataObject = {};
		for (let i = 0; i < spec.earlierPostings; i++) {
			postings[`athena-${i.toString(16).padStart(32, '0')}`] = { status: 'posted', at: '2026-11-01T12:00:00.000Z', executionId: '1', paymentBatchId: String(1001 + i) };
		}
		engine.setStaticData(workflow.id, { [`node:${POSTING_NODE_NAME}`]: { postings } });
	}
	let input: IDataObject[] | undefined = sheet(spec.rows);

	gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage().rss;
	let peakHeap = heapBefore;
	const sampler = setInterval(() => {
		peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	}, 20);
	const cpuStart = process.cpuUsage();
	const wallStart = performance.now();
	const result = await engine.run(workflow, { input });
	const wallMs = performance.now() - wallStart;
	const cpu = process.cpuUsage(cpuStart);
	clearInterval(sampler);
	peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
	input = undefined;
	gc();
	const heapAfter = process.memoryUsage().heapUsed;

	const items = result.outputOf(POSTING_NODE_NAME);
	const out: WorkerResult = {
		variant: spec.variant,
		rows: spec.rows,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		maxRssMb: process.resourceUsage().maxRSS / 1024,
		rssBeforeMb: rssBefore / MB,
		peakHeapMb: peakHeap / MB,
		heapAfterMb: heapAfter / MB,
		heapBeforeMb: heapBefore / MB,
		status: `${result.status}${result.error ? `: ${result.error.message}` : ''}`,
		...classify(spec.variant, items),
	};
	// keep the execution's data alive until after the measurement above
	if (result.runData === undefined) throw new Error('no run data');
	process.stdout.write(`@@bench@@${JSON.stringify(out)}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
