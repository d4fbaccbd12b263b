import type { IDataObject, INode, INodeParameters, WorkflowExecuteMode } from 'n8n-workflow';

import { MANUAL_TRIGGER_TYPE } from '../harness/engine';
import { APPOINTMENT_WITH_COPAY, CARD_APPROVED } from '../simulator';
import { collectFromInput, CREDENTIAL_ID, recordFromSheet, useStack } from './stack';

/** The flows of issue 12 as ops staff build them in the editor, run through n8n-core's engine. */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

const athenaNode = (name: string, parameters: INodeParameters, x: number, typeVersion = 1): INode => ({
	id: name,
	name,
	type: 'n8n-nodes-athenahealth.athenahealth',
	typeVersion,
	position: [x, 0],
	parameters,
	credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } },
});

describe('the front-desk chain Collect → Email receipt, run twice', () => {
	// Card data arrives with the item (a form, a card reader): the node refuses card data typed into it.
	const collect = collectFromInput({ copayAmount: '25', appointmentId: APPOINTMENT_WITH_COPAY });
	const email = {
		resource: 'receipt',
		operation: 'email',
		patientId: { mode: 'id', value: '={{ $json.patientId }}' },
		ePaymentId: '={{ $json.ePaymentId }}',
		email: 'payer@example.com',
	};
	const workflow = {
		id: 'front-desk-twice',
		nodes: [
			{ id: 'trigger', name: 'Trigger', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			athenaNode('Collect', collect, 200),
			athenaNode('Email', email, 400),
		],
		connections: {
			Trigger: { main: [[{ node: 'Collect', type: 'main' as const, index: 0 }]] },
			Collect: { main: [[{ node: 'Email', type: 'main' as const, index: 0 }]] },
		},
	};
	const emails = () => stack.simulator.ledger().filter((entry) => entry.kind === 'email');

	it.each<[WorkflowExecuteMode, boolean]>([
		// n8n keeps static data (the details of an earlier posting) only outside manual runs: there the e-payment ID
		// is found in athena's receipts.
		['cli', true],
		['manual', true],
	])('the second %s run skips the charge, carries the e-payment ID when known, and Email passes it through as skipped', async (mode, idKnown) => {
		const wf = { ...workflow, id: `front-desk-twice-${mode}` };
		const input = [{ card: CARD_APPROVED, cvv: '987' }];
		const first = await stack.engine.run(wf, { mode, input });
		expect(first.error).toBeUndefined();
		const collected = first.outputOf('Collect')[0].json;
		expect(collected.status).toBe('posted');
		expect(first.outputOf('Email')[0].json.status).toBe('emailed');

		const second = await stack.engine.run(wf, { mode, input });
		expect(second.error).toBeUndefined();
		const skipped = second.outputOf('Collect')[0].json;
		expect(skipped.status).toBe('skipped');
		expect(skipped.ePaymentId).toBe(idKnown ? collected.ePaymentId : undefined);
		const passed = second.outputOf('Email')[0].json as IDataObject;
		expect(passed.status).toBe('skipped');
		expect(passed.reason).toContain('The payment before this node was skipped');
		expect(passed.reason).toContain('no receipt was emailed again');
		expect(passed.ePaymentId).toBe(idKnown ? collected.ePaymentId : null);
		expect(emails()).toHaveLength(1);
		expect(stack.simulator.ledger().filter((entry) => entry.kind !== 'email')).toHaveLength(1);
	});
});

describe('the spreadsheet posting as built by hand', () => {
	const rows = [
		{ row: '2', patient: '101', department: '1', method: 'CASH', copay: '10' },
		{ row: '3', patient: '102', department: '1', method: 'CHECK', check: '1042', copay: '11' },
		{ row: '4', patient: '103', department: '1', method: 'MC/VISA', last4: '4242', copay: '12' },
		{ row: '5', patient: '104', department: '1', method: 'CHECK', copay: '13' },
		{ row: '6', patient: '101', department: '1', method: 'CASH', copay: '10' },
	];

	it('"From a Column" reads each row\'s method and the reference field it needs', async () => {
		const run = await stack.run(recordFromSheet({}, { paymentMethod: 'fromColumn', paymentMethodColumn: '={{ $json.method }}' }), {
			input: rows,
			settings: { continueOnFail: true },
		});
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'posted', 'posted', 'invalid', 'skipped']);
		const forms = stack.simulator.ledger().map((entry) => entry.form);
		expect(forms.map((form) => [form.paymentmethod, form.checknumber, form.cardnumberlast4])).toEqual([
			['CASH', undefined, undefined],
			['CHECK', '1042', undefined],
			['MC/VISA', undefined, '4242'],
		]);
	});

	it('names rows as people count them (row 1 = first data row) and shows the status counts as an execution hint', async () => {
		const run = await stack.run(recordFromSheet(), { input: rows, settings: { continueOnFail: true } });
		expect(run.json[3].error).toBe('Invalid input in row 4: Check Number is required for a check payment');
		expect(run.json[4].reason).toContain('Same payment as row 1 of this run');
		expect(run.result.taskOf('athenahealth')?.hints).toEqual([
			expect.objectContaining({
				type: 'warning',
				location: 'outputPane',
				message: expect.stringMatching(/^5 rows: 3 posted, 1 skipped, 1 invalid\./),
			}),
		]);
	});

	it('says in plain words where a row that needs a look says why, without field names', async () => {
		stack.simulator.addFaults({ method: 'POST', path: '/recordpayment$', kind: '500-after', count: 1 });
		const run = await stack.run(recordFromSheet({ concurrency: 1 }), { input: rows.slice(0, 4), settings: { continueOnFail: true }, workflowId: 'plain-words-hint' });
		expect(run.json.map((json) => json.status)).toEqual(['unknown', 'posted', 'posted', 'invalid']);
		const [hint] = run.result.taskOf('athenahealth')?.hints ?? [];
		expect(hint.message).toMatch(/^4 rows: 2 posted, 1 invalid, 1 unknown\. /);
		expect(hint.message).not.toMatch(/"\w+"|\$json|\bjson\b/);
		expect(hint.message).toContain('Nothing was posted for the invalid row: its message says what to fix.');
		expect(hint.message).toContain('The unknown row may have been posted: check the patient\'s account in athenaOne before posting it again');
	});

	it('uses the Row Number column the user names', async () => {
		const run = await stack.run(recordFromSheet({ rowNumber: '={{ $json.row }}' }), { input: rows, settings: { continueOnFail: true } });
		expect(run.json[3].error).toBe('Invalid input in row 5: Check Number is required for a check payment');
		expect(run.json[4].reason).toContain('Same payment as row 2 of this run');
	});

	it('a clean run says so in an info hint', async () => {
		const run = await stack.run(recordFromSheet(), { input: rows.slice(0, 3) });
		expect(run.result.taskOf('athenahealth')?.hints).toEqual([{ type: 'info', location: 'outputPane', message: '3 rows: 3 posted.' }]);
	});
});

