import type { IDataObject, INode } from 'n8n-workflow';

import { allTextOf, findCardData } from '../cardLeaks';
import { CARD_APPROVED, CARD_DECLINED, CARD_DECLINED_ECHOING, CARD_REFUSED_ECHOING } from '../simulator';
import type { NodeRun } from './stack';
import { collectFromInput, expectNoCardData, recordFromSheet, useStack } from './stack';

/**
 * Card data never leaves Collect: not on the error output (where n8n merges the input item in), not in athena's
 * echoed text, in no error mode. Every run is searched whole (outputs, item errors, the execution's error with its
 * stack) for each card number in any spelling and each security code.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

const CVV = '737';
const ERROR_MODES: Array<[string, Partial<INode>]> = [
	['Continue (regular output)', { onError: 'continueRegularOutput' }],
	['Continue (using error output)', { onError: 'continueErrorOutput' }],
	['Stop Workflow', {}],
];

/** A form's item: the card as the customer typed it, the code, and the same card elsewhere in the item. */
const formItem = (card: string, extra: IDataObject = {}): IDataObject => ({
	card,
	cvv: CVV,
	copay: '25',
	patientName: 'Rosa Quintero',
	form: { cardAsTyped: card.replace(/(\d{4})/g, '$1 ').trim(), code: Number(CVV), note: `card ${card} cvv ${CVV}` },
	cardAsNumber: Number(card),
	...extra,
});

const secretsOf = (...cards: string[]) => ({ cardNumbers: cards, securityCodes: [CVV] });

/** What a failed item said, wherever the mode put it. */
function failureText(run: NodeRun): string {
	if (run.error) return `${run.error.message} ${run.error.description ?? ''}`;
	const failed = [...run.errorItems, ...run.items].find((item) => item.json.error);
	return allTextOf(failed?.json);
}

describe('the leak helper', () => {
	it('finds a card number in any spelling and a code, also inside error objects', () => {
		const error = new Error(`refused 4111.1111.1111.1111 code ${CVV}`);
		expect(findCardData({ nested: [error] }, secretsOf(CARD_APPROVED))).toHaveLength(2);
		for (const spelling of ['4111 1111 1111 1111', '4111-1111-1111-1111', '4111/1111/1111/1111', '4111  1111  1111  1111', '"4111","1111","1111","1111"']) {
			expect(findCardData({ text: spelling }, secretsOf(CARD_APPROVED))).toHaveLength(1);
		}
		expect(findCardData({ text: '••••1111, total 737.5 is not 7370', executionTime: 737 }, { cardNumbers: [CARD_APPROVED], securityCodes: ['7370'] })).toHaveLength(1);
		expect(findCardData({ text: '••••1111 amount 25.00', executionTime: 737 }, secretsOf(CARD_APPROVED))).toHaveLength(0);
	});
});

describe.each(ERROR_MODES)('Collect, On Error: %s', (_mode, settings) => {
	it('a decline carries no card number and no code, whatever the input item holds', async () => {
		const run = await stack.run(collectFromInput(), { input: [formItem(CARD_DECLINED)], settings });
		expect(failureText(run)).toContain('Card declined: DECLINED');
		expect(stack.simulator.stats().declines).toBe(1);
		expectNoCardData(run, secretsOf(CARD_DECLINED));
	});

	it("athena's refusal repeating the card (spaces, dots, slashes, double spaces, dashes) and the code is redacted", async () => {
		const run = await stack.run(collectFromInput(), { input: [formItem(CARD_REFUSED_ECHOING)], settings });
		expect(failureText(run)).toContain('athena: Card ••••0119 refused cvv •••');
		expectNoCardData(run, secretsOf(CARD_REFUSED_ECHOING));
	});

	it("a decline text repeating the card and the code is redacted", async () => {
		const run = await stack.run(collectFromInput(), { input: [formItem(CARD_DECLINED_ECHOING)], settings });
		expect(failureText(run)).toContain('Card declined: DECLINED ••••0127 CVV •••');
		expectNoCardData(run, secretsOf(CARD_DECLINED_ECHOING));
	});

	it('an invalid card (never sent) carries no card number and no code', async () => {
		const run = await stack.run(collectFromInput({ expirationMonth: '13' }), { input: [formItem(CARD_APPROVED)], settings });
		expect(failureText(run)).toContain('Expiration Month must be a month number from 1 to 12');
		expect(stack.simulator.stats().apiRequests).toBe(0);
		expectNoCardData(run, secretsOf(CARD_APPROVED));
	});
});

