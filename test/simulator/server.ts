/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The athenaOne sandbox simulator: state + HTTP handling. See README.md for the reference.
 * Zero runtime dependencies (node:http, node:crypto only).
 */
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppointmentFeed } from './appointmentFeed';
import {
	CARD_DECLINE_TEXT,
	CARD_PAYMENT_METHOD_CODES,
	CLIENT_ID,
	CLIENT_SECRET,
	DEFAULT_CLOSE_DATE,
	DEPARTMENTS,
	FIRST_LIVE_EPAYMENT_ID,
	FIRST_PAYMENT_BATCH_ID,
	NON_CARD_PAYMENT_METHODS,
	PAYMENT_METHODS,
	PORTAL_HIDDEN_DEPARTMENT_IDS,
	PRACTICE_ID,
	SCOPE,
	type SeedCardPayment,
	cardType,
	luhnValid,
	seedCardPayments,
	seedData,
} from './seed';
import { eastern } from './easternTime';
import { echoingAnswer } from './echoingCards';
import type {
	Fault,
	FaultKind,
	LedgerEntry,
	LedgerKind,
	RateLimitConfig,
	RequestLogEntry,
	SimulatorConfig,
	SimulatorConfigInput,
	SimulatorStats,
} from './types';
import { AnswerOverrides } from './answerOverrides';

export const DAILY_QUOTA = 50000;
const REQUEST_LOG_SIZE = 10000;
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_HANG_MS = 60000;
const FAULT_KINDS: readonly FaultKind[] = [
	'500-before',
	'502-html-before',
	'503-before',
	'500-after',
	'reset-before',
	'reset-after',
	'hang-after',
];

export function defaultConfig(): SimulatorConfig {
	return {
		latencyMs: 0,
		rateLimit: { perSecond: null, status: 429, retryAfterSeconds: null },
		tokenLifetimeSeconds: 3600,
		tokenLimitPerMinute: 5,
		closeDate: DEFAULT_CLOSE_DATE,
		settled: false,
		duplicateWindowSeconds: 600,
		practiceIds: [],
		voidReceipt: 'voidRow',
		paymentHistoryShape: 'guessed',
	};
}

// ------------------------------------------------------------------ validation of admin input
class InputError extends Error {}

