/**
 * Deterministic seed data of the athenaOne sandbox simulator.
 *
 * Id scheme (documented in README.md):
 *  - patients: "1".."2000" (PATIENT_COUNT); a few low ids are hand-made (named constants below), the rest
 *    come from an index-based generator (names, dob, department, balances all derived from the id).
 *  - appointments: patient p owns "1000{p*10+1}"-style ids: 100000 + p*10 + 1 and 100000 + p*10 + 2
 *    (appointmentIdsOf(p)); the first one has appointmentcopay (an object of numbers), the second none.
 *  - claims: patient p owns claims p*100+1 and p*100+2 (claimIdsOf(p)).
 *  - card payments: seeded epaymentids 9001 (settled) and 9002 (voided); live ones start at 100001.
 *  - payment batches (recordpayment): start at 1001.
 */
import { pad2 } from './formats';
import { CARD_APPROVED, CARD_APPROVED_MASTERCARD, cardType } from './cards';
import { DEPARTMENT_LIST_OF_GROUP, DEPARTMENT_MAIN, PROVIDER_GROUP_OF_DEPARTMENT } from './seedDepartments';

export const PRACTICE_ID = '195900';
export const CLIENT_ID = 'sim-client-id';
export const CLIENT_SECRET = 'sim-client-secret';
export const SCOPE = 'athena/service/Athenanet.MDP.*';

// Departments, payment methods and test cards live beside this file; seed.ts is still the one place to import from.
export * from './seedDepartments';
export * from './cards';

// ---------------------------------------------------------------- patients
export const PATIENT_COUNT = 2000;
/** Patient 1, department 1, clean balance "150.5" in provider group 1 (departments "1,21") with claim details. */
export const PATIENT_WITH_BALANCES = '1';
/** Patient 2, department 1, every balance is 0 (numbers). */
export const PATIENT_WITHOUT_BALANCE = '2';
/** Patient 3, department 1: owner of APPOINTMENT_OF_OTHER_PATIENT. */
export const PATIENT_OTHER = '3';
/** Patients 4 and 5: both "Sam Okafor", different dobs. */
export const PATIENTS_SHARING_NAME: readonly string[] = ['4', '5'];
/** Patient 6, department 21: credit balance "-978.7". */
export const PATIENT_WITH_CREDIT_BALANCE = '6';
/** Patient 7, department 62: a balance that is not clean (cleanbalance false). */
export const PATIENT_IN_COLLECTIONS = '7';
/** Patient 8, department 1: no email on file. */
export const PATIENT_WITHOUT_EMAIL = '8';
/** Patient 9, department 62 (provider group 2). */
export const PATIENT_IN_CARDIOLOGY = '9';
export const UNKNOWN_PATIENT_ID = '999999';

// ---------------------------------------------------------------- appointments
export const APPOINTMENT_ID_BASE = 100000;
export function appointmentIdsOf(patientId: string | number): string[] {
	const p = Number(patientId);
	return [String(APPOINTMENT_ID_BASE + p * 10 + 1), String(APPOINTMENT_ID_BASE + p * 10 + 2)];
}
/** The patient owning a seeded appointment id, or null. */
export function patientIdOfAppointment(appointmentId: string | number): string | null {
	const n = Number(appointmentId);
	if (!Number.isInteger(n)) return null;
	const rest = n - APPOINTMENT_ID_BASE;
	const k = rest % 10;
	const p = (rest - k) / 10;
	if (rest <= 0 || (k !== 1 && k !== 2) || p < 1 || p > PATIENT_COUNT) return null;
	return String(p);
}
export function claimIdsOf(patientId: string | number): string[] {
	const p = Number(patientId);
	return [String(p * 100 + 1), String(p * 100 + 2)];
}

