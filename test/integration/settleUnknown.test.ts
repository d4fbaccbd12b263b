import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CARD_APPROVED, CARD_APPROVED_MASTERCARD } from '../simulator';
import { collectFromInput, expectNoCardData, recordFromSheet, useStack } from './stack';
import type { NodeRun } from './stack';

/**
 * Rows held as `unknown` are looked up in athena's own records on the next run (issue 16): a payment athena stored
 * without answering is settled as posted from its receipts (Collect) or payment history (Record); one athena never
 * stored is reported missing and posts only with Post Again on that row; a look-up that fails leaves it unknown.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	// The posting details live in the workflow's static data, which outlives a test like n8n's database does.
	stack.engine.setStaticData('engine-test', undefined);
});

const CVV = '8642';
const secrets = { cardNumbers: [CARD_APPROVED, CARD_APPROVED_MASTERCARD], securityCodes: [CVV] };
const keepGoing = { onError: 'continueRegularOutput' as const };
/** Node version 2 (the default for new nodes): the posting settings live under Options. */
const v2 = { ...keepGoing, typeVersion: 2 };

const collect = (postingOptions: IDataObject = {}): INodeParameters =>
	collectFromInput({ postingOptions: { requestsPerSecond: 1000, postAgain: '={{ $json.again === true }}', ...postingOptions } });
const cardRows = (): IDataObject[] => [
	{ card: CARD_APPROVED, cvv: CVV, copay: '25.00' },
	{ card: CARD_APPROVED_MASTERCARD, cvv: CVV, copay: '12.50' },
	{ card: CARD_APPROVED, cvv: CVV, copay: '7.16' },
];

const statuses = (run: NodeRun) => run.json.map((json) => json.status);

