import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { toAthenaApiError } from './errors';
import type { HttpFailure } from './failure';
import { describeHttpFailure, failureOfAnswer } from './failure';
import { parseAthenaJson } from './parse';
import { RateLimiter } from './rateLimiter';

export const CREDENTIAL_NAME = 'athenahealthOAuth2Api';

/** Plain http:// only to this machine (the simulator, a local proxy): elsewhere it would carry the secret and cards in clear. */
const LOOPBACK_HTTP = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i;

/** Why a Custom base URL is refused (without repeating it: it may hold a user name and password), or undefined. */
export function baseUrlProblem(
	baseUrl: string,
): { message: string; description: string } | undefined {
	if (/^https:\/\/[^/\s]+/i.test(baseUrl) || LOOPBACK_HTTP.test(baseUrl)) return undefined;
	if (/^http:\/\//i.test(baseUrl)) {
		return {
			message: "The credential's Custom Base URL uses plain http://",
			description:
				'It would send the client secret, the access token and card data unencrypted. Use https://, or http:// only to this machine (127.0.0.1, ::1, localhost). Nothing was sent.',
		};
	}
	return {
		message: "The credential's Custom Base URL is not an https:// address",
		description:
			'Enter it as https://host (or http://127.0.0.1:port for a local proxy or the simulator). Nothing was sent.',
	};
}

const HOSTS: Record<string, string> = {
	preview: 'https://api.preview.platform.athenahealth.com',
	production: 'https://api.platform.athenahealth.com',
};

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

interface AthenaClientOptions {
	/** Ceiling for all calls of this execution. */
	requestsPerSecond?: number;
	timeoutMs?: number;
	/** How many throttling answers (429 / 403 over-QPS) a call waits out before giving up. */
	maxThrottleRetries?: number;
}

export interface CallOptions {
	/** What the call does, in words ("record the payment"): used in error messages. */
	action: string;
	itemIndex?: number;
	/** Explains athena's refusal for this call, e.g. a closed post date. */
	hint?: (athenaError: string, status?: number) => string | undefined;
}

export interface AthenaAnswer {
	body: unknown;
	requestId?: string;
}

const GET_RETRIES = 3;
// athena refuses new tokens for the rest of the minute after the limit: these waits span a minute.
const TOKEN_WAITS_MS = [5000, 10000, 20000, 30000];

