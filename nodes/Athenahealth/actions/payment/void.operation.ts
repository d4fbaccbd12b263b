import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { chainedEPaymentId, chainedPatient } from '../../descriptions/chaining';
import { writeResultSchema } from '../../shared/athenaSchemas';
import { ePaymentIdRule, paymentFieldRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import { unwrapOne } from '../../transport/parse';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName:
			'Voids a card payment collected through athena today. After athena\'s nightly settlement (about 8 p.m. US Eastern) it can no longer be voided: refund it in athenaOne instead.',
		name: 'voidNotice',
		type: 'notice',
		default: '',
	},
	chainedPatient,
	chainedEPaymentId,
];

const inputSchema = z.object({ patientId: paymentFieldRules.patientId.schema, ePaymentId: ePaymentIdRule.schema });

export const SETTLED_HINT =
	"athena settles card payments nightly (about 8 p.m. US Eastern); after that a payment can't be voided. Refund it in athenaOne instead.";

export const voidPayment: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions({ show: { resource: ['payment'], operation: ['void'] } }, properties),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const input = parseOrThrow(this.getNode(), itemIndex, inputSchema, {
			patientId: this.getNodeParameter('patientId', itemIndex, '', { extractValue: true }),
			ePaymentId: this.getNodeParameter('ePaymentId', itemIndex, ''),
		});
		const answer = await client.post(`/patients/${input.patientId}/voidpayment/${input.ePaymentId}`, {}, {
			action: `void e-payment ${input.ePaymentId}`,
			itemIndex,
			hint: (athenaError) => (/settle|no longer|cannot be voided|can't be voided/i.test(athenaError) ? SETTLED_HINT : undefined),
		});
		// The answer's shape is not documented: an explicit success "false" is a refusal, anything else after a 200 is done.
		const result = writeResultSchema.parse(unwrapOne(answer.body) ?? {});
		if (result.success === false) {
			throw new NodeApiError(this.getNode(), { message: result.errorText ?? 'refused' }, {
				message: `athena did not void e-payment ${input.ePaymentId}: ${result.errorText ?? 'no reason given'}`,
				description: SETTLED_HINT,
				itemIndex,
			});
		}
		return { status: 'voided', patientId: input.patientId, ePaymentId: input.ePaymentId, athenaMessage: result.message ?? result.errorText };
	},
};