describe('version 2: posting settings under Options, fields from the incoming item', () => {
	it('records from an Appointment → Get item with only a method picked, and reads Validate Only / Post Date under Options', async () => {
		const item = { patientId: '1', departmentId: '1', appointmentId: APPOINTMENT_WITH_COPAY, copayDue: '25.00' };
		const dry = await stack.run(
			{ resource: 'payment', operation: 'record', paymentMethod: 'CASH', postingOptions: { validateOnly: true } },
			{ input: [item], settings: { typeVersion: 2 } },
		);
		expect(dry.json[0]).toMatchObject({ status: 'valid', patientId: '1', departmentId: '1', copayAmount: '25.00', appointmentId: APPOINTMENT_WITH_COPAY });
		expect(stack.simulator.ledger()).toHaveLength(0);

		const run = await stack.run(
			{ resource: 'payment', operation: 'record', paymentMethod: 'CASH', postingOptions: { postDate: '2026-12-01' } },
			{ input: [item], settings: { typeVersion: 2 } },
		);
		expect(run.json[0]).toMatchObject({ status: 'posted', postDate: '12/01/2026' });
		expect(stack.simulator.ledger().map((entry) => entry.form)).toEqual([
			{ departmentid: '1', paymentmethod: 'CASH', copayamount: '25.00', appointmentid: APPOINTMENT_WITH_COPAY, postdate: '12/01/2026' },
		]);
	});
});

