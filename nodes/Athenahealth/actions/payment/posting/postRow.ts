import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AthenaClient } from '../../../transport/athenaClient';
import { AthenaApiError } from '../../../transport/errors';
import type { PaymentCommon, PostedIds, PostingSpec, Row } from './postPayments';
import { claimForPosting, claimKeys, skipReason } from './postAgain';
import type { PostingMemory } from './postingMemory';
import type { ClaimLog } from './memoryReach';

/**
 * Posts one row: claims its key, sends it, and files the outcome. A key is given back only when athena provably did
 * nothing; an unknown outcome keeps it, so the row is never sent again by itself.
 */
export async function postRow<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	row: Row<TInput> & { input: TInput },
	memory: PostingMemory | undefined,
	mustStop: () => boolean = () => false,
	log?: ClaimLog,
): Promise<void> {
	const node = context.getNode();
	const described = spec.describe(row.input);
	const key = row.key;
	let held: string[] = [];
	if (mustStop()) {
		// The node is stopping: this lane takes no key and sends nothing more.
		notSent(row, context, described);
		return;
	}
	if (memory && key) {
		try {
			const claim = await claimForPosting(memory, row.keys ?? { key, ahead: [], legacy: [] }, row.postAgain === true, (count) => log?.recorded(count));
			held = claim.held;
			if (claim.blockedBy) {
				const previous = memory.previous(claim.blockedBy);
				row.status = 'skipped';
				row.json = {
					...row.json,
					status: 'skipped',
					reason: skipReason(claim, previous),
					previous: previous ?? null,
					duplicateCheckKey: key,
					...described,
					// The earlier run's IDs, when known, so the next node (Receipt → Email, Void) can still name the payment.
					...(previous?.paymentBatchId ? { paymentBatchId: previous.paymentBatchId } : {}),
					...(previous?.ePaymentId ? { ePaymentId: previous.ePaymentId } : {}),
				};
				return;
			}
		} catch (error) {
			row.status = 'failed';
			row.error = new NodeOperationError(node, `Nothing was posted: n8n's duplicate check failed (${(error as Error).message})`, {
				itemIndex: row.itemIndex,
				description:
					'The row was not sent. The duplicate check uses n8n\'s processed-data store (its database; the workflow must be saved). Run the sheet again once the database answers: rows already posted are skipped.',
			});
			row.json = { ...row.json, status: 'failed', error: row.error.message, description: row.error.description, ...described };
			return;
		}
	}
	if (mustStop()) {
		// The node is stopping: this lane sends nothing more, and gives back the key it just took.
		notSent(row, context, described);
		giveBackOrSay(memory, row, held, log);
		return;
	}
	// When it left: a later run looks the payment up in athena's records from this moment (settleUnknown.ts).
	const sentAt = new Date().toISOString();
	try {
		const ids = await spec.send(client, row.input, row.itemIndex);
		const at = new Date().toISOString();
		const record = { status: 'posted' as const, at, executionId: context.getExecutionId(), ...dropEmpty({ paymentBatchId: ids.paymentBatchId, ePaymentId: ids.ePaymentId }) };
		if (memory) for (const heldKey of held) memory.remember(heldKey, record);
		row.status = 'posted';
		row.json = { ...row.json, status: 'posted', ...described, ...ids, postedAt: at, duplicateCheckKey: key };
	} catch (error) {
		const apiError =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(node, (error as Error).message, { itemIndex: row.itemIndex });
		const outcomeUnknown = error instanceof AthenaApiError && error.outcome === 'unknown';
		row.status = outcomeUnknown ? 'unknown' : 'failed';
		row.error = apiError;
		row.json = { ...row.json, status: row.status, error: apiError.message, description: apiError.description, ...described, duplicateCheckKey: key, ...(outcomeUnknown ? { sentAt } : {}) };
		if (memory && key) {
			// An unknown outcome keeps its key: the row must not post again until someone checks athenaOne.
			if (outcomeUnknown) {
				const record = { status: 'unknown' as const, at: new Date().toISOString(), sentAt, executionId: context.getExecutionId() };
				for (const heldKey of held) memory.remember(heldKey, record);
			} else giveBackOrSay(memory, row, held, log);
		}
	}
}

function notSent<TInput>(row: Row<TInput>, context: IExecuteFunctions, described: IDataObject): void {
	row.status = 'failed';
	row.error = new NodeOperationError(context.getNode(), 'Not sent: the node stopped at an earlier failed row', { itemIndex: row.itemIndex });
	row.json = { ...row.json, status: 'failed', error: row.error.message, ...described };
}

/**
 * Gives keys back (together with the other rows' when the execution settles); when the store fails, the key stays
 * held (fail closed: a re-run skips the row) and the row says so, instead of the error escaping past the rows.
 */
function giveBackOrSay<TInput>(memory: PostingMemory | undefined, row: Row<TInput>, keys: string[], log?: ClaimLog): void {
	memory?.giveBack(
		keys,
		(error) => {
			row.json = { ...row.json, ...keyHeldNote(error, keys[0]) };
		},
		() => log?.released(keys.length),
	);
}

function keyHeldNote(error: Error, key: string | undefined): IDataObject {
	return {
		keyHeld: true,
		keyNote: `Its duplicate-check key could not be given back (${error.message}), so a re-run will skip this row although nothing was posted. After checking athenaOne, post it with Post Again.`,
		duplicateCheckKey: key,
	};
}

/** The keys a row claims before it is sent, in the order the rows are posted: what the memory claims ahead. */
export function planClaims<TInput>(memory: PostingMemory | undefined, rows: Array<Row<TInput>>, concurrency: number, stopping: () => boolean): void {
	const toPost = rows.filter((row) => row.input && !row.status && row.key);
	memory?.planClaims(toPost.map((row) => claimKeys(row.keys ?? { key: row.key as string, ahead: [], legacy: [] }, row.postAgain === true)), concurrency, stopping);
}

/**
 * Before the execution ends (see PostingMemory.settle): rows the node never reached whose keys, claimed ahead, could
 * not be given back say so; the answer is what the summary reports about claims.
 */
export async function settleClaims<TInput>(memory: PostingMemory | undefined, rows: Array<Row<TInput>>): Promise<IDataObject> {
	if (!memory) return {};
	const settled = await memory.settle();
	if (settled.giveBackError) {
		for (const row of rows) {
			const held = row.key ? claimKeys(row.keys ?? { key: row.key, ahead: [], legacy: [] }, row.postAgain === true).filter((key) => settled.notGivenBack.has(key)) : [];
			if (held.length && !row.json.keyHeld) row.json = { ...row.json, ...keyHeldNote(settled.giveBackError, held[0]) };
		}
	}
	return {
		claimsHealed: settled.healed,
		overlapGuard: settled.unlocked ? 'this n8n process only' : 'every n8n process',
		...(settled.healError
			? { claimsNote: `Could not read back this run's duplicate-check keys (${settled.healError.message}); one lost to an overlapping run would let a re-run post its row again.` }
			: {}),
	};
}

function dropEmpty(ids: PostedIds): IDataObject {
	return Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined && value !== ''));
}
