import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AthenaClient } from '../../../transport/athenaClient';
import { AthenaApiError } from '../../../transport/errors';
import type { PaymentCommon, PostedIds, PostingSpec, Row } from './postPayments';
import { claimForPosting, skipReason } from './postAgain';
import type { PostingMemory } from './postingMemory';

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
): Promise<void> {
	const node = context.getNode();
	const described = spec.describe(row.input);
	const key = row.key;
	let held: string[] = [];
	if (memory && key) {
		try {
			const claim = await claimForPosting(memory, key, row.postAgain === true);
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
				};
				return;
			}
		} catch (error) {
			row.status = 'failed';
			row.error = new NodeOperationError(node, `n8n's duplicate check is not available: ${(error as Error).message}`, {
				itemIndex: row.itemIndex,
				description:
					'Nothing was posted. The duplicate check uses n8n\'s processed-data store, which needs a saved workflow. Save the workflow, or set Duplicate Check to Off if it can never run twice.',
			});
			row.json = { ...row.json, status: 'failed', error: row.error.message, description: row.error.description, ...described };
			return;
		}
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
			const record = { status: 'unknown' as const, at: new Date().toISOString(), executionId: context.getExecutionId() };
			for (const heldKey of held) {
				if (outcomeUnknown) memory.remember(heldKey, record);
				else await memory.release(heldKey);
			}
		}
	}
}

function dropEmpty(ids: PostedIds): IDataObject {
	return Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined && value !== ''));
}
