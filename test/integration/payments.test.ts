import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { MANUAL_TRIGGER_TYPE } from '../harness/engine';
import {
	APPOINTMENT_OF_OTHER_PATIENT,
	APPOINTMENT_WITH_COPAY,
	CARD_APPROVED,
	CARD_DECLINED,
	CARD_EXPIRED,
	SEED_EPAYMENT_SETTLED,
} from '../simulator';
import type { NodeRun } from './stack';
import { allTextOf } from '../cardLeaks';
import { collectFromInput, CREDENTIAL_ID, expectNoCardData, nodeProduced, recordFromSheet, useStack } from './stack';

const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

const recordFromRow = (extra: IDataObject = {}) => recordFromSheet({}, extra);

// Default posting options here (no raised request rate): these tests look at one collect at a time.
const collectParameters = (extra: IDataObject = {}) => collectFromInput({ appointmentId: APPOINTMENT_WITH_COPAY, postingOptions: {}, ...extra });

/** What the athena node itself put out or threw, error objects included: card data must never be in it (the input items may hold it). */
const nodeSaid = (run: NodeRun) => allTextOf(nodeProduced(run));

describe('Payment → Record: the exact form athena receives', () => {
	it('cash copay to an appointment', async () => {
		const run = await stack.run(recordFromRow(), { input: [{ patient: '1', department: '1', method: 'CASH', copay: '20', appointment: APPOINTMENT_WITH_COPAY }] });
		expect(run.error).toBeUndefined();
		expect(stack.simulator.ledger().map((entry) => entry.form)).toEqual([
			{ departmentid: '1', paymentmethod: 'CASH', copayamount: '20.00', appointmentid: APPOINTMENT_WITH_COPAY },
		]);
		expect(run.json[0]).toMatchObject({ status: 'posted', paymentBatchId: stack.simulator.ledger()[0].paymentbatchid, totalAmount: '20.00', paymentMethod: 'CASH' });
	});

	it('a check with a spreadsheet amount and an ISO post date', async () => {
		await stack.run(recordFromRow(), { input: [{ patient: '2', department: '21', method: 'check', check: ' 1042 ', other: '$1,234.5', postDate: '2026-12-01' }] });
		expect(stack.simulator.ledger()[0].form).toEqual({
			departmentid: '21',
			paymentmethod: 'CHECK',
			checknumber: '1042',
			otheramount: '1234.50',
			postdate: '12/01/2026',
		});
	});

	it('a card charged elsewhere, with claim payments as athena\'s JSON string and today\'s service flag', async () => {
		const parameters = recordFromRow({
			claimPayments: { claims: [{ claimId: '102', amount: '10.5' }, { claimId: '101', amount: '5' }] },
			applyToTodaysService: true,
		});
		await stack.run(parameters, { input: [{ patient: '1', department: '1', method: 'MC/VISA', last4: '4242', check: '555' }] });
		expect(stack.simulator.ledger()[0].form).toEqual({
			departmentid: '1',
			paymentmethod: 'MC/VISA',
			cardnumberlast4: '4242',
			claimpayment: '[{"102":"10.50"},{"101":"5.00"}]',
			todayservice: 'Y',
		});
	});
});

