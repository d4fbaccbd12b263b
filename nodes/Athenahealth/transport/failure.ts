/**
 * What a failed request tells us about whether athena acted on it. This decides retries and the row status:
 * a payment POST may be sent again only when the answer proves athena did nothing.
 */
export type FailureKind =
	/** athena answered and refused (4xx): nothing happened. */
	| 'refused'
	/** Throttled (429, or 403 "Developer Over Qps"): nothing happened, wait and try again. */
	| 'throttled'
	/** The request never left (connection refused, no token could be obtained): nothing happened. */
	| 'notSent'
	/** It may have reached athena and no answer proves otherwise (5xx, reset, timeout). */
	| 'unknown';

export interface HttpFailure {
	kind: FailureKind;
	status?: number;
	headers: Record<string, string>;
	body: string;
	/** Low-level code such as ECONNRESET, without any request data. */
	code?: string;
	tokenProblem?: 'rateLimited' | 'badClient' | 'other';
}

type Probe = {
	response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
	code?: unknown;
	message?: unknown;
	body?: unknown;
	status?: unknown;
	cause?: unknown;
};

function causes(error: unknown): Probe[] {
	const chain: Probe[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 6) {
		chain.push(current as Probe);
		current = (current as Probe).cause;
	}
	return chain;
}

// Mashery, athena's gateway, says "Developer Over Qps" / "Over Rate" with a 403 when throttling.
const THROTTLE_TEXT = /over\s*qps|over\s*rate|rate\s*limit|too\s*many\s*requests|throttl/i;

export function isThrottleAnswer(status: number | undefined, body: string): boolean {
	return status === 429 || (status === 403 && THROTTLE_TEXT.test(body));
}

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw ?? {})) {
		if (typeof value === 'string' || typeof value === 'number')
			headers[name.toLowerCase()] = String(value);
	}
	return headers;
}

function textOf(data: unknown): string {
	if (typeof data === 'string') return data;
	if (Buffer.isBuffer(data)) return data.toString('utf8');
	if (data === undefined || data === null) return '';
	return JSON.stringify(data);
}

/** An error answer athena gave (status 4xx/5xx), read from the response itself. */
export function failureOfAnswer(
	status: number,
	rawHeaders: Record<string, unknown> | undefined,
	data: unknown,
): HttpFailure {
	const body = textOf(data);
	const kind: FailureKind = isThrottleAnswer(status, body)
		? 'throttled'
		: status >= 500
			? 'unknown'
			: 'refused';
	return { kind, status, headers: headersOf(rawHeaders), body };
}

const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ERR_INVALID_URL',
	'EHOSTUNREACH',
]);

/** Reads an error thrown by n8n's request helper down to the facts that matter, leaving the request (token, card) behind. */
export function describeHttpFailure(error: unknown): HttpFailure {
	const chain = causes(error);
	const withResponse = chain.find(
		(link) => link.response && typeof link.response.status === 'number',
	);
	if (withResponse?.response) {
		return failureOfAnswer(
			withResponse.response.status as number,
			withResponse.response.headers,
			withResponse.response.data,
		);
	}
	const messages = chain
		.map((link) => (typeof link.message === 'string' ? link.message : ''))
		.join(' | ');
	const tokenError = chain.find((link) => link.code === 'EAUTH' || link.code === 'ESTATUS');
	if (tokenError || /Failed to acquire OAuth2 access token/.test(messages)) {
		const tokenBody = textOf(tokenError?.body);
		const tokenStatus = typeof tokenError?.status === 'number' ? tokenError.status : undefined;
		const tokenProblem =
			tokenStatus === 429 || /rate|too many|limit/i.test(tokenBody + messages)
				? 'rateLimited'
				: /invalid_client|client authentication failed|unauthori[sz]ed|401/i.test(
							tokenBody + messages,
					  )
					? 'badClient'
					: 'other';
		return { kind: 'notSent', status: tokenStatus, headers: {}, body: tokenBody, tokenProblem };
	}
	const code = chain
		.map((link) => link.code)
		.find((value): value is string => typeof value === 'string');
	if (code && NOT_SENT_CODES.has(code)) return { kind: 'notSent', headers: {}, body: '', code };
	return { kind: 'unknown', headers: {}, body: '', code: code ?? 'NO_ANSWER' };
}
