import type { INodeProperties } from 'n8n-workflow';

import { paymentFieldRules } from '../shared/fieldRules';

/**
 * Payment Method and the reference field it needs (a check its number, a card its last four).
 *
 * Two facts of n8n's editor shape these fields:
 * - Before a run it checks `required` fields with the raw parameter values (NodeHelpers.getNodeParametersIssues),
 *   where a `show` rule on an expression always counts as shown. A `required` field shown by `show: { paymentMethod }`
 *   would therefore block every run whose method is mapped from a column. So the required variants are hidden by
 *   `hide` rules that also match an expression: they exist only for a method picked from the list.
 * - The panel resolves an expression against the first input item before applying display rules, so a method
 *   mapped straight onto the dropdown shows the fields of the first row only. "From a Column" is the way to say
 *   "each row has its own method": it shows both reference fields, optional, and each row is checked for the one its
 *   method needs (fieldRules.ts).
 */
export const METHOD_FROM_COLUMN = 'fromColumn';

/**
 * A value that is an expression: a string from "=" up to ">" (the next character), so every "=…" and nothing else a
 * method can be. A comparison, not `startsWith` (n8n before 2.41 calls it on a missing value and crashes) nor `regex`
 * (n8n 2.41 runs it in a sandbox that timed out under load, issue 22): test/displayConditions.ts walks every rule.
 */
const isExpression = { _cnd: { between: { from: '=', to: '>' } } };

export const paymentMethodField: INodeProperties = {
	displayName: 'Payment Method Name or ID',
	name: 'paymentMethod',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getPaymentMethods' },
	default: 'CASH',
	required: true,
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
};

export const paymentMethodColumnField: INodeProperties = {
	displayName: 'Payment Method Column',
	name: 'paymentMethodColumn',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.method }}',
	description:
		"The column holding each row's method: CASH, CHECK, or one of the practice's card method codes (e.g. MC/VISA, AMEX). Each row is checked for the Check Number or Card Last 4 Digits its method needs.",
	// A hide rule, not show: n8n counts a show rule on an expression as shown, and this field is required.
	displayOptions: { hide: { paymentMethod: [{ _cnd: { not: METHOD_FROM_COLUMN } }] } },
};

const checkNumberBase: INodeProperties = {
	displayName: 'Check Number',
	name: 'checkNumber',
	type: 'string',
	default: '',
	placeholder: 'e.g. 1042',
	description: paymentFieldRules.checkNumber.rule,
};

const cardLast4Base: INodeProperties = {
	displayName: 'Card Last 4 Digits',
	name: 'cardLast4',
	type: 'string',
	default: '',
	placeholder: 'e.g. 4242',
	description: paymentFieldRules.cardLast4.rule,
};

export const referenceFields: INodeProperties[] = [
	// Check picked from the list: required.
	{
		...checkNumberBase,
		required: true,
		displayOptions: { hide: { paymentMethod: [{ _cnd: { not: 'CHECK' } }] } },
	},
	// Method per row (or mapped onto the dropdown): optional here, required by the node for each check row.
	{
		...checkNumberBase,
		displayOptions: { show: { paymentMethod: [METHOD_FROM_COLUMN, isExpression] } },
	},
	// A card method picked from the list: required.
	{
		...cardLast4Base,
		required: true,
		displayOptions: {
			hide: { paymentMethod: ['CASH', 'CHECK', METHOD_FROM_COLUMN, isExpression] },
		},
	},
	{
		...cardLast4Base,
		displayOptions: { show: { paymentMethod: [METHOD_FROM_COLUMN, isExpression] } },
	},
];
