/* eslint-disable @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/** The simulator's own behaviours that tests of the node rely on. */
import {
	APPOINTMENT_OF_OTHER_PATIENT,
	APPOINTMENT_WITH_COPAY,
	APPOINTMENT_WITHOUT_APPOINTMENTCOPAY,
	type AthenaSimulator,
	CARD_APPROVED,
	CARD_DECLINED,
	CARD_EXPIRED,
	CLIENT_ID,
	CLIENT_SECRET,
	PATIENT_WITH_BALANCES,
	PRACTICE_ID,
	SEED_EPAYMENT_SETTLED,
	SimulatorAdmin,
	VALID_CARD_FIELDS,
	appointmentIdsOf,
	startSimulator,
} from './index';

let sim: AthenaSimulator;
const basic = 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

async function token(auth = basic, body = 'grant_type=client_credentials&scope=athena%2Fservice%2FAthenanet.MDP.*') {
	const res = await fetch(`${sim.url}/oauth2/v1/token`, {
		method: 'POST',
		headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
		body,
	});
	return { status: res.status, json: (await res.json()) as Record<string, string> };
}

let bearer = '';
async function api(method: 'GET' | 'POST', path: string, form?: Record<string, string>, json = false) {
	const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
	let body: string | undefined;
	if (form) {
		headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
		body = json ? JSON.stringify(form) : new URLSearchParams(form).toString();
	}
	const res = await fetch(`${sim.url}/v1/${PRACTICE_ID}${path}`, { method, headers, body });
	const text = await res.text();
	let parsed: any = null;
	try {
		parsed = JSON.parse(text);
	} catch {
		/* html */
	}
	return { status: res.status, text, body: parsed, headers: res.headers };
}

const P = PATIENT_WITH_BALANCES;
const card = (accountnumber: string, extra: Record<string, string> = {}) => ({
	departmentid: '1',
	accountnumber,
	...VALID_CARD_FIELDS,
	copayamount: '25.00',
	...extra,
});

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	sim.reset();
	bearer = (await token()).json.access_token;
});

test('token endpoint: credentials, grant, string expires_in, 5-per-minute limit', async () => {
	expect((await token('Basic ' + Buffer.from(`${CLIENT_ID}:wrong`).toString('base64'))).json.error).toBe('invalid_client');
	expect((await token(basic, 'grant_type=password')).status).toBe(400);
	const ok = await token();
	expect(ok.json.expires_in).toBe('3600');
	// beforeEach + the call above used 2 of 5
	for (let i = 0; i < 3; i++) expect((await token()).status).toBe(200);
	const refused = await token();
	expect(refused.status).toBe(429);
	expect((await token()).status).toBe(429);
	sim.advanceTime(61);
	expect((await token()).status).toBe(200);
	expect(sim.stats()).toMatchObject({ tokensIssued: 6, tokenRefusals429: 2 });
});

test('bearer checks: missing, expired, unknown practice', async () => {
	const noAuth = await fetch(`${sim.url}/v1/${PRACTICE_ID}/departments`);
	expect(noAuth.status).toBe(401);
	expect(await noAuth.json()).toEqual({ error: 'Developer Inactive' });
	const other = await fetch(`${sim.url}/v1/1/departments`, { headers: { authorization: `Bearer ${bearer}` } });
	expect(other.status).toBe(404);
	expect((await other.text()).startsWith('\n\n{"error":"Invalid practice ID"')).toBe(true);
	sim.expireTokens();
	const expired = await api('GET', '/departments');
	expect(expired.status).toBe(401);
	expect(expired.body).toEqual({ error: 'Invalid token' });
});