describe('Collect on the error output', () => {
	it("gives the input's fields redacted in details.input, unpaired (so n8n merges nothing), so a failure alert still knows whose payment it was", async () => {
		const run = await stack.run(collectFromInput(), {
			input: [formItem(CARD_APPROVED), formItem(CARD_DECLINED)],
			settings: { onError: 'continueErrorOutput' },
		});
		expect(run.json.map((json) => json.status)).toEqual(['posted']);
		expect(run.errorItems).toHaveLength(1);
		const [failed] = run.errorItems;
		expect(failed.pairedItem).toBeUndefined();
		expect(failed.json).toEqual({
			error: 'Card declined: DECLINED',
			details: expect.objectContaining({
				status: 'failed',
				item: 1,
				cardLast4: '0002',
				input: expect.objectContaining({ patientName: 'Rosa Quintero', card: '••••0002', cvv: '•••', copay: '25' }),
			}),
		});
		expectNoCardData(run, secretsOf(CARD_APPROVED, CARD_DECLINED));
	});
});

describe('Card Number and Security Code accept only expressions', () => {
	const typedCases: Array<[string, IDataObject]> = [
		['a typed card number', { cardNumber: CARD_APPROVED }],
		['a typed security code', { cardSecurityCode: CVV }],
		['a card number written into an expression', { cardNumber: `={{ "${CARD_APPROVED}" }}` }],
		['a card number in expression mode without {{ }}', { cardNumber: `=${CARD_APPROVED}` }],
		['a security code written into an expression', { cardSecurityCode: `={{ '${CVV}' }}` }],
	];
	it.each(typedCases)('refuses %s before anything is sent, saying why', async (_case, fields) => {
		const run = await stack.run(collectFromInput(fields), { input: [formItem(CARD_APPROVED), formItem(CARD_APPROVED)] });
		expect(run.error?.message).toContain('is typed into the node');
		expect(run.error?.message).toContain('saves what is typed into a node in plain text with the workflow');
		expect(run.error?.message).toContain('with an expression instead');
		expect(stack.simulator.stats().apiRequests).toBe(0);
		expect(stack.simulator.ledger()).toHaveLength(0);
		// The typed value is in the node's own parameters (the workflow: that is why it is refused), nowhere else.
		expect(findCardData({ message: run.error?.message, description: run.error?.description, items: run.items }, secretsOf(CARD_APPROVED))).toEqual([]);
	});

	it('names both fields when both are typed, and every item is refused under Continue', async () => {
		const run = await stack.run(collectFromInput({ cardNumber: CARD_APPROVED, cardSecurityCode: CVV }), {
			input: [formItem(CARD_APPROVED), formItem(CARD_APPROVED)],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(run.json.map((json) => json.status)).toEqual(['invalid', 'invalid']);
		expect(run.json[0].error).toContain('Card Number and Card Security Code are typed into the node');
		expect(stack.simulator.stats().apiRequests).toBe(0);
		expectNoCardData(run, { cardNumbers: [], securityCodes: [] });
	});

	it('takes an expression reading the card from another node', async () => {
		const run = await stack.run(collectFromInput({ cardNumber: "={{ $('Trigger').item.json.card }}" }), { input: [formItem(CARD_APPROVED)] });
		expect(run.error).toBeUndefined();
		expect(run.json[0]).toMatchObject({ status: 'posted', cardLast4: '1111' });
		expectNoCardData(run, secretsOf(CARD_APPROVED));
	});
});

describe('Record on the error output', () => {
	it('a full card number typed into the Card Last 4 column does not come out on the error output', async () => {
		const run = await stack.run(recordFromSheet(), {
			input: [{ patient: '1', department: '1', method: 'MC/VISA', last4: CARD_APPROVED, copay: '15.00', note: `paid with 4111-1111-1111-1111` }],
			settings: { onError: 'continueErrorOutput' },
		});
		expect(run.errorItems).toHaveLength(1);
		expect(run.errorItems[0].json).toMatchObject({
			error: expect.stringContaining('looks like a full card number'),
			details: { status: 'invalid', input: { patient: '1', last4: '••••1111' } },
		});
		expectNoCardData(run, { cardNumbers: [CARD_APPROVED], securityCodes: [] });
	});
});
