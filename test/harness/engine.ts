/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Engine test harness: runs workflow JSON through n8n-core's real `WorkflowExecute`, in process, in tens of ms.
 *
 * What is real: n8n-workflow's `Workflow`, n8n-core's `WorkflowExecute`, node execution contexts and helpers
 * (`httpRequestWithAuthentication`, the OAuth2 client-credentials flow with token reuse and refresh on 401,
 * `continueOnFail`, error outputs, `pairedItem`, expressions, static data, processed data). What is stood in: the
 * database (credentials, static data and processed data live in the `TestEngine` instance), the manual trigger node
 * (n8n-nodes-base is not installed) and the `oAuth2Api` parent credential type (see credentials.ts).
 *
 * Usage: see README.md next to this file.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

// n8n-core's InstanceSettings writes `<N8N_USER_FOLDER>/.n8n/config` (an encryption key) the first time a node runs.
// Keep that out of the user's home: give this process a folder under the OS temp dir unless one is set.
if (!process.env.N8N_USER_FOLDER) {
	const folder = join(tmpdir(), `n8n-engine-harness-${userInfo().uid}`);
	mkdirSync(folder, { recursive: true });
	process.env.N8N_USER_FOLDER = folder;
}
// n8n's logger prints every node error n8n-core reports (also those a node continues on). Quiet unless asked for.
process.env.N8N_LOG_LEVEL ??= 'silent';

