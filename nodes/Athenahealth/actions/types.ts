import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { AthenaClient } from '../transport/athenaClient';

/** Most operations work item by item; the shared loop (runner.ts) owns pairing, Continue On Fail and concurrency. */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient): Promise<IDataObject | IDataObject[]>;
}

/** Payment postings look at the whole batch (duplicates within the sheet, one method list, a summary). */
export interface BatchOperation {
	kind: 'batch';
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[], client: AthenaClient): Promise<INodeExecutionData[]>;
}

export type Operation = ItemOperation | BatchOperation;
