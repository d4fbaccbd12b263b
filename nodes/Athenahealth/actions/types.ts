import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { AthenaClient } from '../transport/athenaClient';
import type { PaymentCommon, PostingSpec } from './payment/posting';

/** Most operations work item by item; the shared loop (router.ts `runItems`) owns pairing, Continue On Fail and concurrency. */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	/** Version 2's fields, where they differ from version 1's (v2/AthenahealthV2.node.ts). */
	descriptionV2?: INodeProperties[];
	/** Version 3's fields, where they differ from version 2's (v3/AthenahealthV3.node.ts). */
	descriptionV3?: INodeProperties[];
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
export interface PostingOperation {
	kind: 'posting';
	description: INodeProperties[];
	descriptionV2?: INodeProperties[];
	descriptionV3?: INodeProperties[];
	spec: PostingSpec<PaymentCommon>;
}

/** Operations that read all items together (Check Unknown batches its look-ups across them). */
export interface BatchOperation {
	kind: 'batch';
	description: INodeProperties[];
	descriptionV2?: INodeProperties[];
	descriptionV3?: INodeProperties[];
	execute(
		context: IExecuteFunctions,
		items: INodeExecutionData[],
		client: AthenaClient,
	): Promise<INodeExecutionData[]>;
}

export type Operation = ItemOperation | PostingOperation | BatchOperation;
export type { PaymentCommon };
