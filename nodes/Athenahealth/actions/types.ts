import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AthenaClient } from '../transport/athenaClient';
import type { PaymentCommon, PostingSpec } from './payment/posting/postPayments';

/** Most operations work item by item; the shared loop (runner.ts) owns pairing, Continue On Fail and concurrency. */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient): Promise<IDataObject | IDataObject[]>;
}

/**
 * Payment postings (Record, Collect) say what a payment is; the shared posting engine runs the whole batch
 * (duplicates within the sheet, the duplicate memory, statuses, a summary).
 */
export interface PostingOperation {
	kind: 'posting';
	description: INodeProperties[];
	spec: PostingSpec<PaymentCommon>;
}

export type Operation = ItemOperation | PostingOperation;
export type { PaymentCommon };
