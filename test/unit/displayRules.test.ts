import type { INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';

const { properties } = new Athenahealth().getNodeType(1).description;

/** The parameters n8n keeps (and the editor shows) for these settings, resolved by n8n's own display rules. */
function shown(values: INodeParameters): string[] {
	const resolved = NodeHelpers.getNodeParameters(properties, values, true, false, null, null) ?? {};
	return Object.keys(resolved);
}

describe('Record Payment fields follow the payment method', () => {
	const record = { resource: 'payment', operation: 'record' };

	it('cash shows neither Check Number nor Card Last 4 Digits', () => {
		const fields = shown({ ...record, paymentMethod: 'CASH' });
		expect(fields).not.toContain('checkNumber');
		expect(fields).not.toContain('cardLast4');
		expect(fields).toEqual(expect.arrayContaining(['patientId', 'departmentId', 'copayAmount', 'otherAmount', 'postDate']));
	});

	it('a check shows Check Number only', () => {
		const fields = shown({ ...record, paymentMethod: 'CHECK' });
		expect(fields).toContain('checkNumber');
		expect(fields).not.toContain('cardLast4');
	});

	it.each(['MC/VISA', 'AMEX', 'DISCOVER'])('the card method %s shows Card Last 4 Digits only', (method) => {
		const fields = shown({ ...record, paymentMethod: method });
		expect(fields).toContain('cardLast4');
		expect(fields).not.toContain('checkNumber');
	});

	it('a method taken from the sheet by expression keeps both, and each row uses the one its method needs', () => {
		const fields = shown({ ...record, paymentMethod: '={{ $json.method }}' });
		expect(fields).toEqual(expect.arrayContaining(['checkNumber', 'cardLast4']));
	});

	it('Row Reference appears only for the row-reference duplicate check, Post Again not when the check is off', () => {
		expect(shown({ ...record, duplicateCheck: 'paymentDetails' })).not.toContain('rowReference');
		expect(shown({ ...record, duplicateCheck: 'rowReference' })).toContain('rowReference');
		expect(shown({ ...record, duplicateCheck: 'off' })).not.toContain('postAgain');
	});
});

describe('Collect Payment', () => {
	it('keeps card number and security code in password fields and warns about PCI scope', () => {
		const byName = new Map(properties.filter((property) => property.displayOptions?.show?.operation?.includes('collect')).map((property) => [property.name, property]));
		expect(byName.get('cardNumber')?.typeOptions?.password).toBe(true);
		expect(byName.get('cardSecurityCode')?.typeOptions?.password).toBe(true);
		expect(String(byName.get('pciNotice')?.displayName)).toContain('PCI DSS scope');
	});
});

describe('the node is not offered to AI agents', () => {
	it('declares usableAsTool deliberately as off', () => {
		// Declared, and empty: n8n makes a tool only of a node whose usableAsTool is truthy.
		for (const version of [1, 2, 3]) expect(new Athenahealth().getNodeType(version).description).toHaveProperty('usableAsTool', undefined);
	});
});

describe('the posting forms say how far back the duplicate memory reaches (issue 9, case 8)', () => {
	it.each([
		[1, 'record'],
		[1, 'collect'],
		[2, 'record'],
		[2, 'collect'],
	])('v%p %s shows the notice', (version, operation) => {
		const description = new Athenahealth().getNodeType(version).description;
		const notices = description.properties.filter(
			(property) => property.type === 'notice' && property.displayOptions?.show?.operation?.includes(operation) && property.name === 'duplicateMemoryNotice',
		);
		expect(notices).toHaveLength(1);
		expect(notices[0].displayName).toContain('50,000');
		expect(notices[0].displayName).toContain('Post Again');
	});
});

describe('version 3: Record and Collect start empty and take one Amount (issue 23, items 1 and 2)', () => {
	const v3 = new Athenahealth().getNodeType(3).description.properties;
	const shownV3 = (values: INodeParameters) => Object.keys(NodeHelpers.getNodeParameters(v3, values, true, false, null, null) ?? {});
	const amountParts = ['amount', 'amountFor', 'appointmentId', 'claimPayments', 'copayAmount', 'otherAmount', 'applyToTodaysService'];

	it.each(['record', 'collect'])('%s starts with Patient and Department empty and the amount toward the balance', (operation) => {
		const defaults = NodeHelpers.getNodeParameters(v3, { resource: 'payment', operation }, true, false, null, null) ?? {};
		expect(defaults).toMatchObject({ patientId: { mode: 'list', value: '' }, departmentId: { mode: 'list', value: '' }, amount: '', amountFor: 'balance' });
		expect(shownV3({ resource: 'payment', operation }).filter((name) => amountParts.includes(name))).toEqual(['amount', 'amountFor']);
	});

	it.each<[string, string[]]>([
		['copay', ['amount', 'amountFor', 'appointmentId']],
		['todayService', ['amount', 'amountFor']],
		['claims', ['amountFor', 'claimPayments']],
		['split', ['amountFor', 'appointmentId', 'claimPayments', 'copayAmount', 'otherAmount', 'applyToTodaysService']],
	])('Amount Is For %s shows %j', (amountFor, fields) => {
		expect(shownV3({ resource: 'payment', operation: 'record', amountFor }).filter((name) => amountParts.includes(name))).toEqual(fields);
	});

	it('lists what the amount pays in plain words, each saying the athena field it goes to', () => {
		const amountFor = v3.find((property) => property.name === 'amountFor' && property.displayOptions?.show?.operation?.includes('record'));
		const choices = (amountFor?.options ?? []) as Array<{ name: string; value: string; description: string }>;
		expect(choices.map((choice) => choice.name)).toEqual([
			'Copay for an Appointment',
			"Patient's Balance",
			'Several Parts',
			'Specific Claims',
			"Today's Service (Self-Pay)",
		]);
		expect(choices.find((choice) => choice.value === 'balance')?.description).toMatch(/^Sent as athena's other amount/);
	});
});

describe('version 3 shows one notice on Record, in plain words (issue 23, item 6)', () => {
	const v3 = new Athenahealth().getNodeType(3).description.properties;
	const notices = (operation: string) =>
		v3.filter((property) => property.type === 'notice' && property.displayOptions?.show?.operation?.includes(operation)).map((property) => property.displayName);

	it('Record has one notice: what Record is for and that a re-run skips what it recorded, no developer words', () => {
		const [notice, ...more] = notices('record');
		expect(more).toEqual([]);
		expect(notice).toMatch(/^For money taken outside athena: cash, a check, or a card/);
		expect(notice).toContain('Payment → Collect');
		expect(notice).not.toMatch(/keys|50,000|Duplicate Window|Post Again|static data|unapplied/);
	});

	it('Collect keeps only its card-data notice', () => {
		expect(notices('collect')).toEqual([expect.stringContaining('PCI DSS scope')]);
	});

	it.each(['record', 'collect'])('%s: Options → Duplicate Check says how far back it remembers and what to do beyond that', (operation) => {
		const options = v3.find((property) => property.name === 'postingOptions' && property.displayOptions?.show?.operation?.includes(operation));
		const duplicateCheck = (options?.options as INodeProperties[]).find((option) => option.name === 'duplicateCheck');
		expect(duplicateCheck?.description).toContain('newest 50,000 payments');
		expect(duplicateCheck?.description).toContain('post it with Post Again');
	});
});
