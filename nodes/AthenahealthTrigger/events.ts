import type { IDataObject } from 'n8n-workflow';

import { appointmentSchema } from '../Athenahealth/shared/athenaSchemas';

/** The events the Trigger offers, with athena's event names (`/appointments/changed/subscription/events`). */
export const TRIGGER_EVENTS = {
	checkIn: { label: 'Check-In', athena: 'CheckIn' },
	checkOut: { label: 'Check-Out', athena: 'CheckOut' },
	scheduled: { label: 'Scheduled', athena: 'ScheduleAppointment' },
	cancelled: { label: 'Cancelled', athena: 'CancelAppointment' },
	updated: { label: 'Updated', athena: 'UpdateAppointment' },
} as const;

export type TriggerEvent = keyof typeof TRIGGER_EVENTS;

export const TRIGGER_EVENT_NAMES = Object.keys(TRIGGER_EVENTS) as TriggerEvent[];

/**
 * What the node has already seen: a key per event, with when (ms) it was emitted. Check-in, check-out, cancel and
 * scheduling happen once to an appointment, so their key is the appointment and the event; an update is keyed by
 * when athena says it was made.
 */
export type SeenEvents = Record<string, number>;

export interface ClassifiedRow {
	event: TriggerEvent;
	key: string;
	row: IDataObject;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string'
		? value.trim() || undefined
		: typeof value === 'number'
			? String(value)
			: undefined;
}

/** "mm/dd/yyyy HH:MM[:SS]" → a number that sorts in time order (no time zone needed to compare two of them). */
export function athenaTimeKey(value: unknown): number {
	const m = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text(value) ?? '');
	if (!m) return 0;
	return Number(`${m[3]}${m[1]}${m[2]}${m[4] ?? '00'}${m[5] ?? '00'}${m[6] ?? '00'}`);
}

/** One feed message: the appointment, its status and athena's time of the change. Open slots have none. */
export function rowKey(row: IDataObject): string | undefined {
	const appointmentId = text(row.appointmentid);
	if (!appointmentId || !text(row.patientid)) return undefined;
	return `${appointmentId}:row:${text(row.appointmentstatus) ?? ''}:${text(row.lastmodified) ?? text(row.cancelleddatetime) ?? ''}`;
}

/**
 * A feed row says what the appointment looks like after the change, not which event it was: the event is read from
 * the status and from what this node saw before. Open-slot rows (no patient) are no patient's event: undefined.
 */
export function classifyRow(row: IDataObject, seen: SeenEvents): ClassifiedRow | undefined {
	const appointmentId = text(row.appointmentid);
	if (!appointmentId || !text(row.patientid)) return undefined;
	const status = text(row.appointmentstatus);
	const once = (event: TriggerEvent): ClassifiedRow | undefined => {
		const key = `${appointmentId}:${event}`;
		if (seen[key] === undefined) return { event, key, row };
		// A later change to an appointment that already had this event is an update.
		return updated();
	};
	const updated = (): ClassifiedRow => ({
		event: 'updated',
		key: `${appointmentId}:updated:${status ?? ''}:${text(row.lastmodified) ?? ''}`,
		row,
	});
	switch (status) {
		case 'x':
			return once('cancelled');
		case '2':
			return once('checkIn');
		case '3':
		case '4':
			return once('checkOut');
		case 'f': {
			// A booking is a row whose last change is its scheduling.
			const scheduled = athenaTimeKey(row.scheduleddatetime);
			const modified = athenaTimeKey(row.lastmodified);
			return scheduled && (!modified || Math.abs(modified - scheduled) < 100)
				? once('scheduled')
				: updated();
		}
		case 'o':
			return undefined;
		default:
			return updated();
	}
}

export const COPAY_FIELDS = [
	'expectedCopay',
	'collectedForAppointment',
	'collectedForOther',
	'insuranceCopay',
	'copayDue',
];

/** One output item: the appointment as Appointment → Get describes it, plus what happened and when. */
export function eventItem(classified: ClassifiedRow): IDataObject {
	const { row, event } = classified;
	// The feed carries no copay (fact 18): copay figures come only from Include Copay, as Appointment → Get gives them.
	const appointment: IDataObject = { ...appointmentSchema.parse(row) };
	for (const field of COPAY_FIELDS) delete appointment[field];
	const item: IDataObject = {
		event: TRIGGER_EVENTS[event].label,
		athenaEvent: TRIGGER_EVENTS[event].athena,
		...appointment,
		providerId: text(row.providerid),
		changedAt: text(row.lastmodified) ?? text(row.cancelleddatetime) ?? text(row.scheduleddatetime),
		changedBy: text(row.lastmodifiedby) ?? text(row.cancelledby) ?? text(row.scheduledby),
	};
	if (event === 'cancelled') item.cancelReason = text(row.cancelreasonname);
	for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
	return item;
}
