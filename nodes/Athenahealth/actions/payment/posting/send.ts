import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runWithLimit } from '../../../shared/pool';
import type { AthenaClient } from '../../../transport/athenaClient';
import { AthenaApiError } from '../../../transport/errors';
import type { PostingMemory } from './memory';
import { claimKeys, skipReason } from './memory';
import { fileOutcome, noteKeyHeld, notSent, toSend } from './rowOutcome';
import { FAILURE_STATUSES } from './statuses';
import type {
	PaymentCommon,
	PostedIds,
	PostingSettings,
	PostingSpec,
	Row,
	RowKeys,
	RowToSend,
} from './types';

/** What sending needs besides the row. */
interface Sending<TInput extends PaymentCommon> {
	context: IExecuteFunctions;
	client: AthenaClient;
	spec: PostingSpec<TInput>;
	memory?: PostingMemory;
	/** True once the node must stop (a failed row without Continue On Fail): no lane sends anything more. */
	mustStop: () => boolean;
}

/**
 * Sends every row still to be sent, a few at a time, never one whose key is held. Every row comes out with a status:
 * whatever escapes a row makes it `unknown`; rows no lane reached because the node stopped are `failed`, not sent.
 */
export async function sendAll<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
	rows: Array<Row<TInput>>,
	memory: PostingMemory | undefined,
): Promise<void> {
	const node = context.getNode();
	const continueOnFail = context.continueOnFail();
	const mustStop = () =>
		!continueOnFail && rows.some((row) => row.status && FAILURE_STATUSES.includes(row.status));
	const sending: Sending<TInput> = { context, client, spec, memory, mustStop };
	// The rows to send, in the order they are sent: the memory claims their keys a chunk of rows ahead.
	const toClaim = rows.filter((row) => toSend(row) && row.key);
	memory?.plan(
		toClaim.map((row) => ({ keys: keysOf(row), postAgain: row.postAgain === true })),
		settings.concurrency,
		mustStop,
	);
	await runWithLimit(
		rows.length,
		settings.concurrency,
		async (index) => {
			const row = rows[index];
			if (!toSend(row)) return;
			try {
				await sendRow(sending, row);
			} catch (error) {
				// The engine never throws past its rows: whatever escaped, the row comes out with its status.
				const escaped = new NodeOperationError(
					node,
					`The outcome of this row is not known: ${(error as Error).message}`,
					{ itemIndex: row.itemIndex },
				);
				fileOutcome(row, row.status ?? 'unknown', { error: escaped.message }, escaped);
			}
		},
		mustStop,
	);
	for (const row of rows) if (toSend(row)) notSent(row, node);
}

const keysOf = <TInput>(row: Row<TInput>): RowKeys =>
	row.keys ?? { key: row.key as string, ahead: [], legacy: [] };

/**
 * One row: claim its keys → send it → read athena's answer → file the outcome. A key is given back only when athena
 * provably did nothing; an unknown outcome keeps it, so the row is never sent again by itself.
 */
async function sendRow<TInput extends PaymentCommon>(
	sending: Sending<TInput>,
	row: RowToSend<TInput>,
): Promise<void> {
	const { context, client, spec, memory, mustStop } = sending;
	const described = spec.report.describe(row.input);
	// The node is stopping: this lane takes no key and sends nothing more.
	if (mustStop()) {
		notSent(row, context.getNode(), described);
		return;
	}
	const held = memory && row.key ? await claimRow(sending, row, memory, described) : [];
	if (held === undefined) return;
	if (mustStop()) {
		// The node is stopping: this lane sends nothing more, and gives back the key it just took.
		notSent(row, context.getNode(), described);
		releaseOrSay(memory, row, held);
		return;
	}
	// When it left: a later run looks the payment up in athena's records from this moment (settleUnknown.ts).
	const sentAt = new Date().toISOString();
	try {
		const ids = await spec.send(client, row.input, row.itemIndex);
		const at = new Date().toISOString();
		memory?.posted(
			held,
			at,
			dropEmpty({ paymentBatchId: ids.paymentBatchId, ePaymentId: ids.ePaymentId }),
		);
		fileOutcome(row, 'posted', { ...described, ...ids, postedAt: at, duplicateCheckKey: row.key });
	} catch (error) {
		fileSendFailure(sending, row, error, described, sentAt, held);
	}
}

