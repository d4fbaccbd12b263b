import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { fetchAppointment } from '../Athenahealth/actions/appointment/get.operation';
import { AthenaClient } from '../Athenahealth/transport/athenaClient';
import type { ClassifiedRow, SeenEvents, TriggerEvent } from './events';
import { athenaTimeKey, classifyRow, COPAY_FIELDS, eventItem, rowKey, TRIGGER_EVENTS } from './events';
import type { FeedFilter } from './feed';
import { ensureSubscribed, isNoSubscriptionError, notAppliedError, readProcessed, readUnprocessed } from './feed';

/** athena's clock and n8n's may differ: every processed-time window starts this much earlier. */
const CLOCK_MARGIN_MS = 5 * 60 * 1000;
/** The longest processed-time window read again (athena means it "for a short period of time only"). */
const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;
/** How long emitted events are remembered (a check-in is remembered so that a later change to it is an update). */
const SEEN_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_SEEN = 20000;
/** How long the Trigger waits, without failing, for athena to apply a subscription. */
const APPLY_GRACE_MS = 30 * 60 * 1000;
/** "Fetch test event" looks this far back. */
const TEST_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/** What the node keeps in the workflow's static data. n8n saves it when the poll hands items on, and only then. */
interface TriggerState extends IDataObject {
	/** When the last poll that emitted began: every message a later, unsaved poll took was processed after it. */
	checkpoint?: number;
	seen?: SeenEvents;
}

/**
 * In this n8n process: when the subscription was last checked and since when athena has been applying it, and the
 * start of a poll that read the feed but never got its items saved (a failure before the first event was saved).
 */
interface ProcessMemory {
	subscriptionCheckedAt?: number;
	applyingSince?: number;
	unsavedReadSince?: number;
}
const memory = new Map<string, ProcessMemory>();

interface Settings {
	events: TriggerEvent[];
	athenaEvents: string[];
	filter: FeedFilter;
	includeCopay: boolean;
}

function readSettings(context: IPollFunctions): Settings {
	const events = (context.getNodeParameter('events', []) as TriggerEvent[]).filter((event) => TRIGGER_EVENTS[event]);
	if (!events.length) throw new NodeOperationError(context.getNode(), 'Choose at least one event', { description: 'The Trigger starts the workflow for the events chosen in "Events".' });
	const departmentIds = (context.getNodeParameter('departmentIds', []) as unknown[]).map((id) => String(id).trim()).filter(Boolean);
	return {
		events,
		athenaEvents: events.map((event) => TRIGGER_EVENTS[event].athena),
		filter: { departmentIds },
		includeCopay: context.getNodeParameter('includeCopay', false) as boolean,
	};
}

export async function pollAppointmentEvents(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	const client = await AthenaClient.create(this, { requestsPerSecond: 5 });
	const key = `${this.getWorkflow().id ?? ''}/${this.getNode().id ?? this.getNode().name}/${settings.athenaEvents.join(',')}`;
	const mine = memory.get(key) ?? {};
	memory.set(key, mine);
	const manual = this.getMode() === 'manual';

	// Once per process (and on every test fetch): subscribe what is missing. Activating the workflow runs a poll.
	let addedNow: string[] = [];
	if (manual || mine.subscriptionCheckedAt === undefined) {
		addedNow = await ensureSubscribed(client, settings.athenaEvents);
		mine.subscriptionCheckedAt = Date.now();
		if (addedNow.length) mine.applyingSince = Date.now();
	}
	try {
		const result = manual ? await testEvent(this, client, settings) : await nextEvents(this, client, settings, mine);
		mine.applyingSince = undefined;
		return result;
	} catch (error) {
		if (!isNoSubscriptionError(error)) {
			const failure = error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
			throw failure;
		}
		if (!addedNow.length && !manual) addedNow = await ensureSubscribed(client, settings.athenaEvents);
		const now = Date.now();
		if (addedNow.length) {
			mine.applyingSince = now;
			if (manual) throw notAppliedError(this.getNode(), 'justSubscribed', addedNow);
			return null;
		}
		mine.applyingSince ??= now;
		if (now - mine.applyingSince < APPLY_GRACE_MS) {
			if (manual) throw notAppliedError(this.getNode(), 'waiting', settings.athenaEvents);
			return null;
		}
		throw notAppliedError(this.getNode(), 'stillRefused', settings.athenaEvents);
	}
}

