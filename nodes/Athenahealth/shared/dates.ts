import { redactCardData } from './redact';

/**
 * Every date rule of the node. athena's v1 API reads and writes dates as mm/dd/yyyy, on its own calendar: US Eastern,
 * whatever the n8n instance's or the workflow's time zone (days here are yyyy-mm-dd: they sort as text). Dates reach
 * the node as people and tools write them: typed (mm/dd/yyyy, yyyy-mm-dd), as a spreadsheet's date cell (Excel and
 * Google Sheets hand over the cell's serial number), as an ISO timestamp (a Code node, an API, `new Date()`), or as the
 * Date or DateTime object an n8n expression returns; readDate is the one reading of all of them.
 */

// athena's calendar: US Eastern days and times, and day arithmetic.

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * athena writes receipt times as US Eastern wall time ("mm/dd/yyyy HH:MM:SS", recorded fact 27), whatever the
 * practice's own zone: reading one as an instant needs Eastern's offset on that day (daylight saving).
 */
const EASTERN = new Intl.DateTimeFormat('en-US', {
	timeZone: 'America/New_York',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});

function partsAt(ms: number): Record<string, string> {
	const parts: Record<string, string> = {};
	for (const part of EASTERN.formatToParts(new Date(ms))) parts[part.type] = part.value;
	return parts;
}

/** "yyyy-mm-dd" in US Eastern at that instant: athena's calendar day (days in this form sort as text). */
export function easternDay(ms: number = Date.now()): string {
	const p = partsAt(ms);
	return `${p.year}-${p.month}-${p.day}`;
}

/** "mm/dd/yyyy" in US Eastern at that instant. */
export function easternDate(ms: number): string {
	const p = partsAt(ms);
	return `${p.month}/${p.day}/${p.year}`;
}

/** "mm/dd/yyyy HH:MM:SS" in US Eastern at that instant. */
export function easternDateTime(ms: number): string {
	const p = partsAt(ms);
	return `${p.month}/${p.day}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

/** Reads "mm/dd/yyyy[ HH:MM[:SS]]" as US Eastern wall time; undefined when it is not one. */
export function parseEasternDateTime(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(
		text.trim(),
	);
	if (!m) return undefined;
	const wall = Date.UTC(
		Number(m[3]),
		Number(m[1]) - 1,
		Number(m[2]),
		Number(m[4] ?? 0),
		Number(m[5] ?? 0),
		Number(m[6] ?? 0),
	);
	if (!Number.isFinite(wall)) return undefined;
	const offsetAt = (ms: number) => {
		const p = partsAt(ms);
		return (
			Date.UTC(
				Number(p.year),
				Number(p.month) - 1,
				Number(p.day),
				Number(p.hour),
				Number(p.minute),
				Number(p.second),
			) - ms
		);
	};
	// Two passes settle the offset on either side of a daylight-saving change.
	const first = wall - offsetAt(wall);
	return wall - offsetAt(first);
}

/** The day `count` days after (or, negative, before) a yyyy-mm-dd day. */
export function addDays(day: string, count: number): string {
	const [year, month, date] = day.split('-').map(Number);
	return new Date(Date.UTC(year, month - 1, date + count)).toISOString().slice(0, 10);
}

/** mm/dd/yyyy (athena's form, checked before) as yyyy-mm-dd. */
export function dayOfAthenaDate(date: string): string {
	const [month, day, year] = date.split('/');
	return `${year}-${month}-${day}`;
}

/** yyyy-mm-dd as mm/dd/yyyy, for messages. */
export function athenaDateOfDay(day: string): string {
	const [year, month, date] = day.split('-');
	return `${month}/${date}/${year}`;
}

/** The workflow's date of `ms`, mm/dd/yyyy: what version-1 Collect keys held. */
export function workflowDate(timezone: string, ms: number): string {
	return new Intl.DateTimeFormat('en-US', {
		timeZone: timezone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).format(new Date(ms));
}

/** Noon US Eastern of an mm/dd/yyyy date (17:00 UTC is noon in winter, 1 p.m. in summer: the same Eastern day). */
export function noonEasternOf(date: string): number {
	const [month, day, year] = date.split('/').map(Number);
	return Date.UTC(year, month - 1, day, 17);
}

// How dates reach the node, read into athena's form.

/** A date read: athena's mm/dd/yyyy, and how it was read when it was not given as mm/dd/yyyy or yyyy-mm-dd. */
export interface ReadDate {
	date: string;
	read?: string;
	/**
	 * The date the node read the same value as before this reading (it took an ISO timestamp's own date part), when
	 * that differs: a payment posted then was remembered under that date.
	 */
	before?: string;
}

type DateReading = ReadDate | { refused: string };

export interface DateOptions {
	/** The years a spreadsheet serial number may fall in: a number outside them is not taken for a date. */
	years?: [number, number];
}

/** Plausible years of a payment or appointment date given as a spreadsheet serial number. */
const SHEET_DATE_YEARS: [number, number] = [2000, 2099];

/** Day 0 of Excel's 1900 date system (Google Sheets' too): 12/30/1899, so that day 1 is 12/31/1899 (and 61 is 03/01/1900). */
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SERIAL_TEXT = /^\d{5}(?:\.\d+)?$/;
const ISO_TIMESTAMP =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US_DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function isRealDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

const pad = (value: number) => String(value).padStart(2, '0');
const athenaDate = (year: number, month: number, day: number) =>
	`${pad(month)}/${pad(day)}/${year}`;

/** The value as a message may repeat it: short, and with anything that looks like a card number masked. */
function shown(text: string): string {
	const safe = redactCardData(text);
	return safe.length > 40 ? `${safe.slice(0, 40)}…` : safe;
}

function fromSerial(serial: number, years: [number, number], given: string): DateReading {
	// Rounded to the second: a float a hair before midnight (46346.99999999999) is the midnight it stands for.
	const ms = SERIAL_EPOCH_MS + Math.round((serial * DAY_MS) / 1000) * 1000;
	const at = new Date(ms);
	const year = at.getUTCFullYear();
	if (!Number.isFinite(at.getTime()) || year < years[0] || year > years[1]) {
		return {
			refused: `the number ${shown(given)} is not a spreadsheet date of the years ${years[0]} to ${years[1]} (format the column as a date)`,
		};
	}
	const date = athenaDate(year, at.getUTCMonth() + 1, at.getUTCDate());
	const time = ms % DAY_MS === 0 ? '' : ` ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
	return { date, read: `spreadsheet date ${given} = ${date}${time}` };
}

