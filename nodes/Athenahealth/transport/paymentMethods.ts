import type { AthenaClient } from './athenaClient';
import { fetchList } from './lists';
import { paymentMethodSchema } from '../shared/athenaSchemas';

export type PaymentMethod = {
	name: string;
	code: string;
	kind: 'cash' | 'check' | 'card';
};

/** Every practice's methods besides its cards (athena lists only the card methods). */
export const CASH_AND_CHECK: PaymentMethod[] = [
	{ name: 'Cash', code: 'CASH', kind: 'cash' },
	{ name: 'Check', code: 'CHECK', kind: 'check' },
];

/** CASH and CHECK, then the practice's own card methods: athena's codes (MC/VISA, AMEX…), never invented ones. */
export async function fetchPaymentMethods(
	client: AthenaClient,
	itemIndex?: number,
): Promise<PaymentMethod[]> {
	const rows = await fetchList(
		client,
		'/configuration/validnonccpcreditcardmethods',
		'paymentmethods',
		{
			call: { action: "list the practice's card payment methods", itemIndex },
		},
	);
	const cards = rows
		.map((row) => paymentMethodSchema.parse(row))
		.filter((method) => method.code && !['CASH', 'CHECK'].includes(method.code.toUpperCase()))
		.map((method): PaymentMethod => ({ name: method.name, code: method.code, kind: 'card' }));
	return [...CASH_AND_CHECK, ...cards];
}