test('athena quirks: one-record arrays, loose types, copay shapes, lists', async () => {
	const patient = await api('GET', `/patients/${P}?showbalancedetails=true`);
	expect(Array.isArray(patient.body)).toBe(true);
	expect(patient.body[0].balances[0]).toEqual({ balance: '150.5', cleanbalance: true, departmentlist: '1,21,150', providergroupid: 1 });
	expect(patient.body[0].claimbalancedetails[0]).toMatchObject({ providergroupid: 1, departmentids: '1,21,150' });
	expect(patient.body[0].claimbalancedetails[0].claimdetails).toHaveLength(2);
	expect(patient.body[0].claimbalancedetails[0].claimdetails[0]).toMatchObject({ claimid: 101, patientbalance: 100.5 });
	expect((await api('GET', `/patients/2?showbalancedetails=true`)).body[0]).not.toHaveProperty('claimbalancedetails');
	const a1 = await api('GET', `/appointments/${APPOINTMENT_WITH_COPAY}`);
	const a2 = await api('GET', `/appointments/${APPOINTMENT_WITHOUT_APPOINTMENTCOPAY}`);
	expect(a1.body[0].appointmentcopay).toEqual({ insurancecopay: 25, collectedforappointment: 0, collectedforother: 0 });
	expect(a2.body[0]).not.toHaveProperty('appointmentcopay');
	expect(a2.body[0].copay).toBe(25);
	const list = await api('GET', '/patients?lastname=Okafor&limit=1');
	expect(list.body.totalcount).toBe(2);
	expect(list.body.next).toBe(`/v1/${PRACTICE_ID}/patients?LASTNAME=Okafor&offset=1`);
	const departments = await api('GET', '/departments');
	const all = await api('GET', '/departments?showalldepartments=true');
	expect(all.body.departments.map((d: { departmentid: string }) => d.departmentid)).toEqual([...departments.body.departments.map((d: { departmentid: string }) => d.departmentid), '150']);
	expect(all.body.departments[0].ecommercecreditcardtypes).toEqual(['AX', 'DS', 'MC', 'VI']);
	expect(all.body.departments.some((d: object) => !('ecommercecreditcardtypes' in d))).toBe(true);
	expect(typeof all.body.departments[0].timezone).toBe('number');
	expect((await api('GET', '/patients/search?searchterm=okafor&maxresults=1')).body.patients).toHaveLength(1);
	expect((await api('GET', `/appointments/${appointmentIdsOf(1500)[1]}`)).body[0].patientid).toBe('1500');
});

test('recordpayment validation', async () => {
	const base = { departmentid: '1', paymentmethod: 'CASH', copayamount: '25.00' };
	expect((await api('POST', `/patients/${P}/recordpayment`, base, true)).body.error).toBe('Invalid request content type');
	const missing = await api('POST', `/patients/${P}/recordpayment`, { paymentmethod: 'CHECK', otheramount: '5' });
	expect(missing.body.missingfields).toEqual(['departmentid', 'checknumber']);
	const float = await api('POST', `/patients/${P}/recordpayment`, { ...base, copayamount: '12.499999' });
	expect(float.text.startsWith('\n\n')).toBe(true);
	const closed = await api('POST', `/patients/${P}/recordpayment`, { ...base, postdate: '10/31/2026' });
	expect(closed.body.error).toBe('The post date is in a closed period.');
	expect((await api('POST', `/patients/${P}/recordpayment`, { ...base, appointmentid: APPOINTMENT_OF_OTHER_PATIENT })).body.error).toBe(
		'The appointment does not belong to this patient.',
	);
	expect((await api('POST', `/patients/${P}/recordpayment`, { ...base, paymentmethod: 'VISA', cardnumberlast4: '1111' })).status).toBe(400);
	const first = await api('POST', `/patients/${P}/recordpayment`, { ...base, postdate: '11/02/2026' });
	const second = await api('POST', `/patients/${P}/recordpayment`, {
		departmentid: '1',
		paymentmethod: 'MC/VISA',
		cardnumberlast4: '4242',
		claimpayment: '[{"101":"1.00"}]',
		postdate: '11/02/2026',
	});
	expect(first.body).toEqual([{ success: 'true', paymentbatchid: '1001' }]);
	expect(second.body[0].paymentbatchid).toBe('1002');
	expect(sim.ledger().map((e) => e.kind)).toEqual(['record', 'record']);
	expect(sim.stats().refusedPayments).toBe(6);
});

test('collectpayment: approve, declines, duplicates, redacted ledger', async () => {
	const approved = await api('POST', `/patients/${P}/collectpayment`, card(CARD_APPROVED));
	expect(approved.body).toEqual([{ success: 'true', epaymentid: '100001' }]);
	const declined = await api('POST', `/patients/${P}/collectpayment`, card(CARD_DECLINED));
	expect(declined.body).toEqual([{ success: 'false', errortext: 'DECLINED' }]);
	expect((await api('POST', `/patients/${P}/collectpayment`, card(CARD_EXPIRED))).body[0].errortext).toBe('EXPIRED CARD');
	const dup = await api('POST', `/patients/${P}/collectpayment`, card(CARD_APPROVED));
	expect(dup.body.error).toBe('This payment appears to be a duplicate.');
	expect(
		(await api('POST', `/patients/${P}/collectpayment`, card(CARD_APPROVED, { allowduplicatepayments: 'true' }))).body[0].success,
	).toBe('true');
	expect((await api('POST', `/patients/${P}/collectpayment`, card('4111111111111112'))).status).toBe(400);
	const ledger = sim.ledger();
	expect(ledger).toHaveLength(2);
	expect(ledger[0].form).toMatchObject({ accountnumberlast4: '1111', accountnumberlength: '16', cardsecuritycodelength: '3' });
	expect(JSON.stringify(ledger)).not.toContain(CARD_APPROVED);
	expect(sim.stats().declines).toBe(2);
	const receipts = await api('GET', `/patients/${P}/receipts?departmentid=1`);
	expect(receipts.body.filter((r: any) => r.epaymentid === '100001')[0].type).toBe('PURCHASE');
});

