/**
 * Contract: every athena answer on record goes through the node's own reading of its endpoint (schemas, parse,
 * lists, error reading) and comes out clean. Files: test/fixtures/athena-recorded (real, MIT, see NOTICES) and
 * test/fixtures/athena-shapes (written by this project from recorded shape facts, see its README).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { balanceForDepartment } from '../../nodes/Athenahealth/actions/patient/get.operation';
import {
	APPOINTMENT_STATUS,
	appointmentSchema,
	departmentSchema,
	patientSchema,
	paymentMethodSchema,
	receiptSchema,
} from '../../nodes/Athenahealth/shared/athenaSchemas';
import type { AthenaClient } from '../../nodes/Athenahealth/transport/athenaClient';
import { toAthenaApiError } from '../../nodes/Athenahealth/transport/errors';
import { failureOfAnswer } from '../../nodes/Athenahealth/transport/failure';
import { fetchList } from '../../nodes/Athenahealth/transport/lists';
import { fetchPaymentMethods } from '../../nodes/Athenahealth/transport/paymentMethods';
import { readAthenaBody, recordOf, unwrapOne } from '../../nodes/Athenahealth/transport/parse';
import { readWriteAnswer } from '../../nodes/Athenahealth/transport/writeResult';
import { body, bodiesIn, rawBody } from './recorded';

const MONEY = /^-?\d+\.\d{2}$/;
const node: INode = { id: 'n', name: 'athenahealth', type: 'n8n-nodes-athenahealth.athenahealth', typeVersion: 1, position: [0, 0], parameters: {} };

/** A client that answers list calls from recorded pages, keyed by the offset asked for. */
function recordedClient(pages: Record<number, unknown>, calls: IDataObject[] = []): AthenaClient {
	return {
		node,
		async get(_path: string, qs: IDataObject) {
			calls.push(qs);
			return { body: pages[Number(qs.offset ?? 0)] ?? { totalcount: 0 } };
		},
	} as unknown as AthenaClient;
}

function listOf(file: string, key: string): IDataObject[] {
	const answer = body(file) as IDataObject | IDataObject[];
	return Array.isArray(answer) ? answer : (answer[key] as IDataObject[]);
}

describe('departments as athena sends them', () => {
	const files = [...bodiesIn('athena-recorded/departments'), 'athena-shapes/departments-id.json'];
	it.each(files)('%s: card types an array of codes (absent = none), timezone a number, IDs strings', (file) => {
		const rows = listOf(file, 'departments');
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) {
			const department = departmentSchema.parse(row);
			expect(typeof department.departmentId).toBe('string');
			expect(typeof department.timezone).toBe('number');
			expect(department.timezone).toBe(row.timezone);
			expect(Array.isArray(department.ecommerceCardTypes)).toBe(true);
			expect(department.ecommerceCardTypes).toEqual(row.ecommercecreditcardtypes ?? []);
			for (const code of department.ecommerceCardTypes) expect(code).toMatch(/^[A-Z]{2}$/);
		}
	});

	it('the 2023 preview list: 31 departments, 19 with e-commerce card types, Discover as DS', () => {
		const rows = listOf('athena-recorded/departments/ruby-bbi-1.json', 'departments').map((row) => departmentSchema.parse(row));
		expect(rows).toHaveLength(31);
		expect(rows.filter((department) => department.ecommerceCardTypes.length > 0)).toHaveLength(19);
		expect(rows.flatMap((department) => department.ecommerceCardTypes)).toContain('DS');
		expect(rows.flatMap((department) => department.ecommerceCardTypes)).not.toContain('DI');
	});

	it('timezone (with daylight saving) and timezoneoffset differ, and the node gives athena\'s timezone', () => {
		const [department] = listOf('athena-shapes/departments-id.json', 'departments');
		expect(departmentSchema.parse(unwrapOne([department]))).toMatchObject({ timezone: -4, timezoneName: 'US/Eastern', ecommerceCardTypes: ['DS', 'MC', 'VI'] });
	});

	it('the list is read whole through the node\'s list reader, asking for portal-hidden departments too', async () => {
		const calls: IDataObject[] = [];
		const { fetchDepartments } = await import('../../nodes/Athenahealth/transport/departments');
		const rows = await fetchDepartments(recordedClient({ 0: body('athena-recorded/departments/ruby-bbi-1.json') }, calls));
		expect(rows).toHaveLength(31);
		expect(calls[0]).toMatchObject({ showalldepartments: 'true', offset: 0 });
	});
});

