import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { chainedEPaymentId, chainedPatient } from '../../descriptions/chaining';
import { ePaymentIdRule, paymentFieldRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import { acceptedWrite } from '../../transport/writeResult';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName:
			"Voids a card payment collected through athena today. After athena's nightly settlement (about 8 p.m. US Eastern) it can no longer be voided: refund it in athenaOne instead.",
		name: 'voidNotice',
		type: 'notice',
		default: '',
	},
	chainedPatient,
	chainedEPaymentId,
];

const inputSchema = z.object({
	patientId: paymentFieldRules.patientId.schema,
	ePaymentId: ePaymentIdRule.schema,
});

const SETTLED_HINT =
	"athena settles card payments nightly (about 8 p.m. US Eastern); after that a payment can't be voided. Refund it in athenaOne instead.";

export const voidPayment: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['payment'], operation: ['void'] } },
		properties,
	),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const input = parseOrThrow(this.getNode(), itemIndex, inputSchema, {
			patientId: this.getNodeParameter('patientId', itemIndex, '', { extractValue: true }),
			ePaymentId: this.getNodeParameter('ePaymentId', itemIndex, ''),
		});
		const answer = await client.post(
			`/patients/${input.patientId}/voidpayment/${input.ePaymentId}`,
			{},
			{
				action: `void e-payment ${input.ePaymentId}`,
				itemIndex,
				hint: (athenaError) =>
					/settle|no longer|cannot be voided|can't be voided/i.test(athenaError)
						? SETTLED_HINT
						: undefined,
			},
		);
		const result = acceptedWrite(client, answer, {
			action: `void e-payment ${input.ePaymentId}`,
			kind: 'action',
			message: (errorText) =>
				`athena did not void e-payment ${input.ePaymentId}: ${errorText ?? 'no reason given'}`,
			description: SETTLED_HINT,
			unknownAdvice: `Check in athenaOne whether e-payment ${input.ePaymentId} is voided before voiding it again.`,
			itemIndex,
		});
		return {
			status: 'voided',
			patientId: input.patientId,
			ePaymentId: input.ePaymentId,
			athenaMessage: result.message ?? result.errorText,
		};
	},
};
