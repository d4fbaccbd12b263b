/**
 * The admin API (`/__admin/…`, JSON, no auth): what the in-process accessors of index.ts do, over HTTP, for a
 * simulator in another process (admin-client.ts is its client). Every call answers JSON; bad input → 400.
 */
import type { AppointmentAction, AppointmentFeed } from './appointmentFeed';
import { InputError } from './config';
import type { Fault, LedgerEntry, RequestLogEntry, SimulatorConfig, SimulatorConfigInput, SimulatorStats } from './types';

/**
 * What tests drive, the same in process (index.ts hands these out) and over HTTP (this file serves them; async in
 * admin-client.ts). Built by server.ts.
 */
export interface SimulatorControls {
	/** Back to seed data, empty ledger, no faults, zeroed counters, no tokens, defaults + `config`. */
	reset(config?: SimulatorConfigInput): SimulatorConfig;
	/** Merges a partial config (rateLimit merged key by key). */
	configure(partial: SimulatorConfigInput): SimulatorConfig;
	config(): SimulatorConfig;
	/** Appends faults; accepts faults or arrays of faults. Returns the number of active faults. */
	addFaults(...faults: Array<Fault | Fault[]>): number;
	clearFaults(): void;
	faults(): Array<Fault & { seen: number; fired: number }>;
	ledger(): LedgerEntry[];
	stats(): SimulatorStats;
	requests(): RequestLogEntry[];
	expireTokens(): void;
	settle(): void;
	/** Moves the simulator's clock forward (token expiry and limit window, duplicate window, dates). */
	advanceTime(seconds: number): void;
}

export interface AdminAnswer {
	status: number;
	body: unknown;
}

/** The answer to one admin call; `body` is the request body as text, null when it was too large. */
export function adminAnswer(
	controls: SimulatorControls,
	feed: AppointmentFeed,
	method: string,
	path: string,
	body: string | null,
): AdminAnswer {
	if (body === null) return { status: 413, body: { error: 'body too large' } };
	let input: unknown = undefined;
	if (body.trim() !== '') {
		try {
			input = JSON.parse(body);
		} catch {
			return { status: 400, body: { error: 'body must be JSON' } };
		}
	}
	const trimmed = path.replace(/\/+$/, '');
	try {
		if (trimmed.startsWith('/__admin/appointments')) {
			return appointmentAdmin(feed, method, trimmed, (input ?? {}) as Record<string, unknown>);
		}
		return simulatorAdmin(controls, method, path, input);
	} catch (e) {
		if (e instanceof InputError) return { status: 400, body: { error: e.message } };
		throw e;
	}
}

function simulatorAdmin(target: SimulatorControls, method: string, path: string, input: unknown): AdminAnswer {
	const obj = (input ?? {}) as Record<string, unknown>;
	const done = { status: 200, body: { ok: true } };
	switch (`${method} ${path.replace(/\/+$/, '')}`) {
		case 'GET /__admin/health':
			return done;
		case 'POST /__admin/reset':
			return { status: 200, body: { ok: true, config: target.reset(input as SimulatorConfigInput | undefined) } };
		case 'GET /__admin/config':
			return { status: 200, body: target.config() };
		case 'POST /__admin/config':
			return { status: 200, body: target.configure(obj as SimulatorConfigInput) };
		case 'GET /__admin/faults':
			return { status: 200, body: { faults: target.faults() } };
		case 'POST /__admin/faults':
			if (!Array.isArray(obj.faults)) throw new InputError('faults must be an array');
			return { status: 200, body: { ok: true, total: target.addFaults(obj.faults as Fault[]) } };
		case 'DELETE /__admin/faults':
			target.clearFaults();
			return done;
		case 'GET /__admin/ledger':
			return { status: 200, body: { payments: target.ledger() } };
		case 'GET /__admin/stats':
			return { status: 200, body: target.stats() };
		case 'GET /__admin/requests':
			return { status: 200, body: { requests: target.requests() } };
		case 'POST /__admin/expire-tokens':
			target.expireTokens();
			return done;
		case 'POST /__admin/settle':
			target.settle();
			return done;
		case 'POST /__admin/advance-time':
			target.advanceTime(obj.seconds as number);
			return done;
		default:
			return { status: 404, body: { error: `no admin route ${method} ${path}` } };
	}
}

/** `/__admin/appointments/…`: make appointment events happen (check in, cancel …) and read the feed. */
function appointmentAdmin(
	feed: AppointmentFeed,
	method: string,
	path: string,
	input: Record<string, unknown>,
): AdminAnswer {
	const rest = path.replace(/^\/__admin\/appointments/, '');
	const act = /^\/([^/]+)\/(checkin|checkout|cancel|update|schedule)$/.exec(rest);
	if (method === 'POST' && act) {
		const options = { date: input.date as string | undefined, reason: input.reason as string | undefined };
		return { status: 200, body: feed.act(act[2] as AppointmentAction, act[1], options) };
	}
	if (method === 'POST' && rest === '/open-slot') {
		return { status: 200, body: feed.openSlot(input.departmentid as string | undefined) };
	}
	if (method === 'GET' && rest === '/feed') return { status: 200, body: { messages: feed.feed() } };
	if (method === 'POST' && rest === '/subscription-delay') {
		const seconds = input.seconds;
		if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
			throw new InputError('seconds must be a non-negative number');
		}
		feed.applyDelaySeconds = seconds;
		return { status: 200, body: { ok: true } };
	}
	if (method === 'DELETE' && rest === '/subscription') {
		feed.unsubscribe();
		return { status: 200, body: { ok: true } };
	}
	return { status: 404, body: { error: `no admin route ${method} ${path}` } };
}