const DATE_RE = /^(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/(\d{4})$/;

function isNonNegInt(v: unknown): v is number {
	return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Checks a partial config (admin or in-process input); throws InputError with a readable message. */
export function validateConfigInput(input: unknown): SimulatorConfigInput {
	if (input === undefined || input === null) return {};
	if (typeof input !== 'object' || Array.isArray(input)) throw new InputError('config must be an object');
	const c = input as Record<string, unknown>;
	const known = [
		'latencyMs',
		'rateLimit',
		'tokenLifetimeSeconds',
		'tokenLimitPerMinute',
		'closeDate',
		'settled',
		'duplicateWindowSeconds',
		'practiceIds',
		'voidReceipt',
		'paymentHistoryShape',
	];
	for (const k of Object.keys(c)) if (!known.includes(k)) throw new InputError(`unknown config key "${k}"`);
	for (const k of ['latencyMs', 'tokenLimitPerMinute', 'duplicateWindowSeconds']) {
		if (k in c && !isNonNegInt(c[k])) throw new InputError(`${k} must be a non-negative integer`);
	}
	if ('tokenLifetimeSeconds' in c && !(typeof c.tokenLifetimeSeconds === 'number' && c.tokenLifetimeSeconds > 0)) {
		throw new InputError('tokenLifetimeSeconds must be a positive number');
	}
	if ('closeDate' in c && !(typeof c.closeDate === 'string' && DATE_RE.test(c.closeDate))) {
		throw new InputError('closeDate must be mm/dd/yyyy');
	}
	if ('settled' in c && typeof c.settled !== 'boolean') throw new InputError('settled must be a boolean');
	if ('voidReceipt' in c && c.voidReceipt !== 'voidRow' && c.voidReceipt !== 'voidPurchase') {
		throw new InputError('voidReceipt must be "voidRow" or "voidPurchase"');
	}
	if ('paymentHistoryShape' in c && c.paymentHistoryShape !== 'guessed' && c.paymentHistoryShape !== 'catalogue') {
		throw new InputError('paymentHistoryShape must be "guessed" or "catalogue"');
	}
	if (
		'practiceIds' in c &&
		!(Array.isArray(c.practiceIds) && c.practiceIds.every((p) => typeof p === 'string' && /^\d+$/.test(p)))
	) {
		throw new InputError('practiceIds must be an array of numeric strings');
	}
	if ('rateLimit' in c) {
		const r = c.rateLimit;
		if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new InputError('rateLimit must be an object');
		const rl = r as Record<string, unknown>;
		for (const k of Object.keys(rl)) {
			if (!['perSecond', 'status', 'retryAfterSeconds'].includes(k)) throw new InputError(`unknown rateLimit key "${k}"`);
		}
		if ('perSecond' in rl && rl.perSecond !== null && !(isNonNegInt(rl.perSecond) && rl.perSecond > 0)) {
			throw new InputError('rateLimit.perSecond must be a positive integer or null');
		}
		if ('status' in rl && rl.status !== 429 && rl.status !== 403) throw new InputError('rateLimit.status must be 429 or 403');
		if ('retryAfterSeconds' in rl && rl.retryAfterSeconds !== null && !isNonNegInt(rl.retryAfterSeconds)) {
			throw new InputError('rateLimit.retryAfterSeconds must be a non-negative integer or null');
		}
	}
	return c as SimulatorConfigInput;
}

function mergeConfig(base: SimulatorConfig, input: SimulatorConfigInput): SimulatorConfig {
	const { rateLimit, ...rest } = input;
	const merged: SimulatorConfig = { ...base, ...rest, rateLimit: { ...base.rateLimit, ...(rateLimit ?? {}) } };
	merged.practiceIds = [...merged.practiceIds];
	return merged;
}

interface CompiledFault {
	fault: Fault;
	re: RegExp | null;
	seen: number;
	fired: number;
}

export function validateFaults(input: unknown): Fault[] {
	if (!Array.isArray(input)) throw new InputError('faults must be an array');
	return input.map((f, i) => {
		if (typeof f !== 'object' || f === null) throw new InputError(`faults[${i}] must be an object`);
		const o = f as Record<string, unknown>;
		if (!FAULT_KINDS.includes(o.kind as FaultKind)) {
			throw new InputError(`faults[${i}].kind must be one of ${FAULT_KINDS.join(', ')}`);
		}
		if ('method' in o && o.method !== undefined && o.method !== 'GET' && o.method !== 'POST') {
			throw new InputError(`faults[${i}].method must be GET or POST`);
		}
		if ('path' in o && o.path !== undefined) {
			if (typeof o.path !== 'string') throw new InputError(`faults[${i}].path must be a string`);
			try {
				new RegExp(o.path);
			} catch {
				throw new InputError(`faults[${i}].path is not a valid regular expression`);
			}
		}
		if ('every' in o && o.every !== undefined && !(isNonNegInt(o.every) && o.every >= 1)) {
			throw new InputError(`faults[${i}].every must be a positive integer`);
		}
		if ('count' in o && o.count !== undefined && !isNonNegInt(o.count)) {
			throw new InputError(`faults[${i}].count must be a non-negative integer`);
		}
		if ('hangMs' in o && o.hangMs !== undefined && !isNonNegInt(o.hangMs)) {
			throw new InputError(`faults[${i}].hangMs must be a non-negative integer`);
		}
		return { ...(o as unknown as Fault) };
	});
}

/** The seed's VOID row takes the e-payment ID after its purchase's (9002 → 9003), as athena's 2009 rows do (8 → 9). */
const SEED_VOID_ID_STEP = 1;

// ------------------------------------------------------------------ small helpers
function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}
function centsToMoney(cents: number): string {
	return `${Math.floor(cents / 100)}.${pad2(cents % 100)}`;
}
/** An amount the way athena's receipts write it: no trailing zeros, no leading zero ("25", "2.5", ".16", "0"). */
function athenaAmount(cents: number): string {
	return centsToMoney(cents).replace(/\.?0+$/, '').replace(/^0(?=\.)/, '') || '0';
}
const MONEY_RE = /^\d{1,9}(\.\d{1,2})?$/;
/** Decimal string with at most 2 decimals → cents; null when malformed. */
function parseMoney(v: string): number | null {
	if (!MONEY_RE.test(v)) return null;
	const [whole, frac = ''] = v.split('.');
	return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}
/** Calendar date as yyyymmdd number (for comparisons), or null when not a real mm/dd/yyyy date. */
function dateKey(v: string): number | null {
	const m = DATE_RE.exec(v);
	if (!m) return null;
	const month = Number(m[1]);
	const day = Number(m[2]);
	const year = Number(m[3]);
	const d = new Date(Date.UTC(year, month - 1, day));
	if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
	return year * 10000 + month * 100 + day;
}

function isTrue(v: string | undefined): boolean {
	return v !== undefined && /^(true|y|yes|1)$/i.test(v);
}
const FLAG_RE = /^(Y|N|true|false)$/i;

// ------------------------------------------------------------------ replies
interface Reply {
	status: number;
	/** Serialized as JSON unless `raw` is given. */
	body?: unknown;
	raw?: string;
	contentType?: string;
	/** Body begins with "\n\n" (athena does this on some errors). */
	blankLines?: boolean;
	headers?: Record<string, string>;
}

function ok(body: unknown): Reply {
	return { status: 200, body };
}
function err(status: number, error: string, detailedmessage?: string, extra?: Record<string, unknown>): Reply {
	const body: Record<string, unknown> = { error };
	if (detailedmessage !== undefined) body.detailedmessage = detailedmessage;
	if (extra) Object.assign(body, extra);
	// Every error athena was recorded sending (400, 403, 404, 409) begins with "\n\n".
	return { status, body, blankLines: true };
}
/** A refusal of recordpayment/collectpayment input: 400 beginning with blank lines. */
function bad(error: string, detailedmessage: string, extra?: Record<string, unknown>): Reply {
	return { ...err(400, error, detailedmessage, extra), blankLines: true };
}
function missing(fields: string[]): Reply {
	return bad('Additional fields are required.', `Missing required fields: ${fields.join(', ')}.`, {
		missingfields: fields,
	});
}

interface Ctx {
	method: string;
	/** Path after /v1/{practiceid}. */
	sub: string;
	segments: string[];
	practiceId: string;
	query: URLSearchParams;
	form: Record<string, string>;
	rawBody: string;
	contentType: string | null;
	/** Ledger entries written while handling this request. */
	entries: LedgerEntry[];
}

interface CardPayment extends SeedCardPayment {
	/** Live payments: the sequence number used for settle() watermarks. */
	live: boolean;
}

interface Receipt {
	epaymentid: string;
	amount: string;
	cardnumberlast4digits: string;
	cardtypeabbreviation: string;
	cardtypename: string;
	type: 'PURCHASE' | 'VOID' | 'VOIDPURCHASE';
	requestdate: string;
}

interface HistoryItem {
	entry: LedgerEntry;
	dateKey: number;
	postdate: string;
	paymentmethod: string;
}

type Handler = (ctx: Ctx, params: string[]) => Reply;
interface Route {
	method: 'GET' | 'POST';
	pattern: string[]; // ':x' = parameter
	handler: Handler;
	write: boolean;
}

// ------------------------------------------------------------------ the simulator
export class SimulatorServer {
	readonly server: http.Server;
	private config: SimulatorConfig = defaultConfig();
	private clockOffsetMs = 0;
	private tokens = new Map<string, number>(); // token -> expiresAt (ms, simulated clock)
	private tokenWindowStart = -Infinity;
	private tokenWindowCount = 0;
	private rateWindowSecond = -1;
	private rateWindowCount = 0;
	private faults: CompiledFault[] = [];
	readonly answerOverrides = new AnswerOverrides();
	private ledgerEntries: LedgerEntry[] = [];
	private historyByPatient = new Map<string, HistoryItem[]>();
	private cardPayments = new Map<string, CardPayment>();
	private receipts = new Map<string, Receipt[]>(); // `${patient}|${department}`
	private lastApproved = new Map<string, number>(); // duplicate key -> time (ms)
	private nextEpaymentId = FIRST_LIVE_EPAYMENT_ID;
	private settledThrough = 0; // live epaymentids <= this are settled
	private nextBatchId = FIRST_PAYMENT_BATCH_ID;
	private seq = 0;
	private statsData: SimulatorStats = SimulatorServer.emptyStats();
	private requestLog: RequestLogEntry[] = [];
	private requestLogNext = 0;
	private timers = new Set<NodeJS.Timeout>();
	private routes: Route[];
	private closed = false;
	/** The changed-appointments feed, its subscription and /appointments/booked (appointmentFeed.ts). */
	readonly appointmentFeed = new AppointmentFeed(() => this.now(), (id) => this.collectedForAppointment(id));

	constructor(config?: SimulatorConfigInput) {
		this.routes = this.buildRoutes();
		this.reset(config);
		this.server = http.createServer((req, res) => this.onRequest(req, res));
		this.server.keepAliveTimeout = 5000;
	}

	private static emptyStats(): SimulatorStats {
		return {
			tokenRequests: 0,
			tokensIssued: 0,
			tokenRefusals429: 0,
			apiRequests: 0,
			throttled: 0,
			faultsInjected: 0,
			refusedPayments: 0,
			declines: 0,
		};
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
		return Date.now() + this.clockOffsetMs;
	}

	// -------------------------------------------------------------- in-process admin
	reset(config?: SimulatorConfigInput): SimulatorConfig {
		const input = validateConfigInput(config);
		this.config = mergeConfig(defaultConfig(), input);
		this.clockOffsetMs = 0;
		this.tokens.clear();
		this.tokenWindowStart = -Infinity;
		this.tokenWindowCount = 0;
		this.rateWindowSecond = -1;
		this.rateWindowCount = 0;
		this.faults = [];
		this.answerOverrides.clear();
		this.ledgerEntries = [];
		this.historyByPatient.clear();
		this.cardPayments.clear();
		this.receipts.clear();
		this.lastApproved.clear();
		this.nextEpaymentId = FIRST_LIVE_EPAYMENT_ID;
		this.settledThrough = 0;
		this.nextBatchId = FIRST_PAYMENT_BATCH_ID;
		this.seq = 0;
		this.statsData = SimulatorServer.emptyStats();
		this.requestLog = [];
		this.requestLogNext = 0;
		this.appointmentFeed.reset();
		for (const p of seedCardPayments()) {
			this.cardPayments.set(p.epaymentid, { ...p, live: false });
			const list = this.receiptList(p.patientid, p.departmentid);
			list.push(this.receiptOf(p, 'PURCHASE', p.purchaseDate));
			// The seed's void is the 2009 kind: a VOID row of its own, with the next e-payment ID.
			if (p.voided && p.voidDate) list.push({ ...this.receiptOf(p, 'VOID', p.voidDate), epaymentid: String(Number(p.epaymentid) + SEED_VOID_ID_STEP) });
		}
		return this.getConfig();
	}

	configure(partial: SimulatorConfigInput): SimulatorConfig {
		this.config = mergeConfig(this.config, validateConfigInput(partial));
		return this.getConfig();
	}

	getConfig(): SimulatorConfig {
		return { ...this.config, rateLimit: { ...this.config.rateLimit }, practiceIds: [...this.config.practiceIds] };
	}

	addFaults(faults: Fault[]): number {
		for (const fault of validateFaults(faults)) {
			this.faults.push({ fault, re: fault.path !== undefined ? new RegExp(fault.path) : null, seen: 0, fired: 0 });
		}
		return this.faults.length;
	}

	clearFaults(): void {
		this.faults = [];
		this.answerOverrides.clear();
	}

	listFaults(): Array<Fault & { seen: number; fired: number }> {
		return this.faults.map((f) => ({ ...f.fault, seen: f.seen, fired: f.fired }));
	}

	ledger(): LedgerEntry[] {
		return this.ledgerEntries.map((e) => ({ ...e, form: { ...e.form } }));
	}

	stats(): SimulatorStats {
		return { ...this.statsData };
	}

	requests(): RequestLogEntry[] {
		const log = this.requestLog;
		const ordered =
			log.length < REQUEST_LOG_SIZE ? log : log.slice(this.requestLogNext).concat(log.slice(0, this.requestLogNext));
		return ordered.map((r) => ({ ...r, query: { ...r.query } }));
	}

	expireTokens(): void {
		this.tokens.clear();
	}

	settle(): void {
		this.settledThrough = this.nextEpaymentId - 1;
		for (const p of this.cardPayments.values()) if (!p.live) p.settled = true;
	}

	/** Moves the simulated clock forward (token expiry, token/duplicate windows, dates). */
	advanceTime(seconds: number): void {
		if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
			throw new InputError('seconds must be a non-negative number');
		}
		this.clockOffsetMs += seconds * 1000;
	}

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

	private dispatch(req: http.IncomingMessage, res: http.ServerResponse, body: string | null): void {
		const url = new URL(req.url ?? '/', 'http://sim.local');
		const path = url.pathname;
		const method = (req.method ?? 'GET').toUpperCase();
		if (path.startsWith('/__admin')) {
			this.handleAdmin(method, path, body, res);
			return;
		}
		const contentTypeHeader = req.headers['content-type'] ?? null;
		const auth = req.headers.authorization;
		const bearerMatch = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
		const logEntry: RequestLogEntry = {
			method,
			path,
			query: Object.fromEntries(url.searchParams),
			status: 0,
			contentType: contentTypeHeader,
			at: new Date(this.now()).toISOString(),
			bearer: bearerMatch ? bearerMatch[1].slice(0, 8) : null,
		};
		this.logRequest(logEntry);
		res.on('finish', () => {
			logEntry.status = res.statusCode;
		});
		if (body === null) {
			this.write(res, err(413, 'Request entity too large', `Bodies are limited to ${MAX_BODY_BYTES} bytes.`));
			return;
		}
		if (path === '/oauth2/v1/token') {
			this.handleToken(req, method, body, res);
			return;
		}
		const m = /^\/v1\/([^/]+)(\/.*)?$/.exec(path);
		if (!m) {
			this.write(res, err(404, 'Not found'));
			return;
		}
		this.statsData.apiRequests++;
		// Throttle (per-second cap): answered without processing.
		const rl = this.config.rateLimit;
		if (rl.perSecond !== null) {
			const second = Math.floor(this.now() / 1000);
			if (second !== this.rateWindowSecond) {
				this.rateWindowSecond = second;
				this.rateWindowCount = 0;
			}
			if (this.rateWindowCount >= rl.perSecond) {
				this.statsData.throttled++;
				this.write(res, this.throttleReply(rl));
				return;
			}
			this.rateWindowCount++;
		}
		const run = () => this.handleApi(req, res, method, m[1], m[2] ?? '/', url.searchParams, body, contentTypeHeader, bearerMatch, auth);
		if (this.config.latencyMs > 0) this.later(this.config.latencyMs, run);
		else run();
	}

	private throttleReply(rl: RateLimitConfig): Reply {
		const headers: Record<string, string> = {};
		if (rl.retryAfterSeconds !== null && rl.retryAfterSeconds !== undefined) {
			headers['retry-after'] = String(rl.retryAfterSeconds);
		}
		if (rl.status === 403) {
			return { status: 403, raw: '<h1>Developer Over Qps</h1>', contentType: 'text/html', headers };
		}
		return { status: 429, body: { error: 'Too many requests' }, headers };
	}

	private logRequest(entry: RequestLogEntry): void {
		if (this.requestLog.length < REQUEST_LOG_SIZE) {
			this.requestLog.push(entry);
		} else {
			this.requestLog[this.requestLogNext] = entry;
			this.requestLogNext = (this.requestLogNext + 1) % REQUEST_LOG_SIZE;
		}
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
			'x-ratelimit-remaining': Math.max(0, DAILY_QUOTA - this.statsData.apiRequests),
			...(reply.headers ?? {}),
		};
		res.writeHead(reply.status, headers);
		res.end(payload);
	}

	// -------------------------------------------------------------- token endpoint
	private handleToken(req: http.IncomingMessage, method: string, body: string, res: http.ServerResponse): void {
		this.statsData.tokenRequests++;
		if (method !== 'POST') {
			this.write(res, { status: 405, body: { error: 'invalid_request', error_description: 'Use POST.' } });
			return;
		}
		const auth = req.headers.authorization;
		const basic = typeof auth === 'string' ? /^Basic\s+(\S+)\s*$/i.exec(auth) : null;
		let clientOk = false;
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const i = decoded.indexOf(':');
			clientOk = i > 0 && decoded.slice(0, i) === CLIENT_ID && decoded.slice(i + 1) === CLIENT_SECRET;
		}
		if (!clientOk) {
			this.write(res, {
				status: 401,
				body: {
					error: 'invalid_client',
					error_description: basic
						? 'Client authentication failed: unknown client id or wrong secret.'
						: 'Client authentication failed: send Authorization: Basic base64(client_id:client_secret).',
				},
				headers: { 'www-authenticate': 'Basic realm="athenahealth"' },
			});
			return;
		}
		const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		if (ct !== 'application/x-www-form-urlencoded') {
			this.write(res, {
				status: 400,
				body: { error: 'invalid_request', error_description: 'Use application/x-www-form-urlencoded.' },
			});
			return;
		}
		const form = new URLSearchParams(body);
		if (form.get('grant_type') !== 'client_credentials') {
			this.write(res, {
				status: 400,
				body: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials.' },
			});
			return;
		}
		const scope = form.get('scope');
		if (scope !== null && scope !== SCOPE) {
			this.write(res, { status: 400, body: { error: 'invalid_scope', error_description: `scope must be ${SCOPE}.` } });
			return;
		}
		const now = this.now();
		if (now >= this.tokenWindowStart + 60000) {
			this.tokenWindowStart = now;
			this.tokenWindowCount = 0;
		}
		if (this.tokenWindowCount >= this.config.tokenLimitPerMinute) {
			this.statsData.tokenRefusals429++;
			this.write(res, {
				status: 429,
				body: { error: 'rate_limited', error_description: 'Token request limit exceeded' },
			});
			return;
		}
		this.tokenWindowCount++;
		this.statsData.tokensIssued++;
		const token = crypto.randomBytes(21).toString('base64url');
		this.tokens.set(token, now + this.config.tokenLifetimeSeconds * 1000);
		if (this.tokens.size > 1000) {
			for (const [t, exp] of this.tokens) if (exp <= now) this.tokens.delete(t);
		}
		this.write(res, {
			status: 200,
			body: {
				token_type: 'Bearer',
				expires_in: String(this.config.tokenLifetimeSeconds),
				access_token: token,
				scope: SCOPE,
			},
			headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
		});
	}

	// -------------------------------------------------------------- practice API
	private handleApi(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		method: string,
		practiceId: string,
		sub: string,
		query: URLSearchParams,
		body: string,
		contentType: string | null,
		bearer: RegExpExecArray | null,
		authHeader: string | undefined,
	): void {
		if (this.closed) return;
		if (!authHeader) {
			this.write(res, { status: 401, body: { error: 'Developer Inactive' } });
			return;
		}
		const exp = bearer ? this.tokens.get(bearer[1]) : undefined;
		if (exp === undefined || exp <= this.now()) {
			this.write(res, { status: 401, body: { error: 'Invalid token' } });
			return;
		}
		if (practiceId !== PRACTICE_ID && !this.config.practiceIds.includes(practiceId)) {
			this.write(
				res,
				err(404, 'Invalid practice ID', 'The practice ID in the URL is not one this application can access.'),
			);
			return;
		}
		const segments = sub.split('/').filter((s) => s.length > 0);
		const fault = this.pickFault(method, sub);
		if (fault && fault.kind.endsWith('-before')) {
			this.statsData.faultsInjected++;
			this.applyBeforeFault(fault, req, res);
			return;
		}
		const ctx: Ctx = {
			method,
			sub,
			segments,
			practiceId,
			query,
			form: {},
			rawBody: body,
			contentType,
			entries: [],
		};
		const routed = this.route(ctx);
		const reply = this.answerOverrides.pick(method, sub) ?? routed;
		if (fault) {
			this.statsData.faultsInjected++;
			for (const e of ctx.entries) e.answered = false;
			this.applyAfterFault(fault, req, res);
			return;
		}
		this.write(res, reply);
	}

	private pickFault(method: string, sub: string): Fault | null {
		let chosen: Fault | null = null;
		for (const f of this.faults) {
			if (f.fault.method && f.fault.method !== method) continue;
			if (f.re && !f.re.test(sub)) continue;
			f.seen++;
			if (chosen) continue;
			const every = f.fault.every ?? 1;
			if (f.seen % every !== 0) continue;
			if (f.fault.count !== undefined && f.fired >= f.fault.count) continue;
			f.fired++;
			chosen = f.fault;
		}
		return chosen;
	}

	private applyBeforeFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse): void {
		switch (fault.kind) {
			case '500-before':
				this.write(res, {
					status: 500,
					body: { error: 'Internal Server Error', detailedmessage: 'An unexpected error occurred.' },
				});
				return;
			case '502-html-before':
				this.write(res, {
					status: 502,
					raw: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
					contentType: 'text/html',
				});
				return;
			case '503-before':
				this.write(res, {
					status: 503,
					body: { error: 'Service Unavailable', detailedmessage: 'The service is temporarily unavailable.' },
				});
				return;
			default:
				req.socket.destroy();
		}
	}

	private applyAfterFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse): void {
		switch (fault.kind) {
			case '500-after':
				this.write(res, {
					status: 500,
					body: { error: 'Internal Server Error', detailedmessage: 'An unexpected error occurred.' },
				});
				return;
			case 'hang-after':
				this.later(fault.hangMs ?? DEFAULT_HANG_MS, () => req.socket.destroy());
				return;
			default:
				req.socket.destroy();
		}
	}

	private buildRoutes(): Route[] {
		const r = (method: 'GET' | 'POST', path: string, handler: Handler, write = false): Route => ({
			method,
			pattern: path.split('/').filter((s) => s.length > 0),
			handler: handler.bind(this),
			write,
		});
		return [
			r('GET', '/departments', this.getDepartments),
			r('GET', '/configuration/validnonccpcreditcardmethods', this.getPaymentMethods),
			r('GET', '/patients', this.listPatients),
			r('GET', '/patients/search', this.searchPatients),
			r('GET', '/patients/paymenthistory', this.paymentHistory),
			r('GET', '/patients/:id', this.getPatient),
			r('GET', '/patients/:id/receipts', this.getReceipts),
			...this.appointmentFeed.routes().map((route) =>
				r(route.method, route.path, (ctx) => route.handle({ query: ctx.query, practiceId: ctx.practiceId, form: Object.fromEntries(new URLSearchParams(ctx.rawBody)) })),
			),
			r('GET', '/appointments/:id', this.getAppointment),
			r('POST', '/patients/:id/recordpayment', this.recordPayment, true),
			r('POST', '/patients/:id/collectpayment', this.collectPayment, true),
			r('POST', '/patients/:id/voidpayment/:eid', this.voidPayment, true),
			r('POST', '/patients/:id/receipts/:eid/email', this.emailReceipt, true),
		];
	}

	private route(ctx: Ctx): Reply {
		for (const route of this.routes) {
			if (route.method !== ctx.method || route.pattern.length !== ctx.segments.length) continue;
			const params: string[] = [];
			let match = true;
			for (let i = 0; i < route.pattern.length; i++) {
				const p = route.pattern[i];
				if (p.startsWith(':')) params.push(decodeURIComponent(ctx.segments[i]));
				else if (p !== ctx.segments[i]) {
					match = false;
					break;
				}
			}
			if (!match) continue;
			if (!route.write) return route.handler(ctx, params);
			const reply = this.writeEndpoint(ctx, params, route.handler);
			if (reply.status >= 400 && reply.status < 500) this.statsData.refusedPayments++;
			return reply;
		}
		return err(404, 'Not found');
	}

	private writeEndpoint(ctx: Ctx, params: string[], handler: Handler): Reply {
		const ct = ctx.contentType ? ctx.contentType.split(';')[0].trim().toLowerCase() : null;
		if (ctx.rawBody.length > 0 && ct !== 'application/x-www-form-urlencoded') {
			return { ...err(400, 'Invalid request content type', 'Use application/x-www-form-urlencoded.'), blankLines: true };
		}
		const form: Record<string, string> = {};
		for (const [k, v] of new URLSearchParams(ctx.rawBody)) if (!(k in form)) form[k] = v;
		ctx.form = form;
		if (!this.patientExists(params[0])) return err(404, 'The patient is not found.');
		return handler(ctx, params);
	}

	private patientExists(id: string): boolean {
		return seedData().patients.has(id);
	}

	// -------------------------------------------------------------- lists
	private page<T>(ctx: Ctx, key: string, items: T[], basePath: string, toJson: (item: T) => unknown = (i) => i): Reply {
		const limitRaw = ctx.query.get('limit');
		const offsetRaw = ctx.query.get('offset');
		if (limitRaw !== null && !/^\d+$/.test(limitRaw)) return err(400, 'Invalid limit.', 'limit must be a whole number.');
		if (offsetRaw !== null && !/^\d+$/.test(offsetRaw)) return err(400, 'Invalid offset.', 'offset must be a whole number.');
		const limit = Math.min(5000, limitRaw === null ? 1500 : Math.max(1, Number(limitRaw)));
		const offset = offsetRaw === null ? 0 : Number(offsetRaw);
		const body: Record<string, unknown> = { [key]: items.slice(offset, offset + limit).map(toJson), totalcount: items.length };
		// As recorded on GET /patients: the query's names in UPPER CASE, and offset only (no limit).
		const link = (o: number) => {
			const q = new URLSearchParams();
			for (const [name, value] of ctx.query) if (name !== 'limit' && name !== 'offset') q.append(name.toUpperCase(), value);
			q.set('offset', String(o));
			return `/v1/${ctx.practiceId}${basePath}?${q.toString()}`;
		};
		if (offset + limit < items.length) body.next = link(offset + limit);
		if (offset > 0) body.previous = link(Math.max(0, offset - limit));
		return ok(body);
	}

	private getDepartments(ctx: Ctx): Reply {
		const all = isTrue(ctx.query.get('showalldepartments') ?? undefined);
		const listed = DEPARTMENTS.filter((d) => all || !PORTAL_HIDDEN_DEPARTMENT_IDS.includes(String(d.departmentid)));
		return this.page(ctx, 'departments', listed.map((d) => structuredClone(d)), '/departments');
	}

	private getPaymentMethods(): Reply {
		return ok({ paymentmethods: PAYMENT_METHODS.map((m) => ({ ...m })), totalcount: PAYMENT_METHODS.length });
	}

	private patientJson(id: string, ctx: Ctx, opts: { omitBalances?: boolean } = {}): Record<string, unknown> {
		const p = seedData().patients.get(id)!;
		const rec: Record<string, unknown> = { ...p.record };
		const balances = p.record.balances as Array<Record<string, unknown>>;
		if (opts.omitBalances) delete rec.balances;
		else rec.balances = balances.map((b) => ({ ...b }));
		// Top-level, beside balances; left out when there is no claim to detail (as recorded for a zero balance).
		if (!opts.omitBalances && isTrue(ctx.query.get('showbalancedetails') ?? undefined) && p.claimBalanceDetails.length) {
			rec.claimbalancedetails = structuredClone(p.claimBalanceDetails);
		}
		if (isTrue(ctx.query.get('showinsurance') ?? undefined)) {
			rec.insurances = [
				{
					insurancepackageid: String(1000 + (Number(id) % 7)),
					insuranceplanname: ['BCBS-MA: PPO', 'Aetna: HMO', 'Medicare: Part B', 'Cigna: Open Access'][Number(id) % 4],
					insurancetype: 'Group Policy',
					sequencenumber: '1',
					insuranceidnumber: `SIM${String(Number(id) * 7919).padStart(9, '0')}`,
					policynumber: `POL-${id}`,
					eligibilitystatus: 'Eligible',
					relationshiptoinsured: 'Self',
				},
			];
		}
		return rec;
	}

	private getPatient(ctx: Ctx, [id]: string[]): Reply {
		if (!this.patientExists(id)) return err(404, 'The patient is not found.');
		return ok([this.patientJson(id, ctx)]);
	}

	private listPatients(ctx: Ctx): Reply {
		const first = ctx.query.get('firstname')?.trim().toLowerCase() || '';
		const last = ctx.query.get('lastname')?.trim().toLowerCase() || '';
		const dob = ctx.query.get('dob')?.trim() || '';
		const dept = ctx.query.get('departmentid')?.trim() || '';
		if (!first && !last && !dob) {
			return err(400, 'Additional fields are required.', 'Search by at least one of firstname, lastname or dob.', {
				missingfields: ['lastname', 'firstname', 'dob'],
			});
		}
		if (dob && dateKey(dob) === null) return err(400, 'Invalid dob.', 'dob must be mm/dd/yyyy.');
		const omit = isTrue(ctx.query.get('omitbalances') ?? undefined);
		const found = seedData().patientList.filter(
			(p) =>
				(!first || p.firstLower.startsWith(first)) &&
				(!last || p.lastLower.startsWith(last)) &&
				(!dob || p.dob === dob) &&
				(!dept || p.departmentid === dept),
		);
		return this.page(ctx, 'patients', found, '/patients', (p) => this.patientJson(p.id, ctx, { omitBalances: omit }));
	}

	private searchPatients(ctx: Ctx): Reply {
		const term = (ctx.query.get('searchterm') ?? '').trim().toLowerCase();
		if (!term) return err(400, 'Additional fields are required.', 'searchterm is required.', { missingfields: ['searchterm'] });
		if (term.length < 2) return err(400, 'The search term is too short.', 'searchterm must have at least 2 characters.');
		let found;
		if (/^\d+$/.test(term)) {
			const p = seedData().patients.get(String(Number(term)));
			found = p ? [p] : [];
		} else {
			const words = term.split(/[\s,]+/).filter((w) => w.length > 0);
			found = seedData().patientList.filter((p) =>
				words.every((w) => p.firstLower.includes(w) || p.lastLower.includes(w)),
			);
		}
		// athena's page size here is maxresults (its spec has no limit on this endpoint).
		const maxResults = ctx.query.get('maxresults');
		if (maxResults !== null && /^\d+$/.test(maxResults)) found = found.slice(0, Number(maxResults));
		return this.page(ctx, 'patients', found, '/patients/search', (p) =>
			this.patientJson(p.id, ctx, { omitBalances: true }),
		);
	}

	private getAppointment(ctx: Ctx, [id]: string[]): Reply {
		const a = seedData().appointments.get(id);
		if (!a) return err(404, 'The appointment is not found.');
		const rec: Record<string, unknown> = { ...(this.appointmentFeed.record(id) ?? a.record) };
		const showCopay = ctx.query.get('showcopay');
		if (showCopay !== null && /^(false|n|0)$/i.test(showCopay)) {
			delete rec.copay;
			delete rec.appointmentcopay;
		} else if (rec.appointmentcopay) {
			rec.appointmentcopay = structuredClone(rec.appointmentcopay);
		}
		if (isTrue(ctx.query.get('showinsurance') ?? undefined)) {
			rec.insurances = [{ insurancepackageid: String(1000 + (Number(a.patientid) % 7)), sequencenumber: '1' }];
		}
		return ok([rec]);
	}

	private getReceipts(ctx: Ctx, [id]: string[]): Reply {
		if (!this.patientExists(id)) return err(404, 'The patient is not found.');
		const dept = ctx.query.get('departmentid');
		if (!dept) return err(400, 'Additional fields are required.', 'departmentid is required.', { missingfields: ['departmentid'] });
		if (!DEPARTMENTS.some((d) => d.departmentid === dept)) {
			return err(400, 'Invalid department ID.', `Department ${dept} does not exist in this practice.`);
		}
		return ok((this.receipts.get(`${id}|${dept}`) ?? []).map((r) => ({ ...r })));
	}

	private paymentHistory(ctx: Ctx): Reply {
		const list = ctx.query.get('patientidlist');
		if (!list) {
			return err(400, 'Additional fields are required.', 'patientidlist is required.', { missingfields: ['patientidlist'] });
		}
		const start = ctx.query.get('startdate');
		const end = ctx.query.get('enddate');
		const startKey = start ? dateKey(start) : 0;
		const endKey = end ? dateKey(end) : 99999999;
		if (startKey === null || endKey === null) return err(400, 'Invalid date.', 'startdate and enddate must be mm/dd/yyyy.');
		const payments: Array<Record<string, unknown>> = [];
		const perPatient: Array<{ patientid: string; payments: Array<Record<string, unknown>> }> = [];
		for (const pid of list.split(',').map((s) => s.trim())) {
			const own: Array<Record<string, unknown>> = [];
			for (const h of this.historyByPatient.get(pid) ?? []) {
				if (h.dateKey < startKey || h.dateKey > endKey) continue;
				const e = h.entry;
				// athena's answer here is not recorded anywhere public: written the way its receipts are (every value a
				// string, amounts without trailing zeros), so the node's reading of it cannot lean on a friendly shape.
				const cents = parseMoney(e.amount ?? '0') ?? 0;
				const amount = e.kind === 'void' ? `-${athenaAmount(cents)}` : athenaAmount(cents);
				const last4 = e.form.cardnumberlast4 ?? e.form.accountnumberlast4;
				if (this.config.paymentHistoryShape === 'catalogue') {
					// The catalogue's fields: the amount under `payments`, the check number or card digits under one name.
					own.push({
						payments: amount,
						method: h.paymentmethod,
						...(e.form.checknumber || last4 ? { checkccnumber: e.form.checknumber ?? last4 } : {}),
						...(e.epaymentid ? { epaymentid: e.epaymentid, epaymentreceiptid: e.epaymentid } : {}),
						dateofservice: h.postdate,
						originalplan: '',
						...(e.form.nameoncard ? { nameoncard: e.form.nameoncard } : {}),
						placeofpayment: e.kind === 'collect' ? 'CCP' : 'Front desk',
					});
					continue;
				}
				payments.push({
					patientid: e.patientid,
					departmentid: e.departmentid,
					...(e.paymentbatchid ? { paymentbatchid: e.paymentbatchid } : {}),
					...(e.epaymentid ? { epaymentid: e.epaymentid } : {}),
					amount,
					paymentmethod: h.paymentmethod,
					...(e.form.checknumber ? { checknumber: e.form.checknumber } : {}),
					...(last4 ? { cardnumberlast4: last4 } : {}),
					postdate: h.postdate,
					type: e.kind === 'record' ? 'RECORDED' : e.kind === 'collect' ? 'PURCHASE' : 'VOID',
				});
			}
			if (own.length) perPatient.push({ patientid: pid, payments: own });
		}
		if (this.config.paymentHistoryShape === 'catalogue') return ok({ paymenthistory: perPatient, totalcount: perPatient.length });
		return ok({ payments, totalcount: payments.length });
	}

	// -------------------------------------------------------------- payments
	private addLedger(
		ctx: Ctx,
		kind: LedgerKind,
		data: Omit<LedgerEntry, 'seq' | 'kind' | 'answered' | 'at' | 'form'>,
		form: Record<string, string>,
		history?: { postdate: string; dateKey: number; paymentmethod: string },
	): LedgerEntry {
		const entry: LedgerEntry = {
			seq: ++this.seq,
			kind,
			...data,
			form,
			answered: true,
			at: new Date(this.now()).toISOString(),
		};
		this.ledgerEntries.push(entry);
		ctx.entries.push(entry);
		if (history) {
			let list = this.historyByPatient.get(entry.patientid);
			if (!list) this.historyByPatient.set(entry.patientid, (list = []));
			list.push({ entry, ...history });
		}
		return entry;
	}

	/** Shared checks of amounts, claimpayment, appointment and todayservice. Returns total cents or a refusal. */
	private checkMoney(form: Record<string, string>, patientId: string): number | Reply {
		let total = 0;
		for (const f of ['copayamount', 'otheramount']) {
			const v = form[f];
			if (v === undefined || v === '') continue;
			const cents = parseMoney(v.trim());
			if (cents === null || cents <= 0) {
				return bad('Invalid amount.', `${f} must be a positive decimal with at most two decimal places (for example 12.50).`);
			}
			total += cents;
		}
		const cp = form.claimpayment;
		if (cp !== undefined && cp !== '') {
			const refusal = bad(
				'Invalid claimpayment.',
				'claimpayment must be a JSON array of one-key objects with positive amounts, such as [{"12345":"10.00"}].',
			);
			let parsed: unknown;
			try {
				parsed = JSON.parse(cp);
			} catch {
				return refusal;
			}
			if (!Array.isArray(parsed) || parsed.length === 0) return refusal;
			for (const item of parsed) {
				if (typeof item !== 'object' || item === null || Array.isArray(item)) return refusal;
				const keys = Object.keys(item);
				if (keys.length !== 1 || !/^\d+$/.test(keys[0])) return refusal;
				const v = (item as Record<string, unknown>)[keys[0]];
				const cents = typeof v === 'string' || typeof v === 'number' ? parseMoney(String(v)) : null;
				if (cents === null || cents <= 0) return refusal;
				total += cents;
			}
		}
		const appt = form.appointmentid;
		if (appt !== undefined && appt !== '') {
			const a = seedData().appointments.get(appt);
			if (!a) return bad('Invalid appointment ID.', `Appointment ${appt} does not exist.`);
			if (a.patientid !== patientId) {
				return bad('The appointment does not belong to this patient.', `Appointment ${appt} belongs to another patient.`);
			}
		}
		const ts = form.todayservice;
		if (ts !== undefined && ts !== '' && !FLAG_RE.test(ts)) {
			return bad('Invalid todayservice.', 'todayservice must be Y, N, true or false.');
		}
		return total;
	}

	private recordPayment(ctx: Ctx, [patientId]: string[]): Reply {
		const f = ctx.form;
		const has = (k: string) => f[k] !== undefined && f[k].trim() !== '';
		const method = has('paymentmethod') ? f.paymentmethod.trim() : '';
		const isCard = CARD_PAYMENT_METHOD_CODES.includes(method);
		const missingFields: string[] = [];
		if (!has('departmentid')) missingFields.push('departmentid');
		if (!method) missingFields.push('paymentmethod');
		if (method === 'CHECK' && !has('checknumber')) missingFields.push('checknumber');
		if (isCard && !has('cardnumberlast4')) missingFields.push('cardnumberlast4');
		if (missingFields.length > 0) return missing(missingFields);
		if (!has('copayamount') && !has('otheramount') && !has('claimpayment')) {
			return bad(
				'A payment amount is required.',
				'At least one of copayamount, otheramount or claimpayment must carry money.',
				{ missingfields: ['copayamount', 'otheramount', 'claimpayment'] },
			);
		}
		const dept = f.departmentid.trim();
		if (!DEPARTMENTS.some((d) => d.departmentid === dept)) {
			return bad('Invalid department ID.', `Department ${dept} does not exist in this practice.`);
		}
		if (!isCard && !NON_CARD_PAYMENT_METHODS.includes(method)) {
			return bad(
				'Invalid payment method.',
				`paymentmethod must be CASH, CHECK or one of ${CARD_PAYMENT_METHOD_CODES.join(', ')}.`,
			);
		}
		if (isCard && !/^\d{4}$/.test(f.cardnumberlast4.trim())) {
			return bad('Invalid cardnumberlast4.', 'cardnumberlast4 must be exactly four digits.');
		}
		const total = this.checkMoney(f, patientId);
		if (typeof total !== 'number') return total;
		const today = eastern(this.now());
		let postdate = today.date;
		let postKey = today.key;
		if (has('postdate')) {
			const k = dateKey(f.postdate.trim());
			if (k === null) return bad('Invalid postdate.', 'postdate must be a real date in the form mm/dd/yyyy.');
			postdate = f.postdate.trim();
			postKey = k;
		}
		if (postKey <= (dateKey(this.config.closeDate) ?? 0)) {
			return bad(
				'The post date is in a closed period.',
				`Payments cannot be posted on or before the practice close date ${this.config.closeDate}.`,
			);
		}
		const batch = String(this.nextBatchId++);
		this.addLedger(
			ctx,
			'record',
			{ patientid: patientId, departmentid: dept, paymentbatchid: batch, amount: centsToMoney(total) },
			{ ...f },
			{ postdate, dateKey: postKey, paymentmethod: method },
		);
		return ok([{ success: 'true', paymentbatchid: batch }]);
	}

	private collectPayment(ctx: Ctx, [patientId]: string[]): Reply {
		const f = ctx.form;
		const has = (k: string) => f[k] !== undefined && f[k] !== '';
		if (!has('departmentid')) return missing(['departmentid']);
		const dept = f.departmentid.trim();
		if (!DEPARTMENTS.some((d) => d.departmentid === dept)) {
			return bad('Invalid department ID.', `Department ${dept} does not exist in this practice.`);
		}
		if (has('ecommercemode') && !FLAG_RE.test(f.ecommercemode)) {
			return bad('Invalid ecommercemode.', 'ecommercemode must be true or false.');
		}
		const now = this.now();
		const today = eastern(now);
		let pan: string;
		let trackExpired = false;
		if (has('trackdata')) {
			if (isTrue(f.ecommercemode)) {
				return bad('trackdata cannot be used with ecommercemode.', 'Swiped card data is not allowed for e-commerce payments.');
			}
			if (has('accountnumber')) {
				return bad('Send either trackdata or the keyed card fields.', 'accountnumber cannot be combined with trackdata.');
			}
			const t = /;(\d{13,19})=(\d{2})(\d{2})/.exec(f.trackdata) ?? /%B(\d{13,19})\^[^^]*\^(\d{2})(\d{2})/.exec(f.trackdata);
			if (!t || !luhnValid(t[1])) return bad('Invalid trackdata.', 'The card track data could not be read.');
			pan = t[1];
			const yy = 2000 + Number(t[2]);
			const mm = Number(t[3]);
			trackExpired = yy * 100 + mm < today.year * 100 + today.month;
		} else {
			const required = [
				'accountnumber',
				'cardsecuritycode',
				'expirationmonthmm',
				'expirationyearyyyy',
				'nameoncard',
				'billingaddress',
				'billingzip',
			].filter((k) => !has(k));
			if (required.length > 0) return missing(required);
			pan = f.accountnumber;
			if (!/^\d{13,19}$/.test(pan)) return bad('Invalid card number.', 'accountnumber must be 13 to 19 digits.');
			if (!luhnValid(pan)) return bad('Invalid card number.', 'The card number failed the check digit test.');
			if (!/^\d{3,4}$/.test(f.cardsecuritycode)) {
				return bad('Invalid card security code.', 'cardsecuritycode must be 3 or 4 digits.');
			}
			if (!/^(0[1-9]|1[0-2])$/.test(f.expirationmonthmm)) {
				return bad('Invalid expiration month.', 'expirationmonthmm must be 01 to 12.');
			}
			if (!/^\d{4}$/.test(f.expirationyearyyyy)) {
				return bad('Invalid expiration year.', 'expirationyearyyyy must be four digits.');
			}
			if (Number(f.expirationyearyyyy) * 100 + Number(f.expirationmonthmm) < today.year * 100 + today.month) {
				return bad('The card has expired.', 'The expiration date is in the past.');
			}
			if (f.nameoncard.length > 30) return bad('Invalid nameoncard.', 'nameoncard may hold at most 30 characters.');
			if (f.billingaddress.length > 20) {
				return bad('Invalid billingaddress.', 'billingaddress may hold at most 20 characters.');
			}
			if (!/^(\d{5}|\d{9})$/.test(f.billingzip)) return bad('Invalid billingzip.', 'billingzip must be 5 or 9 digits.');
			const echoed = echoingAnswer(pan, f.cardsecuritycode);
			if (echoed) return echoed;
		}
		if (!has('copayamount') && !has('otheramount') && !has('claimpayment')) {
			return bad(
				'A payment amount is required.',
				'At least one of copayamount, otheramount or claimpayment must carry money.',
				{ missingfields: ['copayamount', 'otheramount', 'claimpayment'] },
			);
		}
		const total = this.checkMoney(f, patientId);
		if (typeof total !== 'number') return total;
		const last4 = pan.slice(-4);
		const dupKey = `${patientId}|${total}|${last4}`;
		const prev = this.lastApproved.get(dupKey);
		if (
			prev !== undefined &&
			now - prev < this.config.duplicateWindowSeconds * 1000 &&
			!isTrue(f.allowduplicatepayments)
		) {
			return bad(
				'This payment appears to be a duplicate.',
				'A payment of the same amount on the same card was made recently. Set allowduplicatepayments to post it anyway.',
			);
		}
		const decline = CARD_DECLINE_TEXT[pan] ?? (trackExpired ? 'EXPIRED CARD' : undefined);
		if (decline) {
			this.statsData.declines++;
			return ok([{ success: 'false', errortext: decline }]);
		}
		this.lastApproved.set(dupKey, now);
		const eid = String(this.nextEpaymentId++);
		const payment: CardPayment = {
			epaymentid: eid,
			patientid: patientId,
			departmentid: dept,
			cents: total,
			last4,
			cardtype: cardType(pan),
			voided: false,
			settled: false,
			purchaseDate: `${today.date} ${today.time}`,
			live: true,
		};
		this.cardPayments.set(eid, payment);
		this.receiptList(patientId, dept).push(this.receiptOf(payment, 'PURCHASE', payment.purchaseDate));
		const form: Record<string, string> = {};
		for (const [k, v] of Object.entries(f)) {
			if (k === 'accountnumber') {
				form.accountnumberlast4 = v.slice(-4);
				form.accountnumberlength = String(v.length);
			} else if (k === 'cardsecuritycode') form.cardsecuritycodelength = String(v.length);
			else if (k === 'trackdata') form.trackdatalength = String(v.length);
			else form[k] = v;
		}
		this.addLedger(
			ctx,
			'collect',
			{ patientid: patientId, departmentid: dept, epaymentid: eid, amount: centsToMoney(total) },
			form,
			{ postdate: today.date, dateKey: today.key, paymentmethod: payment.cardtype.abbreviation },
		);
		return ok([{ success: 'true', epaymentid: eid }]);
	}

	private voidPayment(ctx: Ctx, [patientId, eid]: string[]): Reply {
		const p = this.cardPayments.get(eid);
		if (!p || p.patientid !== patientId) return err(404, 'The payment was not found.');
		if (p.voided) return err(409, 'The payment has already been voided.');
		const settled = this.config.settled || p.settled || (p.live && Number(eid) <= this.settledThrough);
		if (settled) {
			return err(404, 'The payment can no longer be voided.', 'The payment has been settled. Refund it in athenaOne instead.');
		}
		p.voided = true;
		const today = eastern(this.now());
		p.voidDate = `${today.date} ${today.time}`;
		this.showVoidInReceipts(p);
		this.addLedger(
			ctx,
			'void',
			{ patientid: patientId, departmentid: p.departmentid, epaymentid: eid, amount: centsToMoney(p.cents) },
			{ ...ctx.form },
			{ postdate: today.date, dateKey: today.key, paymentmethod: p.cardtype.abbreviation },
		);
		return ok([{ success: 'true' }]);
	}

	private emailReceipt(ctx: Ctx, [patientId, eid]: string[]): Reply {
		const f = ctx.form;
		const address = (f.email !== undefined && f.email !== '' ? f.email : f.emailaddress ?? '').trim();
		if (!address) {
			return err(400, 'Additional fields are required.', 'An email address is required (email).', {
				missingfields: ['email'],
			});
		}
		if (address.length > 254 || !/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(address)) {
			return err(400, 'Invalid email address.', 'Send one valid email address.');
		}
		const p = this.cardPayments.get(eid);
		if (!p || p.patientid !== patientId) return err(404, 'The payment was not found.');
		this.addLedger(ctx, 'email', { patientid: patientId, departmentid: p.departmentid, epaymentid: eid }, { ...f });
		return ok([{ success: 'true' }]);
	}

	private receiptList(patientId: string, departmentId: string): Receipt[] {
		const key = `${patientId}|${departmentId}`;
		let list = this.receipts.get(key);
		if (!list) this.receipts.set(key, (list = []));
		return list;
	}

	/**
	 * athena shows a void in one of two ways (recorded): a VOID row of its own with a NEW e-payment ID (2009 rows), or
	 * the purchase row itself turned VOIDPURCHASE (2016 rows). Config `voidReceipt` picks which.
	 */
	private showVoidInReceipts(p: CardPayment): void {
		const list = this.receiptList(p.patientid, p.departmentid);
		if (this.config.voidReceipt === 'voidPurchase') {
			const purchase = list.find((receipt) => receipt.epaymentid === p.epaymentid && receipt.type === 'PURCHASE');
			if (purchase) purchase.type = 'VOIDPURCHASE';
			return;
		}
		list.push({ ...this.receiptOf(p, 'VOID', p.voidDate ?? ''), epaymentid: String(this.nextEpaymentId++) });
	}

	private receiptOf(p: SeedCardPayment, type: 'PURCHASE' | 'VOID', requestdate: string): Receipt {
		return {
			epaymentid: p.epaymentid,
			amount: athenaAmount(p.cents),
			cardnumberlast4digits: p.last4,
			cardtypeabbreviation: p.cardtype.abbreviation,
			cardtypename: p.cardtype.name,
			type,
			requestdate,
		};
	}

	/** Copay cents recorded or collected against an appointment (what athena shows as collectedforappointment). */
	private collectedForAppointment(appointmentId: string): number {
		let cents = 0;
		for (const entry of this.ledgerEntries) {
			if ((entry.kind === 'record' || entry.kind === 'collect') && entry.form.appointmentid === appointmentId) {
				cents += parseMoney(entry.form.copayamount ?? '') ?? 0;
			}
		}
		return cents;
	}

	// -------------------------------------------------------------- admin API
	private handleAdmin(method: string, path: string, body: string | null, res: http.ServerResponse): void {
		const send = (status: number, payload: unknown) => {
			const text = JSON.stringify(payload);
			res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
			res.end(text);
		};
		let input: unknown = undefined;
		if (body === null) return send(413, { error: 'body too large' });
		if (body.trim() !== '') {
			try {
				input = JSON.parse(body);
			} catch {
				return send(400, { error: 'body must be JSON' });
			}
		}
		const obj = (input ?? {}) as Record<string, unknown>;
		try {
			const key = `${method} ${path.replace(/\/+$/, '')}`;
			const feedAnswer = this.appointmentFeed.admin(method, path.replace(/\/+$/, ''), obj);
			if (feedAnswer) return send(feedAnswer.status, feedAnswer.body);
			switch (key) {
				case 'GET /__admin/health':
					return send(200, { ok: true });
				case 'POST /__admin/reset':
					return send(200, { ok: true, config: this.reset(input as SimulatorConfigInput | undefined) });
				case 'GET /__admin/config':
					return send(200, this.getConfig());
				case 'POST /__admin/config':
					return send(200, this.configure(obj as SimulatorConfigInput));
				case 'GET /__admin/faults':
					return send(200, { faults: this.listFaults() });
				case 'POST /__admin/faults':
					return send(200, { ok: true, total: this.addFaults(obj.faults as Fault[]) });
				case 'DELETE /__admin/faults':
					this.clearFaults();
					return send(200, { ok: true });
				case 'GET /__admin/ledger':
					return send(200, { payments: this.ledgerEntries });
				case 'GET /__admin/stats':
					return send(200, this.stats());
				case 'GET /__admin/requests':
					return send(200, { requests: this.requests() });
				case 'POST /__admin/expire-tokens':
					this.expireTokens();
					return send(200, { ok: true });
				case 'POST /__admin/settle':
					this.settle();
					return send(200, { ok: true });
				case 'POST /__admin/advance-time':
					this.advanceTime(obj.seconds as number);
					return send(200, { ok: true });
				default:
					return send(404, { error: `no admin route ${method} ${path}` });
			}
		} catch (e) {
			if (e instanceof InputError) return send(400, { error: e.message });
			throw e;
		}
	}
}
