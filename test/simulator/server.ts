/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The simulator's HTTP server: reads each request, sends `/__admin` to admin.ts and the token endpoint to token.ts,
 * applies the common rules of `/v1` calls in order (throttle, latency, bearer, practice, faults), routes the call to
 * its athena area and writes the answer. It builds the areas and the controls tests drive. README.md maps the files.
 * Zero runtime dependencies (node:http, node:crypto only).
 */
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type SimulatorControls, adminAnswer } from './admin';
import { AnswerOverrides } from './answerOverrides';
import { AppointmentFeed } from './appointmentFeed';
import { appointmentRoutes } from './appointments';
import { Faults, RateLimit, faultEffect, firesBeforeProcessing } from './faults';
import { Ledger } from './ledger';
import { patientExists, patientRoutes } from './patients';
import { Payments } from './payments';
import { practiceRoutes } from './practice';
import { Receipts } from './receipts';
import { type ApiRequest, type Handler, type Reply, type RouteSpec, err } from './replies';
import { RequestLog } from './requestLog';
import { PRACTICE_ID, seedCardPayments } from './seed';
import { Simulation } from './simulation';
import { OAuthTokens } from './token';
import type { Fault, RequestLogEntry, SimulatorConfig, SimulatorConfigInput } from './types';

export const DAILY_QUOTA = 50000;
const MAX_BODY_BYTES = 1024 * 1024;

interface Route {
	method: 'GET' | 'POST';
	pattern: string[]; // ':x' = parameter
	handler: Handler;
	write: boolean;
}

/** A literal segment wins over a parameter: `/patients/search` is not patient "search". */
function compileRoutes(specs: RouteSpec[]): Route[] {
	const params = (route: Route) => route.pattern.filter((segment) => segment.startsWith(':')).length;
	return specs
		.map((spec) => ({
			method: spec.method,
			pattern: spec.path.split('/').filter((s) => s.length > 0),
			handler: spec.handler,
			write: spec.write ?? false,
		}))
		.sort((a, b) => params(a) - params(b));
}

/** The route's parameters (decoded) when the call matches it, else null. */
function matchRoute(route: Route, method: string, segments: string[]): string[] | null {
	if (route.method !== method || route.pattern.length !== segments.length) return null;
	const params: string[] = [];
	for (let i = 0; i < route.pattern.length; i++) {
		const p = route.pattern[i];
		if (p.startsWith(':')) params.push(decodeURIComponent(segments[i]));
		else if (p !== segments[i]) return null;
	}
	return params;
}

/** A `/v1/{practiceid}/…` call as it came in. */
interface PracticeCall {
	req: http.IncomingMessage;
	res: http.ServerResponse;
	method: string;
	practiceId: string;
	/** Path after /v1/{practiceid}. */
	sub: string;
	query: URLSearchParams;
	body: string;
	contentType: string | null;
	authorization: string | undefined;
	bearer: string | null;
}

export class SimulatorServer {
	readonly server: http.Server;
	private readonly simulation = new Simulation();
	private readonly tokens = new OAuthTokens(this.simulation);
	private readonly rateLimit = new RateLimit(this.simulation);
	private readonly injectedFaults = new Faults();
	readonly answerOverrides = new AnswerOverrides();
	private readonly paymentLedger = new Ledger(this.simulation);
	private readonly receipts = new Receipts(this.simulation, this.paymentLedger);
	private readonly payments = new Payments(this.simulation, this.paymentLedger, this.receipts);
	/** The changed-appointments feed, its subscription and the appointments as admin calls left them. */
	readonly appointmentFeed = new AppointmentFeed(
		() => this.now(),
		(id) => this.paymentLedger.collectedForAppointment(id),
	);
	private readonly requestLog = new RequestLog();
	private readonly routes: Route[];
	private timers = new Set<NodeJS.Timeout>();
	private closed = false;

	constructor(config?: SimulatorConfigInput) {
		this.routes = compileRoutes([
			...practiceRoutes(),
			...patientRoutes(),
			...this.receipts.routes(),
			...this.appointmentFeed.routes(),
			...appointmentRoutes(this.appointmentFeed),
			...this.payments.routes(),
		]);
		this.reset(config);
		this.server = http.createServer((req, res) => this.onRequest(req, res));
		this.server.keepAliveTimeout = 5000;
	}

	// -------------------------------------------------------------- lifecycle
	listen(port: number, host: string): Promise<AddressInfo> {
		return new Promise((resolve, reject) => {
			const onError = (e: Error) => reject(e);
			this.server.once('error', onError);
			this.server.listen(port, host, () => {
				this.server.off('error', onError);
				resolve(this.server.address() as AddressInfo);
			});
		});
	}