describe('patients as athena sends them', () => {
	const onePatient = [...bodiesIn('athena-recorded/patients-id'), 'athena-shapes/patients-id-claimbalancedetails.json'];
	it.each(onePatient)('%s: an array; balances money as 2-place strings, flags booleans, group IDs strings', (file) => {
		const answer = body(file) as IDataObject[];
		expect(Array.isArray(answer)).toBe(true);
		for (const raw of answer) {
			const patient = patientSchema.parse(recordOf(answer, 'patientid', String(raw.patientid)));
			expect(patient.patientId).toBe(raw.patientid);
			expect(patient.balances).toHaveLength((raw.balances as unknown[]).length);
			for (const balance of patient.balances ?? []) {
				expect(balance.balance).toMatch(MONEY);
				expect(typeof balance.cleanBalance).toBe('boolean');
				expect(typeof balance.providerGroupId).toBe('string');
				expect(balance.departmentIds.every((id) => /^\d+$/.test(id))).toBe(true);
			}
			// Claims appear exactly when athena sent claimbalancedetails.
			expect('claims' in patient).toBe('claimbalancedetails' in raw);
		}
	});

	it('a GET /patients/{id} answer holding two records gives the one asked for', () => {
		const answer = body('athena-recorded/patients-id/go-eleanor-1.json');
		expect(patientSchema.parse(recordOf(answer, 'patientid', '2')).patientId).toBe('2');
		expect(patientSchema.parse(recordOf(answer, 'patientid', '1')).patientId).toBe('1');
	});

	it('reads "-978.7" as -978.70 and the number 0 as 0.00', () => {
		const patient = patientSchema.parse(unwrapOne(body('athena-shapes/patients-id-claimbalancedetails.json')));
		expect(patient.balances?.map((balance) => balance.balance)).toEqual(['-978.70', '0.00']);
		expect(patientSchema.parse(recordOf(body('athena-recorded/patients-id/go-eleanor-1.json'), 'patientid', '1')).balances?.[0].balance).toBe('-25.15');
	});

	it('gives the claim IDs of the top-level claimbalancedetails (grouped by provider group) for Claim Payments', () => {
		const patient = patientSchema.parse(unwrapOne(body('athena-shapes/patients-id-claimbalancedetails.json')));
		expect(patient.claims).toEqual([
			{ providerGroupId: '1', claimId: '166', departmentId: '1', serviceDate: '11/07/2015', patientBalance: '0.00', chargeAmount: '777.67', cleanBalance: true },
			{ providerGroupId: '1', claimId: '171', departmentId: '21', serviceDate: '02/03/2016', patientBalance: '42.50', chargeAmount: '120.00', cleanBalance: true },
		]);
		expect(balanceForDepartment(patient.balances, '21')).toMatchObject({ departmentBalance: '-978.70', departmentBalanceCollectable: false, departmentProviderGroupId: '1' });
	});

	it('a zero-balance patient asked for balance details has no claims key (as recorded in 2023)', () => {
		expect(patientSchema.parse(unwrapOne(body('athena-recorded/patients-id/ruby-bbi-1.json')))).not.toHaveProperty('claims');
	});

	it.each([...bodiesIn('athena-recorded/patients'), 'athena-shapes/patients-list-paged.json'])('%s: every listed patient reads clean', (file) => {
		for (const row of listOf(file, 'patients')) {
			const patient = patientSchema.parse(row);
			expect(patient.patientId).toMatch(/^\d+$/);
			for (const balance of patient.balances ?? []) expect(balance.balance).toMatch(MONEY);
		}
	});

	it('pages GET /patients by offset, whatever athena writes in next (UPPER-CASE names, offset only)', async () => {
		const first = body('athena-shapes/patients-list-paged.json') as IDataObject;
		expect(first.next).toMatch(/DEPARTMENTID=1&FIRSTNAME=Michael/);
		const second = { patients: [{ patientid: '13', firstname: 'Michael', balances: [] }], totalcount: 3 };
		const calls: IDataObject[] = [];
		const rows = await fetchList(recordedClient({ 0: first, 2: second }, calls), '/patients', 'patients', {
			qs: { firstname: 'Michael', departmentid: '1' },
			call: { action: 'search patients' },
		});
		expect(rows.map((row) => row.patientid)).toEqual(['11', '12', '13']);
		expect(calls.map((call) => call.offset)).toEqual([0, 2]);
		expect(calls[1]).toMatchObject({ firstname: 'Michael', departmentid: '1' });
	});
});