function offsetMinutes(offset: string): number | undefined {
	if (/^z$/i.test(offset)) return 0;
	const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
	if (!m || Number(m[2]) > 23 || Number(m[3]) > 59) return undefined;
	return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * A date with a time. Midnight is a date without a time (in whatever offset: `new Date("2026-11-20")` writes
 * midnight UTC, n8n's `$today` midnight in the workflow's zone): its own date. A time without an offset is a wall
 * time: its own date. Any other time with an offset is an instant: its day in US Eastern.
 */
function fromTimestamp(
	text: string,
	parts: string[],
	offset: string | undefined,
	iso: boolean,
): DateReading | undefined {
	const [year, month, day, hour, minute, second] = parts.map((part) => Number(part ?? 0));
	if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
	const minutes = offset === undefined ? undefined : offsetMinutes(offset);
	if (offset !== undefined && minutes === undefined) return undefined;
	const ownDate = athenaDate(year, month, day);
	const midnight = hour === 0 && minute === 0 && second === 0 && !/[1-9]/.test(parts[6] ?? '');
	if (midnight)
		return {
			date: ownDate,
			read: `timestamp ${text} = ${ownDate} (midnight: a date without a time)`,
		};
	if (minutes === undefined)
		return {
			date: ownDate,
			read: `timestamp ${text} = ${ownDate} (no time zone given: its own date)`,
		};
	const fraction = Number(`0.${parts[6] ?? '0'}`);
	const instant =
		Date.UTC(year, month - 1, day, hour, minute, second) +
		Math.round(fraction * 1000) -
		minutes * 60_000;
	const eastern = easternDateTime(instant);
	const date = easternDate(instant);
	const before = iso && date !== ownDate ? { before: ownDate } : {};
	return {
		date,
		read: `timestamp ${text} = ${eastern.slice(0, 16)} US Eastern (athena's calendar)`,
		...before,
	};
}

function fromText(text: string, years: [number, number]): DateReading {
	const us = US_DATE.exec(text);
	if (us) {
		const [month, day, year] = [Number(us[1]), Number(us[2]), Number(us[3])];
		if (isRealDate(year, month, day)) return { date: athenaDate(year, month, day) };
	}
	const iso = ISO_DATE.exec(text);
	if (iso) {
		const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
		if (isRealDate(year, month, day)) return { date: athenaDate(year, month, day) };
	}
	if (SERIAL_TEXT.test(text)) return fromSerial(Number(text), years, text);
	const stamp = ISO_TIMESTAMP.exec(text);
	const usStamp = US_DATE_TIME.exec(text);
	const reading = stamp
		? fromTimestamp(text, stamp.slice(1, 8), stamp[8], true)
		: usStamp
			? fromTimestamp(
					text,
					[usStamp[3], usStamp[1], usStamp[2], usStamp[4], usStamp[5], usStamp[6]],
					undefined,
					false,
				)
			: undefined;
	return reading ?? { refused: `"${shown(text)}" is not one` };
}

/** A luxon DateTime (what `$now`, `$today` and `DateTime` give in n8n expressions), recognised without importing luxon. */
function isDateTime(value: unknown): value is { isValid: boolean; toISO(): string | null } {
	return (
		typeof value === 'object' &&
		value !== null &&
		(value as { isLuxonDateTime?: unknown }).isLuxonDateTime === true
	);
}

/**
 * Reads a date as the sheet, the expression or the API means it (see the file's comment); `refused` says why it is
 * not one, as the end of a sentence that starts with the field's rule.
 */
export function readDate(value: unknown, options: DateOptions = {}): DateReading {
	const years = options.years ?? SHEET_DATE_YEARS;
	if (typeof value === 'number') {
		return fromSerial(value, years, String(value));
	}
	if (typeof value === 'string') return fromText(value.trim(), years);
	if (value instanceof Date) {
		return Number.isFinite(value.getTime())
			? fromText(value.toISOString(), years)
			: { refused: 'the Date given is not a valid date' };
	}
	if (isDateTime(value)) {
		const iso = value.isValid ? value.toISO() : null;
		return iso ? fromText(iso, years) : { refused: 'the DateTime given is not a valid date' };
	}
	return { refused: `a ${Array.isArray(value) ? 'list' : typeof value} is not a date` };
}

/** The date alone (mm/dd/yyyy), or undefined when the value is not one: for athena's own answers and computed dates. */
export function toAthenaDate(value: unknown, options?: DateOptions): string | undefined {
	const reading = readDate(value, options);
	return 'date' in reading ? reading.date : undefined;
}