import { ExecutionLifecycleHooks, ExternalSecretsProxy, LoadOptionsContext, PollContext, TriggersAndPollers, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IRunData,
	IRunExecutionData,
	IExecuteFunctions,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';

import {
	type EngineCredential,
	InMemoryCredentialsHelper,
	InMemoryCredentialTypes,
	supportedNodesFrom,
} from './credentials';
import { InMemoryProcessedDataStore, runWithProcessedDataStore } from './dedup';

export type { EngineCredential } from './credentials';
export { InMemoryCredentialsHelper, InMemoryCredentialTypes, OAUTH2_API_PARENT } from './credentials';
export { InMemoryProcessedDataStore, hashProcessedValue, processedDataContext } from './dedup';

/** The type name of the stand-in manual trigger, as in a real n8n. */
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/** Default workflow id when a workflow has none (static data and processed data are keyed by it). */
export const DEFAULT_WORKFLOW_ID = 'harness-workflow';

/**
 * Stand-in for n8n-nodes-base's Manual Trigger: no inputs, one output. It passes on the items the run was seeded with
 * (`opts.input`, else one empty item), which is what the real node does under `n8n execute` (mode `cli`).
 */
export class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		icon: 'fa:mouse-pointer',
		group: ['trigger', 'input'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n (harness stand-in)',
		eventTriggerDescription: '',
		maxNodes: 1,
		defaults: { name: "When clicking 'Execute workflow'" },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Node type registry keyed by full type name (`n8n-nodes-athenahealth.athenahealth`, `n8n-nodes-base.manualTrigger`). */
export class InMemoryNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const found = this.types[nodeType];
		if (!found) throw new UnexpectedError(`Unrecognized node type: ${nodeType}`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	names(): string[] {
		return Object.keys(this.types);
	}
}

export interface EngineOptions {
	/** Node types keyed by full type name. A stand-in `n8n-nodes-base.manualTrigger` is added unless given. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Credential types keyed by name. `oAuth2Api` (the parent of OAuth2 credentials) is added unless given. */
	credentialTypes: Record<string, ICredentialType>;
	/** Credentials as stored in n8n; nodes refer to them by `{ id, name }`. */
	credentials: EngineCredential[];
	/** n8n's processed-data table, when this engine is another process on the same database (default: its own). */
	processedData?: InMemoryProcessedDataStore;
}

export interface EngineWorkflow {
	/** Static data, processed data and `$workflow.id` are keyed by it. Default `harness-workflow`. */
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	/** Static data for the FIRST run of this id; later runs get what n8n would have saved (see `TestEngine.run`). */
	staticData?: IDataObject;
	settings?: IWorkflowSettings;
}

export interface RunOptions {
	/** Items the manual trigger outputs (their `json`). Default: one empty item. */
	input?: IDataObject[];
	/** Start from this node instead of the manual trigger (e.g. a polling trigger, as n8n starts its executions). */
	startNode?: string;
	/** What the start node receives, as n8n hands a poll's output to the execution it starts. */
	startData?: INodeExecutionData[][];
	/** Execution mode. Default `cli`, what `n8n execute` uses. In `manual` mode n8n does not save static data. */
	mode?: WorkflowExecuteMode;
}

export interface EngineResult {
	/** Per node name, one task per run of the node (`[0]` is the first). */
	runData: IRunData;
	/** The execution's error: set when a node failed without continueOnFail / error output. */
	error?: ExecutionError;
	/** `true` when the execution ended successfully (n8n's `IRun.finished`). */
	finished: boolean;
	/** n8n's status: `success`, `error`, `canceled`, `waiting`, … */
	status: IRun['status'];
	executionId: string;
	/** The node that ran last (the failing node when there is an `error`). */
	lastNodeExecuted?: string;
	/** Node names in the order they finished (from the `nodeExecuteAfter` hook; a node that ran twice is listed twice). */
	nodeExecutionOrder: string[];
	/** The workflow's static data after the run (what the next run of the same id starts with, unless mode was `manual`). */
	staticData: IDataObject;
	/** Items of a node's output (`0` = main / success output, `1` = error output with `onError: continueErrorOutput`). */
	outputOf(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The task of a node (`runData[nodeName][runIndex]`), or undefined if it did not run. */
	taskOf(nodeName: string, runIndex?: number): ITaskData | undefined;
	/** The raw `IRun` from n8n-core. */
	run: IRun;
}

const URL_BASE = 'http://127.0.0.1:5678';

function normalisedNodes(workflow: EngineWorkflow, workflowId: string): INode[] {
	return (structuredClone(workflow.nodes) as INode[]).map((node) => ({
		...node,
		// n8n always has node IDs; processed data of scope "node" is keyed by them
		id: node.id ?? `${workflowId}:${node.name}`,
		typeVersion: node.typeVersion ?? 1,
		position: node.position ?? [0, 0],
		parameters: node.parameters ?? {},
	}));
}

export interface PollOptions {
	/**
	 * `trigger` (default): a tick of an active workflow, as n8n 2.41's poll scheduler runs it. `manual`: the editor's
	 * "Fetch test event" (n8n runs the workflow in manual mode from the poll node, and saves no static data).
	 */
	mode?: 'trigger' | 'manual';
	/** What `getActivationMode()` says. Default `update` (n8n 2.41's scheduled ticks), `activate` for the first poll. */
	activation?: WorkflowActivateMode;
	/**
	 * n8n 2.41's durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED with the scheduler on): the node's static
	 * data is its cursor, committed also when the poll returns null (workflows/triggers/poll-cursor.service.js).
	 */
	durableCursors?: boolean;
}

export interface PollResult {
	/** `emitted`: the poll returned items and n8n started an execution with them; `nothing`: it returned null. */
	outcome: 'emitted' | 'nothing' | 'error';
	/** What the poll returned (output 0). */
	items: INodeExecutionData[];
	/** The poll's error (n8n reports it through `__emitError`: a failed execution, the workflow stays active). */
	error?: Error;
	/** The execution the emitted items started (or, in manual mode, the test run). */
	execution?: EngineResult;
	/** The workflow's saved static data after the tick. */
	staticData?: IDataObject;
}

/** A plain copy of n8n's observable static data, without its `__dataChanged` marker. */
function plainStaticData(data: IDataObject): IDataObject {
	const { __dataChanged, ...plain } = JSON.parse(JSON.stringify(data)) as IDataObject;
	void __dataChanged;
	return plain;
}

/**
 * Runs workflows through n8n-core's engine. One instance = one "n8n instance": its credentials (with the OAuth tokens
 * n8n-core stores in them), workflows' static data and processed data persist across `run()` calls.
 */
export class TestEngine {
	readonly nodeTypes: InMemoryNodeTypes;

	readonly credentialTypes: InMemoryCredentialTypes;

	readonly credentialsHelper: InMemoryCredentialsHelper;

	/** n8n's processed-data (deduplication) table, shared by all runs of this engine (and engines given it). */
	readonly processedData: InMemoryProcessedDataStore;

	private readonly staticDataById = new Map<string, IDataObject>();

	private executionCounter = 0;

	constructor(opts: EngineOptions) {
		this.nodeTypes = new InMemoryNodeTypes({ [MANUAL_TRIGGER_TYPE]: new ManualTriggerStandIn(), ...opts.nodeTypes });
		this.credentialTypes = new InMemoryCredentialTypes(
			opts.credentialTypes,
			supportedNodesFrom(this.nodeTypes, this.nodeTypes.names()),
		);
		this.credentialsHelper = new InMemoryCredentialsHelper(this.credentialTypes, opts.credentials);
		this.processedData = opts.processedData ?? new InMemoryProcessedDataStore();
	}

	/** What n8n would have persisted for a credential, including `oauthTokenData` once a token was fetched. */
	storedCredential(id: string): ICredentialDataDecryptedObject {
		return this.credentialsHelper.stored(id);
	}

	/** Overwrite a stored credential's data (e.g. to plant an expired `oauthTokenData`). */
	setStoredCredential(id: string, data: ICredentialDataDecryptedObject): void {
		this.credentialsHelper.setStored(id, data);
	}

	/** The saved static data of a workflow id (a copy), or undefined if none was saved. */
	staticDataOf(workflowId: string = DEFAULT_WORKFLOW_ID): IDataObject | undefined {
		const data = this.staticDataById.get(workflowId);
		return data && structuredClone(data);
	}

	/** Replace (or with `undefined`, forget) the saved static data of a workflow id. */
	setStaticData(workflowId: string, data: IDataObject | undefined): void {
		if (data === undefined) this.staticDataById.delete(workflowId);
		else this.staticDataById.set(workflowId, structuredClone(data));
	}

	/**
	 * Run a workflow from its manual trigger node. Resolves when n8n-core's `workflowExecuteAfter` hook fires; node
	 * errors do not reject (look at `result.error` / `runData`), only harness misuse does.
	 *
	 * Static data: the run starts from the saved static data of the workflow id, else `workflow.staticData`. Like
	 * n8n's save hook, it is saved after the run only when a node changed it and the mode is not `manual`.
	 */
	async run(workflow: EngineWorkflow, opts: RunOptions = {}): Promise<EngineResult> {
		const mode: WorkflowExecuteMode = opts.mode ?? 'cli';
		const workflowId = workflow.id ?? DEFAULT_WORKFLOW_ID;
		const executionId = String(++this.executionCounter);

		const nodes = normalisedNodes(workflow, workflowId);
		const starts = opts.startNode
			? nodes.filter((node) => node.name === opts.startNode)
			: nodes.filter((node) => node.type === MANUAL_TRIGGER_TYPE && !node.disabled);
		if (starts.length !== 1) {
			throw new UnexpectedError(
				opts.startNode
					? `The workflow has no node named "${opts.startNode}" to start from`
					: `The workflow needs exactly one enabled node of type "${MANUAL_TRIGGER_TYPE}" to start from (found ${starts.length})`,
			);
		}
		const triggers = starts;

		const settings: IWorkflowSettings = { executionOrder: 'v1', ...workflow.settings };
		const staticData = structuredClone(this.staticDataById.get(workflowId) ?? workflow.staticData ?? {});
		const workflowInstance = new Workflow({
			id: workflowId,
			name: workflow.name ?? workflowId,
			nodes,
			connections: structuredClone(workflow.connections),
			active: false,
			nodeTypes: this.nodeTypes,
			staticData,
			settings,
		});

		const workflowData: IWorkflowBase = {
			id: workflowId,
			name: workflow.name ?? workflowId,
			active: false,
			isArchived: false,
			nodes,
			connections: workflow.connections,
			settings,
			staticData,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		};

		// n8n-core reports the end of an execution through the `workflowExecuteAfter` lifecycle hook (that is where n8n
		// saves the execution and the changed static data). `processRunExecutionData` awaits that hook before it
		// resolves, except for a cancelled execution, where only the returned run is available.
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		let ended: { run: IRun; newStaticData?: IDataObject } | undefined;
		hooks.addHandler('workflowExecuteAfter', (fullRunData, changedStaticData) => {
			ended = { run: fullRunData, newStaticData: changedStaticData };
		});
		const nodeExecutionOrder: string[] = [];
		hooks.addHandler('nodeExecuteAfter', (nodeName) => {
			nodeExecutionOrder.push(nodeName);
		});

		const additionalData = this.additionalData({ hooks, executionId, workflowId, settings });

		const items = (opts.input ?? [{}]).map((json) => ({ json: structuredClone(json) }));
		const runExecutionData: IRunExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: triggers[0], data: { main: opts.startData ?? [items] }, source: null }],
			},
		});

		const returned = await runWithProcessedDataStore(this.processedData, async () => {
			const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
			return await execution.processRunExecutionData(workflowInstance);
		});
		const { run, newStaticData } = ended ?? { run: returned, newStaticData: undefined };

		if (newStaticData && mode !== 'manual') {
			this.staticDataById.set(workflowId, plainStaticData(newStaticData));
		}

		const runData = run.data.resultData.runData;
		const taskOf = (nodeName: string, runIndex?: number) => {
			const tasks = runData[nodeName];
			if (!tasks?.length) return undefined;
			return tasks[runIndex ?? tasks.length - 1];
		};
		return {
			runData,
			error: run.data.resultData.error,
			finished: run.finished === true,
			status: run.status,
			executionId,
			lastNodeExecuted: run.data.resultData.lastNodeExecuted,
			nodeExecutionOrder,
			staticData: plainStaticData(workflowInstance.staticData),
			outputOf: (nodeName, outputIndex = 0, runIndex) =>
				taskOf(nodeName, runIndex)?.data?.[NodeConnectionTypes.Main]?.[outputIndex] ?? [],
			taskOf,
			run,
		};
	}

	/**
	 * One poll of the workflow's polling trigger node, through n8n-core's real `PollContext` and `TriggersAndPollers`,
	 * handled the way n8n 2.41 handles a tick (scheduling/poll-trigger-node/poll-trigger-task-handler.js with durable
	 * cursors off, the default): a fresh `Workflow` from the saved workflow and static data; when the poll returns
	 * items, the static data is saved (only if the node changed it) and an execution starts from the poll node with
	 * them; when it returns null, nothing is saved (with `durableCursors`, what it changed is); when it throws,
	 * nothing is saved and the error is reported.
	 */
	async poll(workflow: EngineWorkflow, opts: PollOptions = {}): Promise<PollResult> {
		const workflowId = workflow.id ?? DEFAULT_WORKFLOW_ID;
		const nodes = normalisedNodes(workflow, workflowId);
		const pollNodes = nodes.filter((node) => !node.disabled && this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion).poll);
		if (pollNodes.length !== 1) throw new UnexpectedError(`The workflow needs exactly one enabled polling node (found ${pollNodes.length})`);
		const pollNode = pollNodes[0];

		if (opts.mode === 'manual') {
			const execution = await this.run(workflow, { mode: 'manual', startNode: pollNode.name });
			const items = execution.outputOf(pollNode.name);
			const error = execution.taskOf(pollNode.name)?.error as Error | undefined;
			return { outcome: error ? 'error' : items.length ? 'emitted' : 'nothing', items, error, execution, staticData: this.staticDataOf(workflowId) };
		}

		const settings: IWorkflowSettings = { executionOrder: 'v1', ...workflow.settings };
		const workflowInstance = new Workflow({
			id: workflowId,
			name: workflow.name ?? workflowId,
			nodes,
			connections: structuredClone(workflow.connections),
			active: true,
			nodeTypes: this.nodeTypes,
			staticData: structuredClone(this.staticDataById.get(workflowId) ?? workflow.staticData ?? {}),
			settings,
		});
		const hooks = new ExecutionLifecycleHooks('trigger', 'poll', {
			id: workflowId,
			name: workflow.name ?? workflowId,
			active: true,
			isArchived: false,
			nodes,
			connections: workflow.connections,
			settings,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		});
		const additionalData = this.additionalData({ hooks, executionId: 'poll', workflowId, settings });
		let emitted: INodeExecutionData[][] | undefined;
		let reported: Error | undefined;
		const context = new PollContext(
			workflowInstance,
			pollNode,
			additionalData,
			'trigger',
			opts.activation ?? 'update',
			(data) => {
				emitted = data;
			},
			(error) => {
				reported = error;
			},
		);
		let returned: INodeExecutionData[][] | null;
		try {
			returned = await runWithProcessedDataStore(this.processedData, async () =>
				await new TriggersAndPollers().runPollFunction(workflowInstance, pollNode, context),
			);
		} catch (error) {
			context.__emitError(error as Error);
			return { outcome: 'error', items: [], error: reported, staticData: this.staticDataOf(workflowId) };
		}
		if (returned === null) {
			if (opts.durableCursors && workflowInstance.staticData.__dataChanged === true) {
				this.staticDataById.set(workflowId, plainStaticData(workflowInstance.staticData));
			}
			return { outcome: 'nothing', items: [], staticData: this.staticDataOf(workflowId) };
		}
		context.__emit(returned);
		// n8n's WorkflowStaticDataService.saveStaticData: saved only when a node changed it.
		if (workflowInstance.staticData.__dataChanged === true) {
			this.staticDataById.set(workflowId, plainStaticData(workflowInstance.staticData));
		}
		const execution = await this.run(workflow, { mode: 'trigger', startNode: pollNode.name, startData: emitted });
		return { outcome: 'emitted', items: emitted?.[0] ?? [], execution, staticData: this.staticDataOf(workflowId) };
	}

	/**
	 * A resource locator's list, as the editor asks for it: n8n-core's real `LoadOptionsContext`, with the node's
	 * current parameters (what `getCurrentNodeParameter` reads) as n8n's LoadOptionsService passes them.
	 */
	async listSearch(node: INode, method: string, filter?: string): Promise<INodeListSearchResult> {
		const { nodeType, context } = this.loadOptionsContext(node);
		const search = nodeType.methods?.listSearch?.[method];
		if (!search) throw new UnexpectedError(`The node has no listSearch method "${method}"`);
		return await search.call(context, filter);
	}

	/** A dropdown's options (`loadOptionsMethod`), asked for the way the editor asks: the node as the panel holds it. */
	async loadOptions(node: INode, method: string): Promise<INodePropertyOptions[]> {
		const { nodeType, context } = this.loadOptionsContext(node);
		const load = nodeType.methods?.loadOptions?.[method];
		if (!load) throw new UnexpectedError(`The node has no loadOptions method "${method}"`);
		return await load.call(context);
	}

	private loadOptionsContext(node: INode): { nodeType: INodeType; context: LoadOptionsContext } {
		const [prepared] = normalisedNodes({ nodes: [node], connections: {} }, DEFAULT_WORKFLOW_ID);
		const nodeType = this.nodeTypes.getByNameAndVersion(prepared.type, prepared.typeVersion);
		const workflow = new Workflow({ id: DEFAULT_WORKFLOW_ID, nodes: [prepared], connections: {}, active: false, nodeTypes: this.nodeTypes, settings: {} });
		const hooks = new ExecutionLifecycleHooks('internal', 'load-options', {
			id: DEFAULT_WORKFLOW_ID,
			name: DEFAULT_WORKFLOW_ID,
			active: false,
			isArchived: false,
			nodes: [prepared],
			connections: {},
			settings: {},
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		});
		const additionalData = this.additionalData({ hooks, executionId: 'load-options', workflowId: DEFAULT_WORKFLOW_ID, settings: {} });
		additionalData.currentNodeParameters = prepared.parameters;
		return { nodeType, context: new LoadOptionsContext(workflow, prepared, additionalData, 'parameters') };
	}

	private additionalData({
		hooks,
		executionId,
		workflowId,
		settings,
	}: {
		hooks: ExecutionLifecycleHooks;
		executionId: string;
		workflowId: string;
		settings: IWorkflowSettings;
	}): IWorkflowExecuteAdditionalData {
		const notAvailable = (what: string) => async () => {
			throw new UnexpectedError(`${what} is not available in the engine test harness`);
		};
		return {
			hooks,
			executionId,
			workflowId,
			workflowSettings: settings,
			credentialsHelper: this.credentialsHelper,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${URL_BASE}/rest`,
			instanceBaseUrl: `${URL_BASE}/`,
			formBaseUrl: `${URL_BASE}/form`,
			formWaitingBaseUrl: `${URL_BASE}/form-waiting`,
			formTestBaseUrl: `${URL_BASE}/form-test`,
			webhookBaseUrl: `${URL_BASE}/webhook`,
			webhookWaitingBaseUrl: `${URL_BASE}/webhook-waiting`,
			webhookTestBaseUrl: `${URL_BASE}/webhook-test`,
			mcpBaseUrl: `${URL_BASE}/mcp`,
			mcpTestBaseUrl: `${URL_BASE}/mcp-test`,
			variables: {},
			executeWorkflow: notAvailable('Executing a sub-workflow'),
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			startRunnerTask: notAvailable('The task runner (Code node)'),
			logAiEvent: () => {},
			// no external secrets provider: `$secrets` lists nothing
			externalSecretsProxy: new ExternalSecretsProxy(),
		} as IWorkflowExecuteAdditionalData;
	}
}

// ---- loading this package's nodes and credentials from source -------------------------------------------------------

export interface PackageTypes {
	packageName: string;
	/** Keyed `<package name>.<node name>`, e.g. `n8n-nodes-athenahealth.athenahealth`. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Keyed by credential name, e.g. `athenahealthOAuth2Api`. */
	credentialTypes: Record<string, ICredentialType>;
}

function instancesOf(file: string): unknown[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(file) as Record<string, unknown>;
	return Object.values(exported)
		.filter((value): value is new () => unknown => typeof value === 'function' && /^\s*class\b/.test(String(value)))
		.map((Class) => new Class());
}

/**
 * Build the registries from package.json's `n8n.nodes` / `n8n.credentials`, mapping each `dist/….js` to its
 * TypeScript source (`….ts`), so under jest the sources load through ts-jest (no build needed) and a wrong path in
 * package.json fails here too.
 */
export function loadPackageNodeTypes(packageRoot: string = resolve(__dirname, '..', '..')): PackageTypes {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const pkg = require(join(packageRoot, 'package.json')) as {
		name: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const toSource = (distPath: string) => {
		if (!/^dist\/.+\.js$/.test(distPath)) {
			throw new UnexpectedError(`package.json n8n entry "${distPath}" is not a dist/….js path`);
		}
		return join(packageRoot, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	};

	const nodeTypes: PackageTypes['nodeTypes'] = {};
	for (const entry of pkg.n8n?.nodes ?? []) {
		const found = instancesOf(toSource(entry)).filter(
			(instance): instance is INodeType | IVersionedNodeType =>
				typeof (instance as INodeType).description?.name === 'string',
		);
		if (found.length === 0) throw new UnexpectedError(`No node class exported by ${toSource(entry)}`);
		for (const nodeType of found) nodeTypes[`${pkg.name}.${nodeType.description.name}`] = nodeType;
	}

	const credentialTypes: PackageTypes['credentialTypes'] = {};
	for (const entry of pkg.n8n?.credentials ?? []) {
		const found = instancesOf(toSource(entry)).filter(
			(instance): instance is ICredentialType =>
				typeof (instance as ICredentialType).name === 'string' && Array.isArray((instance as ICredentialType).properties),
		);
		if (found.length === 0) throw new UnexpectedError(`No credential class exported by ${toSource(entry)}`);
		for (const credentialType of found) credentialTypes[credentialType.name] = credentialType;
	}

	return { packageName: pkg.name, nodeTypes, credentialTypes };
}
