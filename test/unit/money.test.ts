import { formatMoney, normaliseAthenaMoney, parseMoney } from '../../nodes/Athenahealth/shared/money';

describe('parseMoney', () => {
	it.each([
		['12.5', 1250],
		[' $1,234.50 ', 123450],
		['20', 2000],
		[12.1, 1210],
		[0.3, 30],
		['0.07', 7],
		['1,000,000.00', 100000000],
	])('reads %p as %p cents', (input, cents) => {
		expect(parseMoney(input)).toEqual({ ok: true, cents });
	});

	it.each([
		['-5.00', 'is negative'],
		[-5, 'is negative'],
		['12.499', 'more than two decimal places'],
		[12.499, 'more than two decimal places'],
		['abc', 'is not an amount'],
		['1.2.3', 'is not an amount'],
		[Number.NaN, 'is not a number'],
		[true, 'is not an amount'],
	])('refuses %p (%s)', (input, reason) => {
		const result = parseMoney(input);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toContain(reason);
	});
});

describe('formatMoney / normaliseAthenaMoney', () => {
	it('prints two places', () => {
		expect(formatMoney(1250)).toBe('12.50');
		expect(formatMoney(7)).toBe('0.07');
		expect(formatMoney(-97870)).toBe('-978.70');
		expect(formatMoney(-5)).toBe('-0.05');
	});

	it("turns athena's loose amounts into two-place strings", () => {
		expect(normaliseAthenaMoney('-978.7')).toBe('-978.70');
		expect(normaliseAthenaMoney(0)).toBe('0.00');
		expect(normaliseAthenaMoney('25')).toBe('25.00');
		expect(normaliseAthenaMoney('')).toBeUndefined();
		expect(normaliseAthenaMoney(null)).toBeUndefined();
	});
});
