/**
 * athena's OAuth: `POST /oauth2/v1/token` (client credentials, a per-minute limit) and the bearer check every
 * `/v1` call passes first.
 */
import * as crypto from 'node:crypto';
import type { Reply } from './replies';
import { CLIENT_ID, CLIENT_SECRET, SCOPE } from './seed';
import type { Simulation } from './simulation';

export interface TokenRequest {
	method: string;
	authorization: string | undefined;
	contentType: string | undefined;
	body: string;
}

export class OAuthTokens {
	private tokens = new Map<string, number>(); // token -> expiresAt (ms, simulated clock)
	private windowStart = -Infinity;
	private windowCount = 0;

	constructor(private readonly sim: Simulation) {}

	reset(): void {
		this.tokens.clear();
		this.windowStart = -Infinity;
		this.windowCount = 0;
	}

	/** Every token invalid now. */
	expireAll(): void {
		this.tokens.clear();
	}

	/** `POST /oauth2/v1/token`. Only valid requests count against the per-minute limit. */
	issue(request: TokenRequest): Reply {
		this.sim.stats.tokenRequests++;
		const refusal = this.refusal(request);
		if (refusal) return refusal;
		const now = this.sim.now();
		const config = this.sim.config;
		if (now >= this.windowStart + 60000) {
			this.windowStart = now;
			this.windowCount = 0;
		}
		if (this.windowCount >= config.tokenLimitPerMinute) {
			this.sim.stats.tokenRefusals429++;
			return { status: 429, body: { error: 'rate_limited', error_description: 'Token request limit exceeded' } };
		}
		this.windowCount++;
		this.sim.stats.tokensIssued++;
		const token = crypto.randomBytes(21).toString('base64url');
		this.tokens.set(token, now + config.tokenLifetimeSeconds * 1000);
		if (this.tokens.size > 1000) {
			for (const [t, exp] of this.tokens) if (exp <= now) this.tokens.delete(t);
		}
		return {
			status: 200,
			body: {
				token_type: 'Bearer',
				expires_in: String(config.tokenLifetimeSeconds),
				access_token: token,
				scope: SCOPE,
			},
			headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
		};
	}

	/** Why a token request is refused (method, client, content type, grant, scope), or null. */
	private refusal({ method, authorization, contentType, body }: TokenRequest): Reply | null {
		if (method !== 'POST') {
			return { status: 405, body: { error: 'invalid_request', error_description: 'Use POST.' } };
		}
		const basic = typeof authorization === 'string' ? /^Basic\s+(\S+)\s*$/i.exec(authorization) : null;
		if (!clientMatches(basic?.[1])) {
			return {
				status: 401,
				body: {
					error: 'invalid_client',
					error_description: basic
						? 'Client authentication failed: unknown client id or wrong secret.'
						: 'Client authentication failed: send Authorization: Basic base64(client_id:client_secret).',
				},
				headers: { 'www-authenticate': 'Basic realm="athenahealth"' },
			};
		}
		const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
		if (ct !== 'application/x-www-form-urlencoded') {
			return {
				status: 400,
				body: { error: 'invalid_request', error_description: 'Use application/x-www-form-urlencoded.' },
			};
		}
		const form = new URLSearchParams(body);
		if (form.get('grant_type') !== 'client_credentials') {
			return {
				status: 400,
				body: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials.' },
			};
		}
		const scope = form.get('scope');
		if (scope !== null && scope !== SCOPE) {
			return { status: 400, body: { error: 'invalid_scope', error_description: `scope must be ${SCOPE}.` } };
		}
		return null;
	}

	/** The 401 a `/v1` call gets without a live bearer token (athena's texts), or null when it may go on. */
	refuseCall(authorization: string | undefined, bearer: string | null): Reply | null {
		if (!authorization) return { status: 401, body: { error: 'Developer Inactive' } };
		const exp = bearer !== null ? this.tokens.get(bearer) : undefined;
		if (exp === undefined || exp <= this.sim.now()) return { status: 401, body: { error: 'Invalid token' } };
		return null;
	}
}

/** Basic credentials (base64 "id:secret") that name the simulator's client. */
function clientMatches(basicCredentials: string | undefined): boolean {
	if (basicCredentials === undefined) return false;
	const decoded = Buffer.from(basicCredentials, 'base64').toString('utf8');
	const i = decoded.indexOf(':');
	return i > 0 && decoded.slice(0, i) === CLIENT_ID && decoded.slice(i + 1) === CLIENT_SECRET;
}
