import type { IDataObject } from 'n8n-workflow';

import { APPOINTMENT_OF_OTHER_PATIENT, APPOINTMENT_WITH_COPAY, CARD_APPROVED } from '../simulator';
import { expectNoCardData, recordFromSheet, useStack } from './stack';

const parameters = (extra: IDataObject = {}, options: IDataObject = {}) => recordFromSheet(options, extra);

const good = (patient: number, extra: IDataObject = {}): IDataObject => ({ patient: String(patient), department: '1', method: 'CASH', copay: '15.00', ...extra });

/**
 * Malformed rows as spreadsheets produce them, each with the words its error must contain. None may reach athena;
 * the good rows between them post.
 */
const MALFORMED: Array<[string, IDataObject, string | string[]]> = [
	['amount with three decimals', { copay: '12.345' }, 'Copay Amount has more than two decimal places'],
	['negative amount', { copay: '-5' }, 'Copay Amount is negative'],
	['amount in parentheses (accounting negative)', { copay: '(5.00)' }, 'Copay Amount is negative'],
	['amount with letters', { copay: '12 dollars' }, 'Copay Amount is not an amount'],
	['amount with two dots', { copay: '1.2.3' }, 'Copay Amount is not an amount'],
	['euro amount', { copay: '12,50' }, 'Copay Amount is not an amount'],
	['zero amount only', { copay: '0.00' }, 'No amount to post'],
	['empty amounts', { copay: '' }, 'No amount to post'],
	['whitespace amounts', { copay: '   ', other: ' ' }, 'No amount to post'],
	['other amount with three decimals', { copay: '', other: '1.005' }, 'Other Amount has more than two decimal places'],
	['other amount negative', { copay: '', other: '-0.01' }, 'Other Amount is negative'],
	['other amount text', { copay: '', other: 'N/A' }, 'Other Amount is not an amount'],
	['date with slashes the wrong way', { postDate: '2026/12/01' }, 'Post Date must be a real date'],
	['impossible date', { postDate: '02/30/2027' }, 'Post Date must be a real date'],
	['month 13', { postDate: '13/01/2026' }, 'Post Date must be a real date'],
	['day-first date', { postDate: '31/12/2026' }, 'Post Date must be a real date'],
	['date as words', { postDate: 'next Monday' }, 'Post Date must be a real date'],
	['two-digit year', { postDate: '12/01/26' }, 'Post Date must be a real date'],
	['unknown method', { method: 'VISA', last4: '1234' }, 'Payment Method VISA is not one of this practice\'s methods'],
	['method MASTERCARD', { method: 'MASTERCARD', last4: '1234' }, 'Payment Method MASTERCARD is not one of this practice\'s methods'],
	['method with emoji', { method: 'CASH💵' }, 'Payment Method must be CASH, CHECK or a card method code'],
	['empty method', { method: '' }, 'Payment Method is required'],
	['method of one letter', { method: 'C' }, 'Payment Method must be CASH, CHECK or a card method code'],
	['card without last four', { method: 'MC/VISA', last4: '' }, 'Card Last 4 Digits is required'],
	['last four with three digits', { method: 'MC/VISA', last4: '123' }, 'Card Last 4 Digits must be exactly four digits'],
	['last four with five digits', { method: 'AMEX', last4: '12345' }, 'Card Last 4 Digits must be exactly four digits'],
	['last four with letters', { method: 'AMEX', last4: '12a4' }, 'Card Last 4 Digits must be exactly four digits'],
	['full card number in last four', { method: 'MC/VISA', last4: CARD_APPROVED }, 'Card Last 4 Digits looks like a full card number'],
	['full card number with spaces in last four', { method: 'AMEX', last4: '3782 822463 10005' }, 'Card Last 4 Digits looks like a full card number'],
	['full card number with dashes in last four', { method: 'DISCOVER', last4: '6011-1111-1111-1117' }, 'Card Last 4 Digits looks like a full card number'],
	['check without number', { method: 'CHECK', check: '' }, 'Check Number is required'],
	['check number with spaces inside', { method: 'CHECK', check: '10 42' }, 'Check Number must be 1 to 20 letters, digits or dashes'],
	['check number too long', { method: 'CHECK', check: '1'.repeat(21) }, 'Check Number must be 1 to 20 letters, digits or dashes'],
	['check number with symbols', { method: 'CHECK', check: '#1042' }, 'Check Number must be 1 to 20 letters, digits or dashes'],
	['patient id with letters', { patient: 'P-1' }, 'Patient ID must be digits only'],
	['patient id empty', { patient: '' }, 'Patient ID is required'],
	['patient id whitespace', { patient: '   ' }, 'Patient ID is required'],
	['patient id decimal', { patient: '1.5' }, 'Patient ID must be digits only'],
	['patient id negative', { patient: '-1' }, 'Patient ID must be digits only'],
	['patient id too long', { patient: '1234567890123' }, 'Patient ID must be digits only'],
	['department empty', { department: '' }, 'Department ID is required'],
	['department name instead of id', { department: 'Main Clinic' }, 'Department ID must be digits only'],
	['department with spaces inside', { department: '2 1' }, 'Department ID must be digits only'],
	['appointment id with letters', { appointment: 'A100' }, 'Appointment ID must be digits only'],
	['appointment id decimal', { appointment: '100011.0' }, 'Appointment ID must be digits only'],
	['amount with currency code', { copay: 'USD 10' }, 'Copay Amount is not an amount'],
	['amount with a space inside', { copay: '1 000' }, 'Copay Amount is not an amount'],
	['amount scientific', { copay: '1e3' }, 'Copay Amount is not an amount'],
	['amount infinite', { copay: 'Infinity' }, 'Copay Amount is not an amount'],
	['several problems at once', { patient: 'x', copay: '1.001', postDate: '99/99/9999' }, ['Patient ID must be digits only', 'Copay Amount has more than two decimal places', 'Post Date must be a real date']],
	['lower-case method with stray whitespace is fine but the check number is missing', { method: ' check ', check: ' ' }, 'Check Number is required'],
];

