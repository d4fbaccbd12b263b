/**
 * Odd answers on demand: athena processes the request as usual (a payment lands in the ledger, `answered` stays
 * true) and then answers with what the override says instead of its usual body. For the shapes athena's docs do not
 * promise: `200 []`, two records, a bare string, an HTML page, `[{"success":"SUCCESS"}]`, `[{"errortext":"…"}]`.
 */
export interface AnswerOverride {
	method?: 'GET' | 'POST';
	/** Regex source matched against the path after /v1/{practiceid}, e.g. "/recordpayment$". */
	path?: string;
	/** Default 200. */
	status?: number;
	/** Sent as JSON unless `raw` is given. */
	body?: unknown;
	/** Sent as is (content type `contentType`, default text/plain). */
	raw?: string;
	contentType?: string;
	/** Answer this way to every k-th matching request (default 1 = every one). */
	every?: number;
	/** Answer this way at most this many times (default unlimited). */
	count?: number;
}

export interface OverrideReply {
	status: number;
	body?: unknown;
	raw?: string;
	contentType?: string;
}

interface Compiled {
	override: AnswerOverride;
	re: RegExp | null;
	seen: number;
	fired: number;
}

export class AnswerOverrides {
	private list: Compiled[] = [];

	add(overrides: AnswerOverride[]): number {
		for (const override of overrides) {
			if (typeof override !== 'object' || override === null) throw new Error('an answer override must be an object');
			this.list.push({ override: { ...override }, re: override.path !== undefined ? new RegExp(override.path) : null, seen: 0, fired: 0 });
		}
		return this.list.length;
	}

	clear(): void {
		this.list = [];
	}

	/** The answer to give instead of the route's, if an override matches (counted as used). */
	pick(method: string, sub: string): OverrideReply | null {
		for (const entry of this.list) {
			const { override } = entry;
			if (override.method && override.method !== method) continue;
			if (entry.re && !entry.re.test(sub)) continue;
			entry.seen++;
			if (entry.seen % (override.every ?? 1) !== 0) continue;
			if (override.count !== undefined && entry.fired >= override.count) continue;
			entry.fired++;
			return { status: override.status ?? 200, body: override.body, raw: override.raw, contentType: override.contentType };
		}
		return null;
	}
}
