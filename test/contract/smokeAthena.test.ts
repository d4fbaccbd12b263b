/**
 * `npm run smoke:athena` (scripts/lib/athenaSmoke.ts) before anyone has athena keys: its reads against the simulator
 * (both shapes of the payment history, the $0.01 write read back), and its comparison on every answer athena is on
 * record for (test/fixtures/athena-recorded, athena-shapes): each is read as the node reads it.
 */
import { compareShape, judge, readSpecs, runSmoke, tokenSpec } from '../../scripts/lib/athenaSmoke';
import type { ReadSpec, SmokeTarget } from '../../scripts/lib/athenaSmoke';
import { APPOINTMENT_WITH_COPAY, CLIENT_ID, CLIENT_SECRET, DEPARTMENT_MAIN, PATIENT_WITH_BALANCES, PRACTICE_ID, startSimulator } from '../simulator';
import type { AthenaSimulator } from '../simulator';
import { bodiesIn, rawBody } from './recorded';

describe('smoke:athena against the simulator', () => {
	let sim: AthenaSimulator;
	let target: SmokeTarget;
	beforeAll(async () => {
		sim = await startSimulator();
		target = { label: 'the simulator', baseUrl: sim.url, practiceId: PRACTICE_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, departmentId: DEPARTMENT_MAIN, patientId: PATIENT_WITH_BALANCES };
	});
	afterAll(async () => await sim.close());

	it.each([
		['guessed', 'amount'],
		['catalogue', 'payments'],
	] as const)('every read the node makes is read as the node reads it; the $0.01 payment is read back (payment history %s: its amount under "%s")', async (shape, amountName) => {
		sim.reset({ paymentHistoryShape: shape });
		sim.appointments.subscribeEvents();
		sim.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		const result = await runSmoke(target, { write: true });
		expect(result.reports.filter((report) => !report.ok).map((report) => `${report.name}: ${report.note}`)).toEqual([]);
		expect(result.reports.map((report) => report.name)).toEqual([
			'token',
			'departments',
			'configuration-validnonccpcreditcardmethods',
			'patients-id',
			'patients',
			'patients-search',
			'appointments-booked',
			'appointments-changed-subscription',
			'appointments-changed',
			'patients-id-receipts',
			'patients-paymenthistory',
			'patients-id-recordpayment',
			'patients-paymenthistory-after-write',
		]);
		expect(result.writeBack).toMatchObject({ found: true, fields: { cents: amountName } });
		expect(sim.ledger().map((entry) => [entry.kind, entry.amount, entry.form.paymentmethod])).toEqual([['record', '0.01', 'CASH']]);
		// The token is never in a report or a candidate fixture.
		expect(result.reports[0].body).toContain('"access_token":"<redacted>"');
		const departments = result.reports.find((report) => report.name === 'departments')!;
		expect(departments.read).toEqual(expect.arrayContaining(['departmentid', 'ecommercecreditcardtypes']));
		expect(departments.added).toEqual(expect.arrayContaining(['timezoneoffset']));
	}, 30000);

	it('an answer the node cannot read fails the run, and says why', async () => {
		sim.reset();
		sim.overrideAnswers({ method: 'GET', path: '/paymenthistory$', body: { paymenthistory: [{ patientid: '1', payments: [{ paid: 'ten' }] }] } });
		const result = await runSmoke(target);
		expect(result.ok).toBe(false);
		const history = result.reports.find((report) => report.name === 'patients-paymenthistory')!;
		expect(history).toMatchObject({ ok: false, status: 200, records: 1 });
		expect(history.note).toMatch(/none with an amount/);
		expect(history.added).toEqual(['paid']);
	}, 30000);
});

describe("smoke:athena's comparison on the answers athena is on record for", () => {
	const target: SmokeTarget = { label: 'recorded', baseUrl: 'http://unused', practiceId: PRACTICE_ID, clientId: '', clientSecret: '', departmentId: '1', patientId: '1' };
	const specs = new Map<string, ReadSpec>([[tokenSpec.name, tokenSpec], ...readSpecs(target, '12/01/2026').map((spec) => [spec.name, spec] as [string, ReadSpec])]);
	const recorded = (folder: string) => bodiesIn(`athena-recorded/${folder}`);
	const CASES: Array<[string, string[]]> = [
		['token', recorded('token')],
		['departments', recorded('departments')],
		['configuration-validnonccpcreditcardmethods', ['athena-shapes/configuration-validnonccpcreditcardmethods.json']],
		['patients-id', [...recorded('patients-id'), 'athena-shapes/patients-id-claimbalancedetails.json']],
		['patients', [...recorded('patients'), 'athena-shapes/patients-list-paged.json']],
		['appointments-booked', recorded('appointments-booked')],
		['appointments-changed-subscription', recorded('appointments-changed-subscription')],
		['appointments-changed', [...recorded('appointments-changed'), 'athena-shapes/appointments-changed.json']],
		['patients-id-receipts', ['athena-shapes/patients-id-receipts.json']],
	];

	it.each(CASES)('%s: every recording is read as the node reads it', (name, files) => {
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			const report = judge(specs.get(name)!, 200, rawBody(file));
			expect({ file, ok: report.ok, note: report.note }).toEqual({ file, ok: true, note: undefined });
			expect(report.records).toBeGreaterThan(0);
			expect(report.read.length).toBeGreaterThan(0);
		}
	});

	it("the feed's recorded 403 before a subscription is an answer, not a failure; another refusal is a failure", () => {
		const body = rawBody('athena-recorded/error-403/ruby-htd-1.json');
		expect(judge(specs.get('appointments-changed')!, 403, body)).toMatchObject({ ok: true, note: expect.stringContaining('not subscribed') });
		expect(judge(specs.get('departments')!, 403, body)).toMatchObject({ ok: false, note: expect.stringContaining('Changed messages require setup') });
	});

	it('compares shapes: read, missing (alternatives as one field), new (at the top, or inside what the node reads into)', () => {
		const records = [{ a: 1, b: [{ c: 1, z: 2 }], other: { deep: 1 }, amount: '1' }];
		expect(compareShape(records, ['a', 'b[].c', 'd', 'amount', 'payments'], [['amount', 'payments']])).toEqual({
			read: ['a', 'b[].c', 'amount'],
			missing: ['d'],
			added: ['b[].z', 'other'],
		});
	});
});
