/**
 * Appointments: `GET /appointments/{id}` and `GET /appointments/booked`, as the admin calls of the feed left them
 * (appointmentFeed.ts holds that state, the changed-appointments feed and its subscription).
 */
import { type AppointmentBook, addCopay, embeddedPatient, listParam, wireRow } from './appointmentRows';
import { isTrue } from './formats';
import { type ApiRequest, type Reply, type RouteSpec, err, missing, ok, pageLink } from './replies';
import { seedData } from './seed';

/** The feed's state as the lists read it. */
export interface AppointmentLists extends AppointmentBook {
	/** The most rows one /appointments/booked page holds, whatever `limit` asks. */
	maxBookedPageSize: number;
}

export function appointmentRoutes(book: AppointmentLists): RouteSpec[] {
	return [
		{ method: 'GET', path: '/appointments/booked', handler: (request) => booked(request, book) },
		{ method: 'GET', path: '/appointments/:id', handler: (request, [id]) => getAppointment(request, id, book) },
	];
}

/** `showcopay=false` drops copay and appointmentcopay. */
function getAppointment(request: ApiRequest, id: string, book: AppointmentBook): Reply {
	const a = seedData().appointments.get(id);
	if (!a) return err(404, 'The appointment is not found.');
	const rec: Record<string, unknown> = { ...(book.record(id) ?? a.record) };
	const showCopay = request.query.get('showcopay');
	if (showCopay !== null && /^(false|n|0)$/i.test(showCopay)) {
		delete rec.copay;
		delete rec.appointmentcopay;
	} else if (rec.appointmentcopay) {
		rec.appointmentcopay = structuredClone(rec.appointmentcopay);
	}
	if (isTrue(request.query.get('showinsurance'))) {
		rec.insurances = [{ insurancepackageid: String(1000 + (Number(a.patientid) % 7)), sequencenumber: '1' }];
	}
	return ok([rec]);
}

/** mm/dd/yyyy → yyyymmdd, by its digits only (the calendar is not checked). */
function dateKey(mmddyyyy: string): number | undefined {
	const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(mmddyyyy.trim());
	return m ? Number(m[3]) * 10000 + Number(m[1]) * 100 + Number(m[2]) : undefined;
}

/** Booked appointments between `startdate` and `enddate`, filtered, sorted by date and time, paged. */
function booked({ query: asSent, practiceId }: ApiRequest, book: AppointmentLists): Reply {
	// athena reads parameter names in any case; its own next links use UPPER-CASE ones (fact 15).
	const query = new URLSearchParams();
	for (const [key, value] of asSent) query.append(key.toLowerCase(), value);
	const startText = query.get('startdate');
	const endText = query.get('enddate');
	const absent = [!startText ? 'startdate' : undefined, !endText ? 'enddate' : undefined];
	const missingFields = absent.filter((field): field is string => !!field);
	if (missingFields.length) return missing(missingFields);
	const start = dateKey(startText!);
	const end = dateKey(endText!);
	if (start === undefined || end === undefined) return err(400, 'Invalid date.', 'startdate and enddate are mm/dd/yyyy.');
	const all = bookedBetween(query, start, end, book);
	const limit = Math.min(book.maxBookedPageSize, Math.max(1, Number(query.get('limit') ?? 1500) || 1500));
	const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
	const showCopay = isTrue(query.get('showcopay'));
	const showPatient = isTrue(query.get('showpatientdetail'));
	const appointments = all.slice(offset, offset + limit).map((record) => {
		const row = wireRow(record);
		if (showCopay) addCopay(row, book);
		if (showPatient) row.patient = embeddedPatient(String(record.patientid));
		return row;
	});
	const body: Record<string, unknown> = { totalcount: all.length, appointments };
	// athena's next link: a path under /v1/{practiceid}, UPPER-CASE parameter names, offset only (fact 15).
	const link = (at: number) => pageLink({ query, practiceId }, '/appointments/booked', at);
	if (offset + limit < all.length) body.next = link(offset + limit);
	if (offset > 0) body.previous = link(Math.max(0, offset - limit));
	return ok(body);
}

/** Open slots never; cancelled ones only with `showcancelled` or `appointmentstatus=x`. */
function bookedBetween(query: URLSearchParams, start: number, end: number, book: AppointmentBook) {
	const departments = listParam(query, 'departmentid');
	const providers = listParam(query, 'providerid');
	const status = query.get('appointmentstatus');
	const patient = query.get('patientid');
	const showCancelled = isTrue(query.get('showcancelled'));
	const all: Record<string, unknown>[] = [];
	for (const [id] of seedData().appointments) {
		const record = book.record(id)!;
		const day = dateKey(String(record.date));
		if (day === undefined || day < start || day > end) continue;
		if (record.appointmentstatus === 'o') continue;
		if (record.appointmentstatus === 'x' && !showCancelled && status !== 'x') continue;
		if (status && record.appointmentstatus !== status) continue;
		if (departments.length && !departments.includes(String(record.departmentid))) continue;
		if (providers.length && !providers.includes(String(record.providerid))) continue;
		if (patient && String(record.patientid) !== patient) continue;
		all.push(record);
	}
	return all.sort((a, b) =>
		`${a.date} ${a.starttime} ${a.appointmentid}`.localeCompare(`${b.date} ${b.starttime} ${b.appointmentid}`),
	);
}
