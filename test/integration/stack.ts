/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData, INodeParameters, WorkflowExecuteMode } from 'n8n-workflow';

import type { CardSecrets } from '../cardLeaks';
import { assertNoCardData } from '../cardLeaks';
import type { EngineResult, InMemoryProcessedDataStore, PackageTypes } from '../harness/engine';
import { MANUAL_TRIGGER_TYPE, TestEngine, loadPackageNodeTypes } from '../harness/engine';
import type { AthenaSimulator } from '../simulator';
import { CLIENT_ID, CLIENT_SECRET, PATIENT_WITH_BALANCES, PRACTICE_ID, startSimulator } from '../simulator';
import type { SimulatorConfigInput } from '../simulator/types';

export const ATHENA_NODE = 'athenahealth';
export const CREDENTIAL_ID = 'athena-credential';

/**
 * The simulator on loopback plus n8n-core's real engine with this package's node and credential: the stack every
 * engine-level test runs a workflow through.
 */
export interface Stack {
	simulator: AthenaSimulator;
	engine: TestEngine;
	/** Runs Trigger → athenahealth with the given parameters and input items. */
	run(parameters: INodeParameters, options?: RunNodeOptions): Promise<NodeRun>;
	close(): Promise<void>;
}

export interface RunNodeOptions {
	input?: IDataObject[];
	settings?: Partial<INode>;
	workflowId?: string;
	/** n8n's execution mode, default `cli`; in `manual` (a run started in the editor) n8n saves no static data. */
	mode?: WorkflowExecuteMode;
}

export interface NodeRun {
	result: EngineResult;
	items: INodeExecutionData[];
	errorItems: INodeExecutionData[];
	json: IDataObject[];
	/** The node's error when the run stopped on it. */
	error?: { message: string; description?: string | null; context?: IDataObject };
}

export async function startStack(config: SimulatorConfigInput & { credential?: IDataObject } = {}): Promise<Stack> {
	const { credential, ...simulatorConfig } = config;
	const simulator = await startSimulator(simulatorConfig);
	const credentialData: ICredentialDataDecryptedObject = { environment: 'custom', baseUrl: simulator.url, practiceId: PRACTICE_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...credential };
	const { engine, run } = startProcess(loadPackageNodeTypes(), credentialData);
	return {
		simulator,
		engine,
		run,
		async close() {
			await simulator.close();
		},
	};
}

/** One n8n process: an engine with the package's node types, and how to run the athenahealth node in it. */
function startProcess(types: PackageTypes, credentialData: ICredentialDataDecryptedObject, processedData?: InMemoryProcessedDataStore): Pick<Stack, 'engine' | 'run'> {
	const { nodeTypes, credentialTypes, packageName } = types;
	const engine = new TestEngine({
		nodeTypes,
		credentialTypes,
		credentials: [{ id: CREDENTIAL_ID, name: 'athena simulator', type: 'athenahealthOAuth2Api', data: credentialData }],
		processedData,
	});
	const nodeType = `${packageName}.athenahealth`;
	return {
		engine,
		async run(parameters, options = {}) {
			const node: INode = {
				id: 'athena-node',
				name: ATHENA_NODE,
				type: nodeType,
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } },
				...options.settings,
			};
			const trigger: INode = { id: 'trigger', name: 'Trigger', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
			const result = await engine.run(
				{
					id: options.workflowId ?? 'engine-test',
					nodes: [trigger, node],
					connections: { Trigger: { main: [[{ node: ATHENA_NODE, type: 'main', index: 0 }]] } },
				},
				{ input: options.input, mode: options.mode },
			);
			const items = result.outputOf(ATHENA_NODE, 0);
			const errorItems = node.onError === 'continueErrorOutput' ? result.outputOf(ATHENA_NODE, 1) : [];
			const taskError = result.taskOf(ATHENA_NODE)?.error as NodeRun['error'] | undefined;
			return { result, items, errorItems, json: items.map((item) => item.json), error: taskError };
		},
	};
}

