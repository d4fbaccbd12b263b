import { collectPaymentSchema, recordPaymentSchema } from '../../nodes/Athenahealth/shared/fieldRules';
import { validate } from '../../nodes/Athenahealth/shared/validate';

const cash = { patientId: '1', departmentId: '1', paymentMethod: 'CASH', copayAmount: '20', claimPayments: [], applyToTodaysService: false };

describe('recordPaymentSchema', () => {
	it('normalises a cash row and drops the reference fields it does not use', () => {
		const result = validate(recordPaymentSchema, { ...cash, checkNumber: '77', cardLast4: '1234', otherAmount: '$1,234.5', postDate: '2026-12-01' });
		expect(result).toEqual({
			ok: true,
			value: {
				patientId: '1',
				departmentId: '1',
				paymentMethod: 'CASH',
				copayAmount: '20.00',
				otherAmount: '1234.50',
				claimPayments: [],
				applyToTodaysService: false,
				postDate: '12/01/2026',
			},
		});
	});

	it('needs a check number for a check and the last four for a card, lower-case methods included', () => {
		expect(validate(recordPaymentSchema, { ...cash, paymentMethod: 'check' })).toEqual({ ok: false, message: 'Check Number is required for a check payment' });
		expect(validate(recordPaymentSchema, { ...cash, paymentMethod: 'MC/VISA', cardLast4: '' })).toEqual({
			ok: false,
			message: 'Card Last 4 Digits is required for a card payment',
		});
		const card = validate(recordPaymentSchema, { ...cash, paymentMethod: 'mc/visa', cardLast4: ' 4242 ' });
		expect(card.ok && card.value).toMatchObject({ paymentMethod: 'MC/VISA', cardLast4: '4242' });
	});

	it('refuses a full card number in Card Last 4 without echoing it', () => {
		const result = validate(recordPaymentSchema, { ...cash, paymentMethod: 'AMEX', cardLast4: '4111 1111 1111 1111' });
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toContain('looks like a full card number');
		expect(JSON.stringify(result)).not.toMatch(/4111\s?1111/);
	});

	it('needs at least one amount carrying money', () => {
		const result = validate(recordPaymentSchema, { ...cash, copayAmount: '0.00', otherAmount: '' });
		expect(result).toEqual({ ok: false, message: expect.stringContaining('No amount to post') });
	});

	it('names every bad field of a row in one message', () => {
		const result = validate(recordPaymentSchema, { ...cash, patientId: 'abc', copayAmount: '12.345', postDate: '02/30/2026' });
		expect(result.ok).toBe(false);
		const message = !result.ok ? result.message : '';
		expect(message).toContain('Patient ID must be digits only');
		expect(message).toContain('Copay Amount has more than two decimal places');
		expect(message).toContain('Post Date must be a real date');
	});

	it('reads Post Date from a date cell and from a timestamp, and says how (issue 24)', () => {
		const cell = validate(recordPaymentSchema, { ...cash, postDate: 46346 });
		expect(cell.ok && cell.value).toMatchObject({ postDate: '11/20/2026', postDateRead: 'spreadsheet date 46346 = 11/20/2026' });
		const evening = validate(recordPaymentSchema, { ...cash, postDate: '2026-11-21T02:30:00.000Z' });
		expect(evening.ok && evening.value).toMatchObject({ postDate: '11/20/2026', postDateRead: expect.stringContaining('21:30 US Eastern'), postDateReadBefore: '11/21/2026' });
		const typed = validate(recordPaymentSchema, { ...cash, postDate: '11/20/2026' });
		expect(typed.ok && typed.value).not.toHaveProperty('postDateRead');
	});

	it('refuses a Post Date that is no date, saying what it got and what it takes', () => {
		expect(validate(recordPaymentSchema, { ...cash, postDate: 123 })).toEqual({
			ok: false,
			message:
				'Post Date must be a real date as mm/dd/yyyy (e.g. 11/26/2026), yyyy-mm-dd, a date cell or an ISO timestamp; the number 123 is not a spreadsheet date of the years 2000 to 2099 (format the column as a date)',
		});
		expect(validate(recordPaymentSchema, { ...cash, postDate: '31/12/2026' })).toEqual({ ok: false, message: expect.stringContaining('"31/12/2026" is not one') });
	});

	it('reads claim payments and refuses the same claim twice', () => {
		const ok = validate(recordPaymentSchema, { ...cash, copayAmount: '', claimPayments: [{ claimId: '101', amount: 5 }] });
		expect(ok.ok && ok.value.claimPayments).toEqual([{ claimId: '101', amount: '5.00' }]);
		const twice = validate(recordPaymentSchema, { ...cash, claimPayments: [{ claimId: '101', amount: '1' }, { claimId: '101', amount: '2' }] });
		expect(twice).toEqual({ ok: false, message: expect.stringContaining('same claim ID twice') });
	});
});

describe('collectPaymentSchema', () => {
	const card = {
		patientId: '1',
		departmentId: '1',
		cardNumber: '4111-1111-1111-1111',
		cardSecurityCode: '123',
		expirationMonth: '4',
		expirationYear: '28',
		billingZip: '02134-1234',
		nameOnCard: 'Jane Doe',
		billingAddress: '12 Elm St',
		copayAmount: '25',
		claimPayments: [],
		applyToTodaysService: false,
	};

	it('normalises card fields', () => {
		const result = validate(collectPaymentSchema, card);
		expect(result.ok && result.value).toMatchObject({ cardNumber: '4111111111111111', expirationMonth: '04', expirationYear: '2028', billingZip: '021341234' });
	});

	it('never repeats card data in its messages', () => {
		const result = validate(collectPaymentSchema, { ...card, cardNumber: '4111 1111 1111', cardSecurityCode: '12345', nameOnCard: 'x'.repeat(31) });
		const message = !result.ok ? result.message : '';
		expect(message).toContain('Card Number must be 13 to 19 digits');
		expect(message).toContain('Card Security Code must be 3 or 4 digits');
		expect(message).not.toContain('Name on Card');
		expect(message).not.toMatch(/1111|12345/);
	});

	it("cuts Name on Card at 30 and Billing Address at 20 characters, as athena's spec asks, and says so", () => {
		const name = 'Maximiliana Alessandra Featherstonehaugh';
		const address = '1234 Northwestern Boulevard Apt 5';
		const result = validate(collectPaymentSchema, { ...card, nameOnCard: name, billingAddress: address });
		expect(result.ok && result.value).toMatchObject({
			nameOnCard: name.slice(0, 30).trimEnd(),
			billingAddress: address.slice(0, 20).trimEnd(),
			truncatedFields: ["Name on Card was cut to athena's 30 characters", "Billing Address was cut to athena's 20 characters"],
		});
		expect(result.ok && result.value.nameOnCard.length).toBeLessThanOrEqual(30);
		expect(result.ok && result.value.billingAddress.length).toBeLessThanOrEqual(20);
		const short = validate(collectPaymentSchema, card);
		expect(short.ok && short.value).toMatchObject({ nameOnCard: 'Jane Doe', billingAddress: '12 Elm St', truncatedFields: [] });
	});
});
