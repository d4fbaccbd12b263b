/** athena's v1 API reads and writes dates as mm/dd/yyyy. */

const ATHENA_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;

function isRealDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}

/**
 * Accepts mm/dd/yyyy (what athena and US spreadsheets use) and yyyy-mm-dd or an ISO timestamp (what n8n's date
 * fields and expressions produce); anything else, including impossible dates like 02/30/2026, gives undefined.
 */
export function toAthenaDate(value: unknown): string | undefined {
	const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value.trim() : undefined;
	if (!text) return undefined;
	let year: number, month: number, day: number;
	const us = ATHENA_DATE.exec(text);
	const iso = ISO_DATE.exec(text);
	if (us) [month, day, year] = [Number(us[1]), Number(us[2]), Number(us[3])];
	else if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
	else return undefined;
	if (!isRealDate(year, month, day)) return undefined;
	return `${pad(month)}/${pad(day)}/${year}`;
}