test('void and email receipt', async () => {
	const eid = (await api('POST', `/patients/${P}/collectpayment`, card(CARD_APPROVED))).body[0].epaymentid;
	expect((await api('POST', `/patients/${P}/receipts/${eid}/email`, { emailaddress: 'payer@example.org' })).body).toEqual([
		{ success: 'true' },
	]);
	expect((await api('POST', `/patients/${P}/receipts/${eid}/email`, {})).status).toBe(400);
	expect((await api('POST', `/patients/${P}/voidpayment/${eid}`)).body).toEqual([{ success: 'true' }]);
	expect((await api('POST', `/patients/${P}/voidpayment/${eid}`)).status).toBe(409);
	const settledSeed = await api('POST', `/patients/${P}/voidpayment/${SEED_EPAYMENT_SETTLED}`);
	expect(settledSeed.body.error).toBe('The payment can no longer be voided.');
	const eid2 = (await api('POST', `/patients/${P}/collectpayment`, card(CARD_APPROVED, { copayamount: '5' }))).body[0].epaymentid;
	sim.settle();
	expect((await api('POST', `/patients/${P}/voidpayment/${eid2}`)).status).toBe(404);
	expect((await api('GET', `/patients/${P}`)).body[0].email).toBe('rosa.quintero@example.com');
	expect(sim.ledger().map((e) => e.kind)).toEqual(['collect', 'email', 'void', 'collect']);
});

test('faults: before = nothing stored, after = stored but unanswered; every/count', async () => {
	const form = { departmentid: '1', paymentmethod: 'CASH', otheramount: '10', postdate: '12/01/2026' };
	sim.addFaults({ path: '/recordpayment$', kind: '502-html-before', count: 1 });
	const gw = await api('POST', `/patients/${P}/recordpayment`, form);
	expect(gw.text).toContain('<h1>502 Bad Gateway</h1>');
	expect(sim.ledger()).toHaveLength(0);
	sim.addFaults({ method: 'POST', path: '/recordpayment$', kind: 'reset-after', every: 2 });
	expect((await api('POST', `/patients/${P}/recordpayment`, form)).status).toBe(200);
	await expect(api('POST', `/patients/${P}/recordpayment`, form)).rejects.toThrow();
	const ledger = sim.ledger();
	expect(ledger.map((e) => e.answered)).toEqual([true, false]);
	expect(sim.stats().faultsInjected).toBe(2);
});

test('throttling: 403 HTML or 429 with Retry-After; throttled requests are not processed', async () => {
	sim.configure({ rateLimit: { perSecond: 2, status: 403 } });
	const form = { departmentid: '1', paymentmethod: 'CASH', otheramount: '1', postdate: '12/01/2026' };
	const results = await Promise.all(Array.from({ length: 8 }, () => api('POST', `/patients/${P}/recordpayment`, form)));
	const throttled = results.filter((r) => r.status === 403);
	expect(throttled.length).toBeGreaterThan(0);
	expect(throttled[0].text).toBe('<h1>Developer Over Qps</h1>');
	expect(sim.ledger()).toHaveLength(results.filter((r) => r.status === 200).length);
	sim.configure({ rateLimit: { status: 429, retryAfterSeconds: 1 } });
	const burst = await Promise.all(Array.from({ length: 6 }, () => api('GET', '/departments')));
	const r429 = burst.find((r) => r.status === 429)!;
	expect(r429.body).toEqual({ error: 'Too many requests' });
	expect(r429.headers.get('retry-after')).toBe('1');
});

test('admin API over HTTP mirrors the in-process accessors', async () => {
	const admin = new SimulatorAdmin(sim.url + '/');
	await admin.reset({ closeDate: '11/30/2026' });
	expect((await admin.config()).closeDate).toBe('11/30/2026');
	bearer = (await token()).json.access_token;
	await api('POST', `/patients/${P}/recordpayment`, { departmentid: '1', paymentmethod: 'CASH', otheramount: '3', postdate: '12/01/2026' });
	expect((await admin.ledger())[0].paymentbatchid).toBe('1001');
	expect((await admin.requests()).some((r) => r.path.endsWith('/recordpayment') && r.status === 200)).toBe(true);
	await expect(admin.addFaults({ kind: 'nope' as never })).rejects.toThrow(/400/);
});
