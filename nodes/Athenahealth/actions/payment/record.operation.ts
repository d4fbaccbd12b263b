import type { IDataObject, INodeProperties } from 'n8n-workflow';

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
import {
	METHOD_FROM_COLUMN,
	paymentMethodColumnField,
	paymentMethodField,
	referenceFields,
} from '../../descriptions/referenceFields';
import type { RecordPaymentInput } from '../../shared/fieldRules';
import { paymentFieldRules, recordPaymentSchema, referenceFieldOf } from '../../shared/fieldRules';
import type { AthenaClient } from '../../transport/athenaClient';
import { UNKNOWN_POSTING_ADVICE, acceptedWrite } from '../../transport/writeResult';
import type { PostingOperation } from '../types';
import {
	duplicateMemoryNotice,
	postingFields,
	postingOptionsV2,
	postingOptionsV3,
} from '../../descriptions/postingOptions';
import type { PostingSpec } from './posting';
import { postingParameterPath } from './posting';

const properties: INodeProperties[] = [
	{
		displayName:
			"Record Payment is for money taken outside athena: cash, a paper check, or a card charged on another terminal. Do not record a card payment taken through athena's card processing (Payment → Collect) or a check scanned in athenaOne: athena would count it twice. Payments recorded here land in a payment batch the practice reconciles in athenaOne.",
		name: 'recordNotice',
		type: 'notice',
		default: '',
	},
	patientLocator,
	departmentField,
	paymentMethodField,
	paymentMethodColumnField,
	...referenceFields,
	...amountFields,
	{
		displayName: 'Post Date',
		name: 'postDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 11/26/2026',
		description: paymentFieldRules.postDate.rule,
	},
	duplicateMemoryNotice,
	...postingFields,
];

const postDateField = properties.find(
	(property) => property.name === 'postDate',
) as INodeProperties;

const propertiesV2: INodeProperties[] = [
	...properties.filter((property) => ['recordNotice'].includes(property.name)),
	patientFromItem,
	departmentFromItem,
	paymentMethodField,
	paymentMethodColumnField,
	...referenceFields,
	...amountFieldsV2,
	duplicateMemoryNotice,
	postingOptionsV2([postDateField]),
];

/**
 * Version 3: nothing taken from the incoming item by default (the person picks the patient or maps it on purpose),
 * one Amount that says what it pays, and one notice in plain words (how far back the duplicate check remembers is
 * said under Options → Duplicate Check).
 */
const propertiesV3: INodeProperties[] = [
	{
		displayName:
			'For money taken outside athena: cash, a check, or a card run on another machine. A card charged through athena is Payment → Collect, and a check scanned in athenaOne is already there: recording either here would count it twice. Each payment is recorded once: if this step runs again, the payments it already recorded are skipped.',
		name: 'recordNotice',
		type: 'notice',
		default: '',
	},
	...propertiesV2.flatMap((property) =>
		property.name === 'recordNotice' ||
		property === duplicateMemoryNotice ||
		amountFieldsV2.slice(1).includes(property)
			? []
			: property === patientFromItem
				? [patientLocator]
				: property === departmentFromItem
					? [departmentLocator]
					: property === amountFieldsV2[0]
						? amountFieldsV3
						: property.name === 'postingOptions'
							? [postingOptionsV3([postDateField])]
							: [property],
	),
];

// athena's words for this refusal are not on record: the hint says what is known (athena refuses a post date on or
// before the practice's close date) and is given when the answer mentions a close date or period.
const CLOSED_PERIOD_HINT =
	"athena refuses a Post Date on or before the practice's close date in athenaOne. If that is the case here, use a later Post Date, or leave it empty to post today.";

function keyPartsWithDate(input: RecordPaymentInput, postDate: string): unknown[] {
	return [
		input.patientId,
		input.departmentId,
		input.paymentMethod,
		'checkNumber' in input ? input.checkNumber : '',
		'cardLast4' in input ? input.cardLast4 : '',
		postDate,
		...amountKeyParts(input),
	];
}

