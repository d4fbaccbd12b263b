import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { AthenaClient } from '../../transport/athenaClient';
import { fetchPaymentMethods } from '../../transport/paymentMethods';
import type { ItemOperation } from '../types';

export const getManyPaymentMethods: ItemOperation = {
	kind: 'item',
	lists: 'payment methods',
	description: updateDisplayOptions(
		{ show: { resource: ['paymentMethod'], operation: ['getAll'] } },
		[],
	),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		return await fetchPaymentMethods(client, itemIndex);
	},
};
