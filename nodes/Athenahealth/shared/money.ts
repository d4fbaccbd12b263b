/**
 * Money travels as a decimal string with two places ("12.50"): athena reads form fields as text, and a float can print as
 * 12.499999. Amounts are held as integer cents in between so that sums are exact.
 */

const MONEY_PATTERN = /^(\d+)(?:\.(\d{0,2}))?$/;

type MoneyParse = { ok: true; cents: number } | { ok: false; reason: string };

/** Reads an amount the way a spreadsheet holds it: 12.5, "12.5", "$1,234.50", " 20 ". */
export function parseMoney(value: unknown): MoneyParse {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return { ok: false, reason: 'is not a number' };
		// A spreadsheet number like 12.1 is 12.0999…: round to the cent it was meant to be, but refuse real extra digits.
		const cents = Math.round(value * 100);
		if (Math.abs(value * 100 - cents) > 1e-6)
			return { ok: false, reason: 'has more than two decimal places' };
		if (cents < 0) return { ok: false, reason: 'is negative' };
		return { ok: true, cents };
	}
	if (typeof value !== 'string') return { ok: false, reason: 'is not an amount' };
	const cleaned = value
		.trim()
		.replace(/^\$\s*/, '')
		.replace(/,(?=\d{3}(\D|$))/g, '');
	if (cleaned.startsWith('-') || cleaned.startsWith('('))
		return { ok: false, reason: 'is negative' };
	const match = MONEY_PATTERN.exec(cleaned);
	if (!match) {
		if (/^\d*\.\d{3,}$/.test(cleaned))
			return { ok: false, reason: 'has more than two decimal places' };
		return {
			ok: false,
			reason: 'is not an amount (use digits with up to two decimals, e.g. 12.50)',
		};
	}
	const whole = Number(match[1]);
	const fraction = (match[2] ?? '').padEnd(2, '0');
	const cents = whole * 100 + Number(fraction);
	if (!Number.isSafeInteger(cents)) return { ok: false, reason: 'is too large' };
	return { ok: true, cents };
}

export function formatMoney(cents: number): string {
	const whole = Math.trunc(cents / 100);
	const fraction = String(Math.abs(cents % 100)).padStart(2, '0');
	return `${cents < 0 && whole === 0 ? '-' : ''}${whole}.${fraction}`;
}

/** athena answers amounts as numbers or strings ("-978.7", 0): normalise to a two-place string. */
export function normaliseAthenaMoney(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	const negative = text.startsWith('-');
	const parsed = parseMoney(negative ? text.slice(1) : text);
	if (!parsed.ok) {
		const asNumber = Number(text);
		return Number.isFinite(asNumber) ? formatMoney(Math.round(asNumber * 100)) : undefined;
	}
	return formatMoney(negative ? -parsed.cents : parsed.cents);
}
