/**
 * Trouble on demand: injected faults (5xx before or after processing, reset or hung sockets) and the per-second
 * throttle of `/v1` calls (429 JSON or athena's 403 "Developer Over Qps" page).
 */
import { InputError, isNonNegInt } from './config';
import type { Reply } from './replies';
import type { Simulation } from './simulation';
import type { Fault, FaultKind, RateLimitConfig } from './types';

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

interface CompiledFault {
	fault: Fault;
	re: RegExp | null;
	seen: number;
	fired: number;
}

/** What a fault does to a call: answer it (and nothing else), or drop the socket, at once or after `afterMs`. */
export type FaultEffect = { answer: Reply } | { drop: true; afterMs?: number };

export class Faults {
	private list: CompiledFault[] = [];

	/** Appends (after checking them); returns the number of active faults. */
	add(faults: Fault[]): number {
		for (const fault of validateFaults(faults)) {
			this.list.push({ fault, re: fault.path !== undefined ? new RegExp(fault.path) : null, seen: 0, fired: 0 });
		}
		return this.list.length;
	}

	clear(): void {
		this.list = [];
	}

	describe(): Array<Fault & { seen: number; fired: number }> {
		return this.list.map((f) => ({ ...f.fault, seen: f.seen, fired: f.fired }));
	}

	/** Every matching fault counts the call; the first one due fires. */
	pick(method: string, sub: string): Fault | null {
		let chosen: Fault | null = null;
		for (const f of this.list) {
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
}

export function firesBeforeProcessing(fault: Fault): boolean {
	return fault.kind.endsWith('-before');
}

const INTERNAL_ERROR: Reply = {
	status: 500,
	body: { error: 'Internal Server Error', detailedmessage: 'An unexpected error occurred.' },
};
const BAD_GATEWAY_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

export function faultEffect(fault: Fault): FaultEffect {
	switch (fault.kind) {
		case '500-before':
		case '500-after':
			return { answer: INTERNAL_ERROR };
		case '502-html-before':
			return { answer: { status: 502, raw: BAD_GATEWAY_PAGE, contentType: 'text/html' } };
		case '503-before':
			return {
				answer: {
					status: 503,
					body: { error: 'Service Unavailable', detailedmessage: 'The service is temporarily unavailable.' },
				},
			};
		case 'hang-after':
			return { drop: true, afterMs: fault.hangMs ?? DEFAULT_HANG_MS };
		default:
			return { drop: true };
	}
}

/** The per-second cap of `/v1` calls (config `rateLimit`): fixed 1-second windows of the simulated clock. */
export class RateLimit {
	private windowSecond = -1;
	private windowCount = 0;

	constructor(private readonly sim: Simulation) {}

	reset(): void {
		this.windowSecond = -1;
		this.windowCount = 0;
	}

	/** The throttled answer when this call is over the cap (not processed), or null when it may go on. */
	refuse(): Reply | null {
		const rl = this.sim.config.rateLimit;
		if (rl.perSecond === null) return null;
		const second = Math.floor(this.sim.now() / 1000);
		if (second !== this.windowSecond) {
			this.windowSecond = second;
			this.windowCount = 0;
		}
		if (this.windowCount >= rl.perSecond) {
			this.sim.stats.throttled++;
			return throttleReply(rl);
		}
		this.windowCount++;
		return null;
	}
}

function throttleReply(rl: RateLimitConfig): Reply {
	const headers: Record<string, string> = {};
	if (rl.retryAfterSeconds !== null && rl.retryAfterSeconds !== undefined) {
		headers['retry-after'] = String(rl.retryAfterSeconds);
	}
	if (rl.status === 403) {
		return { status: 403, raw: '<h1>Developer Over Qps</h1>', contentType: 'text/html', headers };
	}
	return { status: 429, body: { error: 'Too many requests' }, headers };
}