/** Patient 1's first appointment: copay 25, appointmentcopay an object of numbers (as recorded on /appointments/booked), status "f". */
export const APPOINTMENT_WITH_COPAY = appointmentIdsOf(1)[0];
/** Patient 1's second appointment: copay 25 and NO appointmentcopay key (as recorded on GET /appointments/{id}), status "2". */
export const APPOINTMENT_WITHOUT_APPOINTMENTCOPAY = appointmentIdsOf(1)[1];
/** @deprecated The old name of APPOINTMENT_WITHOUT_APPOINTMENTCOPAY: no recording shows appointmentcopay as an array. */
export const APPOINTMENT_WITH_COPAY_ARRAY = APPOINTMENT_WITHOUT_APPOINTMENTCOPAY;
/** Patient 2's first appointment: copay 0 (a number). */
export const APPOINTMENT_WITHOUT_COPAY = appointmentIdsOf(2)[0];
/** Patient 2's second appointment: cancelled (status "x"). */
export const APPOINTMENT_CANCELLED = appointmentIdsOf(2)[1];
/** Belongs to patient 3, not to patient 1. */
export const APPOINTMENT_OF_OTHER_PATIENT = appointmentIdsOf(3)[0];
export const UNKNOWN_APPOINTMENT_ID = '999999999';

// ---------------------------------------------------------------- seeded card payments
/** Patient 1, department 1, $25.00 Visa 1111, already settled (void refused with the business 404). */
export const SEED_EPAYMENT_SETTLED = '9001';
/** Patient 1, department 1, $40.00 MasterCard 4444, already voided (void → 409). */
export const SEED_EPAYMENT_VOIDED = '9002';
export const UNKNOWN_EPAYMENT_ID = '424242';
export const FIRST_LIVE_EPAYMENT_ID = 100001;
export const FIRST_PAYMENT_BATCH_ID = 1001;
export const DEFAULT_CLOSE_DATE = '10/31/2026';

// ---------------------------------------------------------------- generated records
/** One claim with a balance, as athena's top-level claimbalancedetails[].claimdetails[] holds it (numbers as recorded). */
export interface ClaimDetail {
	claimid: number;
	departmentid: number;
	servicedate: string;
	cleanbalance: boolean;
	patientbalance: number;
	supervisingproviderid: number;
	amount: number;
}

export interface SeedPatient {
	id: string;
	/** The JSON athena returns (without claimbalancedetails). Treat as read-only. */
	record: Readonly<Record<string, unknown>>;
	/** The top-level claimbalancedetails (with showbalancedetails=true): one entry per provider group with claims. */
	claimBalanceDetails: ReadonlyArray<Readonly<Record<string, unknown>>>;
	firstLower: string;
	lastLower: string;
	dob: string;
	departmentid: string;
}

export interface SeedAppointment {
	id: string;
	patientid: string;
	departmentid: string;
	record: Readonly<Record<string, unknown>>;
}

const FIRST_NAMES = [
	'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mateo',
	'Isabella', 'Levi', 'Amelia', 'Ezra', 'Harper', 'Asher', 'Evelyn', 'Leo', 'Abigail', 'James',
	'Ella', 'Jack', 'Scarlett', 'Henry', 'Grace', 'Owen', 'Chloe', 'Wyatt', 'Nora', 'Julian',
	'Lily', 'Caleb', 'Aria', 'Hudson', 'Zoe', 'Ethan', 'Layla', 'Miles', 'Hazel', 'Jonah',
];
const LAST_NAMES = [
	'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
	'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
	'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
	'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
	'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
];
const STREETS = ['Elm St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Pine St', 'Birch Rd', 'Walnut Way', 'Spruce Ct'];
const CITIES: Array<[string, string, string]> = [
	['Watertown', 'MA', '02472'],
	['Belmont', 'MA', '02478'],
	['Cambridge', 'MA', '02139'],
	['Chicago', 'IL', '60601'],
	['Evanston', 'IL', '60201'],
];

