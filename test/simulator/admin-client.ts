/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * HTTP clients of the simulator's admin API (/__admin/..., served by admin.ts), for tests and scripts where the
 * simulator runs in another process (e.g. started with `npm run simulator`). Uses global fetch.
 */
import type { AppointmentAction, FeedMessage } from './appointmentFeed';
import type {
	Fault,
	LedgerEntry,
	RequestLogEntry,
	SimulatorConfig,
	SimulatorConfigInput,
	SimulatorStats,
} from './types';

type AdminMethod = 'GET' | 'POST' | 'DELETE';

/** One admin call: JSON in, JSON out; a non-2xx answer throws with its status and text. */
async function callAdmin<T>(url: string, method: AdminMethod, path: string, body?: unknown): Promise<T> {
	const res = await fetch(url, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`simulator admin ${method} ${path} failed: ${res.status} ${text}`);
	return JSON.parse(text) as T;
}

export class SimulatorAdmin {
	readonly baseUrl: string;

	constructor(baseUrl: string) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
	}

	private call<T>(method: AdminMethod, path: string, body?: unknown): Promise<T> {
		return callAdmin(`${this.baseUrl}/__admin/${path}`, method, path, body);
	}

	async health(): Promise<boolean> {
		try {
			return (await this.call<{ ok: boolean }>('GET', 'health')).ok === true;
		} catch {
			return false;
		}
	}

	/** Polls /__admin/health until it answers (default 10 s). */
	async waitUntilUp(timeoutMs = 10000): Promise<void> {
		const until = Date.now() + timeoutMs;
		while (!(await this.health())) {
			if (Date.now() > until) throw new Error(`simulator at ${this.baseUrl} did not come up`);
			await new Promise((r) => setTimeout(r, 100));
		}
	}

	async reset(config?: SimulatorConfigInput): Promise<SimulatorConfig> {
		return (await this.call<{ config: SimulatorConfig }>('POST', 'reset', config ?? {})).config;
	}

	configure(partial: SimulatorConfigInput): Promise<SimulatorConfig> {
		return this.call('POST', 'config', partial);
	}

	config(): Promise<SimulatorConfig> {
		return this.call('GET', 'config');
	}

	async addFaults(...faults: Array<Fault | Fault[]>): Promise<number> {
		return (await this.call<{ total: number }>('POST', 'faults', { faults: faults.flat() })).total;
	}

	async clearFaults(): Promise<void> {
		await this.call('DELETE', 'faults');
	}

	async faults(): Promise<Array<Fault & { seen: number; fired: number }>> {
		return (await this.call<{ faults: Array<Fault & { seen: number; fired: number }> }>('GET', 'faults')).faults;
	}

	async ledger(): Promise<LedgerEntry[]> {
		return (await this.call<{ payments: LedgerEntry[] }>('GET', 'ledger')).payments;
	}

	stats(): Promise<SimulatorStats> {
		return this.call('GET', 'stats');
	}

	async requests(): Promise<RequestLogEntry[]> {
		return (await this.call<{ requests: RequestLogEntry[] }>('GET', 'requests')).requests;
	}

	async expireTokens(): Promise<void> {
		await this.call('POST', 'expire-tokens');
	}

	async settle(): Promise<void> {
		await this.call('POST', 'settle');
	}

	async advanceTime(seconds: number): Promise<void> {
		await this.call('POST', 'advance-time', { seconds });
	}
}

/** The appointment admin calls over HTTP, for a simulator in another process (the real-n8n suite, the demo). */
export class AppointmentFeedAdmin {
	constructor(private readonly baseUrl: string) {}

	private call<T>(method: AdminMethod, path: string, body?: unknown): Promise<T> {
		return callAdmin(`${this.baseUrl.replace(/\/+$/, '')}/__admin/appointments${path}`, method, path, body);
	}

	act(
		action: AppointmentAction,
		appointmentId: string,
		options: { date?: string; reason?: string } = {},
	): Promise<{ appointment: Record<string, unknown>; messages: number }> {
		return this.call('POST', `/${encodeURIComponent(appointmentId)}/${action}`, options);
	}

	openSlot(departmentid?: string): Promise<{ appointmentid: string; messages: number }> {
		return this.call('POST', '/open-slot', { departmentid });
	}

	async feed(): Promise<FeedMessage[]> {
		return (await this.call<{ messages: FeedMessage[] }>('GET', '/feed')).messages;
	}

	async setApplyDelay(seconds: number): Promise<void> {
		await this.call('POST', '/subscription-delay', { seconds });
	}
}
