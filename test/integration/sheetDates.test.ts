/**
 * Issue 24: sheets as they really arrive, through the real engine and the simulator. Rows shaped as n8n's Extract From
 * File (XLSX, default options) and the Google Sheets node (unformatted values, dates as serial numbers) hand them
 * over: numbers for IDs and amounts (with float noise), a date cell's serial number; and ISO timestamps as a Code
 * node, an API or an expression writes them. Each row's output says how its date was read.
 */
import type { IDataObject } from 'n8n-workflow';

import { recordFromSheet, useStack } from './stack';

const stackOf = useStack();

/** A row as Extract From File gives an .xlsx row: typed cells stay numbers, the date cell is its serial number. */
const xlsxRow = (patient: number, postDate: string | number | undefined, extra: IDataObject = {}): IDataObject => ({
	patient,
	department: 1,
	method: 'CASH',
	copay: 30.000000000000004,
	postDate,
	...extra,
});

describe('Record: Post Date from date cells and timestamps', () => {
	test('each row is posted on the day the sheet means, and says how its date was read', async () => {
		const stack = stackOf();
		const rows = [
			xlsxRow(101, 46346),
			xlsxRow(102, 46346.9375, { method: 'CHECK', check: 1042, copay: 0.30000000000000004 }),
			xlsxRow(103, '2026-11-21T02:30:00.000Z', { copay: 30.449999999999996 }),
			xlsxRow(104, '2026-11-20T21:30:00.000-05:00'),
			xlsxRow(105, '2026-11-20T00:00:00.000Z'),
			xlsxRow(106, '11/20/2026'),
			xlsxRow(107, '2026-11-20'),
		];
		const run = await stack.run(recordFromSheet(), { input: rows });
		expect(run.error).toBeUndefined();
		expect(run.json.map((json) => json.status)).toEqual(Array(rows.length).fill('posted'));
		const ledger = stack.simulator.ledger();
		expect(ledger.map((entry) => [entry.patientid, entry.form.postdate])).toEqual(rows.map((row) => [String(row.patient), '11/20/2026']));
		expect(ledger.map((entry) => entry.amount)).toEqual(['30.00', '0.30', '30.45', '30.00', '30.00', '30.00', '30.00']);
		expect(ledger[1].form.checknumber).toBe('1042');
		expect(run.json.map((json) => json.postDate)).toEqual(Array(rows.length).fill('11/20/2026'));
		expect(run.json.map((json) => json.postDateRead)).toEqual([
			'spreadsheet date 46346 = 11/20/2026',
			'spreadsheet date 46346.9375 = 11/20/2026 22:30',
			"timestamp 2026-11-21T02:30:00.000Z = 11/20/2026 21:30 US Eastern (athena's calendar)",
			"timestamp 2026-11-20T21:30:00.000-05:00 = 11/20/2026 21:30 US Eastern (athena's calendar)",
			'timestamp 2026-11-20T00:00:00.000Z = 11/20/2026 (midnight: a date without a time)',
			undefined,
			undefined,
		]);
		expect(run.json[5]).not.toHaveProperty('postDateRead');
	});

	test('a Date or a DateTime an expression returns is read as the instant it is', async () => {
		const stack = stackOf();
		const run = await stack.run(recordFromSheet({}, { postDate: '={{ $json.kind === "luxon" ? DateTime.fromISO($json.at, { zone: "America/Los_Angeles" }) : new Date($json.at) }}' }), {
			input: [xlsxRow(101, undefined, { kind: 'luxon', at: '2026-11-20T21:30:00' }), xlsxRow(102, undefined, { kind: 'date', at: '2026-11-21T02:30:00.000Z' })],
		});
		expect(run.error).toBeUndefined();
		// 9:30 pm in Los Angeles is 00:30 the next day in US Eastern; 02:30 UTC is 9:30 pm the day before.
		expect(stack.simulator.ledger().map((entry) => entry.form.postdate)).toEqual(['11/21/2026', '11/20/2026']);
		expect(run.json[0].postDateRead).toBe("timestamp 2026-11-20T21:30:00.000-08:00 = 11/21/2026 00:30 US Eastern (athena's calendar)");
		expect(run.json[1].postDateRead).toBe("timestamp 2026-11-21T02:30:00.000Z = 11/20/2026 21:30 US Eastern (athena's calendar)");
	});

	test('a number that is no date cell and a day-first date are refused, naming the row, the field and the forms it takes; the other rows post', async () => {
		const stack = stackOf();
		const run = await stack.run(recordFromSheet(), {
			input: [xlsxRow(101, 46346), xlsxRow(102, 123), xlsxRow(103, '31/12/2026'), xlsxRow(104, 20261120)],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'invalid', 'invalid', 'invalid']);
		expect(run.json[1].error).toBe(
			'Invalid input in row 2: Post Date must be a real date as mm/dd/yyyy (e.g. 11/26/2026), yyyy-mm-dd, a date cell or an ISO timestamp; the number 123 is not a spreadsheet date of the years 2000 to 2099 (format the column as a date)',
		);
		expect(run.json[2].error).toContain('row 3: Post Date must be a real date');
		expect(run.json[2].error).toContain('"31/12/2026" is not one');
		expect(run.json[3].error).toContain('the number 20261120 is not a spreadsheet date');
		expect(stack.simulator.ledger().map((entry) => entry.patientid)).toEqual(['101']);
	});

	test('a payment posted when an evening timestamp was dated on its UTC day is still skipped on a re-run', async () => {
		const stack = stackOf();
		// What the node before issue 24 posted for 2026-11-21T02:30:00.000Z: post date 11/21/2026.
		await stack.run(recordFromSheet(), { input: [xlsxRow(101, '11/21/2026')] });
		const rerun = await stack.run(recordFromSheet(), { input: [xlsxRow(101, '2026-11-21T02:30:00.000Z'), xlsxRow(102, '2026-11-21T02:30:00.000Z')] });
		expect(rerun.json.map((json) => json.status)).toEqual(['skipped', 'posted']);
		expect(rerun.json[0].reason).toContain('Already posted');
		expect(stack.simulator.ledger().map((entry) => [entry.patientid, entry.form.postdate])).toEqual([
			['101', '11/21/2026'],
			['102', '11/20/2026'],
		]);
		// Once posted under the new reading, the row keeps being skipped.
		const third = await stack.run(recordFromSheet(), { input: [xlsxRow(102, '2026-11-21T02:30:00.000Z')] });
		expect(third.json[0].status).toBe('skipped');
		expect(stack.simulator.ledger()).toHaveLength(2);
	});
});

