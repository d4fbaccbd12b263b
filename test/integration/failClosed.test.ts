import type { IDataObject } from 'n8n-workflow';

import { CARD_APPROVED, SEED_EPAYMENT_SETTLED } from '../simulator';
import type { AnswerOverride } from '../simulator';
import { collectFromInput, recordFromSheet, useStack } from './stack';

/**
 * Payments fail closed (issue 9): an answer the node cannot read, a node setting, or a re-run never posts a payment
 * twice or loses a row. Each case runs through n8n-core's engine against the simulator.
 */

const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	// The duplicate memory's details live in the workflow's static data, which the shared stack does not clear.
	stack.engine.setStaticData('engine-test', undefined);
});

const record = (extra: IDataObject = {}, options: IDataObject = {}) => recordFromSheet(options, extra);
const good = (patient: number, extra: IDataObject = {}): IDataObject => ({ patient: String(patient), department: '1', method: 'CASH', copay: '15.00', ...extra });
const keepGoing = { onError: 'continueRegularOutput' as const };

const collect = (extra: IDataObject = {}) => collectFromInput(extra);
const card = { card: CARD_APPROVED, cvv: '987', copay: '25' };

const odd = (path: string, answer: Omit<AnswerOverride, 'path' | 'method'>): AnswerOverride => ({ method: 'POST', path, count: 1, ...answer });

describe('1. a 2xx answer of another shape', () => {
	const UNREADABLE: Array<[string, Omit<AnswerOverride, 'path' | 'method'>]> = [
		['an empty list', { body: [] }],
		['two records', { body: [{ success: 'true', paymentbatchid: '9001' }, { success: 'true', paymentbatchid: '9002' }] }],
		['a bare string', { body: 'ok' }],
		['an HTML page', { raw: '<html><body><h1>Thank you</h1></body></html>', contentType: 'text/html' }],
		['an empty body', { raw: '' }],
		['a record without a success flag or an ID', { body: [{ message: 'done' }] }],
		['a success flag of a value that says neither', { body: [{ success: 'PENDING' }] }],
	];

	it.each(UNREADABLE)('Record: %s is unknown, its key held: the re-run posts nothing', async (_name, answer) => {
		stack.simulator.overrideAnswers(odd('/recordpayment$', answer));
		const first = await stack.run(record(), { input: [good(1)], settings: keepGoing });
		expect(first.json[0].status).toBe('unknown');
		expect(String(first.json[0].error)).toContain('could not be read');
		expect(String(first.json[0].description)).toContain('athenaOne');
		expect(String(first.json[0].error)).not.toContain('"code"');
		// athena stored it: the re-run finds it in the payment history (issue 16) and settles it, sending nothing.
		const rerun = await stack.run(record(), { input: [good(1)], settings: keepGoing });
		expect(rerun.json[0]).toMatchObject({ status: 'posted', settledFromAthena: true, paymentBatchId: stack.simulator.ledger()[0].paymentbatchid });
		expect(stack.simulator.ledger()).toHaveLength(1);
	});

	it('Record: only an explicit refusal is failed, and its key is free for the fixed row', async () => {
		stack.simulator.overrideAnswers(
			odd('/recordpayment$', { body: [{ success: 'false' }] }),
			odd('/recordpayment$', { body: [{ success: false, errortext: 'Batch is locked' }] }),
		);
		const run = await stack.run(record({}, { concurrency: 1 }), { input: [good(1), good(2)], settings: keepGoing });
		expect(run.json.map((json) => json.status)).toEqual(['failed', 'failed']);
		expect(run.json[1].error).toBe('athena: Batch is locked');
		const rerun = await stack.run(record(), { input: [good(1), good(2)], settings: keepGoing });
		expect(rerun.json.map((json) => json.status)).toEqual(['posted', 'posted']);
	});

	it('Record: a readable success without a batch ID is posted with the ID empty and a note', async () => {
		stack.simulator.overrideAnswers(odd('/recordpayment$', { body: [{ success: 'true' }] }));
		const run = await stack.run(record(), { input: [good(1)] });
		expect(run.json[0]).toMatchObject({ status: 'posted', paymentBatchId: '' });
		expect(String(run.json[0].note)).toContain('no payment batch ID');
		const rerun = await stack.run(record(), { input: [good(1)] });
		expect(rerun.json[0].status).toBe('skipped');
		expect(stack.simulator.ledger()).toHaveLength(1);
	});

	it.each([['SUCCESS'], ['OK'], ['Y'], ['yes']])('Record: success "%s" is not a refusal', async (flag) => {
		stack.simulator.overrideAnswers(odd('/recordpayment$', { body: [{ success: flag, paymentbatchid: '7777' }] }));
		const run = await stack.run(record(), { input: [good(1)] });
		expect(run.json[0]).toMatchObject({ status: 'posted', paymentBatchId: '7777' });
	});

	it('Collect: an empty list is unknown and the card is never charged again', async () => {
		stack.simulator.overrideAnswers(odd('/collectpayment$', { body: [] }));
		const first = await stack.run(collect(), { input: [card], settings: keepGoing });
		expect(first.json[0].status).toBe('unknown');
		// athena stored it: the re-run finds it in the receipts (issue 16) and settles it, charging nothing.
		const rerun = await stack.run(collect(), { input: [card], settings: keepGoing });
		expect(rerun.json[0]).toMatchObject({ status: 'posted', settledFromAthena: true, ePaymentId: stack.simulator.ledger()[0].epaymentid });
		expect(stack.simulator.ledger()).toHaveLength(1);
	});

	it('Collect: success "OK" without an e-payment ID is posted with the ID empty and a note', async () => {
		stack.simulator.overrideAnswers(odd('/collectpayment$', { body: [{ success: 'OK' }] }));
		const run = await stack.run(collect(), { input: [card] });
		expect(run.json[0]).toMatchObject({ status: 'posted', ePaymentId: '' });
		expect(String(run.json[0].note)).toContain('no e-payment ID');
	});

	it('Collect: a decline is still a refusal', async () => {
		stack.simulator.overrideAnswers(odd('/collectpayment$', { body: [{ success: false, errortext: 'DECLINED' }] }));
		const run = await stack.run(collect(), { input: [card], settings: keepGoing });
		expect(run.json[0]).toMatchObject({ status: 'failed', error: 'Card declined: DECLINED' });
	});
});