describe('version 3: one Amount that says what it pays (issue 23, item 2)', () => {
	// A new node as the front desk fills it: the patient picked, the department and method chosen, one amount.
	const cash = (extra: IDataObject = {}): INodeParameters => ({
		resource: 'payment',
		operation: 'record',
		patientId: { __rl: true, mode: 'list', value: '1' },
		departmentId: '1',
		paymentMethod: 'CASH',
		amount: '25',
		...(extra as INodeParameters),
	});
	const v3 = { settings: { typeVersion: 3 } };
	const form = () => stack.simulator.ledger().map((entry) => entry.form);

	it.each<[string, IDataObject, IDataObject]>([
		["by default toward the patient's balance: athena's other amount", {}, { otheramount: '25.00' }],
		['the copay of an appointment', { amountFor: 'copay', appointmentId: APPOINTMENT_WITH_COPAY }, { copayamount: '25.00', appointmentid: APPOINTMENT_WITH_COPAY }],
		["a copay without an appointment (today's visit)", { amountFor: 'copay' }, { copayamount: '25.00' }],
		["today's service: the other amount with athena's todayservice flag", { amountFor: 'todayService' }, { otheramount: '25.00', todayservice: 'Y' }],
		['specific claims (Amount is not read)', { amountFor: 'claims', amount: '', claimPayments: { claims: [{ claimId: '101', amount: '10' }] } }, { claimpayment: '[{"101":"10.00"}]' }],
		[
			'several parts in one payment, as version 2 had them',
			{ amountFor: 'split', amount: '', copayAmount: '20', otherAmount: '5', appointmentId: APPOINTMENT_WITH_COPAY },
			{ copayamount: '20.00', otheramount: '5.00', appointmentid: APPOINTMENT_WITH_COPAY },
		],
	])('Record sends %s', async (_, extra, sent) => {
		const run = await stack.run(cash(extra), v3);
		expect(run.error).toBeUndefined();
		expect(run.json[0].status).toBe('posted');
		expect(form()).toEqual([{ departmentid: '1', paymentmethod: 'CASH', ...sent }]);
	});

	it('a column can say what each row pays; a wrong choice or amount is refused naming the field, the other rows go through', async () => {
		const run = await stack.run(cash({ amount: '={{ $json.amount }}', amountFor: '={{ $json.pays }}', postingOptions: { requestsPerSecond: 1000 } }), {
			...v3,
			settings: { typeVersion: 3, continueOnFail: true },
			input: [
				{ amount: '10', pays: 'Copay' },
				{ amount: '11', pays: 'refund' },
				{ amount: 'ten', pays: 'balance' },
				{ amount: '12', pays: 'todayservice' },
			],
		});
		expect(run.json.map((row) => row.status)).toEqual(['posted', 'invalid', 'invalid', 'posted']);
		expect(run.json[1].error).toBe(
			'Invalid input in row 2: Amount Is For must be one of copay, balance, todayService, claims or split (the choices of its list); it is "refund"',
		);
		expect(run.json[2].error).toMatch(/^Invalid input in row 3: Amount /);
		expect(form()).toEqual([
			{ departmentid: '1', paymentmethod: 'CASH', copayamount: '10.00' },
			{ departmentid: '1', paymentmethod: 'CASH', otheramount: '12.00', todayservice: 'Y' },
		]);
	});

	it('no amount is refused as "Amount must be more than 0.00" before anything is sent', async () => {
		const run = await stack.run(cash({ amount: '0' }), v3);
		expect(run.error?.message).toBe('Invalid input in row 1: Amount must be more than 0.00');
		expect(form()).toEqual([]);
	});

	it('Collect takes the same Amount: a copay of an appointment', async () => {
		const parameters = { ...collectFromInput({ amount: '25', amountFor: 'copay', appointmentId: APPOINTMENT_WITH_COPAY }), copayAmount: undefined } as INodeParameters;
		const run = await stack.run(parameters, { ...v3, input: [{ card: CARD_APPROVED, cvv: '987' }] });
		expect(run.error).toBeUndefined();
		expect(stack.simulator.ledger()[0].form).toMatchObject({ copayamount: '25.00', appointmentid: APPOINTMENT_WITH_COPAY });
		expect(stack.simulator.ledger()[0].form.otheramount).toBeUndefined();
	});
});

describe('Payment → Record refusals, each with its own clear error', () => {
	const refused = async (row: IDataObject) => {
		const run = await stack.run(recordFromRow(), { input: [row], settings: { continueOnFail: true } });
		return { run, json: run.json[0] };
	};

	it('a method the practice does not have', async () => {
		const { json } = await refused({ patient: '1', department: '1', method: 'VISA', last4: '4242', copay: '5' });
		expect(json.status).toBe('invalid');
		expect(json.error).toContain("Payment Method VISA is not one of this practice's methods (CASH, CHECK, AMEX, MC/VISA, DISCOVER)");
		expect(stack.simulator.ledger()).toHaveLength(0);
	});

	it('a full card number typed into Card Last 4 Digits is refused and never echoed', async () => {
		const { run, json } = await refused({ patient: '1', department: '1', method: 'AMEX', last4: CARD_APPROVED, copay: '5' });
		expect(json.error).toContain('Card Last 4 Digits looks like a full card number');
		expect(nodeSaid(run)).not.toContain(CARD_APPROVED);
		expect(nodeSaid(run)).not.toContain(CARD_APPROVED.slice(0, 12));
	});

	it('a post date in a closed month is explained', async () => {
		const { json } = await refused({ patient: '1', department: '1', method: 'CASH', copay: '5', postDate: '10/15/2026' });
		expect(json.status).toBe('failed');
		expect(json.error).toBe('athena: The post date is in a closed period.');
		expect(json.description).toContain("on or before the practice's close date");
		expect(json.description).toContain('nothing was posted');
	});

	it('an appointment of another patient', async () => {
		const { json } = await refused({ patient: '1', department: '1', method: 'CASH', copay: '5', appointment: APPOINTMENT_OF_OTHER_PATIENT });
		expect(json).toMatchObject({ status: 'failed', error: 'athena: The appointment does not belong to this patient.' });
	});

	it('without Continue On Fail the run stops on the bad item, naming it, before anything is posted', async () => {
		const run = await stack.run(recordFromRow(), {
			input: [
				{ patient: '1', department: '1', method: 'CASH', copay: '5' },
				{ patient: '1', department: '1', method: 'CASH', copay: '5.001' },
			],
		});
		expect(run.error?.message).toBe('Invalid input in row 2: Copay Amount has more than two decimal places');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});
});

