import { DateTime } from 'luxon';

import { readDate, toAthenaDate } from '../../nodes/Athenahealth/shared/dates';

/**
 * Issue 24: dates as sheets, n8n expressions and APIs really give them. Excel's 1900 system (which Google Sheets
 * shares) counts days from 12/30/1899; athena's calendar is US Eastern. Daylight saving in 2026: starts 03/08 at
 * 2:00 EST (07:00 UTC), ends 11/01 at 2:00 EDT (06:00 UTC).
 */
const read = (value: unknown) => {
	const result = readDate(value);
	if ('refused' in result) throw new Error(`refused: ${result.refused}`);
	return result;
};
const dateOf = (value: unknown) => read(value).date;

describe('readDate: dates written as athena and US sheets write them', () => {
	it.each([
		['11/26/2026', '11/26/2026'],
		['1/5/2027', '01/05/2027'],
		['2026-12-01', '12/01/2026'],
		[' 02/29/2028 ', '02/29/2028'],
	])('reads %p as %p and says nothing about how', (input, expected) => {
		expect(read(input)).toEqual({ date: expected });
	});
});

describe('readDate: spreadsheet date cells (serial numbers of the 1900 system)', () => {
	it.each([
		[46346, '11/20/2026'],
		[36526, '01/01/2000'],
		[73050, '12/31/2099'],
		[45351, '02/29/2024'],
		[46812, '02/29/2028'],
		[46089, '03/08/2026'],
		[46327, '11/01/2026'],
	])('reads the cell %p as %p', (serial, expected) => {
		expect(read(serial)).toEqual({ date: expected, read: `spreadsheet date ${serial} = ${expected}` });
	});

	it('reads the fraction as the time of day: the day stays the cell\'s day, and the note gives the time', () => {
		expect(read(46346.9375)).toEqual({ date: '11/20/2026', read: 'spreadsheet date 46346.9375 = 11/20/2026 22:30' });
		expect(read(46346.0001)).toMatchObject({ date: '11/20/2026' });
		expect(read(46346.5)).toMatchObject({ date: '11/20/2026', read: 'spreadsheet date 46346.5 = 11/20/2026 12:00' });
	});

	it('rounds float noise to the second: a hair before midnight is midnight of the next day', () => {
		expect(dateOf(46346.99999999999)).toBe('11/21/2026');
		expect(dateOf(46346 + 1e-11)).toBe('11/20/2026');
	});

	it('reads a serial given as text (a date column exported as numbers)', () => {
		expect(read('46346')).toEqual({ date: '11/20/2026', read: 'spreadsheet date 46346 = 11/20/2026' });
		expect(read(' 46346.75 ')).toMatchObject({ date: '11/20/2026' });
	});

	it.each([36525, 73051, 0, -1, 123, 20261201, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %p: not a date cell of the years 2000 to 2099', (value) => {
		const result = readDate(value);
		expect(result).toEqual({ refused: expect.stringContaining('not a spreadsheet date of the years 2000 to 2099') });
	});

	it('takes another span of years when a field needs one (a date of birth)', () => {
		expect(readDate(29323, { years: [1901, 2099] })).toEqual({ date: '04/12/1980', read: 'spreadsheet date 29323 = 04/12/1980' });
		expect(readDate(29323)).toEqual({ refused: expect.stringContaining('2000 to 2099') });
	});

	it('never repeats a number that looks like a card', () => {
		const result = readDate(4111111111111111);
		expect(JSON.stringify(result)).not.toContain('411111111111');
		expect(JSON.stringify(readDate('4111 1111 1111 1111'))).not.toContain('4111 1111 1111');
	});
});