describe('2. Void and Email read only an explicit success as done', () => {
	const voidIt = { resource: 'payment', operation: 'void', patientId: { mode: 'id', value: '1' }, ePaymentId: SEED_EPAYMENT_SETTLED };
	const emailIt = { resource: 'receipt', operation: 'email', patientId: { mode: 'id', value: '1' }, ePaymentId: SEED_EPAYMENT_SETTLED, email: 'payer@example.com' };

	it('Void: an errortext without a success flag is a refusal', async () => {
		stack.simulator.overrideAnswers(odd('/voidpayment/', { body: [{ errortext: 'The payment is in a closed batch.' }] }));
		const run = await stack.run(voidIt);
		expect(run.json).toHaveLength(0);
		expect(run.error?.message).toBe(`athena did not void e-payment ${SEED_EPAYMENT_SETTLED}: The payment is in a closed batch.`);
	});

	it('Void: an unreadable answer is unknown and says so', async () => {
		stack.simulator.overrideAnswers(odd('/voidpayment/', { raw: '<html>maintenance</html>', contentType: 'text/html' }));
		const run = await stack.run(voidIt);
		expect(run.json).toHaveLength(0);
		expect(run.error?.message).toBe(`athena's answer could not be read: the outcome of "void e-payment ${SEED_EPAYMENT_SETTLED}" is unknown`);
		expect(run.error?.description).toContain(`Check in athenaOne whether e-payment ${SEED_EPAYMENT_SETTLED} is voided`);
	});

	it('Email: an errortext without a success flag is a refusal, an unreadable answer unknown', async () => {
		stack.simulator.overrideAnswers(odd('/email$', { body: [{ errortext: 'Invalid email address.' }] }), odd('/email$', { body: [] }));
		const refused = await stack.run(emailIt, { settings: { continueOnFail: true } });
		expect(refused.json[0].error).toBe('athena did not email the receipt: Invalid email address.');
		const unreadable = await stack.run(emailIt, { settings: { continueOnFail: true } });
		expect(unreadable.json[0].status).not.toBe('emailed');
		expect(String(unreadable.json[0].error)).toContain('unknown');
	});
});