describe('a payment never fans out over a list the person did not pick from (issue 23, item 1)', () => {
	const FIND = 'Find patient';
	const RECORD = 'Record';
	const search = { resource: 'patient', operation: 'search', lastName: 'Okafor' };
	// What the person set on a new Record node after Patient → Search: Patient left as the node offered it.
	const cashRecord = (extra: INodeParameters = {}) => ({ resource: 'payment', operation: 'record', departmentId: '1', paymentMethod: 'CASH', otherAmount: '25.00', ...extra });
	const chain = (id: string, first: INodeParameters, second: INodeParameters, secondVersion: number, extra: Partial<INode> = {}) => ({
		id,
		nodes: [
			{ id: 'trigger', name: 'Trigger', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			athenaNode(FIND, first, 200, 2),
			{ ...athenaNode(RECORD, second, 400, secondVersion), ...extra },
		],
		connections: {
			Trigger: { main: [[{ node: FIND, type: 'main' as const, index: 0 }]] },
			[FIND]: { main: [[{ node: RECORD, type: 'main' as const, index: 0 }]] },
		},
	});
	const posted = () => stack.simulator.ledger().filter((entry) => entry.kind !== 'email');

	it.each<[string, Partial<INode>]>([
		['stops', {}],
		['stops even with Continue On Fail', { continueOnFail: true }],
	])('a saved v2 Record whose Patient is still the default %s before sending when a search returns two patients', async (_, settings) => {
		const run = await stack.engine.run(chain(`fan-out-search-${settings.continueOnFail ?? false}`, search, cashRecord(), 2, settings));
		expect(run.outputOf(FIND)).toHaveLength(2);
		const error = run.taskOf(RECORD)?.error;
		expect(error?.message).toBe(
			'2 patients arrived from Find patient; Record would post one payment to each. Pick the patient, or map Patient to a column to post one payment per row',
		);
		expect(error?.description).toContain('Nothing was sent to athena');
		expect(posted()).toHaveLength(0);
	});

	it('a saved v2 Collect stops the same way after Appointment → Get Many', async () => {
		const list = { resource: 'appointment', operation: 'getAll', startDate: '11/02/2026', endDate: '11/02/2026', limit: 3 };
		// The card as a card reader hands it to the trigger; Patient as a v2 Collect starts it.
		const card = "$('Trigger').first().json";
		const collect = {
			...collectFromInput({ copayAmount: '25', cardNumber: `={{ ${card}.card }}`, cardSecurityCode: `={{ ${card}.cvv }}` }),
			patientId: { __rl: true, mode: 'id', value: '={{ $json.patientId ?? "" }}' },
		};
		const run = await stack.engine.run(chain('fan-out-appointments', list, collect, 2), { input: [{ card: CARD_APPROVED, cvv: '123' }] });
		expect(run.outputOf(FIND)).toHaveLength(3);
		expect(run.taskOf(RECORD)?.error?.message).toMatch(/^3 appointments arrived from Find patient; Collect would post one payment to each\. Pick the patient/);
		expect(posted()).toHaveLength(0);
	});

	it('still posts one payment per row when Patient is mapped on purpose, when the rows come from a sheet, or when the search finds one', async () => {
		const mapped = await stack.engine.run(chain('mapped', search, cashRecord({ patientId: { __rl: true, mode: 'id', value: '={{ $json.patientId }}' } }), 2));
		expect(mapped.outputOf(RECORD).map((item) => item.json.status)).toEqual(['posted', 'posted']);
		expect(posted().map((entry) => entry.patientid).sort()).toEqual(['4', '5']);

		stack.simulator.reset();
		const sheet = await stack.run(cashRecord(), { input: [{ patientId: '101' }, { patientId: '102' }], settings: { typeVersion: 2 } });
		expect(sheet.json.map((row) => row.status)).toEqual(['posted', 'posted']);

		stack.simulator.reset();
		const one = await stack.engine.run(chain('one-found', { ...search, firstName: 'Rosa', lastName: 'Quintero' }, cashRecord(), 2));
		expect(one.outputOf(RECORD).map((item) => item.json.status)).toEqual(['posted']);
	});

	it('a new node (version 3) starts with Patient empty: with only Department, method and amount set, n8n does not start the run', async () => {
		const v3 = { otherAmount: undefined, amount: '25.00' } as unknown as INodeParameters;
		await expect(stack.engine.run(chain('v3-empty-patient', search, cashRecord(v3), 3))).rejects.toThrow(/The 'Record' node has issues:\s+- Parameter "Patient" is required/);
		expect(posted()).toHaveLength(0);
		// Picked from the list: one payment, to that patient, however many items arrive.
		const picked = await stack.engine.run(chain('v3-picked', search, cashRecord({ ...v3, patientId: { __rl: true, mode: 'list', value: '4' } }), 3));
		expect(picked.outputOf(RECORD).map((item) => item.json.status)).toEqual(['posted', 'skipped']);
		expect(posted().map((entry) => [entry.patientid, entry.form.otheramount])).toEqual([['4', '25.00']]);
	});
});
