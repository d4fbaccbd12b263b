/**
 * What every athena area of the simulator shares: the request a route sees, the reply it gives, athena's error
 * bodies and its paged lists. The HTTP plumbing that turns these into responses is server.ts.
 */
import type { LedgerEntry } from './types';

export interface Reply {
	status: number;
	/** Serialized as JSON unless `raw` is given. */
	body?: unknown;
	raw?: string;
	contentType?: string;
	/** Body begins with "\n\n" (athena does this on some errors). */
	blankLines?: boolean;
	headers?: Record<string, string>;
}

/** One call of the practice API (`/v1/{practiceid}/…`), after authentication. */
export interface ApiRequest {
	method: string;
	/** Path after /v1/{practiceid}. */
	sub: string;
	segments: string[];
	practiceId: string;
	query: URLSearchParams;
	/** The form of a write endpoint (first value of each name); empty elsewhere. */
	form: Record<string, string>;
	rawBody: string;
	contentType: string | null;
	/** Ledger entries written while handling this request (a *-after fault marks them unanswered). */
	entries: LedgerEntry[];
}

export type Handler = (request: ApiRequest, params: string[]) => Reply;

export interface RouteSpec {
	method: 'GET' | 'POST';
	/** e.g. '/patients/:id/receipts'; `:name` is a parameter, handed to the handler in order. */
	path: string;
	handler: Handler;
	/**
	 * A payment write (recordpayment, collectpayment, voidpayment, receipt email): form-encoded body only, the patient
	 * must exist, and a 4xx counts in `stats().refusedPayments`.
	 */
	write?: boolean;
}

export function ok(body: unknown): Reply {
	return { status: 200, body };
}

export function err(status: number, error: string, detailedmessage?: string, extra?: Record<string, unknown>): Reply {
	const body: Record<string, unknown> = { error };
	if (detailedmessage !== undefined) body.detailedmessage = detailedmessage;
	if (extra) Object.assign(body, extra);
	// Every error athena was recorded sending (400, 403, 404, 409) begins with "\n\n".
	return { status, body, blankLines: true };
}

/** A refusal of recordpayment/collectpayment input: 400 beginning with blank lines. */
export function bad(error: string, detailedmessage: string, extra?: Record<string, unknown>): Reply {
	return { ...err(400, error, detailedmessage, extra), blankLines: true };
}

export function missing(fields: string[]): Reply {
	return bad('Additional fields are required.', `Missing required fields: ${fields.join(', ')}.`, {
		missingfields: fields,
	});
}

/** One page of a list answer (`limit`, `offset`), with athena's `next`/`previous` links. */
export function page<T>(
	request: ApiRequest,
	key: string,
	items: T[],
	basePath: string,
	toJson: (item: T) => unknown = (i) => i,
): Reply {
	const limitRaw = request.query.get('limit');
	const offsetRaw = request.query.get('offset');
	if (limitRaw !== null && !/^\d+$/.test(limitRaw)) return err(400, 'Invalid limit.', 'limit must be a whole number.');
	if (offsetRaw !== null && !/^\d+$/.test(offsetRaw)) {
		return err(400, 'Invalid offset.', 'offset must be a whole number.');
	}
	const limit = Math.min(5000, limitRaw === null ? 1500 : Math.max(1, Number(limitRaw)));
	const offset = offsetRaw === null ? 0 : Number(offsetRaw);
	const body: Record<string, unknown> = {
		[key]: items.slice(offset, offset + limit).map(toJson),
		totalcount: items.length,
	};
	if (offset + limit < items.length) body.next = pageLink(request, basePath, offset + limit);
	if (offset > 0) body.previous = pageLink(request, basePath, Math.max(0, offset - limit));
	return ok(body);
}

/** As recorded on GET /patients: the query's names in UPPER CASE, and offset only (no limit). */
export function pageLink(
	request: Pick<ApiRequest, 'query' | 'practiceId'>,
	basePath: string,
	offset: number,
): string {
	const q = new URLSearchParams();
	for (const [name, value] of request.query) if (name !== 'limit' && name !== 'offset') q.append(name.toUpperCase(), value);
	q.set('offset', String(offset));
	return `/v1/${request.practiceId}${basePath}?${q.toString()}`;
}
