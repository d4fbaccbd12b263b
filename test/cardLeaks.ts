/**
 * Finds card data in anything a run produced: outputs, error outputs, error objects (their message, description,
 * stack, cause, context and every other property, enumerable or not), n8n's saved execution data. Shared by the
 * engine tests (jest) and the real-n8n suite (node:test). It does not use the node's own redaction: a search that
 * shared the code it checks would miss what that code misses.
 */

/** What a test fed in: each full card number (any spelling is searched) and each security code. */
export interface CardSecrets {
	cardNumbers: string[];
	securityCodes: string[];
}

/**
 * n8n's bookkeeping numbers (times in milliseconds), which can equal a 3-digit code by chance. They are numbers n8n
 * measured, never data.
 */
const TIMING_KEYS = new Set(['startTime', 'executionTime', 'executionIndex', 'timestamp']);

/** Every string and number inside a value, one per line, walking errors' non-enumerable properties too. */
export function allTextOf(value: unknown): string {
	const lines: string[] = [];
	const seen = new Set<object>();
	const walk = (node: unknown, depth: number) => {
		if (typeof node === 'string') {
			lines.push(node);
			return;
		}
		if (typeof node === 'number' || typeof node === 'bigint') {
			lines.push(String(node));
			return;
		}
		if (node === null || typeof node !== 'object' || depth > 60 || seen.has(node)) return;
		seen.add(node);
		const keys = node instanceof Error ? new Set([...Object.getOwnPropertyNames(node), 'message', 'stack', 'cause']) : Object.keys(node);
		for (const key of keys) {
			if (TIMING_KEYS.has(key)) continue;
			let entry: unknown;
			try {
				entry = (node as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			lines.push(key);
			walk(entry, depth + 1);
		}
	};
	walk(value, 0);
	return lines.join('\n');
}

/** A card number written with anything (up to four characters: spaces, dashes, dots, slashes, quotes) between digits. */
function cardNumberPattern(cardNumber: string): RegExp {
	return new RegExp(cardNumber.replace(/\D/g, '').split('').join('[^0-9]{0,4}'));
}

/** A security code as a number of its own (not a piece of a longer number). */
function securityCodePattern(code: string): RegExp {
	return new RegExp(`(?<![0-9])${code}(?![0-9])`);
}

/** Each piece of card data found, with a little of its surroundings (the number itself shown only by its last four). */
export function findCardData(value: unknown, secrets: CardSecrets): string[] {
	const text = allTextOf(value);
	const found: string[] = [];
	const around = (index: number, length: number) => JSON.stringify(text.slice(Math.max(0, index - 60), index + length + 60));
	for (const cardNumber of secrets.cardNumbers) {
		const match = cardNumberPattern(cardNumber).exec(text);
		if (match) found.push(`card number ending ${cardNumber.slice(-4)} at ${around(match.index, match[0].length).replace(match[0], '<CARD>')}`);
	}
	for (const code of secrets.securityCodes) {
		const match = securityCodePattern(code).exec(text);
		if (match) found.push(`security code at ${around(match.index, match[0].length)}`);
	}
	return found;
}

/** Throws, naming where, when any card number or security code is in the value. */
export function assertNoCardData(value: unknown, secrets: CardSecrets, where = 'the run'): void {
	const found = findCardData(value, secrets);
	if (found.length) throw new Error(`card data in ${where}:\n${found.join('\n')}`);
}
