import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AthenaClient } from '../../../transport/athenaClient';
import { AthenaApiError } from '../../../transport/errors';
import type { PaymentCommon, PostedIds, PostingSpec, Row } from './postPayments';
import { claimForPosting, skipReason } from './postAgain';
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
		row.status = 'failed';
		row.error = new NodeOperationError(node, 'Not sent: the node stopped at an earlier failed row', { itemIndex: row.itemIndex });
		row.json = { ...row.json, status: 'failed', error: row.error.message, ...described, ...(await releaseOrSay(memory, held, log)) };
		return;
	}
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
		row.json = { ...row.json, status: row.status, error: apiError.message, description: apiError.description, ...described, duplicateCheckKey: key };
		if (memory && key) {
			// An unknown outcome keeps its key: the row must not post again until someone checks athenaOne.
			if (outcomeUnknown) {
				const record = { status: 'unknown' as const, at: new Date().toISOString(), executionId: context.getExecutionId() };
				for (const heldKey of held) memory.remember(heldKey, record);
			} else row.json = { ...row.json, ...(await releaseOrSay(memory, held, log)) };
		}
	}
}

/**
 * Gives a key back; when the store fails, the key stays held (fail closed: a re-run skips the row) and the row says
 * so, instead of the error escaping past the rows.
 */
async function releaseOrSay(memory: PostingMemory | undefined, keys: string[], log?: ClaimLog): Promise<IDataObject> {
	if (!memory || keys.length === 0) return {};
	try {
		for (const key of keys) {
			await memory.release(key);
			log?.released(1);
		}
		return {};
	} catch (error) {
		return {
			keyHeld: true,
			keyNote: `Its duplicate-check key could not be given back (${(error as Error).message}), so a re-run will skip this row although nothing was posted. After checking athenaOne, post it with Post Again.`,
			duplicateCheckKey: keys[0],
		};
	}
}

function dropEmpty(ids: PostedIds): IDataObject {
	return Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined && value !== ''));
}
