import { easternDate, parseEasternDateTime } from '../../nodes/Athenahealth/shared/dates';
import { readHistoryPayment, readPaymentHistory } from '../../nodes/Athenahealth/transport/paymentHistory';
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

	describe("a payment-history answer in the shape a third-party catalogue of athena's payment history describes", () => {
		const amounts = (body: unknown) => readPaymentHistory(body).payments.map((payment) => [payment.patientId, payment.cents]);

		it('`payments` is the amount when it is money; `checkccnumber` is the check number or the card digits by the method', () => {
			const { payments } = readPaymentHistory({
				paymenthistory: [
					{ Payments: '120', Method: 'CHECK', CheckCCNumber: 'C501', EPaymentID: '', DateOfService: '01/02/2020', OriginalPlan: 'X', PlaceOfPayment: 'Front desk' },
					{ payments: '45.5', method: 'MC/VISA', checkccnumber: 'XXXXXXXXXXXX4242', nameoncard: 'ROSA QUINTERO' },
					{ payments: '9', method: 'CASH', checkccnumber: '1234' },
					{ payments: '9', checkccnumber: '1234' },
				],
			});
			expect(payments.map(({ cents, paymentMethod, checkNumber, cardLast4, date }) => ({ cents, paymentMethod, checkNumber, cardLast4, date }))).toEqual([
				{ cents: 12000, paymentMethod: 'CHECK', checkNumber: 'C501', cardLast4: undefined, date: undefined },
				{ cents: 4550, paymentMethod: 'MC/VISA', checkNumber: undefined, cardLast4: '4242', date: undefined },
				// Cash has neither; without a method the number could be either, so it is not read as one.
				{ cents: 900, paymentMethod: 'CASH', checkNumber: undefined, cardLast4: undefined, date: undefined },
				{ cents: 900, paymentMethod: undefined, checkNumber: undefined, cardLast4: undefined, date: undefined },
			]);
			expect(payments[0].fields).toMatchObject({ cents: 'payments', paymentMethod: 'method', checkNumber: 'checkccnumber' });
			expect(payments[1].fields.cardLast4).toBe('checkccnumber');
		});

		it('a list under `paymenthistory`, nested per patient (the patient ID passed down), or keyed by patient ID', () => {
			expect(amounts({ paymenthistory: [{ patientid: '30', payments: [{ payments: '1' }, { payments: '2' }] }, { patientid: 31, payments: [] }] })).toEqual([
				['30', 100],
				['30', 200],
			]);
			expect(amounts({ patients: [{ patientid: '7', payments: [{ amount: '3' }] }] })).toEqual([['7', 300]]);
			expect(amounts({ '30': [{ payments: '4' }], '31': { payments: '5' } })).toEqual([
				['30', 400],
				['31', 500],
			]);
			expect(amounts([{ patientid: '8', amount: '6' }])).toEqual([['8', 600]]);
			// A payment's own lines (claims it was applied to) are not payments.
			expect(amounts({ paymenthistory: [{ patientid: '9', payments: '10', claims: [{ claimid: '1', amount: '4' }, { claimid: '2', amount: '6' }] }] })).toEqual([['9', 1000]]);
		});

		it('negative amounts: a reversal reads negative beside positive payments; an answer that writes every payment negative is read as credits', () => {
			expect(amounts({ paymenthistory: [{ payments: '120' }, { payments: '-120' }, { payments: '(20.00)' }, { payments: '$1,200.00' }] }).map(([, cents]) => cents)).toEqual([
				12000, -12000, -2000, 120000,
			]);
			const credits = readPaymentHistory({ paymenthistory: [{ payments: '-120' }, { payments: '-35.5' }] }).payments;
			expect(credits.map((payment) => [payment.cents, payment.writtenNegative])).toEqual([
				[12000, true],
				[3550, true],
			]);
		});

		it('athena answered but no amount could be read: said so (field names only, no values); an empty history is no such case', () => {
			const unreadable = readPaymentHistory({ paymenthistory: [{ patientid: '30', payments: [{ paid: 'one hundred', method: 'CHECK' }] }] });
			expect(unreadable.payments).toEqual([]);
			expect(unreadable.unreadable).toMatch(/^1 entry, none with an amount under a name the node knows \(amount, .*payments.*\); fields seen: method, paid, patientid$/);
			expect(readPaymentHistory({ odd: [{ a: 1 }], other: [{ b: 2 }] }).unreadable).toMatch(/lists under names the node does not know \(odd, other\)/);
			expect(readPaymentHistory(undefined).unreadable).toBe('the answer was empty or not JSON');
			expect(readPaymentHistory('<html>').unreadable).toBe('the answer was a bare string');
			for (const empty of [{ paymenthistory: [], totalcount: 0 }, { payments: [] }, [], {}, { paymenthistory: [{ patientid: '30', payments: [] }] }]) {
				expect(readPaymentHistory(empty)).toEqual({ payments: [] });
			}
		});
	});
});