function money(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)}.${pad2(abs % 100)}`;
}

interface PatientSpec {
	first: string;
	last: string;
	dob: string;
	sex: 'F' | 'M';
	department: string;
	email: string | null;
	/** Balance of the patient's own provider group (cents), as athena sends it. */
	ownBalance: string | number;
	clean: boolean;
	claimSplit: number[]; // cents per claim (sum = own balance when positive)
}

function specOf(p: number): PatientSpec {
	const named: Record<number, Partial<PatientSpec>> = {
		1: { first: 'Rosa', last: 'Quintero', dob: '04/12/1978', sex: 'F', department: '1', ownBalance: '150.5', claimSplit: [10050, 5000] },
		2: { first: 'Tomas', last: 'Albright', dob: '09/30/1985', sex: 'M', department: '1', ownBalance: 0, claimSplit: [] },
		3: { first: 'Priya', last: 'Nandakumar', dob: '01/05/1990', sex: 'F', department: '1', ownBalance: '42', claimSplit: [4200] },
		4: { first: 'Sam', last: 'Okafor', dob: '03/03/1970', sex: 'M', department: '1', ownBalance: '10', claimSplit: [1000] },
		5: { first: 'Sam', last: 'Okafor', dob: '11/21/1999', sex: 'F', department: '21', ownBalance: '20', claimSplit: [2000] },
		6: { first: 'Walter', last: 'Castellanos', dob: '07/14/1962', sex: 'M', department: '21', ownBalance: '-978.7', claimSplit: [] },
		7: { first: 'Greta', last: 'Lindqvist', dob: '02/28/1955', sex: 'F', department: '62', ownBalance: '310', clean: false, claimSplit: [31000] },
		8: { first: 'Marcus', last: 'Feldman', dob: '12/01/2001', sex: 'M', department: '1', email: null, ownBalance: '75.25', claimSplit: [7525] },
		9: { first: 'Ines', last: 'Marchetti', dob: '06/17/1948', sex: 'F', department: '62', ownBalance: '64.1', claimSplit: [4000, 2410] },
	};
	const first = FIRST_NAMES[(p * 7) % FIRST_NAMES.length];
	const last = LAST_NAMES[(p * 13) % LAST_NAMES.length];
	const dob = `${pad2(1 + (p % 12))}/${pad2(1 + ((p * 5) % 28))}/${1940 + ((p * 17) % 65)}`;
	const department = ['1', '21', '62', '1', '82'][p % 5];
	const cents = p % 5 === 0 ? 0 : 500 + ((p * 7919) % 45000);
	const generated: PatientSpec = {
		first,
		last,
		dob,
		sex: p % 2 === 0 ? 'F' : 'M',
		department,
		email: `${first}.${last}${p}@example.com`.toLowerCase(),
		// athena: the number 0 when zero, else a decimal string without trailing zeros ("-978.7", "150.5").
		ownBalance: cents === 0 ? 0 : String(Number(money(cents))),
		clean: p % 11 !== 0,
		claimSplit: cents === 0 ? [] : [Math.floor(cents / 2), cents - Math.floor(cents / 2)],
	};
	const n = named[p];
	if (!n) return generated;
	const spec: PatientSpec = { ...generated, clean: true, ...n };
	if (n.email === undefined) spec.email = `${spec.first}.${spec.last}@example.com`.toLowerCase();
	return spec;
}

function buildPatient(p: number): SeedPatient {
	const s = specOf(p);
	const id = String(p);
	const ownGroup = PROVIDER_GROUP_OF_DEPARTMENT[s.department];
	const otherGroup = ownGroup === '1' ? '2' : '1';
	// Recorded on GET /patients(/{id}): exactly these four keys, providergroupid a number, cleanbalance a boolean.
	const balances: Array<Record<string, unknown>> = [
		{ balance: s.ownBalance, departmentlist: DEPARTMENT_LIST_OF_GROUP[ownGroup], providergroupid: Number(ownGroup), cleanbalance: s.clean },
		{ balance: 0, departmentlist: DEPARTMENT_LIST_OF_GROUP[otherGroup], providergroupid: Number(otherGroup), cleanbalance: true },
	];
	const claimIds = claimIdsOf(p);
	const claims: ClaimDetail[] = s.claimSplit.map((c, i) => ({
		claimid: Number(claimIds[i]),
		departmentid: Number(s.department),
		servicedate: `${pad2(1 + ((p + i) % 9))}/${pad2(1 + ((p * 3 + i) % 28))}/2026`,
		cleanbalance: s.clean,
		patientbalance: c / 100,
		supervisingproviderid: 70 + (p % 5),
		amount: (c + 2000) / 100,
	}));
	const claimBalanceDetails = claims.length
		? [Object.freeze({ providergroupid: Number(ownGroup), departmentids: DEPARTMENT_LIST_OF_GROUP[ownGroup], claimdetails: claims })]
		: [];
	const [city, state, zip] = CITIES[p % CITIES.length];
	const phone = `(617) 555-${String(1000 + (p % 9000)).padStart(4, '0')}`;
	const record: Record<string, unknown> = {
		patientid: id,
		firstname: s.first,
		lastname: s.last,
		middlename: p % 3 === 0 ? 'J' : undefined,
		dob: s.dob,
		sex: s.sex,
		...(s.email ? { email: s.email, emailexists: true } : { emailexists: false }),
		homephone: phone,
		mobilephone: `(857) 555-${String(2000 + (p % 7000)).padStart(4, '0')}`,
		address1: `${10 + (p % 990)} ${STREETS[p % STREETS.length]}`,
		city,
		state,
		zip,
		countrycode: 'USA',
		countrycode3166: 'US',
		departmentid: s.department,
		primarydepartmentid: s.department,
		primaryproviderid: String(70 + (p % 5)),
		status: 'active',
		registrationdate: `${pad2(1 + (p % 12))}/${pad2(1 + (p % 27))}/20${pad2(10 + (p % 15))}`,
		lastupdated: '10/01/2026',
		ssn: `*****${String(1000 + ((p * 37) % 9000))}`,
		driverslicense: false,
		consenttotext: p % 4 === 0,
		contactpreference: 'MOBILEPHONE',
		guarantorfirstname: s.first,
		guarantorlastname: s.last,
		guarantoraddresssameaspatient: true,
		guarantordob: s.dob,
		guarantorrelationshiptopatient: '1',
		guarantoraddress1: `${10 + (p % 990)} ${STREETS[p % STREETS.length]}`,
		guarantorcity: city,
		guarantorstate: state,
		guarantorzip: zip,
		portalaccessgiven: p % 2 === 0,
		patientphoto: false,
		privacyinformationverified: true,
		balances,
	};
	if (record.middlename === undefined) delete record.middlename;
	return {
		id,
		record: Object.freeze(record),
		claimBalanceDetails,
		firstLower: s.first.toLowerCase(),
		lastLower: s.last.toLowerCase(),
		dob: s.dob,
		departmentid: s.department,
	};
}

function buildAppointment(p: number, k: 1 | 2, patient: SeedPatient): SeedAppointment {
	const id = String(APPOINTMENT_ID_BASE + p * 10 + k);
	// Recorded only as the number 0; non-zero copays are numbers here too (athena's type for them is unrecorded).
	let copay = [25, 10, 15, 20, 0, 30, 40][p % 7];
	let status = k === 1 ? 'f' : ['2', '3', '4', 'o'][p % 4];
	if (p === 1) copay = 25;
	if (p === 2) {
		copay = 0;
		if (k === 2) status = 'x';
	}
	// Recorded as an object of numbers on /appointments/booked, and absent on GET /appointments/{id}: the first
	// appointment of each patient has it, the second does not.
	const appointmentcopay = { insurancecopay: copay, collectedforappointment: 0, collectedforother: 0 };
	const minutes = 8 * 60 + (p % 16) * 30 + (k === 2 ? 15 : 0);
	const record: Record<string, unknown> = {
		appointmentid: id,
		patientid: String(p),
		departmentid: patient.departmentid,
		date: `${k === 1 ? '11' : '12'}/${pad2(1 + (p % 28))}/2026`,
		starttime: `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`,
		duration: 30,
		appointmentstatus: status,
		appointmenttype: k === 1 ? 'Office Visit' : 'Follow Up',
		appointmenttypeid: k === 1 ? '82' : '83',
		providerid: String(70 + (p % 5)),
		copay,
		...(k === 1 ? { appointmentcopay } : {}),
		chargeentrynotrequired: false,
		coordinatorenterprise: false,
		hl7providerid: 70 + (p % 5),
		patientappointmenttypename: k === 1 ? 'Office Visit' : 'Follow Up',
		scheduledby: 'API-SIM',
		scheduleddatetime: '09/15/2026 10:12:00',
		templateappointmentid: String(900000 + p * 10 + k),
		templateappointmenttypeid: k === 1 ? '82' : '83',
		lastmodified: '09/15/2026 10:12:00',
		lastmodifiedby: 'API-SIM',
	};
	if (status === 'x') {
		record.cancelleddatetime = '10/20/2026 08:00:00';
		record.cancelreasonname = 'PATIENT CANCELLED';
		record.cancelledby = 'API-SIM';
		record.cancelreasonid = '-5';
		record.cancelreasonnoshow = false;
		record.cancelreasonslotavailable = true;
	}
	return { id, patientid: String(p), departmentid: patient.departmentid, record: Object.freeze(record) };
}

export interface SeedData {
	patients: Map<string, SeedPatient>;
	patientList: SeedPatient[];
	appointments: Map<string, SeedAppointment>;
}

let cachedSeed: SeedData | null = null;

/** The immutable seed (built once per process; never mutated by the simulator). */
export function seedData(): SeedData {
	if (cachedSeed) return cachedSeed;
	const patients = new Map<string, SeedPatient>();
	const patientList: SeedPatient[] = [];
	const appointments = new Map<string, SeedAppointment>();
	for (let p = 1; p <= PATIENT_COUNT; p++) {
		const patient = buildPatient(p);
		patients.set(patient.id, patient);
		patientList.push(patient);
		for (const k of [1, 2] as const) {
			const a = buildAppointment(p, k, patient);
			appointments.set(a.id, a);
		}
	}
	cachedSeed = { patients, patientList, appointments };
	return cachedSeed;
}

/** The seeded patient record (as GET /patients/{id} returns it, without balance details), or undefined. */
export function seedPatient(id: string | number): Readonly<Record<string, unknown>> | undefined {
	return seedData().patients.get(String(id))?.record;
}
export function seedAppointment(id: string | number): Readonly<Record<string, unknown>> | undefined {
	return seedData().appointments.get(String(id))?.record;
}

export interface SeedCardPayment {
	epaymentid: string;
	patientid: string;
	departmentid: string;
	cents: number;
	last4: string;
	cardtype: { abbreviation: string; name: string };
	voided: boolean;
	settled: boolean;
	purchaseDate: string;
	voidDate?: string;
}

/** Card payments that exist before any test runs (fresh copies each call). */
export function seedCardPayments(): SeedCardPayment[] {
	return [
		{
			epaymentid: SEED_EPAYMENT_SETTLED,
			patientid: PATIENT_WITH_BALANCES,
			departmentid: DEPARTMENT_MAIN,
			cents: 2500,
			last4: '1111',
			cardtype: cardType(CARD_APPROVED),
			voided: false,
			settled: true,
			purchaseDate: '10/02/2026 09:15:03',
		},
		{
			epaymentid: SEED_EPAYMENT_VOIDED,
			patientid: PATIENT_WITH_BALANCES,
			departmentid: DEPARTMENT_MAIN,
			cents: 4000,
			last4: '4444',
			cardtype: cardType(CARD_APPROVED_MASTERCARD),
			voided: true,
			settled: false,
			purchaseDate: '10/05/2026 14:02:41',
			voidDate: '10/05/2026 14:10:09',
		},
	];
}
