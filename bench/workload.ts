/**
 * What both variants post: the same spreadsheet rows, and the two workflows (this node; n8n's HTTP Request node with a
 * generic OAuth2 credential) as a careful user would configure them. Shared by the parent (bench/run.ts, which checks
 * the simulator's ledger against the sheet) and the worker (bench/worker.ts, which runs the workflow).
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { PATIENT_COUNT, PRACTICE_ID } from '../test/simulator/seed';

export type Variant = 'node' | 'http';

export const VARIANT_LABEL: Record<Variant, string> = {
	node: 'athenahealth node',
	http: 'HTTP Request node',
};

/** One spreadsheet row: a payment taken outside athena (cash, check, card on another terminal). */
export interface SheetRow extends IDataObject {
	patientId: string;
	departmentId: string;
	paymentMethod: string;
	checkNumber: string;
	cardLast4: string;
	/** Unique per row ("1.00", "1.01", …): the ledger is matched back to the sheet by it. */
	amount: string;
	postDate: string;
}

const DEPARTMENT_BY_PATIENT = ['1', '21', '62', '1', '82'];
const METHODS = ['CASH', 'CHECK', 'MC/VISA'];
/** After the simulator's practice close date (10/31/2026), so athena accepts the post date. */
export const POST_DATE = '12/01/2026';

/** Row i of the sheet; every row is a distinct payment (its amount is unique), so nothing is a true duplicate. */
export function sheetRow(i: number): SheetRow {
	const patient = (i % PATIENT_COUNT) + 1;
	const method = METHODS[i % METHODS.length];
	const cents = 100 + i;
	return {
		patientId: String(patient),
		departmentId: DEPARTMENT_BY_PATIENT[patient % DEPARTMENT_BY_PATIENT.length],
		paymentMethod: method,
		checkNumber: method === 'CHECK' ? String(1000 + i) : '',
		cardLast4: method === 'MC/VISA' ? String(1000 + (i % 9000)) : '',
		amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
		postDate: POST_DATE,
	};
}

export function sheet(rows: number): SheetRow[] {
	return Array.from({ length: rows }, (_, i) => sheetRow(i));
}

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
		resource: 'payment',
		operation: 'record',
		patientId: { __rl: true, mode: 'id', value: '={{ $json.patientId }}' },
		departmentId: '={{ $json.departmentId }}',
		paymentMethod: '={{ $json.paymentMethod }}',
		checkNumber: '={{ $json.checkNumber }}',
		cardLast4: '={{ $json.cardLast4 }}',
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