describe('readDate: timestamps are their day on athena\'s calendar (US Eastern)', () => {
	it('an evening in US Eastern, written in UTC, is that evening\'s day (not the next UTC day)', () => {
		expect(read('2026-11-21T02:30:00.000Z')).toEqual({
			date: '11/20/2026',
			read: 'timestamp 2026-11-21T02:30:00.000Z = 11/20/2026 21:30 US Eastern (athena\'s calendar)',
			// What the node read it as before: a payment posted then is found under that date (record.operation.ts).
			before: '11/21/2026',
		});
		expect(dateOf('2026-11-20T21:30:00.000-05:00')).toBe('11/20/2026');
	});

	it.each([
		// Standard time (UTC-5): midnight Eastern is 05:00 UTC.
		['2026-11-21T04:59:59Z', '11/20/2026'],
		['2026-11-21T05:00:00Z', '11/21/2026'],
		// Daylight time (UTC-4): midnight Eastern is 04:00 UTC.
		['2026-07-15T03:59:59.999Z', '07/14/2026'],
		['2026-07-15T04:00:00Z', '07/15/2026'],
		// The night daylight saving starts (03/08/2026, 2:00 EST → 3:00 EDT): the day before ends at 05:00 UTC, the day itself at 04:00 UTC.
		['2026-03-08T04:59:59Z', '03/07/2026'],
		['2026-03-08T05:00:00Z', '03/08/2026'],
		['2026-03-08T06:59:59Z', '03/08/2026'],
		['2026-03-08T07:00:00Z', '03/08/2026'],
		['2026-03-09T03:59:59Z', '03/08/2026'],
		['2026-03-09T04:00:00Z', '03/09/2026'],
		// The night it ends (11/01/2026, 2:00 EDT → 1:00 EST): 10/31 ends at 04:00 UTC, 11/01 at 05:00 UTC.
		['2026-11-01T03:59:59Z', '10/31/2026'],
		['2026-11-01T04:00:00Z', '11/01/2026'],
		['2026-11-01T05:30:00Z', '11/01/2026'],
		['2026-11-01T06:30:00Z', '11/01/2026'],
		['2026-11-02T04:59:59Z', '11/01/2026'],
		['2026-11-02T05:00:00Z', '11/02/2026'],
		// Offsets other than Eastern's.
		['2026-11-20T23:30:00-08:00', '11/21/2026'],
		['2026-11-21T03:30:00+01:00', '11/20/2026'],
		['2026-11-21T07:30:00+0530', '11/20/2026'],
	])('%p is on %p in US Eastern', (input, expected) => {
		expect(dateOf(input)).toBe(expected);
	});

	it('says what it read before only where that differs', () => {
		expect(read('2026-11-20T21:30:00.000-05:00').before).toBeUndefined();
		expect(read('2026-11-20T15:00:00.000Z').before).toBeUndefined();
		expect(read('2026-11-20T00:00:00.000Z').before).toBeUndefined();
	});

	it('a date-only value stays that date: midnight in its own offset, UTC included (what new Date("2026-11-20") writes)', () => {
		expect(read('2026-11-20T00:00:00.000Z')).toEqual({ date: '11/20/2026', read: 'timestamp 2026-11-20T00:00:00.000Z = 11/20/2026 (midnight: a date without a time)' });
		expect(dateOf('2026-11-20T00:00:00+01:00')).toBe('11/20/2026');
		expect(dateOf('2026-11-20T00:00:00.000-05:00')).toBe('11/20/2026');
		expect(dateOf('2026-11-20T00:00')).toBe('11/20/2026');
	});

	it('a time without an offset is a wall time: its own date', () => {
		expect(read('2026-11-20T23:30:00')).toEqual({ date: '11/20/2026', read: 'timestamp 2026-11-20T23:30:00 = 11/20/2026 (no time zone given: its own date)' });
		expect(dateOf('2026-11-20 14:30')).toBe('11/20/2026');
		expect(read('11/20/2026 23:30:00')).toEqual({ date: '11/20/2026', read: 'timestamp 11/20/2026 23:30:00 = 11/20/2026 (no time zone given: its own date)' });
	});

	it('a JavaScript Date (a Code node, new Date()) is its instant: its US Eastern day, or its date at midnight UTC', () => {
		expect(read(new Date('2026-11-21T02:30:00.000Z'))).toEqual({
			date: '11/20/2026',
			read: 'timestamp 2026-11-21T02:30:00.000Z = 11/20/2026 21:30 US Eastern (athena\'s calendar)',
			before: '11/21/2026',
		});
		expect(dateOf(new Date('2026-11-20'))).toBe('11/20/2026');
	});

	it('an n8n DateTime ($now, $today, DateTime.fromISO) is read in its own zone the same way', () => {
		// 9:30 pm in Los Angeles is 00:30 the next day in US Eastern.
		expect(read(DateTime.fromISO('2026-11-20T21:30:00', { zone: 'America/Los_Angeles' }))).toEqual({
			date: '11/21/2026',
			read: 'timestamp 2026-11-20T21:30:00.000-08:00 = 11/21/2026 00:30 US Eastern (athena\'s calendar)',
			before: '11/20/2026',
		});
		// $today in a Berlin workflow: midnight there, a date without a time.
		expect(dateOf(DateTime.fromISO('2026-11-20', { zone: 'Europe/Berlin' }))).toBe('11/20/2026');
		expect(dateOf(DateTime.fromISO('2026-11-20T18:00:00', { zone: 'America/New_York' }))).toBe('11/20/2026');
	});
});

describe('readDate: what it refuses, and why', () => {
	it.each([
		['02/30/2026'],
		['13/01/2026'],
		['31/12/2026'],
		['2026/12/01'],
		['26-12-2026'],
		['tomorrow'],
		['2026-11-20T25:00:00Z'],
		['2026-02-30T10:00:00Z'],
		['2026-11-20T10:00:00+25:00'],
		['2026-11-20Tnoon'],
	])('refuses the text %p, repeating it', (input) => {
		expect(readDate(input)).toEqual({ refused: `"${input}" is not one` });
	});

	it.each([[true], [{}], [[]], [new Date('not a date')], [DateTime.invalid('no reason')]])('refuses %p', (input) => {
		expect(readDate(input)).toEqual({ refused: expect.any(String) });
	});
});

describe('toAthenaDate: the date alone, undefined when it is not one', () => {
	it('reads what readDate reads', () => {
		expect(toAthenaDate('2026-12-01T15:00:00.000Z')).toBe('12/01/2026');
		expect(toAthenaDate(46346)).toBe('11/20/2026');
		expect(toAthenaDate('2026-11-21T02:30:00.000Z')).toBe('11/20/2026');
		expect(toAthenaDate('31/12/2026')).toBeUndefined();
		expect(toAthenaDate('')).toBeUndefined();
	});
});
