/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The simulator's appointment feed and lists against what athena really sent (test/fixtures/athena-recorded, copied
 * from shared/athena-recorded; see NOTICES), and the Trigger's parsing of those recorded bodies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { classifyRow, eventItem } from '../../nodes/AthenahealthTrigger/events';
import { appointmentSchema } from '../../nodes/Athenahealth/shared/athenaSchemas';
import type { AthenaSimulator } from '../simulator';
import { APPOINTMENT_WITH_COPAY, CLIENT_ID, CLIENT_SECRET, seedAppointment, startSimulator } from '../simulator';

const recorded = (path: string): unknown => JSON.parse(readFileSync(join(__dirname, '../fixtures/athena-recorded', path), 'utf8'));

/** Each key's JSON type: what must match between a recording and the simulator. */
function typeTree(row: IDataObject): Record<string, string> {
	return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value]));
}

let simulator: AthenaSimulator;
let token: string;
beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => await simulator.close());
beforeEach(async () => {
	simulator.reset();
	const answer = await fetch(simulator.tokenUrl, {
		method: 'POST',
		headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials',
	});
	token = ((await answer.json()) as { access_token: string }).access_token;
});

async function call(method: 'GET' | 'POST', path: string, form?: string): Promise<{ status: number; text: string; body: unknown }> {
	const answer = await fetch(`${simulator.practiceUrl}${path}`, {
		method,
		headers: { authorization: `Bearer ${token}`, ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
		body: form,
	});
	const text = await answer.text();
	return { status: answer.status, text, body: JSON.parse(text) };
}

describe('the simulator answers in the recorded shapes', () => {
	test('subscription: INACTIVE with HTTP 200, POST answers success as a string, then the nine default events', async () => {
		expect((await call('GET', '/appointments/changed/subscription')).body).toEqual(recorded('appointments-changed-subscription/ruby-htd-2.json'));
		expect((await call('GET', '/appointments/changed/subscription/events')).body).toEqual(recorded('appointments-changed-subscription-events/go-eleanor-1.json'));
		expect((await call('POST', '/appointments/changed/subscription', '')).body).toEqual(recorded('appointments-changed-subscription-post/ruby-htd-1.json'));
		expect((await call('GET', '/appointments/changed/subscription')).body).toEqual(recorded('appointments-changed-subscription/go-eleanor-1.json'));
	});

	test('the feed without a subscription: 403 with the recorded text, after blank lines', async () => {
		const answer = await call('GET', '/appointments/changed');
		expect(answer.status).toBe(403);
		expect(answer.text.startsWith('\n\n')).toBe(true);
		expect(answer.body).toEqual(recorded('error-403/ruby-htd-1.json'));
	});

	test('a cancelled row of the feed has the recorded keys and types (notes aside), and no copay', async () => {
		await call('POST', '/appointments/changed/subscription', '');
		simulator.appointments.act('cancel', APPOINTMENT_WITH_COPAY);
		const answer = (await call('GET', '/appointments/changed')).body as { totalcount: number; appointments: IDataObject[] };
		const real = (recorded('appointments-changed/go-eleanor-1.json') as { appointments: IDataObject[] }).appointments[0];
		expect(Object.keys(answer).sort()).toEqual(['appointments', 'totalcount']);
		const { appointmentnotes: _notes, ...realRow } = real;
		void _notes;
		expect(typeTree(answer.appointments[0])).toEqual(typeTree(realRow));
	});

	test('a booked row with showcopay has the recorded keys and types: copay a number, appointmentcopay an object of numbers', async () => {
		const date = String(seedAppointment(APPOINTMENT_WITH_COPAY)?.date);
		const answer = (await call('GET', `/appointments/booked?startdate=${date}&enddate=${date}&showcopay=true&limit=2`)).body as IDataObject;
		const real = recorded('appointments-booked/go-eleanor-1.json') as { appointments: IDataObject[] } & IDataObject;
		expect(Object.keys(answer).sort()).toEqual(Object.keys(real).filter((key) => key !== 'previous').sort());
		const row = (answer.appointments as IDataObject[])[0];
		const { appointmentnotes: _notes, ...realRow } = real.appointments[0];
		void _notes;
		expect(typeTree(row)).toEqual(typeTree(realRow));
		expect(typeTree(row.appointmentcopay as IDataObject)).toEqual(typeTree(realRow.appointmentcopay as IDataObject));
		expect(String(answer.next)).toMatch(/^\/v1\/195900\/appointments\/booked\?.*STARTDATE=.*offset=2$/);
	});
});

describe('the node reads the recorded bodies', () => {
	test('a recorded cancellation from the feed is one Cancelled event with its reason', () => {
		const rows = (recorded('appointments-changed/go-eleanor-1.json') as { appointments: IDataObject[] }).appointments;
		const classified = rows.map((row) => classifyRow(row, {}));
		expect(classified.map((entry) => entry?.event)).toEqual(['cancelled', 'cancelled']);
		expect(eventItem(classified[0]!)).toEqual({
			event: 'Cancelled',
			athenaEvent: 'CancelAppointment',
			appointmentId: '1050322',
			patientId: '7965',
			departmentId: '150',
			date: '06/02/2020',
			startTime: '10:00',
			status: 'cancelled',
			appointmentType: 'Any 15',
			providerId: '27',
			changedAt: '06/02/2020 09:06:50',
			changedBy: 'API-15476',
			cancelReason: 'CANCELLED FROM API',
		});
	});

	test('an open slot (recorded shape: no patientid, scheduledby or lastmodified) is no event', () => {
		const { patientid: _p, scheduledby: _s, lastmodified: _l, ...slot } = (recorded('appointments-changed/go-eleanor-1.json') as { appointments: IDataObject[] }).appointments[0];
		void [_p, _s, _l];
		expect(classifyRow({ ...slot, appointmentstatus: 'o' }, {})).toBeUndefined();
	});

	test('a recorded booked row normalises its number copay figures to money strings', () => {
		const row = (recorded('appointments-booked/go-eleanor-1.json') as { appointments: IDataObject[] }).appointments[0];
		expect(appointmentSchema.parse(row)).toMatchObject({ appointmentId: '3132', expectedCopay: '0.00', collectedForAppointment: '0.00', insuranceCopay: '0.00' });
	});
});
