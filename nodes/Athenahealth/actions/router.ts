import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runWithLimit } from '../shared/pool';
import { AthenaClient } from '../transport/athenaClient';
import { getAppointment } from './appointment/get.operation';
import { getManyAppointments } from './appointment/getAll.operation';
import { getManyDepartments } from './department/getMany.operation';
import { getPatient } from './patient/get.operation';
import { searchPatients } from './patient/search.operation';
import { checkUnknown } from './payment/checkUnknown.operation';
import { collectPayment } from './payment/collect.operation';
import { readPostingSettings } from '../descriptions/postingOptions';
import { keepCardDataIn, postPayments, refuseUnsafePostingSetup } from './payment/posting';
import { recordPayment } from './payment/record.operation';
import { voidPayment } from './payment/void.operation';
import { getManyPaymentMethods } from './paymentMethod/getMany.operation';
import { emailReceipt } from './receipt/email.operation';
import { getManyReceipts } from './receipt/getMany.operation';
import type { ItemOperation, Operation } from './types';

export const operations: Record<string, Record<string, Operation>> = {
	patient: { get: getPatient, search: searchPatients },
	appointment: { get: getAppointment, getAll: getManyAppointments },
	department: { getAll: getManyDepartments },
	paymentMethod: { getAll: getManyPaymentMethods },
	payment: { record: recordPayment, collect: collectPayment, void: voidPayment, checkUnknown },
	receipt: { email: emailReceipt, getAll: getManyReceipts },
};

/** What a list operation returns many of: a posting fed by one would fan out over them (posting/preflight.ts). */
const listNoun = (resource: string, operationName: string) => {
	const operation = operations[resource]?.[operationName];
	return operation?.kind === 'item' ? operation.lists : undefined;
};

// Look-ups run a few at a time; writes that are not postings (void, email) one by one, in order.
const LOOKUP_CONCURRENCY = 3;

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported`,
		);

	if (operation.kind === 'posting') {
		refuseUnsafePostingSetup(this, items.length, listNoun);
		const settings = readPostingSettings(this);
		const client = await AthenaClient.create(this, {
			requestsPerSecond: settings.requestsPerSecond,
			timeoutMs: settings.timeoutSeconds * 1000,
		});
		const sentOf =
			operation.spec.input.sentCardData &&
			((itemIndex: number) => operation.spec.input.sentCardData!(this, itemIndex));
		return [
			await keepCardDataIn(
				this,
				items,
				sentOf,
				async () => await postPayments(this, items, client, operation.spec, settings),
			),
		];
	}
	const client = await AthenaClient.create(this, { requestsPerSecond: 5 });
	if (operation.kind === 'batch') return [await operation.execute(this, items, client)];
	const isWrite = resource === 'payment' || operationName === 'email';
	return [await runItems(this, items.length, operation, client, isWrite ? 1 : LOOKUP_CONCURRENCY)];
}

/** The per-item loop: input order kept, every output paired, Continue On Fail honoured, the item index in every error. */
async function runItems(
	context: IExecuteFunctions,
	count: number,
	operation: ItemOperation,
	client: AthenaClient,
	concurrency: number,
): Promise<INodeExecutionData[]> {
	const results: INodeExecutionData[][] = new Array(count);
	let failure: Error | undefined;
	await runWithLimit(
		count,
		concurrency,
		async (itemIndex) => {
			try {
				const json = await operation.execute.call(context, itemIndex, client);
				results[itemIndex] = (Array.isArray(json) ? json : [json]).map((entry: IDataObject) => ({
					json: entry,
					pairedItem: { item: itemIndex },
				}));
			} catch (error) {
				const wrapped =
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
				if (wrapped.context.itemIndex === undefined) wrapped.context.itemIndex = itemIndex;
				if (!context.continueOnFail()) {
					failure ??= wrapped;
					return;
				}
				results[itemIndex] = [
					{
						json: { error: wrapped.message, description: wrapped.description ?? null },
						error: wrapped,
						pairedItem: { item: itemIndex },
					},
				];
			}
		},
		() => failure !== undefined,
	);
	if (failure) throw failure;
	return results.flat();
}