describe('appointments as athena sends them', () => {
	const files = [
		...bodiesIn('athena-recorded/appointments-booked'),
		...bodiesIn('athena-recorded/appointments-changed'),
		'athena-shapes/appointments-id.json',
		'athena-shapes/appointments-changed.json',
	];
	it.each(files)('%s: copay figures as 2-place strings, status in words', (file) => {
		for (const row of listOf(file, 'appointments')) {
			const appointment = appointmentSchema.parse(row);
			expect(appointment.appointmentId).toBe(row.appointmentid);
			expect(Object.values(APPOINTMENT_STATUS)).toContain(appointment.status);
			for (const figure of ['expectedCopay', 'insuranceCopay', 'collectedForAppointment', 'collectedForOther', 'copayDue'] as const) {
				if (appointment[figure] !== undefined) expect(appointment[figure]).toMatch(MONEY);
			}
			// Optional parts are there exactly when athena sent them.
			expect(appointment.expectedCopay !== undefined).toBe('copay' in row);
			expect(appointment.insuranceCopay !== undefined).toBe('appointmentcopay' in row);
			if (row.appointmentstatus === 'f') expect(appointment.status).toBe('filled');
		}
	});

	it('the recorded appointmentcopay object of numbers comes out as athena\'s own figures; copayDue is athena\'s copay', () => {
		const [row] = listOf('athena-recorded/appointments-booked/go-eleanor-1.json', 'appointments');
		expect(appointmentSchema.parse(row)).toMatchObject({
			expectedCopay: '0.00',
			insuranceCopay: '0.00',
			collectedForAppointment: '0.00',
			collectedForOther: '0.00',
			copayDue: '0.00',
		});
	});

	it('copayDue never subtracts collectedforappointment again (athena\'s copay already counts it)', () => {
		const appointment = appointmentSchema.parse({ appointmentid: '1', copay: 25, appointmentcopay: { insurancecopay: 25, collectedforappointment: 10, collectedforother: 0 } });
		expect(appointment).toMatchObject({ expectedCopay: '25.00', insuranceCopay: '25.00', collectedForAppointment: '10.00', copayDue: '25.00' });
		// The .NET SDK's model reads it as an array of one: read too.
		expect(appointmentSchema.parse({ appointmentid: '1', copay: '5', appointmentcopay: [{ insurancecopay: '5' }] }).insuranceCopay).toBe('5.00');
		// GET /appointments/{id} as recorded: no appointmentcopay at all.
		expect(appointmentSchema.parse(unwrapOne(body('athena-shapes/appointments-id.json')))).not.toHaveProperty('collectedForAppointment');
	});
});

