/**
 * An appointment as athena's lists send it (the changed feed and /appointments/booked), in the shapes recorded in
 * shared/athena-recorded: numbers for duration and hl7providerid, real booleans, copay figures as numbers.
 */
import { seedData } from './seed';

/** Where rows read an appointment as it is now and what was paid against its copay (AppointmentFeed is one). */
export interface AppointmentBook {
	/** The appointment as it is now (seed plus what admin calls changed). */
	record(id: string): Record<string, unknown> | undefined;
	/** Cents recorded against an appointment's copay (recordpayment/collectpayment with its appointmentid). */
	collectedCents(appointmentId: string): number;
}

/** Money in cents → athena's number form (recorded copay figures are numbers: fact 19). */
function centsToNumber(cents: number): number {
	return Math.round(cents) / 100;
}

function moneyCents(value: unknown): number {
	const n = typeof value === 'number' ? value : Number(String(value ?? '0'));
	return Number.isFinite(n) ? Math.round(n * 100) : 0;
}

/** A query parameter that may repeat and hold comma lists (`departmentid=1,21&departmentid=62`). */
export function listParam(query: URLSearchParams, name: string): string[] {
	return query
		.getAll(name)
		.flatMap((value) => value.split(','))
		.map((value) => value.trim())
		.filter(Boolean);
}

/** A record in the recorded shapes: numbers for duration / hl7providerid, real booleans (fact 20). */
export function wireRow(record: Record<string, unknown>): Record<string, unknown> {
	const row: Record<string, unknown> = { ...record };
	delete row.copay;
	delete row.appointmentcopay;
	delete row.frozenyn;
	if (row.duration !== undefined) row.duration = Number(row.duration);
	if (row.hl7providerid !== undefined) row.hl7providerid = Number(row.hl7providerid);
	row.chargeentrynotrequired = row.chargeentrynotrequired === true || row.chargeentrynotrequired === 'true';
	row.coordinatorenterprise = false;
	row.templateappointmenttypeid ??= row.appointmenttypeid;
	row.lastmodifiedby ??= row.scheduledby;
	row.lastmodified ??= row.scheduleddatetime;
	return row;
}

/** `copay` and `appointmentcopay` as recorded on /appointments/booked: numbers, the latter an object (fact 19). */
export function addCopay(row: Record<string, unknown>, book: AppointmentBook): void {
	const record = book.record(String(row.appointmentid));
	if (!record || row.patientid === undefined) return;
	const expected = moneyCents(record.copay);
	const seeded = record.appointmentcopay;
	const seededCopay = (Array.isArray(seeded) ? seeded[0] : seeded) as Record<string, unknown> | undefined;
	const collected = moneyCents(seededCopay?.collectedforappointment) + book.collectedCents(String(row.appointmentid));
	// athena describes `copay` as the expected copay taking copays already collected into account
	// (docs/athena-facts.md): what is left to collect, never below zero.
	row.copay = centsToNumber(Math.max(0, expected - collected));
	row.appointmentcopay = {
		collectedforother: centsToNumber(moneyCents(seededCopay?.collectedforother)),
		collectedforappointment: centsToNumber(collected),
		insurancecopay: centsToNumber(moneyCents(seededCopay?.insurancecopay ?? record.copay)),
	};
}

/** The patient as athena embeds it in appointment answers: string flags (fact 8). */
export function embeddedPatient(patientId: string): Record<string, unknown> | undefined {
	const patient = seedData().patients.get(patientId)?.record;
	if (!patient) return undefined;
	return {
		patientid: patientId,
		firstname: patient.firstname,
		lastname: patient.lastname,
		dob: patient.dob,
		email: patient.email,
		emailexists: patient.email ? 'true' : 'false',
	};
}