export const recordPaymentSpec: PostingSpec<RecordPaymentInput> = {
	operation: 'record',
	input: {
		schema: recordPaymentSchema,
		read(context, itemIndex) {
			const picked = context.getNodeParameter('paymentMethod', itemIndex, '');
			const paymentMethod =
				picked === METHOD_FROM_COLUMN
					? context.getNodeParameter('paymentMethodColumn', itemIndex, '')
					: picked;
			// Only the reference field the method needs is read: each field read from a row is an expression to evaluate.
			const referenceField = referenceFieldOf(paymentMethod);
			return {
				patientId: context.getNodeParameter('patientId', itemIndex, '', { extractValue: true }),
				departmentId: context.getNodeParameter('departmentId', itemIndex, '', {
					extractValue: true,
				}),
				paymentMethod,
				...(referenceField
					? { [referenceField]: context.getNodeParameter(referenceField, itemIndex, '') }
					: {}),
				postDate: context.getNodeParameter(
					postingParameterPath(context, 'postDate'),
					itemIndex,
					'',
				),
				...readAmounts(context, itemIndex),
			};
		},
		paymentMethodOf: (input) => input.paymentMethod,
		postDateOf: (input) => input.postDate,
	},
	key: {
		parts: (input) => keyPartsWithDate(input, input.postDate ?? ''),
		// A timestamp the node once dated on its own date part and now dates on its US Eastern day: a payment posted then
		// was remembered under the other date, and is still found by it.
		earlierParts: (input) =>
			input.postDateReadBefore ? keyPartsWithDate(input, input.postDateReadBefore) : undefined,
	},
	report: {
		describe(input) {
			const described: IDataObject = {
				patientId: input.patientId,
				departmentId: input.departmentId,
				paymentMethod: input.paymentMethod,
				...('checkNumber' in input ? { checkNumber: input.checkNumber } : {}),
				...('cardLast4' in input ? { cardLast4: input.cardLast4 } : {}),
				...describeAmounts(input),
				postDate: input.postDate ?? null,
				...(input.postDateRead ? { postDateRead: input.postDateRead } : {}),
			};
			return described;
		},
		totalCents: totalCentsOf,
		methodLabel: (input) => input.paymentMethod,
	},
	async send(client: AthenaClient, input, itemIndex) {
		const answer = await client.post(
			`/patients/${input.patientId}/recordpayment`,
			{
				departmentid: input.departmentId,
				paymentmethod: input.paymentMethod,
				checknumber: 'checkNumber' in input ? input.checkNumber : undefined,
				cardnumberlast4: 'cardLast4' in input ? input.cardLast4 : undefined,
				postdate: input.postDate,
				...amountsForm(input, 'recordpayment'),
			},
			{
				action: `record the payment of patient ${input.patientId}`,
				itemIndex,
				hint: (athenaError) =>
					/clos(ed|e date)|period/i.test(athenaError) ? CLOSED_PERIOD_HINT : undefined,
			},
		);
		const result = acceptedWrite(client, answer, {
			action: `record the payment of patient ${input.patientId}`,
			kind: 'posting',
			message: (errorText) => `athena: ${errorText ?? 'the payment was not recorded'}`,
			description: 'athena answered that it did not record the payment, so nothing was posted.',
			unknownAdvice: UNKNOWN_POSTING_ADVICE,
			itemIndex,
		});
		if (!result.paymentBatchId)
			return {
				paymentBatchId: '',
				note: 'athena accepted the payment but its answer had no payment batch ID: find its batch in athenaOne when reconciling.',
			};
		return { paymentBatchId: result.paymentBatchId };
	},
};

export const recordPayment: PostingOperation = {
	kind: 'posting',
	...fieldsByVersion('payment', 'record', properties, propertiesV2, propertiesV3),
	spec: recordPaymentSpec,
};
