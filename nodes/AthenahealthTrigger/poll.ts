import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { fetchAppointment } from '../Athenahealth/actions/appointment/get.operation';
import { AthenaClient } from '../Athenahealth/transport/athenaClient';
import type { ClassifiedRow, SeenEvents, TriggerEvent } from './events';
import {
	athenaTimeKey,
	classifyRow,
	COPAY_FIELDS,
	eventItem,
	rowKey,
	TRIGGER_EVENTS,
} from './events';
import type { FeedFilter } from './feed';
import {
	ASK_AGAIN_MS,
	ensureSubscribed,
	isNoSubscriptionError,
	notAppliedError,
	readProcessed,
	readUnprocessed,
} from './feed';

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

/** What the Trigger remembers of its subscription requests while athena applies them. */
interface SubscriptionMemory extends IDataObject {
	/** athena event → when (ms) this Trigger last asked athena to subscribe it. */
	asked?: Record<string, number>;
	/** Since when (ms) athena has refused to read the feed, unbroken; absent once a read worked. */
	refusedSince?: number;
}

/** What the node keeps in the workflow's static data. n8n saves it when the poll hands items on, and only then. */
interface TriggerState extends IDataObject {
	/** When the last poll that emitted began: every message a later, unsaved poll took was processed after it. */
	checkpoint?: number;
	seen?: SeenEvents;
	/**
	 * Kept in static data too, so that a restart does not ask again: n8n saves it with the first poll of an
	 * activation, with any poll that emits, and, with durable poll cursors, with every poll.
	 */
	subscription?: SubscriptionMemory;
}

/**
 * In this n8n process: when the subscription was last checked, what the Trigger asked of athena (also where n8n
 * saves no static data: a poll that emits nothing, a test fetch), and the start of a poll that read the feed but
 * never got its items saved (a failure before the first event was saved).
 */
interface ProcessMemory {
	subscriptionCheckedAt?: number;
	subscription?: SubscriptionMemory;
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
	const events = (context.getNodeParameter('events', []) as TriggerEvent[]).filter(
		(event) => TRIGGER_EVENTS[event],
	);
	if (!events.length)
		throw new NodeOperationError(context.getNode(), 'Choose at least one event', {
			description: 'The Trigger starts the workflow for the events chosen in "Events".',
		});
	const departmentIds = (context.getNodeParameter('departmentIds', []) as unknown[])
		.map((id) => String(id).trim())
		.filter(Boolean);
	return {
		events,
		athenaEvents: events.map((event) => TRIGGER_EVENTS[event].athena),
		filter: { departmentIds },
		includeCopay: context.getNodeParameter('includeCopay', false) as boolean,
	};
}

/** The later of the two memories of each request, and the earlier start of the refusals. */
function mergedSubscriptionMemory(
	saved: SubscriptionMemory | undefined,
	inProcess: SubscriptionMemory | undefined,
): SubscriptionMemory {
	const asked: Record<string, number> = { ...(saved?.asked ?? {}) };
	for (const [event, at] of Object.entries(inProcess?.asked ?? {}))
		asked[event] = Math.max(asked[event] ?? 0, at);
	const starts = [saved?.refusedSince, inProcess?.refusedSince].filter(
		(at): at is number => typeof at === 'number',
	);
	return { asked, ...(starts.length ? { refusedSince: Math.min(...starts) } : {}) };
}

