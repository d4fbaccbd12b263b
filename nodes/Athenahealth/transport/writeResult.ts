import { writeResultSchema } from '../shared/athenaSchemas';
import type { AthenaAnswer, AthenaClient } from './athenaClient';
import { AthenaApiError } from './errors';

/** What to do when a posting's outcome is unknown. */
export const UNKNOWN_POSTING_ADVICE =
	"A payment sent twice is two payments: check the patient's account in athenaOne before posting it again (Post Again).";

type WriteResult = ReturnType<typeof writeResultSchema.parse>;

/** How athena's 2xx answer to a write reads. */
type WriteReading =
	| { kind: 'done'; result: WriteResult }
	| { kind: 'refused'; errorText?: string }
	/** Nothing in it proves either way: athena may have acted. `shape` says what came, without its content. */
	| { kind: 'unreadable'; shape: string };

const REFUSAL = new Set(['false']);
const SUCCESS = new Set([
	'true',
	'y',
	'yes',
	'1',
	'ok',
	'success',
	'succeeded',
	'successful',
	'approved',
]);

function shapeOf(body: unknown): string | undefined {
	if (body === undefined || body === null)
		return 'an empty answer, or one that is not JSON (an HTML page?)';
	if (Array.isArray(body)) {
		if (body.length === 0) return 'an empty list';
		if (body.length > 1) return `${body.length} records where one was expected`;
		return shapeOf(body[0]);
	}
	if (typeof body !== 'object') return `a bare ${typeof body} instead of a record`;
	return undefined;
}

/**
 * Reads a 2xx answer to a write. A posting ('posting') may have moved money, so only an explicit refusal
 * (`success` false or "false") is one; a success without an ID is still a success. An action ('action': void, email)
 * also reads an `errortext` without a success flag as a refusal. Anything else is unreadable: never "done", never
 * "refused".
 */
export function readWriteAnswer(body: unknown, kind: 'posting' | 'action'): WriteReading {
	const shape = shapeOf(body);
	if (shape) return { kind: 'unreadable', shape };
	const parsed = writeResultSchema.safeParse(Array.isArray(body) ? body[0] : body);
	if (!parsed.success) return { kind: 'unreadable', shape: 'a record whose fields are not text' };
	const result = parsed.data;
	const flag =
		typeof result.success === 'string' ? result.success.trim().toLowerCase() : result.success;
	if (flag === false || (typeof flag === 'string' && REFUSAL.has(flag)))
		return { kind: 'refused', errorText: result.errorText };
	if (flag === true || flag === 1 || (typeof flag === 'string' && SUCCESS.has(flag)))
		return { kind: 'done', result };
	if (flag === undefined || flag === '') {
		if (kind === 'action' && result.errorText?.trim())
			return { kind: 'refused', errorText: result.errorText };
		if (kind === 'posting' && (result.paymentBatchId || result.ePaymentId) && !result.errorText)
			return { kind: 'done', result };
		return {
			kind: 'unreadable',
			shape: result.errorText
				? 'an error text without a success flag'
				: 'a record without a success flag',
		};
	}
	return {
		kind: 'unreadable',
		shape: `a success flag of ${JSON.stringify(flag).slice(0, 20)}, which says neither yes nor no`,
	};
}

interface WriteRefusal {
	/** The write in words ("record the payment of patient 1"), for the unknown-outcome message. */
	action: string;
	kind: 'posting' | 'action';
	message: (errorText: string | undefined) => string;
	description: string;
	/** What to check before trying again when the outcome is unknown. */
	unknownAdvice: string;
	itemIndex: number;
}

/**
 * athena's answer to a write (`[{"success":"true"|"false", …}]`, shape not always documented). An explicit refusal
 * (a card decline) means nothing happened: a refusal of this item. An answer that cannot be read is an unknown
 * outcome (it may have moved money): it is never sent again by itself.
 */
export function acceptedWrite(
	client: AthenaClient,
	answer: AthenaAnswer,
	refusal: WriteRefusal,
): WriteResult {
	const reading = readWriteAnswer(answer.body, refusal.kind);
	if (reading.kind === 'done') return reading.result;
	if (reading.kind === 'refused') {
		throw new AthenaApiError(client.node, {
			outcome: 'refused',
			message: refusal.message(reading.errorText),
			description: refusal.description,
			itemIndex: refusal.itemIndex,
		});
	}
	throw new AthenaApiError(client.node, {
		outcome: 'unknown',
		message: `athena's answer could not be read: the outcome of "${refusal.action}" is unknown`,
		description: `athena answered with success status but sent ${reading.shape}. It may have acted on it, so it was not sent again. ${refusal.unknownAdvice}`,
		itemIndex: refusal.itemIndex,
	});
}
