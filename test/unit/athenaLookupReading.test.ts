import { easternDate, parseEasternDateTime } from '../../nodes/Athenahealth/shared/easternTime';
import { readHistoryPayment } from '../../nodes/Athenahealth/transport/paymentHistory';
import { athenaCents } from '../../nodes/Athenahealth/transport/receipts';

describe("reading athena's records for settling unknown rows", () => {
	it('receipt amounts as athena writes them (".16", "2.5", "1", 0, "-978.7") to cents', () => {
		expect(['.16', '2.5', '1', 0, '-978.7', '12.50'].map(athenaCents)).toEqual([16, 250, 100, 0, -97870, 1250]);
		expect(athenaCents('abc')).toBeUndefined();
	});

	it('requestdate is US Eastern wall time, daylight saving included', () => {
		expect(new Date(parseEasternDateTime('07/01/2026 09:15:03')!).toISOString()).toBe('2026-07-01T13:15:03.000Z');
		expect(new Date(parseEasternDateTime('12/01/2026 09:15:03')!).toISOString()).toBe('2026-12-01T14:15:03.000Z');
		expect(parseEasternDateTime('2026-12-01')).toBeUndefined();
		expect(easternDate(Date.parse('2026-12-02T03:00:00Z'))).toBe('12/01/2026');
	});

	it('a payment-history entry is read tolerantly and says which of athena\'s fields it read', () => {
		const read = readHistoryPayment({ PatientID: 12, DEPARTMENTID: '21', paymentAmount: 20.5, method: 'check', checkno: 'C77', paymentdate: '12/01/2026 10:00:00', batchid: 5 });
		expect(read).toMatchObject({ patientId: '12', departmentId: '21', cents: 2050, paymentMethod: 'check', checkNumber: 'C77', date: '12/01/2026', paymentBatchId: '5' });
		expect(read?.fields).toMatchObject({ cents: 'paymentamount', date: 'paymentdate', paymentBatchId: 'batchid' });
		expect(readHistoryPayment('x')).toBeUndefined();
		expect(readHistoryPayment({ note: 'nothing known' })?.fields).toEqual({});
	});
});
