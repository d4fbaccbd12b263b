/**
 * The simulator answers with athena's shapes: for each endpoint, the type tree of its answer (every path and the JSON
 * types there) must be one athena was recorded sending. A type athena never sent at a path, or a path athena never
 * sent, fails, unless listed below with the reason the simulator may add it.
 */
import {
	APPOINTMENT_WITH_COPAY,
	APPOINTMENT_WITHOUT_APPOINTMENTCOPAY,
	type AthenaSimulator,
	CLIENT_ID,
	CLIENT_SECRET,
	PATIENT_WITH_BALANCES,
	PATIENT_WITH_CREDIT_BALANCE,
	PRACTICE_ID,
	startSimulator,
} from '../simulator';
import { body, bodiesIn, mergeTrees, rawBody, treeMismatches, typeTree } from './recorded';

let sim: AthenaSimulator;
let bearer = '';

beforeAll(async () => {
	sim = await startSimulator();
	const basic = 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
	const res = await fetch(`${sim.url}/oauth2/v1/token`, {
		method: 'POST',
		headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials&scope=athena%2Fservice%2FAthenanet.MDP.*',
	});
	bearer = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(async () => await sim.close());

async function call(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<{ status: number; text: string }> {
	const res = await fetch(`${sim.url}/v1/${PRACTICE_ID}${path}`, {
		method,
		headers: { authorization: `Bearer ${bearer}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
		body: form ? new URLSearchParams(form).toString() : undefined,
	});
	return { status: res.status, text: await res.text() };
}

const recordedTree = (files: string[]) => mergeTrees(files.map((file) => typeTree(body(file))));

// Patient keys the simulator sends that no copyable recording holds; each is a documented athena patient field.
const SIMULATOR_PATIENT_FIELDS = ['middlename', 'address2'];

const cases: Array<{ name: string; path: string; recorded: string[]; unrecordedOk?: string[] }> = [
	{
		name: 'GET /departments?showalldepartments=true',
		path: '/departments?showalldepartments=true',
		recorded: [...bodiesIn('athena-recorded/departments')],
	},
	{
		name: 'GET /patients/{id}?showbalancedetails=true (with claims)',
		path: `/patients/${PATIENT_WITH_BALANCES}?showbalancedetails=true`,
		recorded: [...bodiesIn('athena-recorded/patients-id'), 'athena-shapes/patients-id-claimbalancedetails.json'],
		unrecordedOk: SIMULATOR_PATIENT_FIELDS.map((field) => `$[].${field}`),
	},
	{
		name: 'GET /patients/{id} (a credit balance)',
		path: `/patients/${PATIENT_WITH_CREDIT_BALANCE}`,
		recorded: [...bodiesIn('athena-recorded/patients-id'), 'athena-shapes/patients-id-claimbalancedetails.json'],
		unrecordedOk: SIMULATOR_PATIENT_FIELDS.map((field) => `$[].${field}`),
	},
	{
		name: 'GET /patients (a page with next)',
		path: '/patients?lastname=Okafor&limit=1',
		recorded: [...bodiesIn('athena-recorded/patients'), 'athena-shapes/patients-list-paged.json'],
		// lastupdated is recorded on GET /patients/{id} (ruby-bbi 2023), the same patient record.
		unrecordedOk: [...SIMULATOR_PATIENT_FIELDS, 'lastupdated'].map((field) => `$.patients[].${field}`),
	},
	{
		name: 'GET /appointments/{id} with appointmentcopay',
		path: `/appointments/${APPOINTMENT_WITH_COPAY}`,
		// appointmentcopay's shape is recorded on /appointments/booked; a single appointment is an array of one.
		recorded: ['athena-shapes/appointments-id.json'],
		unrecordedOk: [],
	},
	{
		name: 'GET /appointments/{id} without appointmentcopay',
		path: `/appointments/${APPOINTMENT_WITHOUT_APPOINTMENTCOPAY}`,
		recorded: ['athena-shapes/appointments-id.json'],
	},
	{
		name: 'GET /configuration/validnonccpcreditcardmethods',
		path: '/configuration/validnonccpcreditcardmethods',
		recorded: ['athena-shapes/configuration-validnonccpcreditcardmethods.json'],
	},
	{
		name: 'GET /patients/{id}/receipts',
		path: `/patients/${PATIENT_WITH_BALANCES}/receipts?departmentid=1`,
		recorded: ['athena-shapes/patients-id-receipts.json'],
	},
];

describe('the simulator answers with the type trees athena was recorded sending', () => {
	it.each(cases)('$name', async ({ path, recorded, unrecordedOk }) => {
		const answer = await call('GET', path);
		expect(answer.status).toBe(200);
		let reference = recordedTree(recorded);
		if (path.startsWith('/appointments/')) {
			// The recorded appointmentcopay object (booked list) as it sits on one appointment.
			const booked = typeTree(body('athena-recorded/appointments-booked/go-eleanor-1.json'));
			const asOne = new Map([...booked].filter(([at]) => at.startsWith('$.appointments[].')).map(([at, types]) => [at.replace('$.appointments[]', '$[]'), types]));
			reference = mergeTrees([reference, asOne]);
		}
		expect(treeMismatches(typeTree(JSON.parse(answer.text)), reference, unrecordedOk)).toEqual([]);
	});

	it('the comparison fails on the shapes the simulator used to guess (card types a string, DI, timezone a string)', () => {
		const guessed = { departments: [{ departmentid: '1', ecommercecreditcardtypes: 'AX,DI,MC,VI', timezone: '-5', placeofservicefacility: 'false', ischargeentryenabled: 'true' }], totalcount: 1 };
		expect(treeMismatches(typeTree(guessed), recordedTree(bodiesIn('athena-recorded/departments')))).toEqual([
			'$.departments[].ecommercecreditcardtypes: string where athena sent array',
			'$.departments[].timezone: string where athena sent number',
			'$.departments[].placeofservicefacility: string where athena sent boolean',
			'$.departments[].ischargeentryenabled: never recorded',
		]);
	});

	it('POST /patients/{id}/recordpayment: the recorded [{"success":"true","paymentbatchid":"5"}] shape', async () => {
		const answer = await call('POST', `/patients/${PATIENT_WITH_BALANCES}/recordpayment`, { departmentid: '1', paymentmethod: 'CASH', copayamount: '5' });
		expect(treeMismatches(typeTree(JSON.parse(answer.text)), recordedTree(['athena-recorded/patients-id-recordpayment/ruby-htd-1.json']))).toEqual([]);
	});

	it('POST /oauth2/v1/token: the recorded shape, expires_in a string', async () => {
		const basic = 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
		const res = await fetch(`${sim.url}/oauth2/v1/token`, {
			method: 'POST',
			headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		expect(treeMismatches(typeTree(await res.json()), recordedTree(['athena-recorded/token/ruby-bbi-1.json']))).toEqual([]);
	});

	it('errors: like every recorded one, they begin with "\\n\\n" and carry an error string', async () => {
		const recordedErrors = ['error-400', 'error-403', 'error-404', 'error-409'].flatMap((folder) => bodiesIn(`athena-recorded/${folder}`));
		for (const file of recordedErrors) expect(rawBody(file).startsWith('\n\n')).toBe(true);
		const answers = [
			await call('GET', '/patients'), // 400 additional fields
			await call('GET', '/patients/999999'), // 404
			await call('POST', `/patients/${PATIENT_WITH_BALANCES}/recordpayment`, { paymentmethod: 'CASH' }), // 400 missing
			await call('GET', `/patients/${PATIENT_WITH_BALANCES}/receipts`), // 400
		];
		for (const answer of answers) {
			expect(answer.status).toBeGreaterThanOrEqual(400);
			expect(answer.text.startsWith('\n\n')).toBe(true);
			expect(typeof (JSON.parse(answer.text) as { error: unknown }).error).toBe('string');
		}
	});
});