describe('Payment → Collect', () => {
	it('charges the card, sends the card fields athena needs and outputs only the last four digits', async () => {
		const run = await stack.run(collectParameters(), { input: [{ card: CARD_APPROVED, cvv: '987', copay: '25' }] });
		expect(run.error).toBeUndefined();
		const [entry] = stack.simulator.ledger();
		expect(entry.form).toEqual({
			departmentid: '1',
			accountnumberlast4: '1111',
			accountnumberlength: '16',
			cardsecuritycodelength: '3',
			expirationmonthmm: '12',
			expirationyearyyyy: '2035',
			nameoncard: 'ROSA QUINTERO',
			billingaddress: '12 Elm St',
			billingzip: '02472',
			ecommercemode: 'true',
			copayamount: '25.00',
			appointmentid: APPOINTMENT_WITH_COPAY,
		});
		expect(run.json[0]).toMatchObject({ status: 'posted', ePaymentId: entry.epaymentid, cardLast4: '1111', copayAmount: '25.00' });
		expectNoCardData(run, { cardNumbers: [CARD_APPROVED], securityCodes: ['987'] });
	});

	it("sends todayservice as the boolean athena's spec types here, and cuts a long name and address as athena asks, saying so", async () => {
		const run = await stack.run(
			collectParameters({ applyToTodaysService: true, nameOnCard: 'MAXIMILIANA ALESSANDRA FEATHERSTONEHAUGH', billingAddress: '1234 Northwestern Boulevard' }),
			{ input: [{ card: CARD_APPROVED, cvv: '987', copay: '25' }] },
		);
		expect(run.error).toBeUndefined();
		const [entry] = stack.simulator.ledger();
		expect(entry.form).toMatchObject({ todayservice: 'true', nameoncard: 'MAXIMILIANA ALESSANDRA FEATHER', billingaddress: '1234 Northwestern Bo' });
		expect(entry.form.nameoncard.length).toBeLessThanOrEqual(30);
		expect(entry.form.billingaddress.length).toBeLessThanOrEqual(20);
		expect(run.json[0]).toMatchObject({
			status: 'posted',
			truncatedFields: ["Name on Card was cut to athena's 30 characters", "Billing Address was cut to athena's 20 characters"],
		});
	});

	it('a decline is a failure of the item with athena\'s text, and no card digits beyond the last four anywhere', async () => {
		const run = await stack.run(collectParameters(), {
			input: [
				{ card: CARD_DECLINED, cvv: '987', copay: '25' },
				{ card: CARD_EXPIRED, cvv: '987', copay: '25' },
			],
			settings: { continueOnFail: true },
		});
		expect(run.json.map((json) => [json.status, json.error])).toEqual([
			['failed', 'Card declined: DECLINED'],
			['failed', 'Card declined: EXPIRED CARD'],
		]);
		expect(stack.simulator.ledger()).toHaveLength(0);
		expectNoCardData(run, { cardNumbers: [CARD_DECLINED, CARD_EXPIRED], securityCodes: ['987'] });
	});

	it("athena's duplicate refusal is explained, and Allow Duplicate Payments lets the second payment through", async () => {
		const input = [{ card: CARD_APPROVED, cvv: '987', copay: '25' }];
		await stack.run(collectParameters({ duplicateCheck: 'off' }), { input });
		const refused = await stack.run(collectParameters({ duplicateCheck: 'off' }), { input, settings: { continueOnFail: true } });
		expect(refused.json[0]).toMatchObject({ status: 'failed', error: 'athena: This payment appears to be a duplicate.' });
		expect(refused.json[0].description).toContain('Allow Duplicate Payments');
		expectNoCardData(refused, { cardNumbers: [CARD_APPROVED], securityCodes: ['987'] });
		const allowed = await stack.run(collectParameters({ duplicateCheck: 'off', allowDuplicatePayments: true }), { input });
		expect(allowed.json[0].status).toBe('posted');
		expect(stack.simulator.ledger()).toHaveLength(2);
		expect(stack.simulator.ledger()[1].form.allowduplicatepayments).toBe('true');
	});

	it('refuses card input it can see is wrong, naming the field, without sending anything', async () => {
		const run = await stack.run(collectParameters({ expirationMonth: '13' }), { input: [{ card: '4111 1111 1111', cvv: '98765', copay: '25' }], settings: { continueOnFail: true } });
		expect(run.json[0].status).toBe('invalid');
		expect(run.json[0].error).toContain('Card Number must be 13 to 19 digits');
		expect(run.json[0].error).toContain('Card Security Code must be 3 or 4 digits');
		expect(run.json[0].error).toContain('Expiration Month must be a month number from 1 to 12');
		expectNoCardData(run, { cardNumbers: ['4111 1111 1111'], securityCodes: ['98765'] });
		expect(stack.simulator.stats().apiRequests).toBe(0);
	});
});