function retryAfterMs(headers: Record<string, string>): number | undefined {
	const value = headers['retry-after'];
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function backoffMs(attempt: number): number {
	return Math.min(30000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}

/**
 * Every athena call goes through here: URL from the credential, form-encoded writes, n8n's OAuth2 token handling,
 * the rate ceiling, retries that are safe, and errors that say what happened without request data.
 */
export class AthenaClient {
	private constructor(
		private readonly context: RequestContext,
		private readonly baseUrl: string,
		readonly practiceId: string,
		private readonly limiter: RateLimiter,
		private readonly options: Required<Omit<AthenaClientOptions, 'requestsPerSecond'>>,
	) {}

	static async create(
		context: RequestContext,
		options: AthenaClientOptions = {},
	): Promise<AthenaClient> {
		const credentials = await context.getCredentials(CREDENTIAL_NAME);
		const environment = String(credentials.environment ?? 'preview');
		const host =
			environment === 'custom'
				? String(credentials.baseUrl ?? '')
						.trim()
						.replace(/\/+$/, '')
				: (HOSTS[environment] ?? HOSTS.preview);
		const problem = environment === 'custom' ? baseUrlProblem(host) : undefined;
		if (problem)
			throw new NodeOperationError(context.getNode(), problem.message, {
				description: problem.description,
			});
		const practiceId = String(credentials.practiceId ?? '').trim();
		return new AthenaClient(
			context,
			`${host}/v1/${encodeURIComponent(practiceId)}`,
			practiceId,
			new RateLimiter(options.requestsPerSecond ?? 0),
			{
				timeoutMs: options.timeoutMs ?? 30000,
				maxThrottleRetries: options.maxThrottleRetries ?? 8,
			},
		);
	}

	get node(): INode {
		return this.context.getNode();
	}

	async get(path: string, qs: IDataObject, call: CallOptions): Promise<AthenaAnswer> {
		return await this.send(
			{ method: 'GET', url: `${this.baseUrl}${path}`, qs: withoutEmpty(qs) },
			call,
			false,
		);
	}

	/** A write. Sent again only when the answer proves athena did nothing (throttled, never sent). */
	async post(
		path: string,
		form: Record<string, string | undefined>,
		call: CallOptions,
	): Promise<AthenaAnswer> {
		const body = new URLSearchParams();
		for (const [name, value] of Object.entries(form))
			if (value !== undefined && value !== '') body.append(name, value);
		return await this.send(
			{
				method: 'POST',
				url: `${this.baseUrl}${path}`,
				body: body.toString(),
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			},
			call,
			true,
		);
	}

	/**
	 * Until one call has finished, the others wait: n8n fetches a missing token per request, so a batch starting
	 * three at a time would fetch three tokens (athena's preview allows five a minute).
	 */
	private firstCall?: Promise<unknown>;

	private firstCallDone = false;

	private async send(
		request: IHttpRequestOptions,
		call: CallOptions,
		isWrite: boolean,
	): Promise<AthenaAnswer> {
		if (!this.firstCallDone) {
			if (this.firstCall) {
				await this.firstCall.catch(() => undefined);
			} else {
				const first = this.sendOnce(request, call, isWrite);
				this.firstCall = first;
				try {
					return await first;
				} finally {
					this.firstCallDone = true;
				}
			}
		}
		return await this.sendOnce(request, call, isWrite);
	}

	private async call(
		options: IHttpRequestOptions,
	): Promise<{ body: unknown; headers?: Record<string, unknown>; statusCode?: number }> {
		return (await this.context.helpers.httpRequestWithAuthentication.call(
			this.context,
			CREDENTIAL_NAME,
			options,
		)) as {
			body: unknown;
			headers?: Record<string, unknown>;
			statusCode?: number;
		};
	}

	private async sendOnce(
		request: IHttpRequestOptions,
		call: CallOptions,
		isWrite: boolean,
	): Promise<AthenaAnswer> {
		let throttled = 0;
		let otherRetries = 0;
		let tokenWaits = 0;
		for (;;) {
			await this.limiter.acquire();
			let failure: HttpFailure;
			try {
				const options: IHttpRequestOptions = {
					...request,
					headers: { accept: 'application/json', ...request.headers },
					json: false,
					encoding: 'text',
					returnFullResponse: true,
					timeout: this.options.timeoutMs,
				};
				// Error answers are read from the response itself: n8n 2.8 drops the response from the error it throws.
				let response = await this.call({ ...options, ignoreHttpStatusErrors: true });
				// A 401 (nothing processed) goes again the way n8n refreshes tokens on: as a thrown 401, then resent once.
				if (response.statusCode === 401) response = await this.call(options);
				const status = response.statusCode ?? 200;
				if (status < 400) {
					const requestId = response.headers?.['x-request-id'];
					return {
						body: parseAthenaJson(response.body),
						requestId: typeof requestId === 'string' ? requestId : undefined,
					};
				}
				failure = failureOfAnswer(status, response.headers, response.body);
			} catch (error) {
				failure = describeHttpFailure(error);
			}
			if (failure.kind === 'throttled' && throttled < this.options.maxThrottleRetries) {
				const wait = retryAfterMs(failure.headers) ?? backoffMs(throttled);
				throttled++;
				this.limiter.pause(wait);
				continue;
			}
			if (
				failure.kind === 'notSent' &&
				failure.tokenProblem === 'rateLimited' &&
				tokenWaits < TOKEN_WAITS_MS.length
			) {
				this.limiter.pause(TOKEN_WAITS_MS[tokenWaits++]);
				continue;
			}
			const retryable =
				failure.kind === 'notSent'
					? !failure.tokenProblem || failure.tokenProblem === 'other'
					: !isWrite && failure.kind === 'unknown';
			if (retryable && otherRetries < GET_RETRIES) {
				await sleep(backoffMs(otherRetries++));
				continue;
			}
			throw toAthenaApiError(this.node, failure, {
				action: call.action,
				isWrite,
				itemIndex: call.itemIndex,
				hint: call.hint,
			});
		}
	}
}

function withoutEmpty(qs: IDataObject): IDataObject {
	const clean: IDataObject = {};
	for (const [key, value] of Object.entries(qs))
		if (value !== undefined && value !== null && value !== '') clean[key] = value;
	return clean;
}
