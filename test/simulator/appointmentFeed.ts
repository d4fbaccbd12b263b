/**
 * athena's appointment lists in the simulator: the changed-data feed (`/appointments/changed`), its subscription and
 * the appointments as those calls left them, in the shapes recorded in shared/athena-recorded (facts 18-25), plus the
 * calls that make appointment events happen (check in, check out, cancel, update, open a slot; over HTTP: admin.ts).
 * `GET /appointments/{id}` and `/appointments/booked` read this state: appointments.ts.
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
import { addCopay, listParam, wireRow } from './appointmentRows';
import { InputError } from './config';
import { easternDate, easternDateTime, parseEasternDateTime } from './easternTime';
import { isTrue } from './formats';
import { type ApiRequest, type Reply, type RouteSpec, err } from './replies';
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

export interface FeedMessage {
	seq: number;
	event: string;
	appointmentid: string;
	createdAt: number;
	/** When a read marked it processed (simulated clock, ms), or null. */
	processedAt: number | null;
	row: Record<string, unknown>;
}

export type AppointmentAction = 'checkin' | 'checkout' | 'cancel' | 'update' | 'schedule';

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
		readonly collectedCents: (appointmentId: string) => number = () => 0,
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

	/** The changed feed and its subscription (the lists that read appointments are in appointments.ts). */
	routes(): RouteSpec[] {
		return [
			{ method: 'GET', path: '/appointments/changed', handler: (request) => this.changed(request) },
			{ method: 'GET', path: '/appointments/changed/subscription', handler: () => this.subscription() },
			{ method: 'GET', path: '/appointments/changed/subscription/events', handler: () => this.events() },
			{ method: 'POST', path: '/appointments/changed/subscription', handler: (request) => this.subscribe(request) },
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
	private subscription(): Reply {
		const listed = [...this.subscribed.keys()].filter((event) => this.listsPendingEvents || this.applied(event));
		if (listed.length === 0) return { status: 200, body: { status: 'INACTIVE', subscriptions: [] } };
		const status = DEFAULT_EVENTS.every((event) => listed.includes(event)) ? 'ACTIVE' : 'PARTIAL';
		return { status: 200, body: { status, subscriptions: listed.map((eventname) => ({ eventname })) } };
	}

	private events(): Reply {
		return { status: 200, body: { subscriptions: SUBSCRIBABLE_EVENTS.map((eventname) => ({ eventname })) } };
	}

	/** Not a payment write: the form is read as sent (the last value of a repeated name wins). */
	private subscribe({ rawBody }: ApiRequest): Reply {
		const form: Record<string, string> = Object.fromEntries(new URLSearchParams(rawBody));
		const name = form.eventname?.trim();
		if (name && !(SUBSCRIBABLE_EVENTS as readonly string[]).includes(name)) {
			return err(400, 'Invalid event name.', `${name} is not an event of /appointments/changed/subscription/events.`);
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
	private changed({ query }: ApiRequest): Reply {
		if (![...this.subscribed.keys()].some((event) => this.applied(event))) return err(403, NO_SUBSCRIPTION_ERROR);
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
				return err(400, 'Invalid processed date-time.', 'Use mm/dd/yyyy hh24:mi:ss.');
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
					if (showCopay) addCopay(row, this);
					return row;
				}),
			},
		};
	}

	/** The messages, for tests (copies). */
	feed(): FeedMessage[] {
		return this.messages.map((message) => ({ ...message, row: { ...message.row } }));
	}

	// ---------------------------------------------------------------- making events happen
	/**
	 * Check in / check out / cancel / update / schedule an appointment, as the front desk would in athenaOne. A check-in
	 * or check-out moves the appointment to today (it happens on the visit day), so "today's" lists see it.
	 */
	act(action: AppointmentAction, appointmentId: string, options: { date?: string; reason?: string } = {}): { appointment: Record<string, unknown>; messages: number } {
		const current = this.record(appointmentId);
		if (!current) throw new InputError(`appointment ${appointmentId} is not in the seed`);
		const now = this.now();
		const next: Record<string, unknown> = { ...current };
		const stamp = easternDateTime(now);
		next.lastmodified = stamp;
		next.lastmodifiedby = 'API-SIM';
		let event: string;
		switch (action) {
			case 'checkin':
				if (current.appointmentstatus === '2' || current.appointmentstatus === 'x') {
					throw new InputError('This appointment has already been checked in or cancelled.');
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
		return { appointment: next, messages: this.publish(event, wireRow(next)) };
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
}