describe('Collect: an unknown card payment is looked up in the receipts on the next run', () => {
	it('stored without an answer (500 after storing): settled as posted with its e-payment ID; never sent again', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/collectpayment$', kind: '500-after', every: 2, count: 1 });
		const first = await stack.run(collect(), { input: cardRows(), settings: v2 });
		expect(statuses(first)).toEqual(['posted', 'unknown', 'posted']);
		expect(first.json[1].sentAt).toEqual(expect.any(String));
		const stored = stack.simulator.ledger();
		expect(stored).toHaveLength(3);
		const unanswered = stored.find((entry) => !entry.answered)!;

		const second = await stack.run(collect(), { input: cardRows(), settings: v2 });
		expect(statuses(second)).toEqual(['skipped', 'posted', 'skipped']);
		expect(second.json[1]).toMatchObject({
			status: 'posted',
			settledFromAthena: true,
			athenaCheck: 'settled from athena',
			ePaymentId: unanswered.epaymentid,
			cardLast4: '4444',
			totalAmount: '12.50',
		});
		expect(String(second.json[1].athenaMatched)).toMatch(/PURCHASE.*amount 12\.50.*card ending 4444/);
		expect(stack.simulator.ledger()).toHaveLength(3);
		// One receipts call for the patient and department, not one per row.
		expect(stack.simulator.requests().filter((request) => request.path.endsWith('/receipts'))).toHaveLength(1);
		expectNoCardData(second, secrets);

		// Settled means posted: the next run skips it as an earlier posting, with no look-up at all.
		const third = await stack.run(collect(), { input: cardRows(), settings: v2 });
		expect(statuses(third)).toEqual(['skipped', 'skipped', 'skipped']);
		expect(String(third.json[1].reason)).toContain(`as e-payment ${unanswered.epaymentid}`);
		expect(stack.simulator.requests().filter((request) => request.path.endsWith('/receipts'))).toHaveLength(1);
	});

	it('never stored (500 before storing): reported missing, posted only after Post Again on that row', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/collectpayment$', kind: '500-before', count: 1 });
		const first = await stack.run(collect(), { input: cardRows(), settings: v2 });
		expect(statuses(first)).toEqual(['unknown', 'posted', 'posted']);
		expect(stack.simulator.ledger()).toHaveLength(2);

		const second = await stack.run(collect(), { input: cardRows(), settings: v2 });
		expect(second.json[0]).toMatchObject({ status: 'skipped', athenaCheck: 'not found in athena' });
		expect(String(second.json[0].reason)).toContain('athena shows no such payment');
		expect(String(second.json[0].reason)).toContain('Post Again');
		expect(stack.simulator.ledger()).toHaveLength(2);

		// A run without the deliberate action still does not post it.
		const third = await stack.run(collect(), { input: cardRows(), settings: v2 });
		expect(third.json[0]).toMatchObject({ status: 'skipped', athenaCheck: 'not found in athena' });
		expect(stack.simulator.ledger()).toHaveLength(2);

		const rows = cardRows();
		rows[0].again = true;
		const again = await stack.run(collect(), { input: rows, settings: v2 });
		expect(statuses(again)).toEqual(['posted', 'skipped', 'skipped']);
		expect(stack.simulator.ledger()).toHaveLength(3);
		expectNoCardData(again, secrets);
	});

	it('the look-up is not permitted (403): the row stays unknown with the reason; a later run settles it', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/collectpayment$', kind: '500-after', count: 1 });
		await stack.run(collect(), { input: cardRows().slice(0, 1), settings: v2 });
		stack.simulator.overrideAnswers({ method: 'GET', path: '/receipts$', status: 403, body: { error: 'You do not have access to this resource.' } });
		const second = await stack.run(collect(), { input: cardRows().slice(0, 1), settings: v2 });
		expect(second.json[0]).toMatchObject({ status: 'skipped', outcome: 'unknown', athenaCheck: 'look-up not permitted' });
		expect(String(second.json[0].reason)).toContain('You do not have access to this resource.');
		expect(stack.simulator.ledger()).toHaveLength(1);

		stack.simulator.clearFaults();
		const third = await stack.run(collect(), { input: cardRows().slice(0, 1), settings: v2 });
		expect(third.json[0]).toMatchObject({ status: 'posted', settledFromAthena: true, ePaymentId: stack.simulator.ledger()[0].epaymentid });
	});

	it('the look-up is throttled (429 on every try): the row stays unknown with the reason, nothing sent', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/collectpayment$', kind: '500-after', count: 1 });
		await stack.run(collect(), { input: cardRows().slice(0, 1), settings: v2 });
		stack.simulator.overrideAnswers({ method: 'GET', path: '/receipts$', status: 429, body: { error: 'Too many requests' } });
		const second = await stack.run(collect(), { input: cardRows().slice(0, 1), settings: v2 });
		expect(second.json[0]).toMatchObject({ status: 'skipped', outcome: 'unknown', athenaCheck: 'look-up throttled' });
		expect(String(second.json[0].reason)).toContain('throttled');
		expect(stack.simulator.ledger()).toHaveLength(1);
	}, 30000);
});

