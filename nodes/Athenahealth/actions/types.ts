import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OperationFields } from '../descriptions/common';
import type { AthenaClient } from '../transport/athenaClient';
import type { PaymentCommon, PostingSpec } from './payment/posting';

/** Most operations work item by item; the shared loop (router.ts `runItems`) owns pairing, Continue On Fail and concurrency. */
export interface ItemOperation extends OperationFields {
	kind: 'item';
	/** What one call of a list operation returns many of ("patients"): a payment fed by it would fan out over them. */
	lists?: string;
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		client: AthenaClient,
	): Promise<IDataObject | IDataObject[]>;
}

/**
 * Payment postings (Record, Collect) say what a payment is; the shared posting engine runs the whole batch
 * (duplicates within the sheet, the duplicate memory, statuses, a summary).
 */
export interface PostingOperation extends OperationFields {
	kind: 'posting';
	spec: PostingSpec<PaymentCommon>;
}

/** Operations that read all items together (Check Unknown batches its look-ups across them). */
export interface BatchOperation extends OperationFields {
	kind: 'batch';
	execute(
		context: IExecuteFunctions,
		items: INodeExecutionData[],
		client: AthenaClient,
	): Promise<INodeExecutionData[]>;
}

export type Operation = ItemOperation | PostingOperation | BatchOperation;
export type { PaymentCommon };
