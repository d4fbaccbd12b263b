import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { departmentField, patientLocator } from '../../descriptions/common';
import { receiptSchema } from '../../shared/athenaSchemas';
import { paymentFieldRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [patientLocator, departmentField];

const inputSchema = z.object({
	patientId: paymentFieldRules.patientId.schema,
	departmentId: paymentFieldRules.departmentId.schema,
});

export const getManyReceipts: ItemOperation = {
	kind: 'item',
	lists: 'receipts',
	description: updateDisplayOptions(
		{ show: { resource: ['receipt'], operation: ['getAll'] } },
		properties,
	),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const input = parseOrThrow(this.getNode(), itemIndex, inputSchema, {
			patientId: this.getNodeParameter('patientId', itemIndex, '', { extractValue: true }),
			departmentId: this.getNodeParameter('departmentId', itemIndex, ''),
		});
		const answer = await client.get(
			`/patients/${input.patientId}/receipts`,
			{ departmentid: input.departmentId },
			{
				action: `list the receipts of patient ${input.patientId}`,
				itemIndex,
			},
		);
		const body = answer.body as unknown;
		const rows = Array.isArray(body)
			? body
			: Array.isArray((body as { receipts?: unknown })?.receipts)
				? (body as { receipts: unknown[] }).receipts
				: [];
		return rows.map((row) => ({
			patientId: input.patientId,
			departmentId: input.departmentId,
			...receiptSchema.parse(row),
		}));
	},
};