/**
 * Another n8n process on the same database, as a queue-mode worker is: it shares the stack's processed-data table
 * and athena, but loads the package's modules afresh, so nothing the node keeps in module state is shared.
 */
export function anotherProcess(stack: Stack): Pick<Stack, 'engine' | 'run'> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the one n8n-workflow both processes' n8n-core use
	const workflowModule = require('n8n-workflow') as unknown;
	let types: PackageTypes | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => workflowModule);
		types = loadPackageNodeTypes();
	});
	if (!types) throw new Error('the package did not load');
	return startProcess(types, stack.engine.storedCredential(CREDENTIAL_ID), stack.engine.processedData);
}

/** Everything a run produced, as one string: for asserting that no card data leaked anywhere. */
export function everythingSaid(run: NodeRun): string {
	return JSON.stringify({ runData: run.result.runData, error: run.result.error });
}

/** Everything the athenahealth node produced in a run: its task (both outputs, item errors, hints, its error) and the execution's error. */
export function nodeProduced(run: NodeRun): unknown {
	return { task: run.result.runData[ATHENA_NODE], items: run.items, errorItems: run.errorItems, error: run.result.error };
}

/** Fails the test, naming where, when any of the card numbers (any spelling) or codes is in what the node produced. */
export function expectNoCardData(run: NodeRun, secrets: CardSecrets): void {
	assertNoCardData(nodeProduced(run), secrets, 'what the athenahealth node produced');
}

/** Record Payment with every field mapped from the input item's columns, as a spreadsheet workflow maps them. */
export function recordFromSheet(postingOptions: IDataObject = {}, extra: IDataObject = {}): INodeParameters {
	return {
		resource: 'payment',
		operation: 'record',
		patientId: { mode: 'id', value: '={{ $json.patient }}' },
		departmentId: '={{ $json.department }}',
		paymentMethod: '={{ $json.method }}',
		checkNumber: '={{ $json.check }}',
		cardLast4: '={{ $json.last4 }}',
		copayAmount: '={{ $json.copay }}',
		otherAmount: '={{ $json.other }}',
		appointmentId: '={{ $json.appointment }}',
		postDate: '={{ $json.postDate }}',
		postingOptions: { concurrency: 3, requestsPerSecond: 1000, ...postingOptions },
		...(extra as INodeParameters),
	};
}

/** Collect Payment with the card mapped from the input item (`card`, `cvv`, `copay`), as a form or a webhook feeds it. */
export function collectFromInput(extra: IDataObject = {}): INodeParameters {
	return {
		resource: 'payment',
		operation: 'collect',
		patientId: { mode: 'id', value: PATIENT_WITH_BALANCES },
		departmentId: '1',
		cardNumber: '={{ $json.card }}',
		cardSecurityCode: '={{ $json.cvv }}',
		expirationMonth: '12',
		expirationYear: '2035',
		nameOnCard: 'ROSA QUINTERO',
		billingAddress: '12 Elm St',
		billingZip: '02472',
		copayAmount: '={{ $json.copay }}',
		postingOptions: { requestsPerSecond: 1000 },
		...(extra as INodeParameters),
	};
}

/**
 * One stack per test file, and before each test a clean simulator and an empty duplicate memory (n8n's processed
 * data outlives runs; tests must not see each other's postings). `freshToken` also drops the stored token.
 */
export function useStack(options: { freshToken?: boolean } = {}): () => Stack {
	let stack: Stack | undefined;
	beforeAll(async () => {
		stack = await startStack();
	});
	afterAll(async () => await stack?.close());
	beforeEach(() => {
		if (!stack) throw new Error('the stack did not start');
		stack.simulator.reset();
		stack.engine.processedData.clear();
		if (options.freshToken) {
			const withoutToken = { ...stack.engine.storedCredential(CREDENTIAL_ID) };
			delete withoutToken.oauthTokenData;
			stack.engine.setStoredCredential(CREDENTIAL_ID, withoutToken);
		}
	});
	return () => {
		if (!stack) throw new Error('the stack did not start');
		return stack;
	};
}

export async function until(condition: () => boolean, timeoutMs = 30000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
