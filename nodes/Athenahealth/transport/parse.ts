/**
 * athena's answers as they really arrive: JSON that may start with blank lines, a single record wrapped in an
 * array, errors as {error, detailedmessage}, {errormessage} or [{success:"false", errortext}], and gateway pages that are
 * not JSON.
 */
export function parseAthenaJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A one-record answer: `[{…}]` → `{…}`. */
export function unwrapOne(value: unknown): unknown {
	return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

/**
 * The record asked for from a one-record GET. athena wraps it in an array; a recorded GET /patients/{id} holds two
 * records, so the one whose `key` matches the ID asked for is taken, else the first.
 */
export function recordOf(value: unknown, key: string, wanted: string): unknown {
	if (!Array.isArray(value)) return value;
	return (
		value.find(
			(row) =>
				row && typeof row === 'object' && String((row as Record<string, unknown>)[key]) === wanted,
		) ?? value[0]
	);
}

interface AthenaAnswerSummary {
	error?: string;
	detailedMessage?: string;
	missingFields?: string[];
	requestId?: string;
}

export function readAthenaBody(body: string): AthenaAnswerSummary {
	const parsed = unwrapOne(parseAthenaJson(body));
	if (!parsed || typeof parsed !== 'object') return {};
	const record = parsed as Record<string, unknown>;
	const text = (value: unknown) =>
		typeof value === 'string' && value.trim() ? value.trim() : undefined;
	const missing = record.missingfields;
	return {
		// `errormessage`: where athena's .NET client (its StatusResponse) reads a refusal's text.
		error:
			text(record.error) ??
			text(record.errortext) ??
			text(record.errormessage) ??
			text(record.message),
		detailedMessage: text(record.detailedmessage),
		missingFields: Array.isArray(missing)
			? missing.map(String)
			: typeof missing === 'string'
				? missing.split(',').map((field) => field.trim())
				: undefined,
	};
}