describe("3. athena's refusal text under `errormessage` (its .NET client's StatusResponse) is read like `error` and `errortext`", () => {
	const voidIt = { resource: 'payment', operation: 'void', patientId: { mode: 'id', value: '1' }, ePaymentId: SEED_EPAYMENT_SETTLED };
	const emailIt = { resource: 'receipt', operation: 'email', patientId: { mode: 'id', value: '1' }, ePaymentId: SEED_EPAYMENT_SETTLED, email: 'payer@example.com' };

	it('payments: a 400 refusal and a success "false" say athena\'s text; the refused row is failed, not unknown', async () => {
		stack.simulator.overrideAnswers(
			odd('/recordpayment$', { status: 400, body: { errormessage: 'The post date is in a closed period.' } }),
			odd('/recordpayment$', { body: [{ success: 'false', errormessage: 'Batch is locked' }] }),
			odd('/collectpayment$', { body: [{ success: 'false', errormessage: 'INSUFFICIENT FUNDS' }] }),
		);
		const run = await stack.run(record({}, { concurrency: 1 }), { input: [good(1), good(2)], settings: keepGoing });
		expect(run.json.map((json) => [json.status, json.error])).toEqual([
			['failed', 'athena: The post date is in a closed period.'],
			['failed', 'athena: Batch is locked'],
		]);
		const declined = await stack.run(collect(), { input: [card], settings: keepGoing });
		expect(declined.json[0]).toMatchObject({ status: 'failed', error: 'Card declined: INSUFFICIENT FUNDS' });
	});

	it('voids and e-mails: an `errormessage` (with or without a success flag) is the refusal\'s text', async () => {
		stack.simulator.overrideAnswers(
			odd('/voidpayment/', { body: [{ success: 'false', errormessage: 'The payment has already settled.' }] }),
			odd('/email$', { body: [{ errormessage: 'Invalid email address.' }] }),
		);
		const voided = await stack.run(voidIt);
		expect(voided.error?.message).toBe(`athena did not void e-payment ${SEED_EPAYMENT_SETTLED}: The payment has already settled.`);
		const emailed = await stack.run(emailIt, { settings: { continueOnFail: true } });
		expect(emailed.json[0].error).toBe('athena did not email the receipt: Invalid email address.');
	});

	it('look-ups: a refused GET says athena\'s `errormessage`, and `detailedmessage` beside it', async () => {
		stack.simulator.overrideAnswers({ method: 'GET', path: '^/patients/1$', status: 400, body: { errormessage: 'The practice is not enabled for this call.', detailedmessage: 'Ask athena to enable it.' }, count: 1 });
		const run = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: '1' } });
		expect(run.error?.message).toBe('athena: The practice is not enabled for this call.');
		expect(run.error?.description).toContain('Ask athena to enable it.');
	});
});

describe("4. n8n's Retry On Fail on a posting operation", () => {
	it('is refused before anything is sent, pointing to the node\'s own safe retries', async () => {
		const rows = [good(1), good(2), good(3, { postDate: '10/01/2026' })];
		const run = await stack.run(record({ duplicateCheck: 'off' }, { concurrency: 1 }), { input: rows, settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 } });
		expect(stack.simulator.ledger()).toHaveLength(0);
		expect(run.error?.message).toContain('Retry On Fail');
		expect(run.error?.description).toContain('retries');
	}, 30000);
});

