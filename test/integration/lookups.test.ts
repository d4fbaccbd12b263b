import { APPOINTMENT_WITH_COPAY, APPOINTMENT_WITHOUT_APPOINTMENTCOPAY, PATIENT_WITH_BALANCES, PATIENT_WITH_CREDIT_BALANCE, UNKNOWN_PATIENT_ID } from '../simulator';
import { useStack } from './stack';

const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

describe('look-ups through the real engine', () => {
	it('gets a patient with balances normalised (money as 2-place strings, flags as booleans)', async () => {
		const run = await stack.run(
			{ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: PATIENT_WITH_BALANCES }, options: { showBalanceDetails: true, departmentId: '21' } },
		);
		expect(run.error).toBeUndefined();
		const [patient] = run.json;
		expect(patient).toMatchObject({
			patientId: '1',
			firstName: 'Rosa',
			lastName: 'Quintero',
			dateOfBirth: '04/12/1978',
			departmentBalance: '150.50',
			departmentBalanceCollectable: true,
		});
		const balances = patient.balances as Array<Record<string, unknown>>;
		expect(balances[0]).toMatchObject({ balance: '150.50', cleanBalance: true, departmentIds: ['1', '21', '150'] });
		// athena's claimbalancedetails is top-level (grouped by provider group): the claim IDs Claim Payments needs.
		expect(patient.claims).toEqual(expect.arrayContaining([expect.objectContaining({ claimId: '101', providerGroupId: '1', patientBalance: '100.50' })]));
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('puts what the patient owes right after who they are, flat, and keeps the detail per provider group (issue 23, item 7)', async () => {
		const run = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: PATIENT_WITH_BALANCES } }, { settings: { typeVersion: 3 } });
		const [patient] = run.json;
		expect(Object.keys(patient).slice(0, 4)).toEqual(['patientId', 'firstName', 'lastName', 'balance']);
		expect(patient.balance).toBe('150.50');
		expect(patient.balances).toHaveLength(2);
		const credit = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: PATIENT_WITH_CREDIT_BALANCE } });
		expect(credit.json[0].balance).toBe('-978.70');
		// With a department, the balance to collect there comes first, then the total.
		const atDepartment = await stack.run(
			{ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: PATIENT_WITH_BALANCES }, options: { departmentId: '62' } },
			{ settings: { typeVersion: 2 } },
		);
		expect(Object.keys(atDepartment.json[0]).slice(0, 8)).toEqual(['patientId', 'firstName', 'lastName', 'departmentId', 'departmentBalance', 'departmentBalanceCollectable', 'departmentProviderGroupId', 'balance']);
		expect(atDepartment.json[0]).toMatchObject({ departmentBalance: '0.00', balance: '150.50', departmentId: '62' });
	});

	it('reads a credit balance that athena sends as "-978.7"', async () => {
		const run = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: PATIENT_WITH_CREDIT_BALANCE } });
		const balances = run.json[0].balances as Array<Record<string, unknown>>;
		expect(balances.map((balance) => balance.balance)).toContain('-978.70');
	});

	it('searches patients by name and date of birth', async () => {
		const run = await stack.run({ resource: 'patient', operation: 'search', lastName: 'Quintero', dateOfBirth: '1978-04-12', returnAll: true });
		expect(run.json.map((patient) => patient.patientId)).toContain('1');
		expect(run.json[0]).not.toHaveProperty('balances');
	});

	it("gets an appointment's copay figures as athena gives them, with or without appointmentcopay", async () => {
		const withFigures = await stack.run({ resource: 'appointment', operation: 'get', appointmentId: APPOINTMENT_WITH_COPAY });
		expect(withFigures.json[0]).toMatchObject({
			appointmentId: APPOINTMENT_WITH_COPAY,
			patientId: '1',
			status: 'filled',
			expectedCopay: '25.00',
			insuranceCopay: '25.00',
			collectedForAppointment: '0.00',
			collectedForOther: '0.00',
			copayDue: '25.00',
		});
		const without = await stack.run({ resource: 'appointment', operation: 'get', appointmentId: APPOINTMENT_WITHOUT_APPOINTMENTCOPAY });
		expect(without.json[0]).toMatchObject({ expectedCopay: '25.00', copayDue: '25.00' });
		expect(without.json[0]).not.toHaveProperty('collectedForAppointment');
	});

	it('lists departments and payment methods (athena codes, never invented ones)', async () => {
		const departments = await stack.run({ resource: 'department', operation: 'getAll', returnAll: true });
		// The portal-hidden department 150 too: the node asks with showalldepartments=true.
		expect(departments.json.map((department) => department.departmentId)).toEqual(['1', '21', '62', '82', '150']);
		expect(departments.json[0]).toMatchObject({ ecommerceCardTypes: ['AX', 'DS', 'MC', 'VI'], timezoneName: 'America/New_York' });
		expect(typeof departments.json[0].timezone).toBe('number');
		expect(departments.json[3].ecommerceCardTypes).toEqual([]);
		const methods = await stack.run({ resource: 'paymentMethod', operation: 'getAll' });
		expect(methods.json.map((method) => method.code)).toEqual(['CASH', 'CHECK', 'AMEX', 'MC/VISA', 'DISCOVER']);
	});

	it('pairs every output with its input and goes on past a bad item with Continue On Fail', async () => {
		const run = await stack.run(
			{ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: '={{ $json.id }}' } },
			{ input: [{ id: '1' }, { id: UNKNOWN_PATIENT_ID }, { id: 'abc' }, { id: '2' }], settings: { continueOnFail: true } },
		);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(run.json[0].patientId).toBe('1');
		expect(run.json[1].error).toBe('athena: The patient is not found.');
		expect(run.json[2].error).toContain('Patient ID must be digits only');
		expect(run.json[2].error).toContain('item 2');
		expect(run.json[3].patientId).toBe('2');
	});
});
