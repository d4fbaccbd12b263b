/**
 * What both variants post: the same spreadsheet rows (test/e2e/paymentSheet.ts), and the two workflows (this node;
 * n8n's HTTP Request node with a generic OAuth2 credential) as a careful user would configure them. Shared by the
 * parent (bench/run.ts, which checks the simulator's ledger against the sheet) and the worker (bench/worker.ts, which
 * runs the workflow).
 */
import type { INode, INodeParameters } from 'n8n-workflow';

import type { SheetRow } from '../test/e2e/paymentSheet';
import { recordPaymentFromRow } from '../test/e2e/paymentSheet';
import { PRACTICE_ID } from '../test/simulator/seed';

export type Variant = 'node' | 'http';

export const VARIANT_LABEL: Record<Variant, string> = {
	node: 'athenahealth node',
	http: 'HTTP Request node',
};

/** How each variant is throttled in a scenario. */
export interface VariantSettings {
	/** this node: Requests per Second / Concurrency */
	requestsPerSecond: number;
	concurrency: number;
	/** HTTP Request node: Options → Batching (null = no batching option) */
	batchSize: number | null;
	batchIntervalMs: number;
}

export const CREDENTIAL_ID = 'bench-credential';
export const TRIGGER_NAME = 'Sheet';
export const POSTING_NODE_NAME = 'Post payment';
export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
/** The HTTP Request node version a user gets today (n8n 2.41.1's default). */
export const HTTP_REQUEST_VERSION = 4.5;

/** Record Payment with every field mapped from the row, duplicate check at its default (By Payment Details). */
export function athenaNode(nodeType: string, settings: VariantSettings): INode {
	const parameters: INodeParameters = {
		...recordPaymentFromRow(),
		otherAmount: '={{ $json.amount }}',
		postDate: '={{ $json.postDate }}',
		duplicateCheck: 'paymentDetails',
		postingOptions: {
			requestsPerSecond: settings.requestsPerSecond,
			concurrency: settings.concurrency,
			timeoutSeconds: 60,
		},
	};
	return {
		id: 'posting-node',
		name: POSTING_NODE_NAME,
		type: nodeType,
		typeVersion: 1,
		position: [200, 0],
		parameters,
		credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena' } },
		// a failed row must not stop the sheet (same setting for both variants)
		onError: 'continueRegularOutput',
	};
}

/**
 * The HTTP Request node as a careful user sets it for athena's recordpayment: POST with a generic OAuth2 credential
 * (client credentials), a form-urlencoded body mapped from the row, batching that keeps under the per-second cap, no
 * Retry On Fail (a retried POST can post twice), and "On Error: Continue" so one refused row does not stop the sheet.
 */
export function httpRequestNode(baseUrl: string, settings: VariantSettings): INode {
	const field = (name: string, column: keyof SheetRow) => ({ name, value: `={{ $json.${column} }}` });
	const options: INodeParameters = {};
	if (settings.batchSize !== null) {
		options.batching = { batch: { batchSize: settings.batchSize, batchInterval: settings.batchIntervalMs } };
	}
	return {
		id: 'posting-node',
		name: POSTING_NODE_NAME,
		type: HTTP_REQUEST_TYPE,
		typeVersion: HTTP_REQUEST_VERSION,
		position: [200, 0],
		parameters: {
			method: 'POST',
			url: `=${baseUrl}/v1/${PRACTICE_ID}/patients/{{ $json.patientId }}/recordpayment`,
			authentication: 'genericCredentialType',
			genericAuthType: 'oAuth2Api',
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: [
					field('departmentid', 'departmentId'),
					field('paymentmethod', 'paymentMethod'),
					field('checknumber', 'checkNumber'),
					field('cardnumberlast4', 'cardLast4'),
					field('otheramount', 'amount'),
					field('postdate', 'postDate'),
				],
			},
			options,
		},
		credentials: { oAuth2Api: { id: CREDENTIAL_ID, name: 'athena (generic OAuth2)' } },
		onError: 'continueRegularOutput',
	};
}
