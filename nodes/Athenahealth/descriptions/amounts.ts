import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AmountFor } from '../shared/fieldRules';
import { AMOUNT_FOR, paymentFieldRules } from '../shared/fieldRules';
import { formatMoney } from '../shared/money';

/** The money fields Record and Collect share, described with the rule each one is checked by. */
export const amountFields: INodeProperties[] = [
	{
		displayName: 'Copay Amount',
		name: 'copayAmount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 25.00',
		description: paymentFieldRules.copayAmount.rule,
	},
	{
		displayName: 'Appointment ID',
		name: 'appointmentId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 10001',
		description: paymentFieldRules.appointmentId.rule,
	},
	{
		displayName: 'Other Amount',
		name: 'otherAmount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 40.00',
		description: paymentFieldRules.otherAmount.rule,
	},
	{
		displayName: 'Claim Payments',
		name: 'claimPayments',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Claim Payment',
		default: {},
		description: paymentFieldRules.claimPayments.rule,
		options: [
			{
				displayName: 'Claim',
				name: 'claims',
				values: [
					{
						displayName: 'Claim ID',
						name: 'claimId',
						type: 'string',
						default: '',
						placeholder: 'e.g. 12345',
					},
					{
						displayName: 'Amount',
						name: 'amount',
						type: 'string',
						default: '',
						placeholder: 'e.g. 10.00',
					},
				],
			},
		],
	},
	{
		displayName: "Apply to Today's Service",
		name: 'applyToTodaysService',
		type: 'boolean',
		default: false,
		description: paymentFieldRules.applyToTodaysService.rule,
	},
];

/** Version 2: Appointment ID and Copay Amount default to the incoming item's (Appointment → Get gives copayDue). */
export const amountFieldsV2: INodeProperties[] = amountFields.map((field) =>
	field.name === 'copayAmount'
		? { ...field, default: '={{ $json.copayDue ?? "" }}' }
		: field.name === 'appointmentId'
			? { ...field, default: '={{ $json.appointmentId ?? "" }}' }
			: field,
);

/**
 * Version 3: one Amount and what it pays. The fields of version 2 stay, for claims and for a payment in several parts;
 * each shows only for the choices that use it.
 */
const shownFor = (...choices: AmountFor[]) => ({ show: { amountFor: choices } });
const byName = (name: string) =>
	amountFields.find((field) => field.name === name) as INodeProperties;

export const amountFieldsV3: INodeProperties[] = [
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 25.00',
		description: 'The money taken. Amount Is For says what it pays.',
		// A hide rule: with Amount Is For mapped from a column, n8n counts a show rule as shown, and this one is required.
		displayOptions: { hide: { amountFor: ['claims', 'split'] } },
	},
	{
		displayName: 'Amount Is For',
		name: 'amountFor',
		type: 'options',
		options: (Object.entries(AMOUNT_FOR) as Array<[AmountFor, (typeof AMOUNT_FOR)[AmountFor]]>)
			.map(([value, choice]) => ({ name: choice.name, value, description: choice.description }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: 'balance',
		description: 'What the payment pays; athena applies it accordingly',
	},
	{ ...byName('appointmentId'), displayOptions: shownFor('copay', 'split') },
	{ ...byName('claimPayments'), displayOptions: shownFor('claims', 'split') },
	...['copayAmount', 'otherAmount', 'applyToTodaysService'].map((name) => ({
		...byName(name),
		displayOptions: shownFor('split'),
	})),
];

/** The amounts of an item, as athena's fields: version 3 from Amount and what it pays, versions 1 and 2 field by field. */
export function readAmounts(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const read = (name: string, fallback: unknown = '') =>
		context.getNodeParameter(name, itemIndex, fallback);
	const claimsRead = () => {
		const claims = (read('claimPayments', {}) as IDataObject).claims;
		return Array.isArray(claims) ? claims : [];
	};
	const split = () => ({
		copayAmount: read('copayAmount'),
		appointmentId: read('appointmentId'),
		otherAmount: read('otherAmount'),
		claimPayments: claimsRead(),
		applyToTodaysService: read('applyToTodaysService', false),
	});
	if (context.getNode().typeVersion < 3) return split();

	const amountFor = checked(
		paymentFieldRules.amountFor.schema,
		read('amountFor', 'balance'),
	) as AmountFor;
	if (amountFor === 'split') return split();
	if (amountFor === 'claims') return { claimPayments: claimsRead(), applyToTodaysService: false };
	const amount = checked(paymentFieldRules.amount.schema, read('amount')) as string;
	if (amountFor === 'copay')
		return {
			copayAmount: amount,
			appointmentId: read('appointmentId'),
			claimPayments: [],
			applyToTodaysService: false,
		};
	return {
		otherAmount: amount,
		claimPayments: [],
		applyToTodaysService: amountFor === 'todayService',
	};
}

/** A value checked by its field rule; the rule's own message when it fails (the engine names the row). */
function checked(
	schema:
		| (typeof paymentFieldRules)['amount']['schema']
		| (typeof paymentFieldRules)['amountFor']['schema'],
	value: unknown,
): unknown {
	const result = schema.safeParse(value);
	if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'is not valid');
	return result.data;
}

export interface Amounts {
	copayAmount?: string;
	otherAmount?: string;
	claimPayments: Array<{ claimId: string; amount: string }>;
	appointmentId?: string;
	applyToTodaysService: boolean;
}

/**
 * The amount fields of athena's form: claimpayment is a JSON string of one-key objects. athena's OpenAPI types
 * `todayservice` as a string (Y/N) on recordpayment and as a boolean on collectpayment, so each gets its own.
 */
export function amountsForm(
	amounts: Amounts,
	endpoint: 'recordpayment' | 'collectpayment',
): Record<string, string | undefined> {
	return {
		copayamount: amounts.copayAmount,
		otheramount: amounts.otherAmount,
		claimpayment: amounts.claimPayments.length
			? JSON.stringify(amounts.claimPayments.map((claim) => ({ [claim.claimId]: claim.amount })))
			: undefined,
		appointmentid: amounts.appointmentId,
		todayservice: amounts.applyToTodaysService
			? endpoint === 'recordpayment'
				? 'Y'
				: 'true'
			: undefined,
	};
}

export function totalCentsOf(amounts: Amounts): number {
	const cents = (value?: string) => (value ? Math.round(Number(value) * 100) : 0);
	return (
		cents(amounts.copayAmount) +
		cents(amounts.otherAmount) +
		amounts.claimPayments.reduce((sum, claim) => sum + cents(claim.amount), 0)
	);
}

/** The amounts as a posted (or skipped) row shows them, in the order Record and Collect put them out. */
export function describeAmounts(amounts: Amounts): IDataObject {
	return {
		copayAmount: amounts.copayAmount ?? '0.00',
		otherAmount: amounts.otherAmount ?? '0.00',
		claimPayments: amounts.claimPayments,
		totalAmount: formatMoney(totalCentsOf(amounts)),
		appointmentId: amounts.appointmentId ?? null,
		applyToTodaysService: amounts.applyToTodaysService,
	};
}

export function amountKeyParts(amounts: Amounts): unknown[] {
	const claims = [...amounts.claimPayments]
		.sort((a, b) => a.claimId.localeCompare(b.claimId))
		.map((claim) => [claim.claimId, claim.amount]);
	return [
		amounts.copayAmount ?? '',
		amounts.otherAmount ?? '',
		claims,
		amounts.appointmentId ?? '',
		amounts.applyToTodaysService,
	];
}
