/* eslint-disable @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Receipts and payment history keep everything the simulator stored, also a payment stored without an answer (a
 * fault after storing), in athena's recorded receipt shape (fact 27): a void is a new VOID row with a new e-payment
 * ID, or the purchase turned VOIDPURCHASE.
 */
import { CARD_APPROVED, CLIENT_ID, CLIENT_SECRET, PATIENT_WITH_BALANCES, PRACTICE_ID, SEED_EPAYMENT_VOIDED, VALID_CARD_FIELDS, startSimulator } from './index';
import type { AthenaSimulator } from './index';

let sim: AthenaSimulator;
let bearer = '';
const P = PATIENT_WITH_BALANCES;

async function api(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<{ status: number; body: any }> {
	const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
	if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
	const res = await fetch(`${sim.url}/v1/${PRACTICE_ID}${path}`, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined });
	const text = await res.text();
	try {
		return { status: res.status, body: JSON.parse(text) };
	} catch {
		return { status: res.status, body: text };
	}
}

const card = (extra: Record<string, string> = {}) => ({
	departmentid: '1',
	accountnumber: CARD_APPROVED,
	cardsecuritycode: VALID_CARD_FIELDS.cardsecuritycode,
	expirationmonthmm: VALID_CARD_FIELDS.expirationmonthmm,
	expirationyearyyyy: VALID_CARD_FIELDS.expirationyearyyyy,
	nameoncard: VALID_CARD_FIELDS.nameoncard,
	billingaddress: VALID_CARD_FIELDS.billingaddress,
	billingzip: VALID_CARD_FIELDS.billingzip,
	copayamount: '12.50',
	...extra,
});

async function freshToken(): Promise<void> {
	const res = await fetch(`${sim.url}/oauth2/v1/token`, {
		method: 'POST',
		headers: { authorization: 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
		body: 'grant_type=client_credentials',
	});
	bearer = ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => await sim.close());
beforeEach(async () => {
	sim.reset(); // drops the tokens too
	await freshToken();
});

const receiptsOf = async (patient = P) => (await api('GET', `/patients/${patient}/receipts?departmentid=1`)).body as Array<Record<string, unknown>>;

test('a card payment stored without an answer (500 after storing) is in the receipts, in the recorded shape', async () => {
	sim.addFaults({ method: 'POST', path: '/collectpayment$', kind: '500-after', count: 1 });
	const answer = await api('POST', `/patients/${P}/collectpayment`, card());
	expect(answer.status).toBe(500);
	const stored = sim.ledger();
	expect(stored).toHaveLength(1);
	expect(stored[0].answered).toBe(false);
	const receipts = await receiptsOf();
	expect(Array.isArray(receipts)).toBe(true);
	const purchase = receipts.find((receipt) => receipt.epaymentid === stored[0].epaymentid);
	expect(purchase).toMatchObject({ type: 'PURCHASE', amount: '12.5', cardnumberlast4digits: '1111' });
	for (const receipt of receipts) for (const value of Object.values(receipt)) expect(typeof value).toBe('string');
	expect(String(purchase?.requestdate)).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
});

test('a 5xx before storing leaves no receipt', async () => {
	sim.addFaults({ method: 'POST', path: '/collectpayment$', kind: '500-before', count: 1 });
	expect((await api('POST', `/patients/${P}/collectpayment`, card())).status).toBe(500);
	expect((await receiptsOf()).filter((receipt) => receipt.type === 'PURCHASE' && receipt.amount === '12.5')).toHaveLength(0);
});

test('a void is a new VOID row with a new e-payment ID (default), or the purchase turned VOIDPURCHASE', async () => {
	const seedVoid = (await receiptsOf()).filter((receipt) => receipt.type === 'VOID');
	expect(seedVoid).toHaveLength(1);
	expect(seedVoid[0].epaymentid).not.toBe(SEED_EPAYMENT_VOIDED);

	const eid = (await api('POST', `/patients/${P}/collectpayment`, card())).body[0].epaymentid as string;
	expect((await api('POST', `/patients/${P}/voidpayment/${eid}`)).body).toEqual([{ success: 'true' }]);
	const after = await receiptsOf();
	const voidRow = after.filter((receipt) => receipt.type === 'VOID' && receipt.amount === '12.5');
	expect(voidRow).toHaveLength(1);
	expect(voidRow[0].epaymentid).toBe(String(Number(eid) + 1));
	expect(after.find((receipt) => receipt.epaymentid === eid)?.type).toBe('PURCHASE');

	sim.reset({ voidReceipt: 'voidPurchase' });
	await freshToken();
	const eid2 = (await api('POST', `/patients/${P}/collectpayment`, card())).body[0].epaymentid as string;
	await api('POST', `/patients/${P}/voidpayment/${eid2}`);
	const turned = (await receiptsOf()).filter((receipt) => receipt.epaymentid === eid2);
	expect(turned.map((receipt) => receipt.type)).toEqual(['VOIDPURCHASE']);
});

test('payment history holds recorded payments stored without an answer, values as strings, amounts as athena writes them', async () => {
	sim.addFaults({ method: 'POST', path: '/recordpayment$', kind: '500-after', count: 1 });
	const form = { departmentid: '21', paymentmethod: 'CHECK', checknumber: 'C77', otheramount: '20.50', postdate: '12/01/2026' };
	expect((await api('POST', '/patients/12/recordpayment', form)).status).toBe(500);
	await api('POST', '/patients/13/recordpayment', { ...form, checknumber: 'C78' });
	const history = await api('GET', '/patients/paymenthistory?patientidlist=12,13&startdate=11/30/2026&enddate=12/02/2026');
	expect(history.status).toBe(200);
	const payments = history.body.payments as Array<Record<string, unknown>>;
	expect(payments.map((payment) => payment.patientid)).toEqual(['12', '13']);
	expect(payments[0]).toMatchObject({ departmentid: '21', amount: '20.5', paymentmethod: 'CHECK', checknumber: 'C77', postdate: '12/01/2026', type: 'RECORDED' });
	for (const payment of payments) for (const value of Object.values(payment)) expect(typeof value).toBe('string');
	const outside = await api('GET', '/patients/paymenthistory?patientidlist=12&startdate=12/02/2026&enddate=12/03/2026');
	expect(outside.body.payments).toEqual([]);
});
