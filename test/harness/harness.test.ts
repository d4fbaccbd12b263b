/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/node-usable-as-tool, @n8n/community-nodes/require-node-api-error -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Proves the engine harness: n8n-core's real WorkflowExecute, its real OAuth2 client-credentials flow against a local
 * token endpoint (token fetched once, reused across runs, replaced after a 401), processed data and static data that
 * persist across runs, continueOnFail / error output / pairedItem as n8n records them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { AthenahealthOAuth2Api } from '../../credentials/AthenahealthOAuth2Api.credentials';
import { loadPackageNodeTypes, MANUAL_TRIGGER_TYPE, TestEngine } from './engine';

// ---- a tiny athena: token endpoint + one protected endpoint ---------------------------------------------------------

interface TokenRequest {
	authorization?: string;
	body: string;
}

class TinyAthena {
	readonly tokenRequests: TokenRequest[] = [];

	readonly apiRequests: Array<{ url: string; authorization?: string; status: number }> = [];

	private readonly validTokens = new Set<string>();

	private tokenCounter = 0;

	private server!: Server;

	baseUrl = '';

	async start(): Promise<void> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Every token issued so far stops working (athena answers 401). */
	expireTokens(): void {
		this.validTokens.clear();
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		let body = '';
		for await (const chunk of req) body += chunk;
		const url = new URL(req.url ?? '/', this.baseUrl);
		const send = (status: number, payload: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(payload));
		};

		if (req.method === 'POST' && url.pathname === '/oauth2/v1/token') {
			this.tokenRequests.push({ authorization: req.headers.authorization, body });
			const expected = `Basic ${Buffer.from('client-1:secret-1').toString('base64')}`;
			const form = new URLSearchParams(body);
			if (req.headers.authorization !== expected || form.get('grant_type') !== 'client_credentials') {
				send(401, { error: 'invalid_client' });
				return;
			}
			const token = `tok-${++this.tokenCounter}`;
			this.validTokens.add(token);
			send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') });
			return;
		}

		const match = /^\/v1\/(\w+)\/ping$/.exec(url.pathname);
		if (req.method === 'GET' && match) {
			const token = req.headers.authorization?.replace(/^Bearer /, '');
			const status = token && this.validTokens.has(token) ? 200 : 401;
			this.apiRequests.push({ url: url.pathname + url.search, authorization: req.headers.authorization, status });
			if (status === 401) send(401, { error: 'invalid_token' });
			else send(200, { practiceid: match[1], echo: url.searchParams.get('n'), token });
			return;
		}
		send(404, { error: 'not found' });
	}
}

// ---- stand-in nodes defined for this test ----------------------------------------------------------------------------

/** Calls athena's ping endpoint once per item, through n8n's authenticated request helper. */
class PingNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ping',
		name: 'ping',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Ping' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'athenahealthOAuth2Api', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<{ baseUrl: string; practiceId: string }>('athenahealthOAuth2Api');
		const baseUrl = credentials.baseUrl.replace(/\/+$/, '');
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'athenahealthOAuth2Api', {
				method: 'GET',
				url: `${baseUrl}/v1/${credentials.practiceId}/ping`,
				qs: { n: i },
				json: true,
			})) as IDataObject;
			out.push({ json: response, pairedItem: { item: i } });
		}
		return [out];
	}
}

/** Passes on only the items whose `id` it has not seen before (n8n's processed data, scope node). */
class OnlyNewNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Only New',
		name: 'onlyNew',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Only New' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const ids = items.map((item) => String(item.json.id));
		const { new: fresh } = await this.helpers.checkProcessedAndRecord(ids, 'node', {
			mode: 'entries',
			maxEntries: 1000,
		});
		const staticData = this.getWorkflowStaticData('global');
		staticData.runs = ((staticData.runs as number | undefined) ?? 0) + 1;
		return [
			items
				.map((item, index) => ({ json: item.json, pairedItem: { item: index } }))
				.filter((item) => fresh.includes(String(item.json.id))),
		];
	}
}

/** Fails items whose `bad` is true; follows n8n's per-item convention for continueOnFail. */
class PickyNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Picky',
		name: 'picky',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Picky' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			try {
				if (items[i].json.bad) throw new NodeOperationError(this.getNode(), `Item ${i} is bad`, { itemIndex: i });
				out.push({ json: { ok: items[i].json.n }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}

/** Throws for the whole batch, ignoring continueOnFail (what a node must NOT do). */
class ThrowerNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Thrower',
		name: 'thrower',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Thrower' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), 'Everything is bad');
	}
}

