import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { chainedEPaymentId, chainedPatient } from '../../descriptions/chaining';
import { emailAddressRule, ePaymentIdRule, paymentFieldRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import { acceptedWrite } from '../../transport/writeResult';
import type { ItemOperation } from '../types';

const properties: INodeProperties[] = [
	chainedPatient,
	chainedEPaymentId,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. name@email.com',
		default: '',
		required: true,
		description: emailAddressRule.rule,
		hint: 'Where the card receipt goes',
	},
];

/**
 * A payment the node before skipped (Collect on a re-run: already collected) gets no second receipt. It passes
 * through as skipped, saying why, instead of failing for want of an e-payment ID.
 */
function skippedPayment(context: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const incoming = context.getInputData()[itemIndex]?.json;
	if (incoming?.status !== 'skipped') return undefined;
	const ePaymentId =
		typeof incoming.ePaymentId === 'string' && incoming.ePaymentId ? incoming.ePaymentId : null;
	return {
		status: 'skipped',
		reason: `The payment before this node was skipped (${String(incoming.reason ?? 'already posted by an earlier run')}), so no receipt was emailed again.${
			ePaymentId
				? ` To send its receipt anyway, run Receipt → Email with E-Payment ID ${ePaymentId}.`
				: ''
		}`,
		patientId: incoming.patientId ?? null,
		ePaymentId,
	};
}

const inputSchema = z.object({
	patientId: paymentFieldRules.patientId.schema,
	ePaymentId: ePaymentIdRule.schema,
	email: emailAddressRule.schema,
});

export const emailReceipt: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['receipt'], operation: ['email'] } },
		properties,
	),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const skipped = skippedPayment(this, itemIndex);
		if (skipped) return skipped;
		const input = parseOrThrow(this.getNode(), itemIndex, inputSchema, {
			patientId: this.getNodeParameter('patientId', itemIndex, '', { extractValue: true }),
			ePaymentId: this.getNodeParameter('ePaymentId', itemIndex, ''),
			email: this.getNodeParameter('email', itemIndex, ''),
		});
		// athena's field name is documented both ways (`email`, `emailaddress`): send the address under both.
		const answer = await client.post(
			`/patients/${input.patientId}/receipts/${input.ePaymentId}/email`,
			{ email: input.email, emailaddress: input.email },
			{ action: `email the receipt of e-payment ${input.ePaymentId}`, itemIndex },
		);
		acceptedWrite(client, answer, {
			action: `email the receipt of e-payment ${input.ePaymentId}`,
			kind: 'action',
			message: (errorText) => `athena did not email the receipt: ${errorText ?? 'no reason given'}`,
			description: 'Check the e-payment ID and the address, then run again.',
			unknownAdvice: 'Ask the patient whether the receipt arrived before emailing it again.',
			itemIndex,
		});
		return {
			status: 'emailed',
			patientId: input.patientId,
			ePaymentId: input.ePaymentId,
			email: input.email,
		};
	},
};
