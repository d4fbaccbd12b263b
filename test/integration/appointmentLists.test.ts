/** Appointment → Get Many (/appointments/booked) and Appointment → Get's appointment picker, through the real engine. */
import type { INode } from 'n8n-workflow';

import { APPOINTMENT_WITH_COPAY, appointmentIdsOf, seedAppointment, seedData } from '../simulator';
import { CREDENTIAL_ID, useStack } from './stack';

const stackOf = useStack();

/** Booked (not open, not cancelled) seeded appointments on one date. */
function bookedOn(date: string): string[] {
	return [...seedData().appointments.values()]
		.filter((a) => a.record.date === date && a.record.appointmentstatus !== 'o' && a.record.appointmentstatus !== 'x')
		.map((a) => a.id);
}

describe('Appointment → Get Many', () => {
	test('a date range, paged through athena\'s next links to Return All', async () => {
		const stack = stackOf();
		stack.simulator.appointments.maxBookedPageSize = 10;
		const expected = bookedOn('11/02/2026');
		expect(expected.length).toBeGreaterThan(30);
		const run = await stack.run({ resource: 'appointment', operation: 'getAll', startDate: '2026-11-02', endDate: '11/02/2026', returnAll: true });
		expect(run.error).toBeUndefined();
		expect(run.json.map((row) => row.appointmentId).sort()).toEqual([...expected].sort());
		const pages = stack.simulator.requests().filter((request) => request.path.endsWith('/appointments/booked') && request.status === 200);
		expect(pages.length).toBe(Math.ceil(expected.length / 10));
		// Follow-up pages are athena's next links: UPPER-CASE names, plus the page size.
		expect(pages[1].query).toMatchObject({ STARTDATE: '11/02/2026', ENDDATE: '11/02/2026', offset: '10' });
		expect(run.json[0]).toMatchObject({ date: '11/02/2026', status: expect.any(String), providerId: expect.any(String) });
		expect(run.json[0]).not.toHaveProperty('expectedCopay');
	});

	test('a limit stops paging as soon as it is reached', async () => {
		const stack = stackOf();
		stack.simulator.appointments.maxBookedPageSize = 10;
		const run = await stack.run({ resource: 'appointment', operation: 'getAll', startDate: '11/02/2026', endDate: '11/02/2026', limit: 15 });
		expect(run.json).toHaveLength(15);
		// (Answered pages only: the stack's stored token is refused once after the simulator's reset.)
		expect(stack.simulator.requests().filter((request) => request.path.endsWith('/appointments/booked') && request.status === 200)).toHaveLength(2);
	});

	test('department, provider and status filters; copay and patient on request', async () => {
		const stack = stackOf();
		const target = seedAppointment(APPOINTMENT_WITH_COPAY)!;
		stack.simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY, { date: String(target.date) });
		stack.simulator.appointments.act('checkout', APPOINTMENT_WITH_COPAY);
		const run = await stack.run({
			resource: 'appointment',
			operation: 'getAll',
			startDate: String(target.date),
			endDate: String(target.date),
			status: '3',
			filters: { departmentId: String(target.departmentid), providerId: String(target.providerid) },
			includeCopay: true,
			includePatient: true,
			returnAll: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((row) => row.appointmentId)).toContain(APPOINTMENT_WITH_COPAY);
		for (const row of run.json) {
			expect(row).toMatchObject({ status: 'checked out', departmentId: String(target.departmentid), providerId: String(target.providerid) });
		}
		const row = run.json.find((entry) => entry.appointmentId === APPOINTMENT_WITH_COPAY)!;
		expect(row.expectedCopay).toMatch(/^\d+\.\d{2}$/);
		expect(row.collectedForAppointment).toBe('0.00');
		expect(row.copayDue).toBe(row.expectedCopay);
		expect(row.patient).toMatchObject({ patientId: '1', firstName: expect.any(String), lastName: expect.any(String) });
		expect(row.patient).not.toHaveProperty('balances');
		const query = stack.simulator.requests().find((request) => request.path.endsWith('/appointments/booked'))!.query;
		expect(query).toMatchObject({ appointmentstatus: '3', showcopay: 'true', showpatientdetail: 'true', departmentid: String(target.departmentid) });
	});

	test('a copay recorded against the appointment shows as collected', async () => {
		const stack = stackOf();
		const target = seedAppointment(APPOINTMENT_WITH_COPAY)!;
		await stack.run({
			resource: 'payment',
			operation: 'record',
			patientId: { __rl: true, mode: 'id', value: '1' },
			departmentId: String(target.departmentid),
			paymentMethod: 'CASH',
			copayAmount: '10',
			appointmentId: APPOINTMENT_WITH_COPAY,
			postDate: '12/01/2026',
		});
		const run = await stack.run({ resource: 'appointment', operation: 'getAll', startDate: String(target.date), endDate: String(target.date), includeCopay: true, returnAll: true });
		const row = run.json.find((entry) => entry.appointmentId === APPOINTMENT_WITH_COPAY)!;
		expect(row.collectedForAppointment).toBe('10.00');
	});

	test('the date range is required and checked before anything is sent', async () => {
		const stack = stackOf();
		const run = await stack.run({ resource: 'appointment', operation: 'getAll', startDate: 'yesterday', endDate: '02/30/2026' });
		expect(run.error?.message).toMatch(/Start Date must be a real date.*End Date must be a real date/);
		const reversed = await stack.run({ resource: 'appointment', operation: 'getAll', startDate: '11/05/2026', endDate: '11/01/2026' });
		expect(reversed.error?.message).toMatch(/End Date is before Start Date/);
		expect(stack.simulator.requests().filter((request) => request.path.includes('/appointments'))).toHaveLength(0);
	});
});