describe('look-ups: the date filters read the same way', () => {
	test('Appointment → Get Many with a date cell and a timestamp: athena gets mm/dd/yyyy, each appointment says how', async () => {
		const stack = stackOf();
		const run = await stack.run({ resource: 'appointment', operation: 'getAll', startDate: 46328, endDate: '={{ $json.end }}', limit: 3 }, { input: [{ end: '2026-11-03T03:30:00.000Z' }] });
		expect(run.error).toBeUndefined();
		const query = stack.simulator.requests().find((request) => request.path.endsWith('/appointments/booked') && request.status === 200)!.query;
		expect(query).toMatchObject({ startdate: '11/02/2026', enddate: '11/02/2026' });
		expect(run.json).toHaveLength(3);
		expect(run.json[0]).toMatchObject({
			date: '11/02/2026',
			startDateRead: 'spreadsheet date 46328 = 11/02/2026',
			endDateRead: "timestamp 2026-11-03T03:30:00.000Z = 11/02/2026 22:30 US Eastern (athena's calendar)",
		});
	});

	test('Appointment → Get Many refuses a number that is no date cell, naming the field', async () => {
		const stack = stackOf();
		const run = await stack.run({ resource: 'appointment', operation: 'getAll', startDate: 7, endDate: '11/02/2026' });
		expect(run.error?.message).toContain('Start Date must be a real date as mm/dd/yyyy (e.g. 11/26/2026), yyyy-mm-dd, a date cell or an ISO timestamp; the number 7 is not a spreadsheet date');
		expect(stack.simulator.requests().filter((request) => request.path.includes('/appointments'))).toHaveLength(0);
	});

	test('Patient → Search by a date of birth from a date cell (before 2000)', async () => {
		const stack = stackOf();
		const run = await stack.run({ resource: 'patient', operation: 'search', lastName: 'Okafor', dateOfBirth: '={{ $json.dob }}' }, { input: [{ dob: 25630 }] });
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([expect.objectContaining({ patientId: '4', dateOfBirthRead: 'spreadsheet date 25630 = 03/03/1970' })]);
		const query = stack.simulator.requests().find((request) => request.path.endsWith('/patients'))!.query;
		expect(query).toMatchObject({ dob: '03/03/1970' });
	});
});
