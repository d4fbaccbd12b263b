/* eslint-disable @n8n/community-nodes/require-node-api-error -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Credentials for the harness: an in-memory `ICredentialsHelper` that behaves like n8n's CLI `CredentialsHelper`
 * (n8n 2.41.1, packages/cli/src/credentials-helper.ts) for what a community node touches:
 *
 * - credential types resolve `extends` the way n8n's `CredentialTypes.getParentTypes` does (recursively), so
 *   `getParentTypes('athenahealthOAuth2Api')` is `['oAuth2Api']` and n8n-core takes its real OAuth2 path;
 * - `getCredentialsProperties` merges the parents' properties with `NodeHelpers.mergeNodeProperties` (the child wins,
 *   `doNotInherit` properties stay with the parent) and adds `oauthTokenData` to `oAuth2Api`/`oAuth1Api`;
 * - `getDecrypted` returns the stored data as is with `raw`, else applies defaults with `NodeHelpers.getNodeParameters`
 *   after dropping stored values of hidden OAuth endpoint/flow fields (n8n's `OAUTH_PINNED_FIELDS`), keeps
 *   `oauthTokenData`, and resolves expressions with `$self` = the credential data (so a hidden `accessTokenUrl`
 *   default of `={{ $self["environment"] ... }}` becomes a URL), through the node's workflow when n8n-core passes
 *   `expressionResolveValues`, else through a one-node mock workflow;
 * - `updateCredentialsOauthTokenData` persists only `oauthTokenData` onto the stored data, `updateCredentials`
 *   replaces the stored data: the next request and the next execution see the new token, as in n8n's database;
 * - `authenticate` / `preAuthentication` / `runPreAuthentication` follow the CLI.
 *
 * Stored data goes through JSON (as n8n's encrypted column does), so every read is a fresh copy.
 *
 * `oAuth2Api` itself comes from n8n-nodes-base, which is not installed here: `OAUTH2_API_PARENT` restates the
 * properties of n8n-nodes-base 2.41.1's `oAuth2Api` that take part in resolving a credential (names, types, defaults,
 * display conditions). It is added to the registry unless the caller gives its own `oAuth2Api`.
 */
import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	ICredentialsEncrypted,
	ICredentialType,
	ICredentialTypes,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	getCredentialOwnRequestAllowedDomains,
	ICredentials,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
} from 'n8n-workflow';

/** A credential as n8n stores it (decrypted). `data` is what the user typed, plus `oauthTokenData` once n8n has a token. */
export interface EngineCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/**
 * The parent credential type `oAuth2Api` of n8n-nodes-base 2.41.1, reduced to what resolving a credential uses.
 * `doNotInherit` properties apply to `oAuth2Api` itself only, never to a credential that extends it (so an extending
 * credential has no `tokenExpiredStatusCode` and n8n-core falls back to 401).
 */
export const OAUTH2_API_PARENT: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	documentationUrl: 'httprequest',
	genericAuth: true,
	properties: [
		{ displayName: 'Use Dynamic Client Registration', name: 'useDynamicClientRegistration', type: 'hidden', default: false },
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
				{ name: 'PKCE', value: 'pkce' },
			],
			default: 'authorizationCode',
		},
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			displayOptions: { show: { useDynamicClientRegistration: [true] } },
			default: '',
			required: true,
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			displayOptions: { show: { grantType: ['authorizationCode', 'pkce'], useDynamicClientRegistration: [false] } },
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			default: '',
			required: true,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			default: '',
			required: true,
		},
		{ displayName: 'Authentication', name: 'clientCredentialType', type: 'hidden', default: 'clientSecret' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{ displayName: 'Private Key', name: 'privateKey', type: 'hidden', default: '' },
		{ displayName: 'Certificate', name: 'certificate', type: 'hidden', default: '' },
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'string',
			displayOptions: { show: { grantType: ['authorizationCode', 'pkce'], useDynamicClientRegistration: [false] } },
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			options: [
				{ name: 'Body', value: 'body' },
				{ name: 'Header', value: 'header' },
			],
			default: 'header',
		},
		{
			displayName: 'Send Additional Body Properties',
			name: 'sendAdditionalBodyProperties',
			type: 'boolean',
			default: false,
			displayOptions: {
				show: { grantType: ['clientCredentials'], authentication: ['body'], useDynamicClientRegistration: [false] },
			},
		},
		{
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'json',
			displayOptions: {
				show: {
					grantType: ['clientCredentials'],
					authentication: ['body'],
					sendAdditionalBodyProperties: [true],
					useDynamicClientRegistration: [false],
				},
			},
			default: '',
		},
		{ displayName: 'Ignore SSL Issues (Insecure)', name: 'ignoreSSLIssues', type: 'boolean', default: false, doNotInherit: true },
		{
			displayName: 'Token Expired Status Code',
			name: 'tokenExpiredStatusCode',
			type: 'number',
			default: 401,
			doNotInherit: true,
		},
	],
};