describe('Appointment → Get: the appointment picker', () => {
	const node = (parameters: INode['parameters']): INode => ({
		id: 'athena-node',
		name: 'athenahealth',
		type: 'n8n-nodes-athenahealth.athenahealth',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'appointment', operation: 'get', ...parameters },
		credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } },
	});

	test("lists the patient's appointments in the department", async () => {
		const stack = stackOf();
		const [first, second] = appointmentIdsOf(5);
		const department = String(seedAppointment(first)?.departmentid);
		// Far-off seed dates are outside the picker's window: bring them near today.
		stack.simulator.appointments.act('update', first, { date: '12/01/2026' });
		stack.simulator.appointments.act('update', second, { date: '12/10/2026' });
		const listed = await stack.engine.listSearch(
			node({ listPatientId: { __rl: true, mode: 'id', value: '5' }, listDepartmentId: department }),
			'searchAppointments',
		);
		expect(listed.results.map((result) => result.value)).toEqual([second, first].filter((id) => seedAppointment(id)?.appointmentstatus !== 'o'));
		expect(listed.results[0].name).toContain('12/10/2026');
		const filtered = await stack.engine.listSearch(node({ listPatientId: { __rl: true, mode: 'id', value: '5' }, listDepartmentId: department }), 'searchAppointments', '12/01');
		expect(filtered.results.map((result) => result.value)).toEqual([first]);
		const query = stack.simulator.requests().find((request) => request.path.endsWith('/appointments/booked'))!.query;
		expect(query).toMatchObject({ patientid: '5', departmentid: department });
	});

	test('lists nothing until a patient and a department are chosen', async () => {
		const stack = stackOf();
		expect((await stack.engine.listSearch(node({}), 'searchAppointments')).results).toEqual([]);
		expect(stack.simulator.requests()).toHaveLength(0);
	});

	test('the chosen appointment (and a plain ID saved by an older workflow) is fetched', async () => {
		const stack = stackOf();
		const picked = await stack.run({ resource: 'appointment', operation: 'get', appointmentId: { __rl: true, mode: 'list', value: APPOINTMENT_WITH_COPAY } });
		const plain = await stack.run({ resource: 'appointment', operation: 'get', appointmentId: APPOINTMENT_WITH_COPAY });
		expect(picked.json[0]).toMatchObject({ appointmentId: APPOINTMENT_WITH_COPAY });
		expect(plain.json[0]).toEqual(picked.json[0]);
	});
});
