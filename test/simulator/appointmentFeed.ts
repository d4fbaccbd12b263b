/* eslint-disable @n8n/community-nodes/require-node-api-error -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * athena's appointment lists in the simulator: the changed-data feed (`/appointments/changed`), its subscription and
 * `/appointments/booked`, in the shapes recorded in shared/athena-recorded (facts 18-25), plus admin calls that make
 * appointment events happen (check in, check out, cancel, update, open a slot).
 *
 * How athena's feed behaves, as modelled here:
 *  - nothing is recorded and every read is 403 "Changed messages require setup (subscription) that has not been done."
 *    until a subscription exists and has been applied; athena takes minutes to apply one (preview: 10-15), here
 *    `applyDelaySeconds` (0 by default, so tests need not wait; the demo sets it).
 *  - a change to an appointment becomes one message per subscribed event; a read returns the unprocessed messages and
 *    marks them processed at that moment, unless `leaveunprocessed=true`.
 *  - `showprocessedstartdatetime` / `showprocessedenddatetime` (mm/dd/yyyy HH:MM:SS, US Eastern) re-read messages
 *    processed in that window; such a read changes nothing.
 *  - rows carry no copay unless `showcopay=true` (fact 18); open-slot rows have no patientid, scheduledby or lastmodified.
 */
import { easternDate, easternDateTime, parseEasternDateTime } from './easternTime';
import { DEPARTMENT_IDS, seedData } from './seed';

/** The events `/subscription/events` lists (recorded: go-eleanor ListSubscriptionEvents.json). */
export const SUBSCRIBABLE_EVENTS = [
	'ScheduleAppointment',
	'CheckIn',
	'CheckOut',
	'UpdateAppointment',
	'CancelAppointment',
	'UpdateReminderCall',
	'UpdateSuggestedOverbooking',
	'FreezeAppointment',
	'UnfreezeAppointment',
	'DeleteAppointment',
	'AddAppointmentSlot',
] as const;
/** What `POST …/subscription` without `eventname` subscribes: all but the two opt-in ones (9, as recorded). */
const DEFAULT_EVENTS = SUBSCRIBABLE_EVENTS.filter((event) => event !== 'UpdateReminderCall' && event !== 'UpdateSuggestedOverbooking');

export const NO_SUBSCRIPTION_ERROR = 'Changed messages require setup (subscription) that has not been done.';

export interface FeedReply {
	status: number;
	body?: unknown;
	blankLines?: boolean;
}

export interface FeedRequest {
	query: URLSearchParams;
	form: Record<string, string>;
	practiceId: string;
}

export interface FeedMessage {
	seq: number;
	event: string;
	appointmentid: string;
	createdAt: number;
	/** When a read marked it processed (simulated clock, ms), or null. */
	processedAt: number | null;
	row: Record<string, unknown>;
}

type AdminAction = 'checkin' | 'checkout' | 'cancel' | 'update' | 'schedule';

function dateKey(mmddyyyy: string): number | undefined {
	const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(mmddyyyy.trim());
	return m ? Number(m[3]) * 10000 + Number(m[1]) * 100 + Number(m[2]) : undefined;
}

function isTrue(value: string | null): boolean {
	return value !== null && /^(true|y|yes|1)$/i.test(value);
}

function listParam(query: URLSearchParams, name: string): string[] {
	return query
		.getAll(name)
		.flatMap((value) => value.split(','))
		.map((value) => value.trim())
		.filter(Boolean);
}

function error(status: number, text: string, detailedmessage?: string): FeedReply {
	return { status, body: detailedmessage ? { error: text, detailedmessage } : { error: text }, blankLines: true };
}

/** Money in cents → athena's number form (recorded copay figures are numbers: fact 19). */
function centsToNumber(cents: number): number {
	return Math.round(cents) / 100;
}

function moneyCents(value: unknown): number {
	const n = typeof value === 'number' ? value : Number(String(value ?? '0'));
	return Number.isFinite(n) ? Math.round(n * 100) : 0;
}