/** Hidden OAuth fields the credential TYPE owns: n8n drops stored values so the type's default applies. */
const OAUTH_PINNED_FIELDS = [
	'useDynamicClientRegistration',
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'usePkce',
	'requestTokenUrl',
	'signatureMethod',
];

const DCR_MANAGED_CREDENTIAL_FIELDS = [
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'usePkce',
	'clientId',
	'clientSecret',
];

/** Registry of credential types with n8n's inheritance rules. */
export class InMemoryCredentialTypes implements ICredentialTypes {
	private readonly types: Record<string, ICredentialType>;

	/** `supportedNodes(type)` lists the full node type names whose description names the credential. */
	constructor(
		types: Record<string, ICredentialType>,
		private readonly supportedNodes: (type: string) => string[] = () => [],
	) {
		this.types = { oAuth2Api: OAUTH2_API_PARENT, ...types };
	}

	recognizes(type: string): boolean {
		return type in this.types;
	}

	getByName(type: string): ICredentialType {
		const found = this.types[type];
		if (!found) throw new UnexpectedError(`Unknown credential type "${type}"`, { tags: { credentialType: type } });
		return found;
	}

	getSupportedNodes(type: string): string[] {
		return this.supportedNodes(type);
	}

	getParentTypes(type: string): string[] {
		const direct = this.types[type]?.extends ?? [];
		const all = [...direct];
		for (const parent of direct) all.push(...this.getParentTypes(parent));
		return all;
	}
}

/** Full node type names whose description lists a credential, like n8n's `knownCredentials[type].supportedNodes`. */
export function supportedNodesFrom(nodeTypes: INodeTypes, knownTypes: string[]): (type: string) => string[] {
	return (credentialType) =>
		knownTypes.filter((nodeType) => {
			const described = nodeTypes.getByName(nodeType);
			const versions =
				'nodeVersions' in described ? Object.values(described.nodeVersions) : [described as INodeType];
			return versions.some((v) => v.description.credentials?.some((c) => c.name === credentialType));
		});
}

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** JSON of the decrypted data: what n8n keeps encrypted in its database. */
	data: string;
	updatedAt: Date;
}

/** The `ICredentials` n8n-core may ask for, reading and writing the in-memory row. */
class InMemoryCredentials extends ICredentials {
	constructor(private readonly row: StoredCredential) {
		super({ id: row.id, name: row.name }, row.type, row.data);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return JSON.parse(this.row.data) as ICredentialDataDecryptedObject;
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.row.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.row.data = JSON.stringify(data);
		this.row.updatedAt = new Date();
		this.data = this.row.data;
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: Array<keyof ICredentialDataDecryptedObject> = [],
	): Promise<void> {
		const current = await this.getData();
		for (const key of toDelete) delete current[key];
		await this.setData({ ...current, ...toUpdate } as ICredentialDataDecryptedObject);
	}
}

/** The credential's own domain allowlist applies to the requests its `preAuthentication` hook sends (as in n8n). */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

