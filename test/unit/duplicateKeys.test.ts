/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { collectPaymentSpec } from '../../nodes/Athenahealth/actions/payment/collect.operation';
import { KEY_VERSION, rowKeys } from '../../nodes/Athenahealth/actions/payment/posting/memory/keys';
import { recordPaymentSpec } from '../../nodes/Athenahealth/actions/payment/record.operation';
import { validate } from '../../nodes/Athenahealth/shared/validate';

/**
 * Issue 9, case 7: duplicate-check keys are versioned and pinned. These are golden values: if a change to what goes
 * into a key, or to how amounts, dates or claim lists are normalised before, makes one of them differ, every payment
 * posted before would look new. Such a change must bump KEY_VERSION and keep reading the previous version's keys.
 */
const amounts = { appointmentId: '', otherAmount: '', applyToTodaysService: false };
const parsed = <T>(result: { ok: true; value: T } | { ok: false; message: string }): T => {
	if (!result.ok) throw new Error(result.message);
	return result.value;
};
const days = { today: '2026-12-03', windowDays: 2, workflowDates: ['12/03/2026', '12/02/2026'] };

// Amounts as a sheet writes them ("15", "20.5", " 7.1 "), claims out of order: the key must see them normalised.
const recordRow = parsed(
	validate(recordPaymentSpec.input.schema, {
		patientId: '1',
		departmentId: '1',
		paymentMethod: 'CHECK',
		checkNumber: '1042',
		postDate: '2026-11-26',
		...amounts,
		copayAmount: '20.5',
		claimPayments: [
			{ claimId: '9002', amount: ' 7.1 ' },
			{ claimId: '9001', amount: '3' },
		],
	}),
);
const cashRow = parsed(validate(recordPaymentSpec.input.schema, { patientId: '1', departmentId: '1', paymentMethod: 'CASH', postDate: '', ...amounts, copayAmount: '15', claimPayments: [] }));
const collectRow = parsed(
	validate(collectPaymentSpec.input.schema, {
		patientId: '1',
		departmentId: '1',
		cardNumber: '4111 1111 1111 1111',
		cardSecurityCode: '987',
		expirationMonth: '12',
		expirationYear: '2035',
		nameOnCard: 'ROSA QUINTERO',
		billingAddress: '12 Elm St',
		billingZip: '02472',
		ecommerceMode: true,
		allowDuplicatePayments: false,
		...amounts,
		copayAmount: '25',
		claimPayments: [],
	}),
);

describe('duplicate-check keys (golden values)', () => {
	it('are of key version 2', () => {
		expect(KEY_VERSION).toBe(2);
	});

	it('Record by payment details', () => {
		expect(rowKeys(recordPaymentSpec, '195900', { input: recordRow }, 1, days, true)).toEqual({
			key: 'athena-k2-190833787b5e2661c924a1f55d39d39f',
			ahead: [],
			legacy: ['athena-190833787b5e2661c924a1f55d39d39f'],
		});
	});

	it('Record: version 1 key of a cash row is the one version 1 wrote (taken from its output)', () => {
		expect(rowKeys(recordPaymentSpec, '195900', { input: cashRow }, 1, days, true).legacy).toEqual(['athena-9b3d60cc843ae89cfaca868b6760e33a']);
	});

	it('Collect by payment details: today\'s key, tomorrow\'s claimed ahead, version 1 keys of the window\'s workflow dates', () => {
		expect(rowKeys(collectPaymentSpec, '195900', { input: collectRow }, 1, days, true)).toEqual({
			key: 'athena-k2-a8431cf44b0947b586acefd56d2ca4de@2026-12-03',
			ahead: ['athena-k2-a8431cf44b0947b586acefd56d2ca4de@2026-12-04'],
			// The first is the key version 1 wrote for this card payment on 12/03/2026 (taken from its output).
			legacy: ['athena-5fba551854432551e4756d978ef6b0fb', 'athena-b8df735f1528e32195c77bc1419a6559'],
		});
	});

	it('the second identical row and a Row Reference', () => {
		expect(rowKeys(collectPaymentSpec, '195900', { input: collectRow }, 2, { ...days, windowDays: 1 }, false)).toEqual({
			key: 'athena-k2-a8431cf44b0947b586acefd56d2ca4de#2@2026-12-03',
			ahead: [],
			legacy: [],
		});
		expect(rowKeys(recordPaymentSpec, '195900', { reference: 'R-1001' }, 1, days, true)).toEqual({
			key: 'athena-k2-be724add73108aa15ca6616a807e507e',
			ahead: [],
			legacy: ['athena-be724add73108aa15ca6616a807e507e'],
		});
	});
});

describe('a timestamp Post Date read on its US Eastern day (issue 24) keeps the key it was posted under before', () => {
	const dated = (postDate: unknown) =>
		parsed(validate(recordPaymentSpec.input.schema, { patientId: '1', departmentId: '1', paymentMethod: 'CASH', postDate, ...amounts, copayAmount: '15', claimPayments: [] }));

	it('9:30 pm Eastern written in UTC: the key of 11/20, and the key version 2 gave it (11/21) claimed along', () => {
		const keys = rowKeys(recordPaymentSpec, '195900', { input: dated('2026-11-21T02:30:00.000Z') }, 1, days, false);
		expect(keys.key).toBe(rowKeys(recordPaymentSpec, '195900', { input: dated('11/20/2026') }, 1, days, false).key);
		expect(keys.legacy).toEqual([rowKeys(recordPaymentSpec, '195900', { input: dated('11/21/2026') }, 1, days, false).key]);
	});

	it('with version 1 keys still about, both versions of the earlier date; the n-th identical row its own', () => {
		const keys = rowKeys(recordPaymentSpec, '195900', { input: dated('2026-11-21T02:30:00.000Z') }, 2, days, true);
		const before = rowKeys(recordPaymentSpec, '195900', { input: dated('11/21/2026') }, 2, days, true);
		expect(keys.legacy).toEqual(expect.arrayContaining([before.key, ...before.legacy]));
		expect(keys.legacy.every((key) => key.endsWith('#2'))).toBe(true);
	});

	it('a date read the same as before adds nothing', () => {
		expect(rowKeys(recordPaymentSpec, '195900', { input: dated('2026-11-20T15:00:00.000Z') }, 1, days, false).legacy).toEqual([]);
		expect(rowKeys(recordPaymentSpec, '195900', { input: dated(46346) }, 1, days, false).legacy).toEqual([]);
	});
});