describe('5. Post Again acts once per key', () => {
	it('a later run with the flag still on skips the re-posted row', async () => {
		await stack.run(record(), { input: [good(1)] });
		const flagged = record({ postAgain: '={{ $json.repost === "yes" }}' });
		const again = await stack.run(flagged, { input: [good(1, { repost: 'yes' })] });
		expect(again.json[0].status).toBe('posted');
		const stillOn = await stack.run(flagged, { input: [good(1, { repost: 'yes' })] });
		expect(stillOn.json[0].status).toBe('skipped');
		expect(String(stillOn.json[0].reason)).toContain('Post Again');
		expect(stack.simulator.ledger()).toHaveLength(2);
	});

	it('a row first posted with the flag on is not posted again by the next run', async () => {
		const flagged = record({ postAgain: '={{ true }}' });
		await stack.run(flagged, { input: [good(1)] });
		const next = await stack.run(flagged, { input: [good(1)] });
		expect(next.json[0].status).toBe('skipped');
		expect(stack.simulator.ledger()).toHaveLength(1);
	});

	it('a fixed true on a sheet of several rows is refused with an explanation', async () => {
		const run = await stack.run(record({ postAgain: true }), { input: [good(1), good(2)] });
		expect(run.error?.message).toContain('Post Again');
		expect(run.error?.description).toContain('expression');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});
});

describe('9. every posting setting is checked before anything runs', () => {
	it.each([
		['Concurrency', { concurrency: '={{ "three" }}' }],
		['Concurrency', { concurrency: 0 }],
		['Requests per Second', { requestsPerSecond: '={{ "fast" }}' }],
		['Requests per Second', { requestsPerSecond: 0 }],
		['Timeout (Seconds)', { timeoutSeconds: '={{ "long" }}' }],
	])('a bad %s (%j) is a clear error naming it, and nothing is sent', async (name, options) => {
		const run = await stack.run(record({}, options), { input: [good(1), good(2)] });
		expect(run.error?.message).toContain(name);
		expect(stack.simulator.ledger()).toHaveLength(0);
		expect(stack.simulator.stats().apiRequests).toBe(0);
	});

	it('a bad Duplicate Check value names the setting', async () => {
		const run = await stack.run(record({ duplicateCheck: 'sometimes' }), { input: [good(1)] });
		expect(run.error?.message).toContain('Duplicate Check');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});
});

describe('10. Validate Only and the summary', () => {
	it('reports skipped where a real run would skip, and the summary counts only posted money', async () => {
		await stack.run(record(), { input: [good(1)] });
		const dry = await stack.run(record({ validateOnly: true }, { addSummary: true }), { input: [good(1), good(2), good(2)] });
		expect(dry.json.slice(0, 3).map((json) => json.status)).toEqual(['skipped', 'valid', 'skipped']);
		expect(String(dry.json[0].reason)).toContain('Already posted');
		expect(dry.json[3]).toMatchObject({ summary: true, valid: 1, skipped: 2, posted: 0, totalPosted: '0.00', totalsByPaymentMethod: {} });
		const real = await stack.run(record(), { input: [good(1), good(2), good(2)] });
		expect(real.json.map((json) => json.status)).toEqual(['skipped', 'posted', 'skipped']);
	});
});

describe('11. whole-node failures become per-row failures with Continue On Fail', () => {
	it("the payment-method list failing: every row failed with the cause, nothing sent", async () => {
		stack.simulator.overrideAnswers({ method: 'GET', path: '/validnonccpcreditcardmethods$', status: 403, body: { error: 'Not authorized for this endpoint' } });
		const run = await stack.run(record(), { input: [good(1), good(2, { method: 'MC/VISA', last4: '4242' })], settings: { continueOnFail: true } });
		expect(run.error).toBeUndefined();
		expect(run.json.map((json) => json.status)).toEqual(['failed', 'failed']);
		expect(String(run.json[0].error)).toContain('Not authorized for this endpoint');
		expect(String(run.json[0].description)).toContain('othing was posted');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});

	it('a dry-run reference check failing: the rows it concerns are failed with the cause', async () => {
		stack.simulator.overrideAnswers({ method: 'GET', path: '^/departments$', status: 403, body: { error: 'Department list not allowed' } });
		const run = await stack.run(record({ validateOnly: true }), { input: [good(1), good(2)], settings: { continueOnFail: true } });
		expect(run.error).toBeUndefined();
		expect(run.json.map((json) => json.status)).toEqual(['failed', 'failed']);
		expect(String(run.json[1].error)).toContain('Department list not allowed');
	});
});