describe('payments and receipts as athena sends them', () => {
	it('recordpayment\'s recorded answer: success "true" reads as done, the batch ID a string', () => {
		expect(readWriteAnswer(body('athena-recorded/patients-id-recordpayment/ruby-htd-1.json'), 'posting')).toMatchObject({ kind: 'done', result: { paymentBatchId: '5' } });
		expect(readWriteAnswer(body('athena-recorded/appointments-changed-subscription-post/ruby-htd-1.json'), 'action').kind).toBe('done');
	});

	it('card methods: athena\'s codes kept as they are (spaces, slashes), after Cash and Check', async () => {
		const methods = await fetchPaymentMethods(recordedClient({ 0: body('athena-shapes/configuration-validnonccpcreditcardmethods.json') }));
		expect(methods.map((method) => method.code)).toEqual(['CASH', 'CHECK', 'AMEX', 'DISCOVER', 'MC/VISA', 'NON-IPP MC', 'OLD MC/VIS']);
		for (const row of listOf('athena-shapes/configuration-validnonccpcreditcardmethods.json', 'paymentmethods')) expect(paymentMethodSchema.parse(row).code.length).toBeLessThanOrEqual(10);
	});

	it('receipts: a bare array of strings; amounts "1", "2.5", ".16", "0" as 2-place money; both kinds of void readable', () => {
		const receipts = (body('athena-shapes/patients-id-receipts.json') as IDataObject[]).map((row) => receiptSchema.parse(row));
		expect(receipts.map((receipt) => receipt.amount)).toEqual(['2.50', '2.50', '0.16', '1.00', '0.00']);
		expect(receipts.map((receipt) => receipt.type)).toEqual(['PURCHASE', 'VOID', 'PURCHASE', 'VOIDPURCHASE', 'AUTHORIZATION']);
		for (const receipt of receipts) {
			expect(receipt.ePaymentId).toMatch(/^\d+$/);
			expect(receipt.cardLast4).toMatch(/^\d{4}$/);
		}
	});
});

describe('athena\'s refusals as recorded', () => {
	const files = [...bodiesIn('athena-recorded/error-400'), ...bodiesIn('athena-recorded/error-403'), ...bodiesIn('athena-recorded/error-404'), ...bodiesIn('athena-recorded/error-409')];
	it.each(files)('%s: begins with "\\n\\n" and reads to athena\'s own error text', (file) => {
		const raw = rawBody(file);
		expect(raw.startsWith('\n\n')).toBe(true);
		const said = JSON.parse(raw) as { error: string; detailedmessage?: string; missingfields?: string[] };
		expect(readAthenaBody(raw)).toMatchObject({ error: said.error, detailedMessage: said.detailedmessage });
		const status = Number(/error-(\d{3})/.exec(file)![1]);
		const error = toAthenaApiError(node, failureOfAnswer(status, {}, raw), { action: 'do it', isWrite: false });
		expect(error.message).toBe(`athena: ${said.error}`);
		expect(error.outcome).toBe('refused');
		if (said.missingfields?.length) expect(error.description).toContain(`Missing fields: ${said.missingfields.join(', ')}.`);
	});

	it('hints for recorded texts match them loosely (case, punctuation, missing spaces)', () => {
		const hintOf = (file: string, status: number) => toAthenaApiError(node, failureOfAnswer(status, {}, rawBody(file)), { action: 'do it', isWrite: false }).description;
		expect(hintOf('athena-recorded/error-403/ruby-htd-1.json', 403)).toContain('subscribed');
		expect(hintOf('athena-recorded/error-403/ruby-htd-1.json', 403)).not.toContain('Developer Portal');
		expect(hintOf('athena-shapes/error-400-search-too-broad.json', 400)).toContain('narrow it');
		expect(hintOf('athena-shapes/error-400-patient-not-in-department.json', 400)).toContain("patient's department");
		expect(hintOf('athena-recorded/error-400/ruby-htd-1.json', 400)).toContain('Missing fields: lastname, dob, firstname.');
		const shouted = '\n\n{"error":"THE SEARCH RETURNED MORE THAN 1000 RECORDS. please refine"}'.replace('RECORDS.', 'RECORDS.');
		expect(toAthenaApiError(node, failureOfAnswer(400, {}, shouted.replace('MORE THAN', 'LARGER THAN')), { action: 'x', isWrite: false }).description).toContain('narrow it');
	});
});
