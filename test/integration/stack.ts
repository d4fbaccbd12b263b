import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { EngineResult } from '../harness/engine';
import { MANUAL_TRIGGER_TYPE, TestEngine, loadPackageNodeTypes } from '../harness/engine';
import type { AthenaSimulator } from '../simulator';
import { CLIENT_ID, CLIENT_SECRET, PRACTICE_ID, startSimulator } from '../simulator';
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
	const { nodeTypes, credentialTypes, packageName } = loadPackageNodeTypes();
	const engine = new TestEngine({
		nodeTypes,
		credentialTypes,
		credentials: [
			{
				id: CREDENTIAL_ID,
				name: 'athena simulator',
				type: 'athenahealthOAuth2Api',
				data: { environment: 'custom', baseUrl: simulator.url, practiceId: PRACTICE_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...credential },
			},
		],
	});
	const nodeType = `${packageName}.athenahealth`;
	return {
		simulator,
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
				{ input: options.input },
			);
			const items = result.outputOf(ATHENA_NODE, 0);
			const errorItems = node.onError === 'continueErrorOutput' ? result.outputOf(ATHENA_NODE, 1) : [];
			const taskError = result.taskOf(ATHENA_NODE)?.error as NodeRun['error'] | undefined;
			return { result, items, errorItems, json: items.map((item) => item.json), error: taskError };
		},
		async close() {
			await simulator.close();
		},
	};
}

/** Everything a run produced, as one string: for asserting that no card data leaked anywhere. */
export function everythingSaid(run: NodeRun): string {
	return JSON.stringify({ runData: run.result.runData, error: run.result.error });
}
