import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	amountFields,
	amountFieldsV2,
	amountFieldsV3,
	amountKeyParts,
	describeAmounts,
	amountsForm,
	readAmounts,
	totalCentsOf,
} from '../../descriptions/amounts';
import {
	departmentField,
	departmentFromItem,
	departmentLocator,
	fieldsByVersion,
	patientFromItem,
	patientLocator,
} from '../../descriptions/common';
import type { CollectPaymentInput } from '../../shared/fieldRules';
import { cardFieldRules, collectPaymentSchema } from '../../shared/fieldRules';
import type { SentCardData } from '../../shared/redact';
import { lastFour } from '../../shared/redact';
import type { AthenaClient } from '../../transport/athenaClient';
import { UNKNOWN_POSTING_ADVICE, acceptedWrite } from '../../transport/writeResult';
import type { PostingOperation } from '../types';
import {
	duplicateMemoryNotice,
	duplicateWindowField,
	postingFieldsWith,
	postingOptionsV2,
	postingOptionsV3,
} from '../../descriptions/postingOptions';
import type { PostingSpec } from './posting';
import { isTypedIntoNode, legacyCollectKeyParts, typedCardDataMessage } from './posting';

const cardField = (
	name: keyof typeof cardFieldRules,
	extra: Partial<INodeProperties> = {},
): INodeProperties => ({
	displayName: cardFieldRules[name].displayName,
	name,
	type: 'string',
	default: '',
	description: cardFieldRules[name].rule,
	...extra,
});

const collectPostingFields = postingFieldsWith([duplicateWindowField]);

const properties: INodeProperties[] = [
	{
		displayName:
			"Collect Payment charges a card through athena's card processing. It sends the full card number and security code through this n8n instance, which puts the n8n host, its logs and its execution data in PCI DSS scope. Outputs keep only the last four digits. Map Card Number and Security Code from the incoming data with expressions: a value typed into a node is saved in plain text with the workflow, so the node refuses one.",
		name: 'pciNotice',
		type: 'notice',
		default: '',
	},
	patientLocator,
	departmentField,
	cardField('cardNumber', {
		typeOptions: { password: true },
		required: true,
		placeholder: 'e.g. {{ $json.cardNumber }}',
	}),
	cardField('cardSecurityCode', {
		typeOptions: { password: true },
		required: true,
		placeholder: 'e.g. {{ $json.cardSecurityCode }}',
	}),
	cardField('expirationMonth', { required: true, placeholder: 'e.g. 04' }),
	cardField('expirationYear', { required: true, placeholder: 'e.g. 2028' }),
	cardField('nameOnCard', { required: true, placeholder: 'e.g. Jane Doe' }),
	cardField('billingAddress', { required: true, placeholder: 'e.g. 12 Main St' }),
	cardField('billingZip', { required: true, placeholder: 'e.g. 02134' }),
	...amountFields,
	{
		displayName: 'E-Commerce Mode',
		name: 'ecommerceMode',
		type: 'boolean',
		default: true,
		description:
			'Whether the card is keyed in without the card present (online, phone). athena applies card-not-present rules.',
	},
	{
		displayName: 'Allow Duplicate Payments',
		name: 'allowDuplicatePayments',
		type: 'boolean',
		default: false,
		description:
			'Whether athena may charge a payment that looks like one it took recently (same card and amount). Off: athena refuses it as a suspected duplicate.',
	},
	duplicateMemoryNotice,
	...collectPostingFields,
];

function sentCardData(context: IExecuteFunctions, itemIndex: number): SentCardData {
	return {
		cardNumber: String(context.getNodeParameter('cardNumber', itemIndex, '') ?? ''),
		securityCode: String(context.getNodeParameter('cardSecurityCode', itemIndex, '') ?? ''),
	};
}

const propertiesV2: INodeProperties[] = properties
	.filter((property) => !collectPostingFields.includes(property))
	.map((property) =>
		property === patientLocator
			? patientFromItem
			: property === departmentField
				? departmentFromItem
				: property.name === 'copayAmount'
					? (amountFieldsV2.find((field) => field.name === 'copayAmount') as INodeProperties)
					: property.name === 'appointmentId'
						? (amountFieldsV2.find((field) => field.name === 'appointmentId') as INodeProperties)
						: property,
	)
	.concat(postingOptionsV2([duplicateWindowField]));

/**
 * Version 3: Patient, Department and the amounts start empty, as in Record (v3/AthenahealthV3.node.ts); the PCI notice
 * is the one notice, the duplicate memory's reach is said under Options → Duplicate Check.
 */
const propertiesV3: INodeProperties[] = properties
	.filter(
		(property) => !collectPostingFields.includes(property) && property !== duplicateMemoryNotice,
	)
	.flatMap((property) =>
		property === departmentField
			? [departmentLocator]
			: property === amountFields[0]
				? amountFieldsV3
				: amountFields.includes(property)
					? []
					: [property],
	)
	.concat(postingOptionsV3([duplicateWindowField]));