// ---- workflow helpers -----------------------------------------------------------------------------------------------

const trigger: INode = {
	id: 'trigger',
	name: 'Start',
	type: MANUAL_TRIGGER_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function chain(...nodes: INode[]): IConnections {
	const connections: IConnections = {};
	[trigger, ...nodes].slice(0, -1).forEach((node, index) => {
		connections[node.name] = { main: [[{ node: nodes[index].name, type: 'main', index: 0 }]] };
	});
	return connections;
}

const credentialRef = { athenahealthOAuth2Api: { id: 'cred-1', name: 'athena sandbox' } };

function node(name: string, type: string, extra: Partial<INode> = {}): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters: {}, ...extra };
}

// ---- tests ----------------------------------------------------------------------------------------------------------

describe('engine harness', () => {
	const athena = new TinyAthena();
	let engine: TestEngine;

	beforeAll(async () => {
		await athena.start();
	});

	afterAll(async () => {
		await athena.stop();
	});

	beforeEach(() => {
		engine = new TestEngine({
			nodeTypes: {
				'harness-test.ping': new PingNode(),
				'harness-test.onlyNew': new OnlyNewNode(),
				'harness-test.picky': new PickyNode(),
				'harness-test.thrower': new ThrowerNode(),
			},
			credentialTypes: { athenahealthOAuth2Api: new AthenahealthOAuth2Api() },
			credentials: [
				{
					id: 'cred-1',
					name: 'athena sandbox',
					type: 'athenahealthOAuth2Api',
					data: {
						environment: 'custom',
						baseUrl: `${athena.baseUrl}/`,
						practiceId: '195900',
						clientId: 'client-1',
						clientSecret: 'secret-1',
					},
				},
			],
		});
	});

	test('resolves the credential the way n8n does: parent type, defaults, $self expressions', async () => {
		const helper = engine.credentialsHelper;
		expect(helper.getParentTypes('athenahealthOAuth2Api')).toEqual(['oAuth2Api']);

		const resolved = await helper.getDecrypted(
			{} as never,
			credentialRef.athenahealthOAuth2Api,
			'athenahealthOAuth2Api',
			'cli',
		);
		expect(resolved).toMatchObject({
			environment: 'custom',
			practiceId: '195900',
			clientId: 'client-1',
			clientSecret: 'secret-1',
			grantType: 'clientCredentials',
			accessTokenUrl: `${athena.baseUrl}/oauth2/v1/token`, // trailing slash of baseUrl trimmed by the expression
			scope: 'athena/service/Athenanet.MDP.*',
			authentication: 'header',
		});
		// doNotInherit properties of oAuth2Api do not reach an extending credential
		expect(resolved).not.toHaveProperty('tokenExpiredStatusCode');
		// a stored value of a hidden OAuth field the type owns is ignored, as in n8n
		engine.setStoredCredential('cred-1', {
			...engine.storedCredential('cred-1'),
			accessTokenUrl: 'http://elsewhere.invalid/token',
		});
		const again = await helper.getDecrypted({} as never, credentialRef.athenahealthOAuth2Api, 'athenahealthOAuth2Api', 'cli');
		expect(again.accessTokenUrl).toBe(`${athena.baseUrl}/oauth2/v1/token`);
	});

	test('OAuth2 client credentials: one token, reused across runs, replaced after a 401', async () => {
		const workflow = {
			nodes: [trigger, node('Ping', 'harness-test.ping', { credentials: credentialRef })],
			connections: chain(node('Ping', 'harness-test.ping')),
		};
		const tokensBefore = athena.tokenRequests.length;
		const apiBefore = athena.apiRequests.length;

		const first = await engine.run(workflow, { input: [{}, {}, {}] });
		expect(first.error).toBeUndefined();
		expect(first.finished).toBe(true);
		expect(first.nodeExecutionOrder).toEqual(['Start', 'Ping']);
		expect(first.outputOf('Ping').map((item) => item.json.token)).toEqual(['tok-1', 'tok-1', 'tok-1']);
		expect(first.outputOf('Ping').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(athena.tokenRequests.length - tokensBefore).toBe(1);

		// n8n-core sent the client credentials in a Basic header with the hidden scope, and n8n persisted the token
		const tokenRequest = athena.tokenRequests.at(-1)!;
		expect(tokenRequest.authorization).toBe(`Basic ${Buffer.from('client-1:secret-1').toString('base64')}`);
		expect(new URLSearchParams(tokenRequest.body).get('scope')).toBe('athena/service/Athenanet.MDP.*');
		const stored = engine.storedCredential('cred-1');
		expect(stored.oauthTokenData).toMatchObject({ access_token: 'tok-1', token_type: 'Bearer' });
		expect(stored).not.toHaveProperty('accessTokenUrl'); // only the token is written back, not resolved defaults

		const second = await engine.run(workflow, { input: [{}, {}] });
		expect(second.outputOf('Ping').map((item) => item.json.token)).toEqual(['tok-1', 'tok-1']);
		expect(athena.tokenRequests.length - tokensBefore).toBe(1);

		athena.expireTokens();
		const third = await engine.run(workflow, { input: [{}, {}] });
		expect(third.error).toBeUndefined();
		expect(third.outputOf('Ping').map((item) => item.json.token)).toEqual(['tok-2', 'tok-2']);
		expect(athena.tokenRequests.length - tokensBefore).toBe(2);
		expect(engine.storedCredential('cred-1').oauthTokenData).toMatchObject({ access_token: 'tok-2' });

		// the first request of the third run was refused once, then resent with the new token
		const statuses = athena.apiRequests.slice(apiBefore).map((request) => request.status);
		expect(statuses).toEqual([200, 200, 200, 200, 200, 401, 200, 200]);
		expect(engine.credentialsHelper.updates.map((update) => update.kind)).toEqual(['oauthTokenData', 'oauthTokenData']);
	});

	test('processed data and static data persist between runs of the same workflow', async () => {
		const onlyNew = node('Only New', 'harness-test.onlyNew');
		const workflow = { id: 'wf-dedup', nodes: [trigger, onlyNew], connections: chain(onlyNew) };

		const first = await engine.run(workflow, { input: [{ id: 1 }, { id: 2 }, { id: 3 }] });
		expect(first.outputOf('Only New').map((item) => item.json.id)).toEqual([1, 2, 3]);
		expect(first.staticData).toEqual({ global: { runs: 1 } }); // getWorkflowStaticData('global') is `.global`

		const second = await engine.run(workflow, { input: [{ id: 2 }, { id: 3 }, { id: 4 }] });
		expect(second.outputOf('Only New').map((item) => item.json.id)).toEqual([4]);
		expect(second.outputOf('Only New')[0].pairedItem).toEqual({ item: 2 });
		expect(second.staticData).toEqual({ global: { runs: 2 } });
		expect(engine.staticDataOf('wf-dedup')).toEqual({ global: { runs: 2 } });

		// keyed like n8n's processed_data table: workflow id + `n:<node id>`, values hashed
		expect(engine.processedData.count('wf-dedup', 'n:Only New')).toBe(4);
		expect(engine.processedData.has('wf-dedup', '4', 'n:Only New')).toBe(true);
		expect(engine.processedData.row('wf-dedup', 'n:Only New')?.value.data).not.toContain('4');

		// another workflow id has its own processed data and static data
		const other = await engine.run({ ...workflow, id: 'wf-other' }, { input: [{ id: 2 }] });
		expect(other.outputOf('Only New').map((item) => item.json.id)).toEqual([2]);
		expect(other.staticData).toEqual({ global: { runs: 1 } });

		// manual executions do not save static data in n8n
		const manual = await engine.run(workflow, { input: [{ id: 5 }], mode: 'manual' });
		expect(manual.staticData).toEqual({ global: { runs: 3 } });
		expect(engine.staticDataOf('wf-dedup')).toEqual({ global: { runs: 2 } });

		engine.processedData.clear('wf-dedup');
		const afterClear = await engine.run(workflow, { input: [{ id: 2 }] });
		expect(afterClear.outputOf('Only New').map((item) => item.json.id)).toEqual([2]);
	});

	test('a node error stops the run unless continueOnFail or the error output is used', async () => {
		const input = [{ n: 0 }, { n: 1, bad: true }, { n: 2 }];

		const plain = node('Picky', 'harness-test.picky');
		const failed = await engine.run({ nodes: [trigger, plain], connections: chain(plain) }, { input });
		expect(failed.finished).toBe(false);
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toBe('Item 1 is bad');
		expect(failed.lastNodeExecuted).toBe('Picky');
		expect(failed.taskOf('Picky')?.error?.message).toBe('Item 1 is bad');
		expect(failed.outputOf('Picky')).toEqual([]);

		const tolerant = node('Picky', 'harness-test.picky', { continueOnFail: true });
		const continued = await engine.run({ nodes: [trigger, tolerant], connections: chain(tolerant) }, { input });
		expect(continued.finished).toBe(true);
		expect(continued.outputOf('Picky')).toEqual([
			{ json: { ok: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'Item 1 is bad' }, pairedItem: { item: 1 } },
			{ json: { ok: 2 }, pairedItem: { item: 2 } },
		]);

		// onError: continueErrorOutput — n8n-core splits the node's output: an item whose json has only error /
		// message / details keys (or that has `item.error`) goes to output 1, merged over its paired INPUT item's json
		const routed = node('Picky', 'harness-test.picky', { onError: 'continueErrorOutput' });
		const split = await engine.run({ nodes: [trigger, routed], connections: chain(routed) }, { input });
		expect(split.finished).toBe(true);
		expect(split.outputOf('Picky', 0).map((item) => item.json)).toEqual([{ ok: 0 }, { ok: 2 }]);
		expect(split.outputOf('Picky', 1)).toEqual([
			{ json: { n: 1, bad: true, error: 'Item 1 is bad' }, pairedItem: { item: 1 } },
		]);
		expect(split.taskOf('Picky')?.error).toBeUndefined();
	});

	test('a node that throws although continueOnFail is set: n8n passes its input on and records the error', async () => {
		const input = [{ n: 0 }, { n: 1 }];
		for (const extra of [{ continueOnFail: true }, { onError: 'continueErrorOutput' as const }]) {
			const thrower = node('Thrower', 'harness-test.thrower', extra);
			const after = node('After', 'harness-test.picky');
			const result = await engine.run(
				{ nodes: [trigger, thrower, after], connections: chain(thrower, after) },
				{ input },
			);
			expect(result.finished).toBe(true);
			expect(result.error).toBeUndefined();
			expect(result.taskOf('Thrower')?.error?.message).toBe('Everything is bad');
			// the INPUT items, unchanged, on output 0 — even with the error output configured
			expect(result.outputOf('Thrower', 0).map((item) => item.json)).toEqual(input);
			expect(result.outputOf('Thrower', 1)).toEqual([]);

			// n8n-core quirk: when that node is the LAST to run, its error becomes the execution's error
			const alone = await engine.run({ nodes: [trigger, thrower], connections: chain(thrower) }, { input });
			expect(alone.status).toBe('error');
			expect(alone.finished).toBe(false);
			expect(alone.error?.message).toBe('Everything is bad');
			expect(alone.outputOf('Thrower').map((item) => item.json)).toEqual(input);
		}
	});

	test('a run of a few hundred items takes well under a second', async () => {
		const onlyNew = node('Only New', 'harness-test.onlyNew');
		const picky = node('Picky', 'harness-test.picky');
		const nodes = [trigger, onlyNew, picky];
		const input = Array.from({ length: 400 }, (_, n) => ({ id: n, n }));
		const started = Date.now();
		const result = await engine.run({ id: 'wf-bulk', nodes, connections: chain(onlyNew, picky) }, { input });
		const elapsed = Date.now() - started;
		expect(result.outputOf('Picky')).toHaveLength(400);
		expect(elapsed).toBeLessThan(1000);
	});

	test("loadPackageNodeTypes reads package.json's n8n lists from the TypeScript sources", () => {
		const { packageName, nodeTypes, credentialTypes } = loadPackageNodeTypes();
		expect(packageName).toBe('n8n-nodes-athenahealth');
		expect(Object.keys(credentialTypes)).toEqual(['athenahealthOAuth2Api']);
		expect(Object.keys(nodeTypes)).toEqual(['n8n-nodes-athenahealth.athenahealth', 'n8n-nodes-athenahealth.athenahealthTrigger']);
	});
});