describe('Record: an unknown recorded payment is looked up in the payment history', () => {
	const sheet = (): IDataObject[] =>
		['CASH', 'CHECK', 'MC/VISA'].map((method, index) => ({
			patient: String(20 + index),
			department: '21',
			method,
			check: method === 'CHECK' ? 'C501' : '',
			last4: method === 'MC/VISA' ? '4242' : '',
			other: `${30 + index}.50`,
			postDate: '12/01/2026',
		}));
	const record = () => recordFromSheet({ concurrency: 1 });

	it('stored without an answer: settled as posted with its payment batch ID, saying which fields matched; one history call', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: 'reset-after', every: 2, count: 1 });
		const first = await stack.run(record(), { input: sheet(), settings: keepGoing });
		expect(statuses(first)).toEqual(['posted', 'unknown', 'posted']);
		const unanswered = stack.simulator.ledger().find((entry) => !entry.answered)!;

		const second = await stack.run(record(), { input: sheet(), settings: keepGoing });
		expect(statuses(second)).toEqual(['skipped', 'posted', 'skipped']);
		expect(second.json[1]).toMatchObject({ settledFromAthena: true, paymentBatchId: unanswered.paymentbatchid, checkNumber: 'C501' });
		expect(String(second.json[1].athenaMatched)).toMatch(/patientid 21, amount 31\.50, departmentid 21, paymentmethod CHECK, checknumber C501, postdate 12\/01\/2026/);
		expect(stack.simulator.requests().filter((request) => request.path.endsWith('/paymenthistory'))).toHaveLength(1);
		expect(stack.simulator.ledger()).toHaveLength(3);
	});

	describe("athena's payment history in the shape a catalogue of it describes (`payments` the amount, `checkccnumber`, nested per patient)", () => {
		const tenRows = (): IDataObject[] =>
			Array.from({ length: 10 }, (_, index) => ({
				patient: String(30 + index),
				department: '21',
				method: ['CHECK', 'CASH', 'MC/VISA'][index % 3],
				check: index % 3 === 0 ? `C${700 + index}` : '',
				last4: index % 3 === 2 ? '4242' : '',
				other: '120.00',
				postDate: '12/01/2026',
			}));

		it('10 Record rows stored without an answer are all settled from it, each by its own check number or card digits', async () => {
			stack.simulator.configure({ paymentHistoryShape: 'catalogue' });
			stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: 'reset-after', count: 10 });
			const first = await stack.run(record(), { input: tenRows(), settings: keepGoing });
			expect(statuses(first)).toEqual(Array(10).fill('unknown'));
			expect(stack.simulator.ledger()).toHaveLength(10);

			const second = await stack.run(record(), { input: tenRows(), settings: keepGoing });
			expect(statuses(second)).toEqual(Array(10).fill('posted'));
			expect(second.json.map((json) => json.athenaCheck)).toEqual(Array(10).fill('settled from athena'));
			expect(String(second.json[0].athenaMatched)).toBe('payment history: patientid 30, payments 120.00, method CHECK, checkccnumber C700');
			expect(String(second.json[1].athenaMatched)).toBe('payment history: patientid 31, payments 120.00, method CASH');
			expect(String(second.json[2].athenaMatched)).toBe('payment history: patientid 32, payments 120.00, method MC/VISA, checkccnumber 4242');
			expect(stack.simulator.requests().filter((request) => request.path.endsWith('/paymenthistory'))).toHaveLength(1);
			expect(stack.simulator.ledger()).toHaveLength(10);
		});

		it('another check number or other card digits in that shape is not this payment: not found, still held', async () => {
			stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: 'reset-after', count: 2 });
			const rows = [tenRows()[0], tenRows()[2]];
			await stack.run(record(), { input: rows, settings: keepGoing });
			stack.simulator.overrideAnswers({
				method: 'GET',
				path: '/paymenthistory$',
				body: {
					paymenthistory: [
						{ patientid: '30', payments: [{ payments: '120', method: 'CHECK', checkccnumber: 'C999' }] },
						{ patientid: '32', payments: [{ payments: '120', method: 'MC/VISA', checkccnumber: 'XXXXXXXXXXXX1111' }] },
					],
				},
				count: 1,
			});
			const second = await stack.run(record(), { input: rows, settings: keepGoing });
			expect(second.json.map((json) => [json.status, json.athenaCheck])).toEqual([
				['skipped', 'not found in athena'],
				['skipped', 'not found in athena'],
			]);
			expect(stack.simulator.ledger()).toHaveLength(2);
		});

		it('athena answered, but no entry holds an amount the node can read: the row stays unknown and says so; the next run looks again', async () => {
			stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: 'reset-after', count: 1 });
			await stack.run(record(), { input: tenRows().slice(0, 1), settings: keepGoing });
			stack.simulator.overrideAnswers({
				method: 'GET',
				path: '/paymenthistory$',
				body: { paymenthistory: [{ patientid: '30', payments: [{ paid: 'one hundred twenty', method: 'CHECK', checkccnumber: 'C700' }] }] },
				count: 1,
			});
			const second = await stack.run(record(), { input: tenRows().slice(0, 1), settings: keepGoing });
			expect(second.json[0]).toMatchObject({ status: 'skipped', outcome: 'unknown', athenaCheck: 'look-up failed' });
			expect(String(second.json[0].reason)).toMatch(/athena's payment history could not be read: .*1 entry.*; check the account in athenaOne/);
			expect(String(second.json[0].reason)).not.toContain('athena shows no such payment');

			const third = await stack.run(record(), { input: tenRows().slice(0, 1), settings: keepGoing });
			expect(third.json[0]).toMatchObject({ status: 'posted', settledFromAthena: true });
			expect(stack.simulator.ledger()).toHaveLength(1);
		});
	});

	it('never stored: reported missing; history not permitted: stays unknown', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: '503-before', count: 2 });
		await stack.run(record(), { input: sheet(), settings: keepGoing });
		expect(stack.simulator.ledger()).toHaveLength(1);
		stack.simulator.overrideAnswers({ method: 'GET', path: '/paymenthistory$', status: 403, body: { error: 'Not authorized.' }, count: 1 });
		const denied = await stack.run(record(), { input: sheet(), settings: keepGoing });
		expect(denied.json.slice(0, 2).map((json) => json.athenaCheck)).toEqual(['look-up not permitted', 'look-up not permitted']);
		const missing = await stack.run(record(), { input: sheet(), settings: keepGoing });
		expect(missing.json.slice(0, 2).map((json) => json.athenaCheck)).toEqual(['not found in athena', 'not found in athena']);
		expect(stack.simulator.ledger()).toHaveLength(1);
	});
});