describe('Payment → Void and Receipt → Email', () => {
	const voidParameters = (ePaymentId: string) => ({ resource: 'payment', operation: 'void', patientId: { mode: 'id', value: '1' }, ePaymentId });

	it('voids a payment collected today', async () => {
		const collected = await stack.run(collectParameters(), { input: [{ card: CARD_APPROVED, cvv: '987', copay: '25' }] });
		const ePaymentId = String(collected.json[0].ePaymentId);
		expectNoCardData(collected, { cardNumbers: [CARD_APPROVED], securityCodes: ['987'] });
		const run = await stack.run(voidParameters(ePaymentId));
		expect(run.json[0]).toEqual({ status: 'voided', patientId: '1', ePaymentId });
		expect(stack.simulator.ledger().map((entry) => entry.kind)).toEqual(['collect', 'void']);
	});

	it('explains that a settled payment must be refunded in athenaOne', async () => {
		const run = await stack.run(voidParameters(SEED_EPAYMENT_SETTLED));
		expect(run.error?.message).toBe('athena: The payment can no longer be voided.');
		expect(run.error?.description).toContain('Refund it in athenaOne');
		expect(run.error?.description).toContain('8 p.m. US Eastern');
	});

	it('emails a receipt to one validated address and leaves the patient\'s stored email alone', async () => {
		const before = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: '1' } });
		const run = await stack.run({ resource: 'receipt', operation: 'email', patientId: { mode: 'id', value: '1' }, ePaymentId: SEED_EPAYMENT_SETTLED, email: 'payer@example.com' });
		expect(run.json[0]).toEqual({ status: 'emailed', patientId: '1', ePaymentId: SEED_EPAYMENT_SETTLED, email: 'payer@example.com' });
		expect(stack.simulator.ledger()[0]).toMatchObject({ kind: 'email', form: { email: 'payer@example.com', emailaddress: 'payer@example.com' } });
		const after = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: '1' } });
		expect(after.json[0].email).toBe(before.json[0].email);
	});

	it('refuses a bad address before calling athena', async () => {
		const run = await stack.run({ resource: 'receipt', operation: 'email', patientId: { mode: 'id', value: '1' }, ePaymentId: SEED_EPAYMENT_SETTLED, email: 'a@b.com, c@d.com' });
		expect(run.error?.message).toBe('Invalid input in item 0: Email must be one address such as name@example.com');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});

	it('chains collect → email receipt → list receipts by connecting nodes, with the default expressions', async () => {
		const node = (name: string, parameters: INodeParameters, x: number): INode => ({
			id: name,
			name,
			type: 'n8n-nodes-athenahealth.athenahealth',
			typeVersion: 1,
			position: [x, 0],
			parameters,
			credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } },
		});
		const result = await stack.engine.run(
			{
				id: 'front-desk',
				nodes: [
					{ id: 'trigger', name: 'Trigger', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
					node('Collect', collectParameters(), 200),
					node('Email', { resource: 'receipt', operation: 'email', email: 'payer@example.com' }, 400),
					node('Receipts', { resource: 'receipt', operation: 'getAll', patientId: { mode: 'id', value: '={{ $json.patientId }}' }, departmentId: '1' }, 600),
				],
				connections: {
					Trigger: { main: [[{ node: 'Collect', type: 'main', index: 0 }]] },
					Collect: { main: [[{ node: 'Email', type: 'main', index: 0 }]] },
					Email: { main: [[{ node: 'Receipts', type: 'main', index: 0 }]] },
				},
			},
			{ input: [{ card: CARD_APPROVED, cvv: '987', copay: '25' }] },
		);
		expect(result.error).toBeUndefined();
		const ePaymentId = result.outputOf('Collect')[0].json.ePaymentId;
		expect(result.outputOf('Email')[0].json).toMatchObject({ status: 'emailed', ePaymentId });
		expect(result.outputOf('Receipts').map((item) => item.json)).toEqual(
			expect.arrayContaining([expect.objectContaining({ ePaymentId, amount: '25.00', cardLast4: '1111', type: 'PURCHASE' })]),
		);
	});
});