const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

describe('malformed rows mixed with good rows', () => {
	it(`gives each of ${MALFORMED.length} bad rows its own clear error and posts every good row`, async () => {
		expect(MALFORMED.length).toBeGreaterThanOrEqual(50);
		const rows: IDataObject[] = [];
		const expected: Array<string | string[] | undefined> = [];
		MALFORMED.forEach(([, fields, message], index) => {
			rows.push(good(100 + index), good(200 + index, { postDate: ' 2026-12-01 ', ...fields }));
			expected.push(undefined, message);
		});
		const run = await stack.run(parameters(), { input: rows, settings: { onError: 'continueRegularOutput' } });
		expect(run.json).toHaveLength(rows.length);
		run.json.forEach((json, index) => {
			const message = expected[index];
			if (message === undefined) {
				expect(json.status).toBe('posted');
				return;
			}
			const [name] = MALFORMED[(index - 1) / 2];
			expect({ row: name, status: json.status }).toEqual({ row: name, status: 'invalid' });
			for (const part of Array.isArray(message) ? message : [message]) {
				expect({ row: name, error: String(json.error) }).toEqual({ row: name, error: expect.stringContaining(part) });
			}
			expect(String(json.error)).toContain(`row ${index + 1}:`);
		});
		expect(stack.simulator.ledger().map((entry) => entry.patientid).sort()).toEqual(MALFORMED.map((_, index) => String(100 + index)).sort());
		expect(JSON.stringify(run.result.runData.athenahealth)).not.toContain(CARD_APPROVED);
	});
});

describe('duplicates', () => {
	it('two identical rows in one sheet: the second is skipped, naming the first', async () => {
		const run = await stack.run(parameters(), { input: [good(1), good(2), good(1)] });
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'posted', 'skipped']);
		expect(run.json[2].reason).toContain('Same payment as row 1');
		expect(stack.simulator.ledger()).toHaveLength(2);
	});

	it('identical rows that are real payments post when the user says so, and a re-run still skips both', async () => {
		const run = await stack.run(parameters({}, { allowIdenticalRows: true }), { input: [good(1), good(1)] });
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'posted']);
		const rerun = await stack.run(parameters({}, { allowIdenticalRows: true }), { input: [good(1), good(1), good(1)] });
		expect(rerun.json.map((json) => json.status)).toEqual(['skipped', 'skipped', 'posted']);
		expect(stack.simulator.ledger()).toHaveLength(3);
	});

	it('a re-run says when and in which batch the row was posted', async () => {
		const first = await stack.run(parameters(), { input: [good(1)] });
		const second = await stack.run(parameters(), { input: [good(1)] });
		expect(second.json[0].status).toBe('skipped');
		expect(second.json[0].reason).toContain(`in payment batch ${first.json[0].paymentBatchId}`);
	});

	it('by row reference: the reference column identifies the payment', async () => {
		const byReference = parameters({ duplicateCheck: 'rowReference', rowReference: '={{ $json.ref }}' });
		await stack.run(byReference, { input: [good(1, { ref: 'R-1' }), good(1, { ref: 'R-2' })] });
		const rerun = await stack.run(byReference, { input: [good(1, { ref: 'R-1' }), good(1, { ref: 'R-3' }), good(2, { ref: '' })], settings: { onError: 'continueRegularOutput' } });
		expect(rerun.json.map((json) => json.status)).toEqual(['skipped', 'posted', 'invalid']);
		expect(rerun.json[2].error).toContain('Row Reference is empty');
		expect(stack.simulator.ledger()).toHaveLength(3);
	});

	it('Post Again re-posts a row on purpose', async () => {
		await stack.run(parameters(), { input: [good(1)] });
		const again = await stack.run(parameters({ postAgain: '={{ $json.repost === "yes" }}' }), { input: [good(1, { repost: 'yes' })] });
		expect(again.json[0].status).toBe('posted');
		expect(stack.simulator.ledger()).toHaveLength(2);
	});

	it('an unknown outcome holds the row until someone decides', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: '500-after', count: 1 });
		const first = await stack.run(parameters(), { input: [good(1)], settings: { onError: 'continueRegularOutput' } });
		expect(first.json[0]).toMatchObject({ status: 'unknown' });
		expect(first.json[0].description).toContain('Check the patient\'s account in athenaOne before posting it again');
		const second = await stack.run(parameters(), { input: [good(1)] });
		expect(second.json[0].status).toBe('skipped');
		expect(second.json[0].reason).toContain('got no answer');
		expect(stack.simulator.ledger()).toHaveLength(1);
	});

	it('a row athena refused is not held: fixed, it posts on the next run', async () => {
		const refused = await stack.run(parameters(), { input: [good(1, { postDate: '10/01/2026' })], settings: { onError: 'continueRegularOutput' } });
		expect(refused.json[0].status).toBe('failed');
		stack.simulator.configure({ closeDate: '09/01/2026' });
		const retried = await stack.run(parameters(), { input: [good(1, { postDate: '10/01/2026' })] });
		expect(retried.json[0].status).toBe('posted');
	});
});