export class AppointmentFeed {
	private live = new Map<string, Record<string, unknown>>();
	private messages: FeedMessage[] = [];
	private subscribed = new Map<string, number>(); // event -> subscribed at (ms)
	private subscribedDepartments: string[] = [];
	private seq = 0;
	private nextSlotId = 500001;
	applyDelaySeconds = 0;
	/** Whether GET …/subscription lists an event athena has not applied yet (athena does not say; default yes). */
	listsPendingEvents = true;
	/** The most rows one /appointments/booked page holds, whatever `limit` asks (tests lower it to see paging). */
	maxBookedPageSize = 5000;

	constructor(
		private readonly now: () => number,
		/** Cents recorded against an appointment's copay (recordpayment/collectpayment with its appointmentid). */
		private readonly collectedCents: (appointmentId: string) => number = () => 0,
	) {}

	reset(): void {
		this.live.clear();
		this.messages = [];
		this.subscribed.clear();
		this.subscribedDepartments = [];
		this.seq = 0;
		this.nextSlotId = 500001;
		this.applyDelaySeconds = 0;
		this.listsPendingEvents = true;
		this.maxBookedPageSize = 5000;
	}

	/** The appointment as it is now (seed plus what admin calls changed), for GET /appointments/{id}. */
	record(id: string): Record<string, unknown> | undefined {
		return this.live.get(id) ?? (seedData().appointments.get(id)?.record as Record<string, unknown> | undefined);
	}

	/** Routes, to be placed before `/appointments/:id` (which would otherwise match `booked` and `changed`). */
	routes(): Array<{ method: 'GET' | 'POST'; path: string; handle: (request: FeedRequest) => FeedReply }> {
		return [
			{ method: 'GET', path: '/appointments/booked', handle: (request) => this.booked(request) },
			{ method: 'GET', path: '/appointments/changed', handle: (request) => this.changed(request) },
			{ method: 'GET', path: '/appointments/changed/subscription', handle: () => this.subscription() },
			{ method: 'GET', path: '/appointments/changed/subscription/events', handle: () => this.events() },
			{ method: 'POST', path: '/appointments/changed/subscription', handle: (request) => this.subscribe(request) },
		];
	}

	// ---------------------------------------------------------------- subscription
	private applied(event: string): boolean {
		const at = this.subscribed.get(event);
		return at !== undefined && this.now() >= at + this.applyDelaySeconds * 1000;
	}

	/**
	 * athena's statuses are ACTIVE, INACTIVE and PARTIAL; PARTIAL is played as "some events subscribed, not all of
	 * the default ones" (what athena means by it exactly is not documented). Events are listed as soon as they are
	 * asked for, before athena has applied them, unless `listsPendingEvents` is off.
	 */
	private subscription(): FeedReply {
		const listed = [...this.subscribed.keys()].filter((event) => this.listsPendingEvents || this.applied(event));
		if (listed.length === 0) return { status: 200, body: { status: 'INACTIVE', subscriptions: [] } };
		const status = DEFAULT_EVENTS.every((event) => listed.includes(event)) ? 'ACTIVE' : 'PARTIAL';
		return { status: 200, body: { status, subscriptions: listed.map((eventname) => ({ eventname })) } };
	}

	private events(): FeedReply {
		return { status: 200, body: { subscriptions: SUBSCRIBABLE_EVENTS.map((eventname) => ({ eventname })) } };
	}

	private subscribe({ form }: FeedRequest): FeedReply {
		const name = form.eventname?.trim();
		if (name && !(SUBSCRIBABLE_EVENTS as readonly string[]).includes(name)) {
			return error(400, 'Invalid event name.', `${name} is not an event of /appointments/changed/subscription/events.`);
		}
		const events = name ? [name] : DEFAULT_EVENTS;
		const at = this.now();
		for (const event of events) if (!this.subscribed.has(event)) this.subscribed.set(event, at);
		if (form.departmentids) this.subscribedDepartments = form.departmentids.split(',').map((id) => id.trim()).filter(Boolean);
		// Recorded: {"success":"true"}, success a string (fact 24).
		return { status: 200, body: { success: 'true' } };
	}

	/** Subscribe as another app or athenaOne's own setup would (all nine default events unless named). */
	subscribeEvents(events: readonly string[] = DEFAULT_EVENTS): void {
		for (const event of events) if (!this.subscribed.has(event)) this.subscribed.set(event, this.now());
	}

