import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AthenaClient } from '../Athenahealth/transport/athenaClient';
import { easternDateTime } from '../Athenahealth/shared/dates';
import { AthenaApiError } from '../Athenahealth/transport/errors';

const CHANGED = '/appointments/changed';
const SUBSCRIPTION = '/appointments/changed/subscription';

/** athena's answer to a feed read before the subscription exists or has been applied (recorded, fact 25). */
const NO_SUBSCRIPTION = /require setup|subscription/i;

const APPLY_DELAY_TEXT =
	'athena takes minutes to apply a new subscription (in preview 10-15 minutes); until then every read of the feed is refused.';

export function isNoSubscriptionError(error: unknown): boolean {
	return (
		error instanceof AthenaApiError &&
		error.httpCode === '403' &&
		NO_SUBSCRIPTION.test(error.message)
	);
}

export interface FeedFilter {
	departmentIds: string[];
}

function filterQuery(filter: FeedFilter): IDataObject {
	return filter.departmentIds.length ? { departmentid: filter.departmentIds.join(',') } : {};
}

function rowsOf(body: unknown): IDataObject[] {
	const rows = (body as { appointments?: unknown } | undefined)?.appointments;
	return Array.isArray(rows)
		? (rows.filter((row) => row && typeof row === 'object') as IDataObject[])
		: [];
}

/** Unprocessed messages. With `consume`, athena marks them processed as it answers: they will not come again. */
export async function readUnprocessed(
	client: AthenaClient,
	filter: FeedFilter,
	consume: boolean,
): Promise<IDataObject[]> {
	const answer = await client.get(
		CHANGED,
		{ ...filterQuery(filter), leaveunprocessed: consume ? undefined : 'true' },
		{ action: 'read the changed-appointments feed' },
	);
	return rowsOf(answer.body);
}

/** Messages athena marked processed between two moments: what an earlier read took, read again. Changes nothing. */
export async function readProcessed(
	client: AthenaClient,
	filter: FeedFilter,
	fromMs: number,
	toMs: number,
): Promise<IDataObject[]> {
	const answer = await client.get(
		CHANGED,
		{
			...filterQuery(filter),
			showprocessedstartdatetime: easternDateTime(fromMs),
			showprocessedenddatetime: easternDateTime(toMs),
		},
		{ action: 'read the changed-appointments feed again' },
	);
	return rowsOf(answer.body);
}

/** `{"status":"ACTIVE"|"PARTIAL"|"INACTIVE","subscriptions":[{"eventname":…}]}` (recorded: fact 23). */
export function readSubscription(answer: unknown): { status: string; events: string[] } {
	const body = (answer ?? {}) as { status?: unknown; subscriptions?: unknown };
	const events = Array.isArray(body.subscriptions)
		? body.subscriptions
				.map((entry) => String((entry as { eventname?: unknown })?.eventname ?? ''))
				.filter(Boolean)
		: [];
	return { status: String(body.status ?? 'INACTIVE'), events };
}

async function subscribedEvents(
	client: AthenaClient,
): Promise<{ status: string; events: string[] }> {
	const answer = await client.get(
		SUBSCRIPTION,
		{},
		{ action: 'read the changed-appointments subscription' },
	);
	return readSubscription(answer.body);
}

/** How long the Trigger waits before it asks athena again for an event it asked for (athena applies in 5-15 min). */
export const ASK_AGAIN_MS = 30 * 60 * 1000;

/**
 * Subscribes the practice to the events it is missing, one by one (a POST with an event name adds that event; one
 * without would subscribe all nine default events). An event counts as subscribed when the subscription lists it,
 * whatever the status: PARTIAL means other events of the practice are not subscribed, not these. An event asked for
 * less than ASK_AGAIN_MS ago is not asked again (athena does not say whether a repeated request restarts its apply
 * delay). `asked` (event → ms) is updated. Never unsubscribes: the subscription belongs to the practice and the app,
 * and other workflows may read the same feed.
 */
export async function ensureSubscribed(
	client: AthenaClient,
	wanted: string[],
	asked: Record<string, number>,
	now: number,
): Promise<{ added: string[]; missing: string[] }> {
	const current = await subscribedEvents(client);
	const listed = current.status.toUpperCase() === 'INACTIVE' ? [] : current.events;
	const missing = wanted.filter((event) => !listed.includes(event));
	const added = missing.filter(
		(event) => asked[event] === undefined || now - asked[event] >= ASK_AGAIN_MS,
	);
	for (const event of added) {
		// athena answers {"success":"true"}; the type of `success` is not relied on (fact 24).
		await client.post(
			SUBSCRIPTION,
			{ eventname: event },
			{ action: `subscribe to athena's ${event} events` },
		);
		asked[event] = now;
	}
	return { added, missing };
}

/** The refusal explained: what athena said, what this node did about it, and how long athena may take. */
export function notAppliedError(
	node: INode,
	situation: 'justSubscribed' | 'waiting' | 'stillRefused',
	events: string[],
): NodeOperationError {
	const said = 'athena: Changed messages require setup (subscription) that has not been done.';
	const description =
		situation === 'justSubscribed'
			? `The practice was not subscribed to ${events.join(', ')} in athena's changed-appointments feed, so the Trigger subscribed it just now. ${APPLY_DELAY_TEXT} Events from then on are kept for the Trigger; fetch again in 15 minutes.`
			: situation === 'waiting'
				? `The practice is subscribed to ${events.join(', ')}, but athena has not applied the subscription yet. ${APPLY_DELAY_TEXT} Fetch again in a few minutes.`
				: `The practice has been subscribed to ${events.join(', ')} for more than 30 minutes and athena still refuses to read the feed. Check in the athenahealth Developer Portal that the app may use the changed-appointments subscription for this practice.`;
	return new NodeOperationError(node, said, { description });
}