describe('Payment → Check Unknown: what athena shows for the unknown rows of an earlier run, sending nothing', () => {
	it('fed the unknown rows as they came out: found (with the e-payment ID) and not found, in one receipts call', async () => {
		stack.simulator.addFaults(
			{ method: 'POST', path: '/collectpayment$', kind: '500-after', every: 2, count: 1 },
			{ method: 'POST', path: '/collectpayment$', kind: 'reset-before', every: 3, count: 1 },
		);
		const first = await stack.run(collect({ concurrency: 1 }), { input: cardRows(), settings: v2 });
		expect(statuses(first)).toEqual(['posted', 'unknown', 'unknown']);
		const before = stack.simulator.ledger();
		const unanswered = before.find((entry) => !entry.answered)!;
		const requestsBefore = stack.simulator.requests().length;

		const check = await stack.run({ resource: 'payment', operation: 'checkUnknown', checkOperation: 'collect' }, { input: first.json.slice(1), settings: { typeVersion: 2 } });
		expect(check.error).toBeUndefined();
		expect(check.json).toEqual([
			expect.objectContaining({ athenaCheck: 'settled from athena', found: true, ePaymentId: unanswered.epaymentid, sentNothing: true }),
			expect.objectContaining({ athenaCheck: 'not found in athena', found: false }),
		]);
		expect(String(check.json[1].looked)).toContain('no PURCHASE of 7.16 on the card ending 1111');
		const calls = stack.simulator.requests().slice(requestsBefore);
		expect(calls.filter((request) => request.method === 'POST')).toHaveLength(0);
		expect(calls.filter((request) => request.path.endsWith('/receipts'))).toHaveLength(1);
		expect(stack.simulator.ledger()).toEqual(before);
		expectNoCardData(check, secrets);
	});

	it('an item without the fields names them; Record rows are looked up in the payment history', async () => {
		const bad = await stack.run({ resource: 'payment', operation: 'checkUnknown' }, { input: [{ patientId: '1' }] });
		expect(bad.error?.message).toMatch(/Department ID must be a number; Total Amount must be an amount above 0.*Sent At must be a time/);

		stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: '500-after', count: 1 });
		const first = await stack.run(recordFromSheet(), { input: [{ patient: '44', department: '1', method: 'CASH', other: '9.99', postDate: '12/01/2026' }], settings: keepGoing });
		expect(first.json[0].status).toBe('unknown');
		const check = await stack.run({ resource: 'payment', operation: 'checkUnknown', checkOperation: 'record' }, { input: first.json });
		expect(check.json[0]).toMatchObject({ athenaCheck: 'settled from athena', paymentBatchId: stack.simulator.ledger()[0].paymentbatchid });
		expect(String(check.json[0].athenaMatched)).toContain('paymentmethod CASH');
	});
});