	unsubscribe(): void {
		this.subscribed.clear();
	}

	// ---------------------------------------------------------------- the feed
	private changed({ query }: FeedRequest): FeedReply {
		if (![...this.subscribed.keys()].some((event) => this.applied(event))) return error(403, NO_SUBSCRIPTION_ERROR);
		const departments = listParam(query, 'departmentid');
		const patients = listParam(query, 'patientid');
		const providers = listParam(query, 'providerid');
		const matches = (message: FeedMessage) =>
			(departments.length === 0 || departments.includes(String(message.row.departmentid))) &&
			(patients.length === 0 || patients.includes(String(message.row.patientid))) &&
			(providers.length === 0 || providers.includes(String(message.row.providerid)));

		const startText = query.get('showprocessedstartdatetime');
		const endText = query.get('showprocessedenddatetime');
		let rows: FeedMessage[];
		if (startText !== null || endText !== null) {
			const start = startText === null ? -Infinity : parseEasternDateTime(startText);
			const end = endText === null ? this.now() : parseEasternDateTime(endText);
			if (start === undefined || end === undefined) {
				return error(400, 'Invalid processed date-time.', 'Use mm/dd/yyyy hh24:mi:ss.');
			}
			// The end is inclusive to the second athena's format can express.
			rows = this.messages.filter((m) => m.processedAt !== null && m.processedAt >= start && m.processedAt < end + 1000 && matches(m));
		} else {
			rows = this.messages.filter((m) => m.processedAt === null && matches(m));
			if (!isTrue(query.get('leaveunprocessed'))) {
				const at = this.now();
				for (const message of rows) message.processedAt = at;
			}
		}
		const showCopay = isTrue(query.get('showcopay'));
		return {
			status: 200,
			body: {
				totalcount: rows.length,
				appointments: rows.map((message) => {
					const row = { ...message.row };
					if (showCopay) this.addCopay(row);
					return row;
				}),
			},
		};
	}

	/** The messages, for tests (copies). */
	feed(): FeedMessage[] {
		return this.messages.map((message) => ({ ...message, row: { ...message.row } }));
	}