describe('Validate Only', () => {
	it('checks formats and references against athena and posts nothing', async () => {
		const run = await stack.run(parameters({ validateOnly: true }), {
			input: [
				good(1, { appointment: APPOINTMENT_WITH_COPAY }),
				good(1, { appointment: APPOINTMENT_OF_OTHER_PATIENT }),
				good(999999),
				good(2, { department: '999' }),
				good(3, { copay: 'abc' }),
			],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(run.json.map((json) => json.status)).toEqual(['valid', 'invalid', 'invalid', 'invalid', 'invalid']);
		expect(run.json[0]).toMatchObject({ patientId: '1', copayAmount: '15.00', totalAmount: '15.00' });
		expect(run.json[1].error).toContain('belongs to another patient');
		expect(run.json[2].error).toContain('Patient 999999 does not exist');
		expect(run.json[3].error).toContain('Department 999 does not exist');
		expect(run.json[4].error).toContain('Copay Amount is not an amount');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});
});

describe('reporting', () => {
	it('adds a summary item with counts and totals per method and department', async () => {
		const run = await stack.run(parameters({}, { addSummary: true }), {
			input: [good(1), good(2, { method: 'CHECK', check: '7', department: '21', copay: '10.10' }), good(3, { copay: 'x' }), good(1)],
			settings: { onError: 'continueRegularOutput' },
		});
		const summary = run.json[4];
		expect(summary).toMatchObject({
			summary: true,
			rows: 4,
			posted: 2,
			skipped: 1,
			invalid: 1,
			failed: 0,
			unknown: 0,
			totalPosted: '25.10',
			totalsByPaymentMethod: { CASH: '15.00', CHECK: '10.10' },
			totalsByDepartment: { '1': '15.00', '21': '10.10' },
		});
		expect(run.items[4].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it("sends failures to n8n's error output with their status, and the good rows on", async () => {
		const run = await stack.run(parameters(), {
			input: [good(1), good(2, { copay: '1.001' }), good(3)],
			settings: { onError: 'continueErrorOutput' },
		});
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'posted']);
		expect(run.errorItems).toHaveLength(1);
		// n8n merges the input row under a failed item (`patient` here): harmless for a row holding no card data. A row
		// that holds card data is not merged (cardData.test.ts: its redacted copy is in details.input instead).
		expect(run.errorItems[0].json).toMatchObject({ patient: '2', error: expect.stringContaining('Copay Amount'), details: { status: 'invalid', item: 1 } });
		expectNoCardData(run, { cardNumbers: [CARD_APPROVED], securityCodes: [] });
	});

	it('a row holding a full card number goes to the error output unmerged, its copy redacted', async () => {
		const run = await stack.run(parameters(), {
			input: [good(1), good(2, { method: 'MC/VISA', last4: CARD_APPROVED }), good(3)],
			settings: { onError: 'continueErrorOutput' },
		});
		expect(run.errorItems).toHaveLength(1);
		expect(run.errorItems[0].json).not.toHaveProperty('patient');
		expect(run.errorItems[0].json.details).toMatchObject({ status: 'invalid', item: 1, input: { patient: '2', last4: '••••1111' } });
		expectNoCardData(run, { cardNumbers: [CARD_APPROVED], securityCodes: [] });
	});
});