const mockNode: INode = {
	id: 'credential-resolution',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

const mockNodeTypes: INodeTypes = {
	getKnownTypes: () => ({}),
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
};

/** A log of what n8n-core asked the helper to persist, for tests. */
export interface CredentialUpdate {
	id: string;
	type: string;
	kind: 'oauthTokenData' | 'data';
	at: Date;
}

/** In-memory stand-in for n8n's CLI `CredentialsHelper`. */
export class InMemoryCredentialsHelper extends ICredentialsHelper {
	private readonly rows = new Map<string, StoredCredential>();

	/** Every persist n8n-core requested, in order. */
	readonly updates: CredentialUpdate[] = [];

	constructor(
		readonly credentialTypes: InMemoryCredentialTypes,
		credentials: EngineCredential[] = [],
	) {
		super();
		for (const credential of credentials) this.add(credential);
	}

	/** Store (or replace) a credential, like creating it in the editor. */
	add(credential: EngineCredential): void {
		this.credentialTypes.getByName(credential.type); // unknown types fail here, not mid-run
		this.rows.set(credential.id, {
			id: credential.id,
			name: credential.name,
			type: credential.type,
			data: JSON.stringify(credential.data),
			updatedAt: new Date(),
		});
	}

	/** The stored (decrypted, unresolved) data of a credential, including `oauthTokenData`: a copy. */
	stored(id: string): ICredentialDataDecryptedObject {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`Credential with ID "${id}" was not found.`);
		return JSON.parse(row.data) as ICredentialDataDecryptedObject;
	}

	/** Replace the stored data of a credential (e.g. to plant an expired token). */
	setStored(id: string, data: ICredentialDataDecryptedObject): void {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`Credential with ID "${id}" was not found.`);
		row.data = JSON.stringify(data);
		row.updatedAt = new Date();
	}

	// ---- ICredentialsHelper ---------------------------------------------------------------------------------------

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		let typeDef: ICredentialType;
		try {
			typeDef = this.credentialTypes.getByName(credentialType);
		} catch {
			return true;
		}
		if (!typeDef.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		const { authenticate } = credentialType;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (typeof authenticate === 'object') {
			if (!workflow || !node) {
				throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
			}
			requestOptions.headers ??= {};
			if (authenticate.type === 'generic') {
				const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
						const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
						const valueResolved = this.resolveValue(value, { $credentials: credentials }, workflow, node);
						target[outerKey] ??= {};
						target[outerKey]![keyResolved] = valueResolved;
					}
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (!(credentials[expirable.name] === '' || credentialsExpired)) return undefined;

		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		if (output[expirable.name] === undefined) return undefined;
		if (!node.credentials) return undefined;

		const nodeCredentials = node.credentials[credentialType.name];
		const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
		const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
		for (const [key, value] of Object.entries(output as ICredentialDataDecryptedObject)) {
			// never replace a field the user stored as an expression with this run's resolved value
			if (key === expirable.name || !isExpression(storedData[key])) dataToPersist[key] = value;
		}
		await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new InMemoryCredentials(this.row(nodeCredentials, type));
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const row = this.row(nodeCredentials, type);
		const decryptedDataOriginal = JSON.parse(row.data) as ICredentialDataDecryptedObject;
		if (raw === true) return decryptedDataOriginal;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Defaults + expression resolution as n8n's CLI does it (there are no credential overwrites here). */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const properties = this.getCredentialsProperties(type);

		const storedData = { ...decryptedDataOriginal };
		for (const field of OAUTH_PINNED_FIELDS) {
			if (properties.some((p) => p.name === field && p.type === 'hidden')) delete storedData[field];
		}

		let decryptedData = NodeHelpers.getNodeParameters(
			properties,
			storedData as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		if (decryptedData.allowedHttpRequestDomains === undefined && decryptedDataOriginal.allowedHttpRequestDomains !== undefined) {
			decryptedData.allowedHttpRequestDomains = decryptedDataOriginal.allowedHttpRequestDomains;
		}
		if (decryptedData.allowedDomains === undefined && decryptedDataOriginal.allowedDomains !== undefined) {
			decryptedData.allowedDomains = decryptedDataOriginal.allowedDomains;
		}
		if (decryptedData.useDynamicClientRegistration) {
			for (const field of DCR_MANAGED_CREDENTIAL_FIELDS) decryptedData[field] = decryptedDataOriginal[field];
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes: mockNodeTypes });
			const acquired = await workflow.expression.acquireIsolate();
			try {
				decryptedData = workflow.expression.getComplexParameterValue(
					mockNode,
					decryptedData as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} finally {
				if (acquired) await workflow.expression.releaseIsolate();
			}
		}
		return decryptedData;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
		this.updates.push({ id: credentials.id!, type, kind: 'data', at: new Date() });
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		this.updates.push({ id: credentials.id!, type, kind: 'oauthTokenData', at: new Date() });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (credentialType.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialType.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
				];
			}
			return credentialType.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	// ---- internals ------------------------------------------------------------------------------------------------

	private row(nodeCredentials: INodeCredentialsDetails | undefined, type: string): StoredCredential {
		if (!nodeCredentials?.id) {
			throw new UnexpectedError(
				`Found credential with no ID (name "${nodeCredentials?.name}", type "${type}"): give the node's credentials an id`,
			);
		}
		const row = this.rows.get(nodeCredentials.id);
		if (!row || row.type !== type) {
			throw new UserError(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
		}
		return row;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const value = workflow.expression.getSimpleParameterValue(node, parameterValue, 'internal', additionalKeys, undefined, '');
		return value ? value.toString() : '';
	}
}
