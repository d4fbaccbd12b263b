import { toAthenaDate } from '../../nodes/Athenahealth/shared/dates';

describe('toAthenaDate', () => {
	it.each([
		['11/26/2026', '11/26/2026'],
		['1/5/2027', '01/05/2027'],
		['2026-12-01', '12/01/2026'],
		['2026-12-01T15:00:00.000Z', '12/01/2026'],
		[' 02/29/2028 ', '02/29/2028'],
	])('reads %p as %p', (input, expected) => {
		expect(toAthenaDate(input)).toBe(expected);
	});

	it.each(['02/30/2026', '13/01/2026', '2026/12/01', '26-12-2026', 'tomorrow', '', 20261201])('refuses %p', (input) => {
		expect(toAthenaDate(input)).toBeUndefined();
	});
});
