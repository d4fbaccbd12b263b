/**
 * The one place card data is taken out of text: athena's answers, error messages and whatever the node puts out
 * besides its own fields. Card numbers keep their last four digits; a security code is replaced whole.
 */

/** What Collect sent for one item: the values to find in any spelling, besides anything that looks like a card. */
export interface SentCardData {
	cardNumber?: string;
	securityCode?: string;
}

// Between two digits of a card number people (and athena's echoes) write nothing, a space or a few, a dash, a dot or a
// slash (with a space around it at most).
const SEPARATOR = '(?:[ \\t\\u00a0]{1,3}|[ ]?[-./][ ]?)?';
/** Runs of 12 to 19 digits in any of those spellings look like card numbers. */
const CARD_LIKE = new RegExp(`\\d(?:${SEPARATOR}\\d){11,18}`, 'g');

const masked = (match: string) => `••••${match.replace(/\D/g, '').slice(-4)}`;

function escapeDigits(digits: string): string {
	return digits.split('').join(SEPARATOR);
}

/** A number typed or sent but too short to look like a card (say 10 digits) is still the card: found in any spelling. */
function sentNumberPattern(cardNumber: string | undefined): RegExp | undefined {
	const digits = (cardNumber ?? '').replace(/\D/g, '');
	return digits.length >= 6 ? new RegExp(escapeDigits(digits), 'g') : undefined;
}

/**
 * The security code as a number of its own: not a piece of a longer number, nor the whole part of an amount
 * ("100.00" stays when the code is 100). A code is short, so this also replaces an unrelated number that happens to
 * equal it: in error text that costs little, and a code must never get out.
 */
function securityCodePattern(securityCode: string | undefined): RegExp | undefined {
	const digits = (securityCode ?? '').replace(/\D/g, '');
	return digits.length >= 3
		? new RegExp(`(?<!\\d)(?<!\\d[.,])${digits}(?!\\d)(?![.,]\\d)`, 'g')
		: undefined;
}

export function redactCardData(text: string, sent: SentCardData = {}): string {
	let out = text;
	const number = sentNumberPattern(sent.cardNumber);
	if (number) out = out.replace(number, masked);
	out = out.replace(CARD_LIKE, masked);
	const code = securityCodePattern(sent.securityCode);
	if (code) out = out.replace(code, '•••');
	return out;
}

/**
 * A copy of any JSON value with card data taken out of every string (and of numbers, which a sheet or a form may use
 * for a card or a code). Keys are kept.
 */
export function redactDeep<T>(value: T, sent: SentCardData[] = []): T {
	const clean = (text: string) =>
		sent.reduce((out, one) => redactCardData(out, one), redactCardData(text));
	const walk = (node: unknown, depth: number): unknown => {
		if (typeof node === 'string') return clean(node);
		if (typeof node === 'number' || typeof node === 'bigint') {
			const text = String(node);
			const cleaned = clean(text);
			return cleaned === text ? node : cleaned;
		}
		if (node === null || typeof node !== 'object' || depth > 50) return node;
		if (Array.isArray(node)) return node.map((entry) => walk(entry, depth + 1));
		if (node instanceof Date) return node;
		return Object.fromEntries(
			Object.entries(node).map(([key, entry]) => [key, walk(entry, depth + 1)]),
		);
	};
	return walk(value, 0) as T;
}

export function lastFour(cardNumber: string): string {
	return cardNumber.replace(/\D/g, '').slice(-4);
}