	close(): Promise<void> {
		if (this.closed) return Promise.resolve();
		this.closed = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private later(ms: number, fn: () => void): void {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		this.timers.add(t);
	}

	now(): number {
		return this.simulation.now();
	}

	/** Back to seed data, empty ledger, no faults, zeroed counters, no tokens, defaults + `config`. */
	reset(config?: SimulatorConfigInput): SimulatorConfig {
		this.simulation.reset(config);
		this.tokens.reset();
		this.rateLimit.reset();
		this.injectedFaults.clear();
		this.answerOverrides.clear();
		const seeded = seedCardPayments();
		this.paymentLedger.reset(seeded);
		this.receipts.reset(seeded);
		this.payments.reset();
		this.requestLog.clear();
		this.appointmentFeed.reset();
		return this.simulation.configCopy();
	}

	/** What tests drive: index.ts hands these out in process, admin.ts serves them over HTTP. */
	readonly controls: SimulatorControls = {
		reset: (config) => this.reset(config),
		configure: (partial) => {
			this.simulation.configure(partial);
			return this.simulation.configCopy();
		},
		config: () => this.simulation.configCopy(),
		addFaults: (...faults) => this.injectedFaults.add(faults.flat()),
		clearFaults: () => {
			this.injectedFaults.clear();
			this.answerOverrides.clear();
		},
		faults: () => this.injectedFaults.describe(),
		ledger: () => this.paymentLedger.list(),
		stats: () => ({ ...this.simulation.stats }),
		requests: () => this.requestLog.list(),
		expireTokens: () => this.tokens.expireAll(),
		settle: () => this.paymentLedger.settle(),
		advanceTime: (seconds) => this.simulation.advanceTime(seconds),
	};

	// -------------------------------------------------------------- HTTP plumbing
	private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY_BYTES) tooBig = true;
			else chunks.push(c);
		});
		req.on('error', () => undefined);
		req.on('end', () => {
			if (this.closed) {
				req.socket.destroy();
				return;
			}
			try {
				this.dispatch(req, res, tooBig ? null : Buffer.concat(chunks).toString('utf8'));
			} catch (e) {
				if (!res.headersSent) {
					this.write(res, { status: 500, body: { error: 'Simulator error', detailedmessage: String(e) } });
				}
			}
		});
	}

	/** `body` is null when it was over MAX_BODY_BYTES. */
	private dispatch(req: http.IncomingMessage, res: http.ServerResponse, body: string | null): void {
		const url = new URL(req.url ?? '/', 'http://sim.local');
		const path = url.pathname;
		const method = (req.method ?? 'GET').toUpperCase();
		if (path.startsWith('/__admin')) {
			const answer = adminAnswer(this.controls, this.appointmentFeed, method, path, body);
			const text = JSON.stringify(answer.body);
			res.writeHead(answer.status, {
				'content-type': 'application/json; charset=utf-8',
				'content-length': Buffer.byteLength(text),
			});
			res.end(text);
			return;
		}
		const authorization = req.headers.authorization;
		const bearerMatch = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
		const bearer = bearerMatch ? bearerMatch[1] : null;
		const contentType = req.headers['content-type'] ?? null;
		this.logRequest(res, { method, path, query: Object.fromEntries(url.searchParams), contentType, bearer });
		if (body === null) {
			this.write(res, err(413, 'Request entity too large', `Bodies are limited to ${MAX_BODY_BYTES} bytes.`));
			return;
		}
		if (path === '/oauth2/v1/token') {
			const tokenReply = this.tokens.issue({ method, authorization, contentType: req.headers['content-type'], body });
			this.write(res, tokenReply);
			return;
		}
		const m = /^\/v1\/([^/]+)(\/.*)?$/.exec(path);
		if (!m) {
			this.write(res, err(404, 'Not found'));
			return;
		}
		this.simulation.stats.apiRequests++;
		// Throttle (per-second cap): answered without processing.
		const throttled = this.rateLimit.refuse();
		if (throttled) {
			this.write(res, throttled);
			return;
		}
		const call: PracticeCall = {
			req,
			res,
			method,
			practiceId: m[1],
			sub: m[2] ?? '/',
			query: url.searchParams,
			body,
			contentType,
			authorization,
			bearer,
		};
		const latency = this.simulation.config.latencyMs;
		if (latency > 0) this.later(latency, () => this.handlePracticeCall(call));
		else this.handlePracticeCall(call);
	}

	private logRequest(
		res: http.ServerResponse,
		seen: Pick<RequestLogEntry, 'method' | 'path' | 'query' | 'contentType'> & { bearer: string | null },
	): void {
		const entry: RequestLogEntry = {
			method: seen.method,
			path: seen.path,
			query: seen.query,
			status: 0,
			contentType: seen.contentType,
			at: new Date(this.now()).toISOString(),
			bearer: seen.bearer === null ? null : seen.bearer.slice(0, 8),
		};
		this.requestLog.add(entry);
		res.on('finish', () => {
			entry.status = res.statusCode;
		});
	}

	/** Bearer, practice, faults before processing, the route, odd answers, faults after processing. */
	private handlePracticeCall(call: PracticeCall): void {
		if (this.closed) return;
		const { method, sub, res } = call;
		const unauthorized = this.tokens.refuseCall(call.authorization, call.bearer);
		if (unauthorized) {
			this.write(res, unauthorized);
			return;
		}
		if (call.practiceId !== PRACTICE_ID && !this.simulation.config.practiceIds.includes(call.practiceId)) {
			const why = 'The practice ID in the URL is not one this application can access.';
			this.write(res, err(404, 'Invalid practice ID', why));
			return;
		}
		const fault = this.injectedFaults.pick(method, sub);
		if (fault && firesBeforeProcessing(fault)) {
			this.simulation.stats.faultsInjected++;
			this.applyFault(fault, call);
			return;
		}
		const request: ApiRequest = {
			method,
			sub,
			segments: sub.split('/').filter((s) => s.length > 0),
			practiceId: call.practiceId,
			query: call.query,
			form: {},
			rawBody: call.body,
			contentType: call.contentType,
			entries: [],
		};
		const routed = this.route(request);
		const reply = this.answerOverrides.pick(method, sub) ?? routed;
		if (fault) {
			this.simulation.stats.faultsInjected++;
			for (const e of request.entries) e.answered = false;
			this.applyFault(fault, call);
			return;
		}
		this.write(res, reply);
	}

	private applyFault(fault: Fault, { req, res }: PracticeCall): void {
		const effect = faultEffect(fault);
		if ('answer' in effect) this.write(res, effect.answer);
		else if (effect.afterMs !== undefined) this.later(effect.afterMs, () => req.socket.destroy());
		else req.socket.destroy();
	}

	private route(request: ApiRequest): Reply {
		for (const route of this.routes) {
			const params = matchRoute(route, request.method, request.segments);
			if (!params) continue;
			if (!route.write) return route.handler(request, params);
			const reply = this.writeEndpoint(request, params, route.handler);
			if (reply.status >= 400 && reply.status < 500) this.simulation.stats.refusedPayments++;
			return reply;
		}
		return err(404, 'Not found');
	}

	/** The payment writes take form-encoded bodies only (an empty body with any type is fine), for a known patient. */
	private writeEndpoint(request: ApiRequest, params: string[], handler: Handler): Reply {
		const ct = request.contentType ? request.contentType.split(';')[0].trim().toLowerCase() : null;
		if (request.rawBody.length > 0 && ct !== 'application/x-www-form-urlencoded') {
			return { ...err(400, 'Invalid request content type', 'Use application/x-www-form-urlencoded.'), blankLines: true };
		}
		const form: Record<string, string> = {};
		for (const [k, v] of new URLSearchParams(request.rawBody)) if (!(k in form)) form[k] = v;
		request.form = form;
		if (!patientExists(params[0])) return err(404, 'The patient is not found.');
		return handler(request, params);
	}

	private write(res: http.ServerResponse, reply: Reply): void {
		if (res.headersSent || res.destroyed) return;
		let payload: string;
		let contentType = reply.contentType;
		if (reply.raw !== undefined) {
			payload = reply.raw;
			contentType = contentType ?? 'text/plain';
		} else {
			payload = JSON.stringify(reply.body ?? {});
			contentType = contentType ?? 'application/json';
		}
		if (reply.blankLines) payload = `\n\n${payload}`;
		const headers: Record<string, string | number> = {
			'content-type': `${contentType}; charset=utf-8`,
			'content-length': Buffer.byteLength(payload),
			'x-request-id': crypto.randomUUID(),
			'x-ratelimit-limit': DAILY_QUOTA,
			'x-ratelimit-remaining': Math.max(0, DAILY_QUOTA - this.simulation.stats.apiRequests),
			...(reply.headers ?? {}),
		};
		res.writeHead(reply.status, headers);
		res.end(payload);
	}
}
