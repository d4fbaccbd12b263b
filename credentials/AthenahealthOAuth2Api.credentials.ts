import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * athenaOne API access with OAuth 2.0 client credentials (two-legged).
 *
 * Extending `oAuth2Api` lets n8n fetch the token, store it with the credential, reuse it across executions and fetch a
 * new one (then resend once) when athena answers 401. That matters: athena's preview refuses more than five new tokens
 * a minute, so a token per item or per execution would fail at once.
 */
export class AthenahealthOAuth2Api implements ICredentialType {
	name = 'athenahealthOAuth2Api';

	extends = ['oAuth2Api'];

	// Not "athenahealth …" as the node (athena's own spelling): n8n's lint wants a credential's display name in title
	// case (cred-class-field-display-name-miscased).
	displayName = 'Athenahealth OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/Athenahealth/athenahealth.svg',
		dark: 'file:../nodes/Athenahealth/athenahealth.dark.svg',
	};

	documentationUrl = 'https://docs.athenahealth.com/api/guides/authentication';

	// A Custom base URL on plain http:// to another machine would carry the client secret in clear. The token URL and the
	// test URL then point at a host that cannot exist (.invalid, RFC 2606) whose name says why, so nothing is sent; the
	// node itself refuses it with a clear message first (transport/athenaClient.ts).
	//
	// Field order: n8n lists an extended credential's fields in its parent's order, an overridden field keeping the
	// parent's place and new ones coming after (NodeHelpers.mergeNodeProperties). So Client ID and Secret (oAuth2Api's)
	// stay above Environment and Practice ID; renaming them to move them would orphan every saved credential. Their help
	// text points to the fields below instead.
	//
	// A refused Client ID or Secret fails in n8n's token fetch, before the test request, and n8n shows that error as it
	// is ("Client authentication failed …"): a test rule only sees the test request's answer. So what to check when the
	// secret is refused lives in the Client Secret's help text.
	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				"Your app's Client ID (Key) from the athenahealth Developer Portal, for the Environment chosen below: preview and production have different keys",
			hint: 'From the athenahealth Developer Portal, for the Environment below',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The Secret shown with that Client ID in the Developer Portal. If the test says "Client authentication failed", check that the key pair belongs to the Environment below: preview and production keys differ, and a secret reset in the portal replaces the old one.',
			// Shown under the field (a description is only a tooltip in the credential form), so it is in view next to
			// n8n's "Client authentication failed" banner.
			hint: 'Refused? Preview and production keys differ: use the pair issued for the Environment below.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Preview (Sandbox)',
					value: 'preview',
					description: 'api.preview.platform.athenahealth.com: test data, 5 new tokens a minute',
				},
				{
					name: 'Production',
					value: 'production',
					description: 'api.platform.athenahealth.com: real patients and real money',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Another base URL, such as a proxy or the athena simulator of this package',
				},
			],
			default: 'preview',
			description:
				'Which athenaOne the credential talks to. Use the Client ID and Secret issued for this environment.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:8787',
			description:
				'The host athena is reached at, without /v1 or the practice ID. The token is requested from <Base URL>/oauth2/v1/token. Must be https://; plain http:// only to this machine (127.0.0.1, ::1, localhost).',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Practice ID',
			name: 'practiceId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 195900',
			description:
				'The athenaOne practice this credential works on. The shared preview practice is 195900; your own preview and production practice IDs are in the athenahealth Developer Portal.',
			required: true,
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				'={{ ($self["environment"] === "custom" ? (/^http:\\/\\/(?!(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(\\/|$))/i.test(String($self["baseUrl"]).trim()) ? "https://plain-http-base-url-refused-use-https.invalid" : String($self["baseUrl"]).trim().replace(/\\/+$/, "")) : $self["environment"] === "production" ? "https://api.platform.athenahealth.com" : "https://api.preview.platform.athenahealth.com") + "/oauth2/v1/token" }}',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'athena/service/Athenanet.MDP.*',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	// One department is the cheapest call that needs both a valid token and a practice this client may use.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.environment === "custom" ? (/^http:\\/\\/(?!(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?(\\/|$))/i.test(String($credentials.baseUrl).trim()) ? "https://plain-http-base-url-refused-use-https.invalid" : String($credentials.baseUrl).trim().replace(/\\/+$/, "")) : $credentials.environment === "production" ? "https://api.platform.athenahealth.com" : "https://api.preview.platform.athenahealth.com" }}',
			url: '=/v1/{{ encodeURIComponent(String($credentials.practiceId).trim()) }}/departments',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'athena does not know this Practice ID, or this client may not use it. Check the Practice ID against the Developer Portal (the shared preview practice is 195900).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'athena refused this client for the practice. Check that the app is enabled for this Practice ID and environment in the Developer Portal.',
				},
			},
		],
	};
}