	// ---------------------------------------------------------------- booked
	private booked({ query: asSent, practiceId }: FeedRequest): FeedReply {
		// athena reads parameter names in any case; its own next links use UPPER-CASE ones (fact 15).
		const query = new URLSearchParams();
		for (const [key, value] of asSent) query.append(key.toLowerCase(), value);
		const startText = query.get('startdate');
		const endText = query.get('enddate');
		const missing = [!startText ? 'startdate' : undefined, !endText ? 'enddate' : undefined].filter((field): field is string => !!field);
		if (missing.length) {
			return { status: 400, body: { error: 'Additional fields are required.', detailedmessage: `Missing required fields: ${missing.join(', ')}.`, missingfields: missing }, blankLines: true };
		}
		const start = dateKey(startText!);
		const end = dateKey(endText!);
		if (start === undefined || end === undefined) return error(400, 'Invalid date.', 'startdate and enddate are mm/dd/yyyy.');
		const departments = listParam(query, 'departmentid');
		const providers = listParam(query, 'providerid');
		const status = query.get('appointmentstatus');
		const patient = query.get('patientid');
		const showCancelled = isTrue(query.get('showcancelled'));
		const all: Record<string, unknown>[] = [];
		for (const [id] of seedData().appointments) {
			const record = this.record(id)!;
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
		all.sort((a, b) => `${a.date} ${a.starttime} ${a.appointmentid}`.localeCompare(`${b.date} ${b.starttime} ${b.appointmentid}`));
		const limit = Math.min(this.maxBookedPageSize, Math.max(1, Number(query.get('limit') ?? 1500) || 1500));
		const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
		const showCopay = isTrue(query.get('showcopay'));
		const showPatient = isTrue(query.get('showpatientdetail'));
		const appointments = all.slice(offset, offset + limit).map((record) => {
			const row = this.wireRow(record);
			if (showCopay) this.addCopay(row);
			if (showPatient) row.patient = this.embeddedPatient(String(record.patientid));
			return row;
		});
		const body: Record<string, unknown> = { totalcount: all.length, appointments };
		const link = (at: number) => {
			// athena's next link: a path under /v1/{practiceid}, UPPER-CASE parameter names, offset only (fact 15).
			const q = new URLSearchParams();
			for (const [key, value] of query) if (key !== 'offset' && key !== 'limit') q.append(key.toUpperCase(), value);
			q.set('offset', String(at));
			return `/v1/${practiceId}/appointments/booked?${q.toString()}`;
		};
		if (offset + limit < all.length) body.next = link(offset + limit);
		if (offset > 0) body.previous = link(Math.max(0, offset - limit));
		return { status: 200, body };
	}

	/** The patient as athena embeds it in appointment answers: string flags (fact 8). */
	private embeddedPatient(patientId: string): Record<string, unknown> | undefined {
		const patient = seedData().patients.get(patientId)?.record;
		if (!patient) return undefined;
		return { patientid: patientId, firstname: patient.firstname, lastname: patient.lastname, dob: patient.dob, email: patient.email, emailexists: patient.email ? 'true' : 'false' };
	}

	/** A record in the recorded shapes: numbers for duration / hl7providerid, real booleans (fact 20). */
	private wireRow(record: Record<string, unknown>): Record<string, unknown> {
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
	private addCopay(row: Record<string, unknown>): void {
		const record = this.record(String(row.appointmentid));
		if (!record || row.patientid === undefined) return;
		const expected = moneyCents(record.copay);
		const seeded = record.appointmentcopay;
		const seededCopay = (Array.isArray(seeded) ? seeded[0] : seeded) as Record<string, unknown> | undefined;
		const collected = moneyCents(seededCopay?.collectedforappointment) + this.collectedCents(String(row.appointmentid));
		// athena describes `copay` as the expected copay taking copays already collected into account
		// (docs/athena-facts.md): what is left to collect, never below zero.
		row.copay = centsToNumber(Math.max(0, expected - collected));
		row.appointmentcopay = {
			collectedforother: centsToNumber(moneyCents(seededCopay?.collectedforother)),
			collectedforappointment: centsToNumber(collected),
			insurancecopay: centsToNumber(moneyCents(seededCopay?.insurancecopay ?? record.copay)),
		};
	}

	// ---------------------------------------------------------------- making events happen
	/**
	 * Check in / check out / cancel / update / schedule an appointment, as the front desk would in athenaOne. A check-in
	 * or check-out moves the appointment to today (it happens on the visit day), so "today's" lists see it.
	 */
	act(action: AdminAction, appointmentId: string, options: { date?: string; reason?: string } = {}): { appointment: Record<string, unknown>; messages: number } {
		const current = this.record(appointmentId);
		if (!current) throw new FeedInputError(`appointment ${appointmentId} is not in the seed`);
		const now = this.now();
		const next: Record<string, unknown> = { ...current };
		const stamp = easternDateTime(now);
		next.lastmodified = stamp;
		next.lastmodifiedby = 'API-SIM';
		let event: string;
		switch (action) {
			case 'checkin':
				if (current.appointmentstatus === '2' || current.appointmentstatus === 'x') {
					throw new FeedInputError('This appointment has already been checked in or cancelled.');
				}
				next.appointmentstatus = '2';
				next.date = options.date ?? easternDate(now);
				next.checkindatetime = stamp;
				event = 'CheckIn';
				break;
			case 'checkout':
				next.appointmentstatus = '3';
				next.date = options.date ?? (current.appointmentstatus === '2' ? current.date : easternDate(now));
				next.checkoutdatetime = stamp;
				event = 'CheckOut';
				break;
			case 'cancel':
				next.appointmentstatus = 'x';
				next.cancelleddatetime = stamp;
				next.cancelledby = 'API-SIM';
				next.cancelreasonid = '-5';
				next.cancelreasonname = options.reason ?? 'CANCELLED FROM API';
				next.cancelreasonnoshow = false;
				next.cancelreasonslotavailable = true;
				event = 'CancelAppointment';
				break;
			case 'schedule':
				next.appointmentstatus = 'f';
				next.date = options.date ?? current.date;
				next.scheduleddatetime = stamp;
				next.scheduledby = 'API-SIM';
				event = 'ScheduleAppointment';
				break;
			default:
				if (options.date) next.date = options.date;
				event = 'UpdateAppointment';
		}
		this.live.set(appointmentId, next);
		return { appointment: next, messages: this.publish(event, this.wireRow(next)) };
	}

	/** An open slot appears (AddAppointmentSlot): a row with no patient, scheduledby or lastmodified (fact 22). */
	openSlot(departmentId: string = DEPARTMENT_IDS[0]): { appointmentid: string; messages: number } {
		const id = String(this.nextSlotId++);
		const row: Record<string, unknown> = {
			date: easternDate(this.now()),
			appointmentid: id,
			starttime: '16:30',
			departmentid: departmentId,
			appointmentstatus: 'o',
			duration: 15,
			templateappointmenttypeid: '82',
			hl7providerid: 71,
			appointmenttypeid: '82',
			appointmenttype: 'Office Visit',
			providerid: '71',
			chargeentrynotrequired: false,
			coordinatorenterprise: false,
			templateappointmentid: id,
			patientappointmenttypename: 'Office Visit',
		};
		return { appointmentid: id, messages: this.publish('AddAppointmentSlot', row) };
	}

	private publish(event: string, row: Record<string, unknown>): number {
		if (!this.applied(event)) return 0;
		if (this.subscribedDepartments.length && !this.subscribedDepartments.includes(String(row.departmentid))) return 0;
		this.messages.push({ seq: ++this.seq, event, appointmentid: String(row.appointmentid), createdAt: this.now(), processedAt: null, row });
		return 1;
	}

	// ---------------------------------------------------------------- admin API
	/** `/__admin/appointments/…` calls; undefined when the path is not one of them. */
	admin(method: string, path: string, input: Record<string, unknown>): { status: number; body: unknown } | undefined {
		const rest = path.replace(/^\/__admin\/appointments/, '');
		if (rest === path) return undefined;
		try {
			const act = /^\/([^/]+)\/(checkin|checkout|cancel|update|schedule)$/.exec(rest);
			if (method === 'POST' && act) {
				return { status: 200, body: this.act(act[2] as AdminAction, act[1], { date: input.date as string | undefined, reason: input.reason as string | undefined }) };
			}
			if (method === 'POST' && rest === '/open-slot') return { status: 200, body: this.openSlot(input.departmentid as string | undefined) };
			if (method === 'GET' && rest === '/feed') return { status: 200, body: { messages: this.feed() } };
			if (method === 'POST' && rest === '/subscription-delay') {
				const seconds = input.seconds;
				if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw new FeedInputError('seconds must be a non-negative number');
				this.applyDelaySeconds = seconds;
				return { status: 200, body: { ok: true } };
			}
			if (method === 'DELETE' && rest === '/subscription') {
				this.unsubscribe();
				return { status: 200, body: { ok: true } };
			}
			return { status: 404, body: { error: `no admin route ${method} ${path}` } };
		} catch (caught) {
			if (caught instanceof FeedInputError) return { status: 400, body: { error: caught.message } };
			throw caught;
		}
	}
}

export class FeedInputError extends Error {}

/** The admin calls over HTTP, for a simulator in another process (the real-n8n suite, the demo). */
export class AppointmentFeedAdmin {
	constructor(private readonly baseUrl: string) {}

	private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/__admin/appointments${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`simulator admin ${method} ${path} failed: ${response.status} ${text}`);
		return JSON.parse(text) as T;
	}

	act(action: AdminAction, appointmentId: string, options: { date?: string; reason?: string } = {}): Promise<{ appointment: Record<string, unknown>; messages: number }> {
		return this.call('POST', `/${encodeURIComponent(appointmentId)}/${action}`, options);
	}

	openSlot(departmentid?: string): Promise<{ appointmentid: string; messages: number }> {
		return this.call('POST', '/open-slot', { departmentid });
	}

	async feed(): Promise<FeedMessage[]> {
		return (await this.call<{ messages: FeedMessage[] }>('GET', '/feed')).messages;
	}

	async setApplyDelay(seconds: number): Promise<void> {
		await this.call('POST', '/subscription-delay', { seconds });
	}
}