/**
 * Claims the row's keys: the keys now held, or undefined when the row is done (skipped as posted before, or failed
 * because n8n's store did not answer).
 */
async function claimRow<TInput extends PaymentCommon>(
	{ context }: Sending<TInput>,
	row: RowToSend<TInput>,
	memory: PostingMemory,
	described: IDataObject,
): Promise<string[] | undefined> {
	try {
		const claimed = await memory.claim(keysOf(row), row.postAgain === true);
		if (claimed.send) return claimed.held;
		const previous = memory.previous(claimed.blockedBy);
		fileOutcome(row, 'skipped', {
			reason: skipReason(claimed, previous),
			previous: previous ?? null,
			duplicateCheckKey: row.key,
			...described,
			// The earlier run's IDs, when known, so the next node (Receipt → Email, Void) can still name the payment.
			...(previous?.paymentBatchId ? { paymentBatchId: previous.paymentBatchId } : {}),
			...(previous?.ePaymentId ? { ePaymentId: previous.ePaymentId } : {}),
		});
	} catch (error) {
		const failure = new NodeOperationError(
			context.getNode(),
			`Nothing was posted: n8n's duplicate check failed (${(error as Error).message})`,
			{
				itemIndex: row.itemIndex,
				description:
					"The row was not sent. The duplicate check uses n8n's processed-data store (its database; the workflow must be saved). Run the sheet again once the database answers: rows already posted are skipped.",
			},
		);
		fileOutcome(
			row,
			'failed',
			{ error: failure.message, description: failure.description, ...described },
			failure,
		);
	}
	return undefined;
}

/** athena refused the row (`failed`: its keys are given back), or its answer proves nothing (`unknown`: they stay held). */
function fileSendFailure<TInput extends PaymentCommon>(
	{ context, memory }: Sending<TInput>,
	row: RowToSend<TInput>,
	error: unknown,
	described: IDataObject,
	sentAt: string,
	held: string[],
): void {
	const apiError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(context.getNode(), (error as Error).message, {
					itemIndex: row.itemIndex,
				});
	const outcomeUnknown = error instanceof AthenaApiError && error.outcome === 'unknown';
	const says = {
		error: apiError.message,
		description: apiError.description,
		...described,
		duplicateCheckKey: row.key,
		...(outcomeUnknown ? { sentAt } : {}),
	};
	fileOutcome(row, outcomeUnknown ? 'unknown' : 'failed', says, apiError);
	if (!memory || !row.key) return;
	// An unknown outcome keeps its key: the row must not post again until someone checks athenaOne.
	if (outcomeUnknown) memory.unknown(held, sentAt);
	else releaseOrSay(memory, row, held);
}

/**
 * Gives keys back (together with the other rows' when the execution settles); when the store fails, the key stays
 * held (fail closed: a re-run skips the row) and the row says so, instead of the error escaping past the rows.
 */
function releaseOrSay<TInput>(
	memory: PostingMemory | undefined,
	row: Row<TInput>,
	keys: string[],
): void {
	memory?.release(keys, (error) => noteKeyHeld(row, error, keys[0]));
}

/**
 * Before the execution ends (see PostingMemory.settle): rows the node never reached whose keys, claimed ahead, could
 * not be given back say so; the answer is what the summary reports about claims.
 */
export async function settleClaims<TInput>(
	memory: PostingMemory | undefined,
	rows: Array<Row<TInput>>,
): Promise<IDataObject> {
	if (!memory) return {};
	const settled = await memory.settle();
	if (settled.giveBackError) {
		for (const row of rows) {
			const held = row.key
				? claimKeys(keysOf(row), row.postAgain === true).filter((key) =>
						settled.notGivenBack.has(key),
					)
				: [];
			if (held.length && !row.json.keyHeld) noteKeyHeld(row, settled.giveBackError, held[0]);
		}
	}
	return {
		claimsHealed: settled.healed,
		overlapGuard: settled.unlocked ? 'this n8n process only' : 'every n8n process',
		...(settled.healError
			? {
					claimsNote: `Could not read back this run's duplicate-check keys (${settled.healError.message}); one lost to an overlapping run would let a re-run post its row again.`,
				}
			: {}),
	};
}

function dropEmpty(ids: PostedIds): IDataObject {
	return Object.fromEntries(
		Object.entries(ids).filter(([, value]) => value !== undefined && value !== ''),
	);
}
