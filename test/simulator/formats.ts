/** How athena writes money, dates and flags, read and written the simulator's one way. */

export const DATE_RE = /^(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/(\d{4})$/;
/** Y/N/true/false in any case: what athena accepts for its flag fields (todayservice, ecommercemode). */
export const FLAG_RE = /^(Y|N|true|false)$/i;
const MONEY_RE = /^\d{1,9}(\.\d{1,2})?$/;

export function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}

export function centsToMoney(cents: number): string {
	return `${Math.floor(cents / 100)}.${pad2(cents % 100)}`;
}

/** An amount the way athena's receipts write it: no trailing zeros, no leading zero ("25", "2.5", ".16", "0"). */
export function athenaAmount(cents: number): string {
	return centsToMoney(cents).replace(/\.?0+$/, '').replace(/^0(?=\.)/, '') || '0';
}

/** Decimal string with at most 2 decimals → cents; null when malformed. */
export function parseMoney(v: string): number | null {
	if (!MONEY_RE.test(v)) return null;
	const [whole, frac = ''] = v.split('.');
	return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

/** Calendar date as yyyymmdd number (for comparisons), or null when not a real mm/dd/yyyy date. */
export function dateKey(v: string): number | null {
	const m = DATE_RE.exec(v);
	if (!m) return null;
	const month = Number(m[1]);
	const day = Number(m[2]);
	const year = Number(m[3]);
	const d = new Date(Date.UTC(year, month - 1, day));
	if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
	return year * 10000 + month * 100 + day;
}

export function isTrue(v: string | null | undefined): boolean {
	return v !== undefined && v !== null && /^(true|y|yes|1)$/i.test(v);
}