export async function pollAppointmentEvents(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	const client = await AthenaClient.create(this, { requestsPerSecond: 5 });
	const key = `${this.getWorkflow().id ?? ''}/${this.getNode().id ?? this.getNode().name}/${settings.athenaEvents.join(',')}`;
	const mine = memory.get(key) ?? {};
	memory.set(key, mine);
	const manual = this.getMode() === 'manual';
	const state = manual ? undefined : (this.getWorkflowStaticData('node') as TriggerState);
	const subscription = mergedSubscriptionMemory(state?.subscription, mine.subscription);
	const remember = () => {
		// Requests older than the wait before asking again decide nothing: forgotten, so the state stays small.
		const now = Date.now();
		subscription.asked = Object.fromEntries(
			Object.entries(subscription.asked ?? {}).filter(([, at]) => now - at < ASK_AGAIN_MS),
		);
		const kept: SubscriptionMemory = {
			...(Object.keys(subscription.asked).length ? { asked: subscription.asked } : {}),
			...(subscription.refusedSince !== undefined
				? { refusedSince: subscription.refusedSince }
				: {}),
		};
		mine.subscription = kept;
		// Written only when it changed: n8n commits a durable poll cursor (static data) whenever it differs.
		if (state && JSON.stringify(state.subscription ?? {}) !== JSON.stringify(kept)) {
			if (Object.keys(kept).length) state.subscription = kept;
			else delete state.subscription;
		}
	};
	const subscribe = async () =>
		await ensureSubscribed(client, settings.athenaEvents, (subscription.asked ??= {}), Date.now());

	// Once per process (and on every test fetch): subscribe what is missing. Activating the workflow runs a poll.
	let addedNow: string[] = [];
	if (manual || mine.subscriptionCheckedAt === undefined) {
		addedNow = (await subscribe()).added;
		mine.subscriptionCheckedAt = Date.now();
		remember();
	}
	try {
		const result = manual
			? await testEvent(this, client, settings)
			: await nextEvents(this, client, settings, mine);
		subscription.refusedSince = undefined;
		remember();
		return result;
	} catch (error) {
		if (!isNoSubscriptionError(error)) {
			const failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error);
			throw failure;
		}
		// While athena applies a subscription every read is refused: an event it does not list yet is asked for once
		// (again only after ASK_AGAIN_MS), not at every poll.
		if (!addedNow.length && !manual) addedNow = (await subscribe()).added;
		const now = Date.now();
		subscription.refusedSince ??= now;
		remember();
		if (now - subscription.refusedSince >= APPLY_GRACE_MS)
			throw notAppliedError(this.getNode(), 'stillRefused', settings.athenaEvents);
		if (manual)
			throw notAppliedError(
				this.getNode(),
				addedNow.length ? 'justSubscribed' : 'waiting',
				addedNow.length ? addedNow : settings.athenaEvents,
			);
		return null;
	}
}

/**
 * The events since the last poll, each once. Reading the feed marks its messages processed, so a poll that fails or
 * whose items n8n never saves would lose them: every poll first reads again what athena marked processed since the
 * last saved poll (the processed-time window), and drops what it already emitted.
 */
async function nextEvents(
	context: IPollFunctions,
	client: AthenaClient,
	settings: Settings,
	mine: ProcessMemory,
): Promise<INodeExecutionData[][] | null> {
	const state = context.getWorkflowStaticData('node') as TriggerState;
	const seen: SeenEvents = { ...(state.seen ?? {}) };
	const pollStart = Date.now();
	const since = Math.min(state.checkpoint ?? Infinity, mine.unsavedReadSince ?? Infinity);
	const rows: IDataObject[] = [];
	if (Number.isFinite(since)) {
		rows.push(
			...(await readProcessed(
				client,
				settings.filter,
				Math.max(since - CLOCK_MARGIN_MS, pollStart - MAX_WINDOW_MS),
				pollStart + CLOCK_MARGIN_MS,
			)),
		);
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
async function testEvent(
	context: IPollFunctions,
	client: AthenaClient,
	settings: Settings,
): Promise<INodeExecutionData[][]> {
	const now = Date.now();
	const rows = [
		...(await readProcessed(
			client,
			settings.filter,
			now - TEST_LOOKBACK_MS,
			now + CLOCK_MARGIN_MS,
		)),
		...(await readUnprocessed(client, settings.filter, false)),
	];
	const matching = pickEvents(rows, {}, settings, now);
	const latest = matching.reduce<ClassifiedRow | undefined>(
		(best, candidate) =>
			!best || athenaTimeKey(candidate.row.lastmodified) >= athenaTimeKey(best.row.lastmodified)
				? candidate
				: best,
		undefined,
	);
	if (!latest) {
		const labels = settings.events.map((event) => TRIGGER_EVENTS[event].label).join(' or ');
		throw new NodeOperationError(
			context.getNode(),
			`No ${labels} event in athena's feed in the last 24 hours`,
			{
				description: `Nothing was taken from the feed. Make one happen in athenaOne (for example check a patient in${settings.filter.departmentIds.length ? ' in one of the chosen departments' : ''}) and fetch again. Once the workflow is active, every new event starts it.`,
			},
		);
	}
	return [await toItems(client, [latest], settings.includeCopay)];
}

/** The chosen events among the rows, in feed order, skipping any row or event already in `seen` (which it updates). */
function pickEvents(
	rows: IDataObject[],
	seen: SeenEvents,
	settings: Settings,
	at: number,
): ClassifiedRow[] {
	const picked: ClassifiedRow[] = [];
	for (const row of rows) {
		if (
			settings.filter.departmentIds.length &&
			!settings.filter.departmentIds.includes(String(row.departmentid))
		)
			continue;
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

async function toItems(
	client: AthenaClient,
	events: ClassifiedRow[],
	includeCopay: boolean,
): Promise<INodeExecutionData[]> {
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
