import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { paymentFieldRules } from '../shared/fieldRules';

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
					{ displayName: 'Claim ID', name: 'claimId', type: 'string', default: '', placeholder: 'e.g. 12345' },
					{ displayName: 'Amount', name: 'amount', type: 'string', default: '', placeholder: 'e.g. 10.00' },
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

export function readAmounts(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const claims = (context.getNodeParameter('claimPayments', itemIndex, {}) as IDataObject).claims;
	return {
		copayAmount: context.getNodeParameter('copayAmount', itemIndex, ''),
		appointmentId: context.getNodeParameter('appointmentId', itemIndex, ''),
		otherAmount: context.getNodeParameter('otherAmount', itemIndex, ''),
		claimPayments: Array.isArray(claims) ? claims : [],
		applyToTodaysService: context.getNodeParameter('applyToTodaysService', itemIndex, false),
	};
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
export function amountsForm(amounts: Amounts, endpoint: 'recordpayment' | 'collectpayment'): Record<string, string | undefined> {
	return {
		copayamount: amounts.copayAmount,
		otheramount: amounts.otherAmount,
		claimpayment: amounts.claimPayments.length
			? JSON.stringify(amounts.claimPayments.map((claim) => ({ [claim.claimId]: claim.amount })))
			: undefined,
		appointmentid: amounts.appointmentId,
		todayservice: amounts.applyToTodaysService ? (endpoint === 'recordpayment' ? 'Y' : 'true') : undefined,
	};
}

export function totalCentsOf(amounts: Amounts): number {
	const cents = (value?: string) => (value ? Math.round(Number(value) * 100) : 0);
	return cents(amounts.copayAmount) + cents(amounts.otherAmount) + amounts.claimPayments.reduce((sum, claim) => sum + cents(claim.amount), 0);
}

export function amountKeyParts(amounts: Amounts): unknown[] {
	const claims = [...amounts.claimPayments].sort((a, b) => a.claimId.localeCompare(b.claimId)).map((claim) => [claim.claimId, claim.amount]);
	return [amounts.copayAmount ?? '', amounts.otherAmount ?? '', claims, amounts.appointmentId ?? '', amounts.applyToTodaysService];
}
