/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Workflows a production webhook starts, as the e2e tests, the queue-mode self-test and the benchmarks build,
 * activate and call them: the one place their Webhook node, their "sheet in one POST" shape and the call live.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { log } from './common';
import type { N8nInstance } from './n8n-instance';

/**
 * n8n's Webhook node (v2): POST on `path`, answering when the run ends with the last node's output (its first item,
 * unless `responseData` says all of them or none).
 */
export function webhookNode(opts: { path: string; name?: string; responseData?: 'allEntries' | 'noData'; position?: [number, number] }): any {
	return {
		id: randomUUID(),
		name: opts.name ?? 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: opts.position ?? [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: opts.path, responseMode: 'lastNode', ...(opts.responseData ? { responseData: opts.responseData } : {}), options: {} },
	};
}

export interface RowsWebhookWorkflowOptions {
	id: string;
	name: string;
	webhookPath: string;
	/** The Webhook node's name (default "Webhook"). */
	webhookName?: string;
	/** The node the rows go to (at position [440, 0], right of the other two). */
	rowsTo: any;
	/** The workflow's static data, when it has a key at all. */
	staticData?: object | null;
}

/**
 * Webhook (answers with every item of the last node) → Split Out `body.rows` ("Rows") → `rowsTo`: a sheet POSTed as
 * `{ rows: [...] }` goes through `rowsTo` one item a row, and the answer carries what it made of each.
 */
export function rowsWebhookWorkflow(opts: RowsWebhookWorkflowOptions): any {
	const webhookName = opts.webhookName ?? 'Webhook';
	return {
		id: opts.id,
		name: opts.name,
		active: false,
		settings: { executionOrder: 'v1' },
		...('staticData' in opts ? { staticData: opts.staticData } : {}),
		nodes: [
			webhookNode({ name: webhookName, path: opts.webhookPath, responseData: 'allEntries' }),
			{
				id: randomUUID(),
				name: 'Rows',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.rows', options: {} },
			},
			opts.rowsTo,
		],
		connections: {
			[webhookName]: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: opts.rowsTo.name, type: 'main', index: 0 }]] },
		},
	};
}

/** Activates (publishes) an imported workflow through the REST API, so its trigger/webhook is live. */
export async function activateWorkflow(instance: N8nInstance, workflowId: string): Promise<void> {
	const wf = await instance.rest<any>('GET', `/rest/workflows/${workflowId}`);
	const data = wf.data ?? wf;
	await instance.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: data.versionId });
	log(`n8n: workflow ${workflowId} activated`);
}

export interface WebhookCallAnswer {
	status: number;
	text: string;
	/** How long the call n8n answered took, ms (the 404s retried before it not counted). */
	ms: number;
}

/** POSTs JSON with node:http, without timeouts: a capped 10,000-row sheet answers after about 17 minutes (fetch gives up at 5). */
function postJson(url: string, body: string): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
			response.on('error', reject);
		});
		request.on('error', reject);
		request.end(body);
	});
}

/**
 * POSTs `body` as JSON to a production webhook and waits for n8n's answer, however long the run takes. Retries for
 * up to `retryMs` while n8n answers 404: registration of an activated workflow's webhook was seen to lag the
 * activate call's answer.
 */
export async function callWebhook(baseUrl: string, webhookPath: string, body: unknown, retryMs = 30_000): Promise<WebhookCallAnswer> {
	const text = JSON.stringify(body);
	const deadline = Date.now() + retryMs;
	for (;;) {
		const start = performance.now();
		const answer = await postJson(`${baseUrl}/webhook/${webhookPath}`, text);
		if (answer.status === 404 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			continue;
		}
		return { ...answer, ms: performance.now() - start };
	}
}