/**
 * The events since the last poll, each once. Reading the feed marks its messages processed, so a poll that fails or
 * whose items n8n never saves would lose them: every poll first reads again what athena marked processed since the
 * last saved poll (the processed-time window), and drops what it already emitted.
 */
async function nextEvents(context: IPollFunctions, client: AthenaClient, settings: Settings, mine: ProcessMemory): Promise<INodeExecutionData[][] | null> {
	const state = context.getWorkflowStaticData('node') as TriggerState;
	const seen: SeenEvents = { ...(state.seen ?? {}) };
	const pollStart = Date.now();
	const since = Math.min(state.checkpoint ?? Infinity, mine.unsavedReadSince ?? Infinity);
	const rows: IDataObject[] = [];
	if (Number.isFinite(since)) {
		rows.push(...(await readProcessed(client, settings.filter, Math.max(since - CLOCK_MARGIN_MS, pollStart - MAX_WINDOW_MS), pollStart + CLOCK_MARGIN_MS)));
	}
	mine.unsavedReadSince ??= pollStart;
	rows.push(...(await readUnprocessed(client, settings.filter, true)));

	const fresh = pickEvents(rows, seen, settings, pollStart);
	if (!fresh.length) {
		// Nothing to hand on, so n8n saves nothing, and nothing read here needs reading again. (What was learnt about
		// events not chosen is given up with it.)
		mine.unsavedReadSince = undefined;
		return null;
	}
	const items = await toItems(client, fresh, settings.includeCopay);
	state.checkpoint = pollStart;
	state.seen = pruned(seen, pollStart);
	mine.unsavedReadSince = undefined;
	return [items];
}

/** "Fetch test event": the latest matching event of the last day, read without consuming anything. */
async function testEvent(context: IPollFunctions, client: AthenaClient, settings: Settings): Promise<INodeExecutionData[][]> {
	const now = Date.now();
	const rows = [
		...(await readProcessed(client, settings.filter, now - TEST_LOOKBACK_MS, now + CLOCK_MARGIN_MS)),
		...(await readUnprocessed(client, settings.filter, false)),
	];
	const matching = pickEvents(rows, {}, settings, now);
	const latest = matching.reduce<ClassifiedRow | undefined>(
		(best, candidate) => (!best || athenaTimeKey(candidate.row.lastmodified) >= athenaTimeKey(best.row.lastmodified) ? candidate : best),
		undefined,
	);
	if (!latest) {
		const labels = settings.events.map((event) => TRIGGER_EVENTS[event].label).join(' or ');
		throw new NodeOperationError(context.getNode(), `No ${labels} event in athena's feed in the last 24 hours`, {
			description: `Nothing was taken from the feed. Make one happen in athenaOne (for example check a patient in${settings.filter.departmentIds.length ? ' in one of the chosen departments' : ''}) and fetch again. Once the workflow is active, every new event starts it.`,
		});
	}
	return [await toItems(client, [latest], settings.includeCopay)];
}

/** The chosen events among the rows, in feed order, skipping any row or event already in `seen` (which it updates). */
function pickEvents(rows: IDataObject[], seen: SeenEvents, settings: Settings, at: number): ClassifiedRow[] {
	const picked: ClassifiedRow[] = [];
	for (const row of rows) {
		if (settings.filter.departmentIds.length && !settings.filter.departmentIds.includes(String(row.departmentid))) continue;
		const identity = rowKey(row);
		if (!identity || seen[identity] !== undefined) continue;
		const classified = classifyRow(row, seen);
		if (!classified) continue;
		seen[identity] = at;
		if (seen[classified.key] !== undefined) continue;
		seen[classified.key] = at;
		if (settings.events.includes(classified.event)) picked.push(classified);
	}
	return picked;
}

async function toItems(client: AthenaClient, events: ClassifiedRow[], includeCopay: boolean): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const event of events) {
		const json = eventItem(event);
		if (includeCopay && typeof json.appointmentId === 'string') {
			const appointment = await fetchAppointment(client, json.appointmentId);
			for (const field of COPAY_FIELDS) {
				if (appointment[field] !== undefined) json[field] = appointment[field];
			}
		}
		items.push({ json });
	}
	return items;
}

function pruned(seen: SeenEvents, now: number): SeenEvents {
	const kept = Object.entries(seen)
		.filter(([, at]) => at >= now - SEEN_RETENTION_MS)
		.sort((a, b) => b[1] - a[1])
		.slice(0, MAX_SEEN);
	return Object.fromEntries(kept);
}