export const collectPaymentSpec: PostingSpec<CollectPaymentInput> = {
	operation: 'collect',
	input: {
		schema: collectPaymentSchema,
		read(context, itemIndex) {
			const value = (name: string) => context.getNodeParameter(name, itemIndex, '');
			// Refused before anything is sent: every item is read and checked before the first payment goes out.
			const sent = sentCardData(context, itemIndex);
			const parameters = context.getNode().parameters;
			const typed = [
				{
					name: 'cardNumber',
					label: cardFieldRules.cardNumber.displayName,
					value: { cardNumber: sent.cardNumber },
				},
				{
					name: 'cardSecurityCode',
					label: cardFieldRules.cardSecurityCode.displayName,
					value: { securityCode: sent.securityCode },
				},
			].filter((field) => isTypedIntoNode(parameters, field.name, field.value));
			if (typed.length) throw new Error(typedCardDataMessage(typed));
			return {
				patientId: context.getNodeParameter('patientId', itemIndex, '', { extractValue: true }),
				departmentId: context.getNodeParameter('departmentId', itemIndex, '', {
					extractValue: true,
				}),
				cardNumber: value('cardNumber'),
				cardSecurityCode: value('cardSecurityCode'),
				expirationMonth: value('expirationMonth'),
				expirationYear: value('expirationYear'),
				nameOnCard: value('nameOnCard'),
				billingAddress: value('billingAddress'),
				billingZip: value('billingZip'),
				ecommerceMode: context.getNodeParameter('ecommerceMode', itemIndex, true),
				allowDuplicatePayments: context.getNodeParameter(
					'allowDuplicatePayments',
					itemIndex,
					false,
				),
				...readAmounts(context, itemIndex),
			};
		},
		sentCardData,
	},
	// A card charge is always today's: its keys carry the Eastern day, and a claim covers the Duplicate Window, so a
	// re-run after midnight is skipped and next week's copay is not (memory/keys.ts).
	key: {
		parts: (input) => [
			input.patientId,
			input.departmentId,
			lastFour(input.cardNumber),
			...amountKeyParts(input),
		],
		legacyParts: legacyCollectKeyParts,
		duplicateWindow: true,
	},
	report: {
		describe: (input) => ({
			patientId: input.patientId,
			departmentId: input.departmentId,
			paymentMethod: 'CARD (athena)',
			cardLast4: lastFour(input.cardNumber),
			...describeAmounts(input),
			...(input.truncatedFields.length ? { truncatedFields: input.truncatedFields } : {}),
		}),
		totalCents: totalCentsOf,
		methodLabel: () => 'CARD (athena)',
	},
	async send(client: AthenaClient, input, itemIndex) {
		const answer = await client.post(
			`/patients/${input.patientId}/collectpayment`,
			{
				departmentid: input.departmentId,
				accountnumber: input.cardNumber,
				cardsecuritycode: input.cardSecurityCode,
				expirationmonthmm: input.expirationMonth,
				expirationyearyyyy: input.expirationYear,
				nameoncard: input.nameOnCard,
				billingaddress: input.billingAddress,
				billingzip: input.billingZip,
				ecommercemode: input.ecommerceMode ? 'true' : undefined,
				allowduplicatepayments: input.allowDuplicatePayments ? 'true' : undefined,
				...amountsForm(input, 'collectpayment'),
			},
			{
				action: `collect the card payment of patient ${input.patientId}`,
				itemIndex,
				hint: (athenaError) =>
					/duplicate/i.test(athenaError)
						? // athena's words are not on record; what is known is that it refuses suspected duplicates unless allowed.
							'athena refuses a card payment that looks like one it took recently unless Allow Duplicate Payments is on. If this really is a second payment, turn it on.'
						: undefined,
			},
		);
		// A decline is an HTTP 200 with success "false": a failure of this item, not a payment.
		const result = acceptedWrite(client, answer, {
			action: `collect the card payment of patient ${input.patientId}`,
			kind: 'posting',
			message: (errorText) => `Card declined: ${errorText ?? 'athena did not approve the payment'}`,
			description: `athena did not charge the card ending ${lastFour(input.cardNumber)}. Nothing was collected. Ask for another card or payment method.`,
			unknownAdvice: UNKNOWN_POSTING_ADVICE,
			itemIndex,
		});
		if (!result.ePaymentId)
			return {
				ePaymentId: '',
				note: 'athena accepted the payment but its answer had no e-payment ID: find the payment in athenaOne to void it or email its receipt.',
			};
		return { ePaymentId: result.ePaymentId };
	},
};

export const collectPayment: PostingOperation = {
	kind: 'posting',
	...fieldsByVersion('payment', 'collect', properties, propertiesV2, propertiesV3),
	spec: collectPaymentSpec,
};
