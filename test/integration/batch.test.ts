/* eslint-disable no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import type { IDataObject } from 'n8n-workflow';

import { CARD_APPROVED } from '../simulator';
import type { Fault, LedgerEntry } from '../simulator/types';
import type { NodeRun } from './stack';
import { collectFromInput, expectNoCardData, recordFromSheet, until, useStack } from './stack';

/**
 * Unattended posting of a sheet: every row comes out once with a status, the simulator's ledger never holds a payment
 * twice, a payment stored without an answer is "unknown" (never "failed", never re-posted), and a re-run posts nothing.
 */

const ROWS = 240;
const METHODS = ['CASH', 'CHECK', 'MC/VISA', 'AMEX'];

/** One payment per patient, so a patient ID identifies its row in the ledger. */
function sheet(count = ROWS, firstPatient = 1): IDataObject[] {
	return Array.from({ length: count }, (_, index) => {
		const method = METHODS[index % METHODS.length];
		return {
			patient: String(firstPatient + index),
			department: ['1', '21', '62', '82'][index % 4],
			method,
			check: method === 'CHECK' ? `C${1000 + index}` : '',
			last4: method === 'MC/VISA' || method === 'AMEX' ? String(1000 + (index % 9000)).slice(-4) : '',
			copay: index % 3 === 0 ? '' : `${10 + (index % 40)}.${index % 2 ? '50' : '00'}`,
			other: index % 3 === 0 ? `${(index % 70) + 1}.25` : '',
			postDate: '12/01/2026',
		};
	});
}

const recordParameters = (options: IDataObject = {}) => recordFromSheet({ concurrency: 4, timeoutSeconds: 5, ...options });

/** Collect for the same sheet: one card payment per patient, the card and code arriving with the item. */
// Four digits: a 3-digit code would be found as a patient ID of the sheet by the leak search.
const CVV = '8642';
const cardSheet = (): IDataObject[] =>
	sheet().map((row, index) => ({ patient: row.patient, department: row.department, card: CARD_APPROVED, cvv: CVV, copay: `${5 + (index % 50)}.${index % 2 ? '16' : '00'}` }));
const collectParameters = (options: IDataObject = {}) =>
	collectFromInput({
		patientId: { mode: 'id', value: '={{ $json.patient }}' },
		departmentId: '={{ $json.department }}',
		postingOptions: { requestsPerSecond: 1000, concurrency: 4, timeoutSeconds: 5, ...options },
	});

const keepGoing = { onError: 'continueRegularOutput' as const };

interface Tally {
	rows: number;
	posted: number;
	skipped: number;
	invalid: number;
	failed: number;
	unknown: number;
	/** Rows an earlier run left unknown, found in athena's records and settled as posted (issue 16). */
	settled: number;
	/** Rows an earlier run left unknown that athena shows no trace of: skipped until Post Again. */
	notFound: number;
	/** Keys still held as unknown without athena having been asked successfully: nobody knows their outcome. */
	outcomeUnknown: number;
	ledgerDuplicates: number;
}

/** The posting details of the node (workflow static data): keys held as unknown that athena was not seen to lack. */
function outcomeStillUnknown(): number {
	const data = (stack.engine.staticDataOf('engine-test') ?? {}) as Record<string, { postings?: Record<string, { status: string; athenaCheck?: string }> }>;
	return Object.values(data)
		.flatMap((node) => Object.values(node?.postings ?? {}))
		.filter((record) => record.status === 'unknown' && record.athenaCheck !== 'not found in athena').length;
}

function tally(run: NodeRun, ledger: LedgerEntry[]): Tally {
	const count = (status: string) => run.json.filter((json) => json.status === status).length;
	const perPatient = new Map<string, number>();
	for (const entry of ledger) perPatient.set(entry.patientid, (perPatient.get(entry.patientid) ?? 0) + 1);
	const ledgerDuplicates = [...perPatient.values()].reduce((sum, times) => sum + times - 1, 0);
	return {
		rows: run.json.length,
		posted: count('posted'),
		skipped: count('skipped'),
		invalid: count('invalid'),
		failed: count('failed'),
		unknown: count('unknown'),
		settled: run.json.filter((json) => json.settledFromAthena === true).length,
		notFound: run.json.filter((json) => json.athenaCheck === 'not found in athena').length,
		outcomeUnknown: outcomeStillUnknown(),
		ledgerDuplicates,
	};
}

/** The guarantees every fault run must keep. */
function expectAccountedFor(run: NodeRun, rows: IDataObject[], ledger: LedgerEntry[]) {
	expect(run.items).toHaveLength(rows.length);
	expect(run.items.map((item) => item.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
	const statuses = new Set(['posted', 'skipped', 'invalid', 'failed', 'unknown']);
	for (const json of run.json) expect(statuses.has(String(json.status))).toBe(true);
	const byPatient = new Map(ledger.map((entry) => [entry.patientid, entry]));
	expect(byPatient.size).toBe(ledger.length);
	run.json.forEach((json, index) => {
		const stored = byPatient.get(String(rows[index].patient));
		if (json.status === 'posted') expect(stored?.answered).toBe(true);
		if (json.status === 'failed') expect(stored).toBeUndefined();
		if (stored && !stored.answered) expect(json.status).toBe('unknown');
		if (json.status === 'posted' && stored?.kind === 'record') expect(json.paymentBatchId).toBe(stored?.paymentbatchid);
		if (json.status === 'posted' && stored?.kind === 'collect') expect(json.ePaymentId).toBe(stored?.epaymentid);
	});
}

export const faultTable: Array<{ fault: string } & Tally> = [];

const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	// The posting details (workflow static data) outlive a test, as n8n's database does: each fault starts clean.
	stack.engine.setStaticData('engine-test', undefined);
});
afterAll(() => {
	const lines = faultTable.map(
		(row) =>
			`| ${row.fault} | ${row.rows} | ${row.posted} | ${row.skipped} | ${row.invalid} | ${row.failed} | ${row.unknown} | ${row.settled} | ${row.notFound} | ${row.outcomeUnknown} | ${row.ledgerDuplicates} |`,
	);
	console.log(
		[
			'| fault | rows | posted | skipped | invalid | failed | unknown | settled from athena | not found in athena | outcome still unknown (held) | ledger duplicates |',
			'|---|---|---|---|---|---|---|---|---|---|---|',
			...lines,
		].join('\n'),
	);
});

type Operation = 'record' | 'collect';

async function postUnderFault(
	name: string,
	prepare: () => void,
	during?: (run: Promise<NodeRun>) => Promise<void>,
	options: IDataObject = {},
	operation: Operation = 'record',
) {
	const rows = operation === 'record' ? sheet() : cardSheet();
	const parameters = () => (operation === 'record' ? recordParameters(options) : collectParameters(options));
	if (operation === 'collect') name = `Collect: ${name}`;
	prepare();
	const running = stack.run(parameters(), { input: rows, settings: keepGoing });
	if (during) await during(running);
	const run = await running;
	const ledger = stack.simulator.ledger();
	expectAccountedFor(run, rows, ledger);
	const counts = tally(run, ledger);
	faultTable.push({ fault: name, ...counts });
	expect(counts.ledgerDuplicates).toBe(0);

	// The same sheet again, with the faults gone: nothing new reaches athena.
	stack.simulator.clearFaults();
	stack.simulator.configure({ rateLimit: { perSecond: null } });
	const rerun = await stack.run(parameters(), { input: rows, settings: keepGoing });
	const after = stack.simulator.ledger();
	const rerunCounts = tally(rerun, after);
	faultTable.push({ fault: `${name}: re-run`, ...rerunCounts });
	const storedFor = new Set(ledger.map((entry) => entry.patientid));
	rerun.json.forEach((json, index) => {
		if (run.json[index].status === 'posted') expect(json.status).toBe('skipped');
		// An unknown row is looked up in athena: what athena stored is settled as posted, what it never stored is
		// reported missing and stays skipped (Post Again posts it); nothing is sent either way.
		if (run.json[index].status === 'unknown') {
			if (storedFor.has(String(rows[index].patient))) expect(json).toMatchObject({ status: 'posted', settledFromAthena: true });
			else expect(json).toMatchObject({ status: 'skipped', athenaCheck: 'not found in athena' });
		}
	});
	expect(rerunCounts.settled + rerunCounts.notFound).toBe(counts.unknown);
	expect(rerunCounts.outcomeUnknown).toBe(0);
	expect(after.filter((entry) => ledger.every((earlier) => earlier.seq !== entry.seq)).length).toBe(counts.failed);
	expect(rerunCounts.ledgerDuplicates).toBe(0);
	if (operation === 'collect') {
		expectNoCardData(run, { cardNumbers: [CARD_APPROVED], securityCodes: [CVV] });
		expectNoCardData(rerun, { cardNumbers: [CARD_APPROVED], securityCodes: [CVV] });
	}
	return { run, counts, rerun, rerunCounts };
}

const everyNth = (kind: Fault['kind'], every: number, path = '/recordpayment$'): Fault => ({ method: 'POST', path, kind, every });

describe(`a sheet of ${ROWS} payments under each fault`, () => {
	it('no fault', async () => {
		const { counts } = await postUnderFault('none', () => undefined);
		expect(counts.posted).toBe(ROWS);
	});

	it('a throttling storm answered 429', async () => {
		const { counts } = await postUnderFault('throttling 429 (cap 60/s)', () => stack.simulator.configure({ rateLimit: { perSecond: 60, status: 429 } }));
		expect(counts.posted).toBe(ROWS);
		expect(stack.simulator.stats().throttled).toBeGreaterThan(0);
	}, 60000);

	it('a throttling storm answered 403 "Developer Over Qps" with Retry-After', async () => {
		const { counts } = await postUnderFault('throttling 403 (cap 60/s, Retry-After 1)', () =>
			stack.simulator.configure({ rateLimit: { perSecond: 60, status: 403, retryAfterSeconds: 1 } }),
		);
		expect(counts.posted).toBe(ROWS);
	}, 60000);

	it('5xx before storing: unknown to the node, never re-posted', async () => {
		const { counts } = await postUnderFault('500 before storing (every 9th)', () => stack.simulator.addFaults(everyNth('500-before', 9)));
		expect(counts.unknown).toBe(Math.floor(ROWS / 9));
		expect(counts.posted).toBe(ROWS - counts.unknown);
	});

	it('5xx after storing: every stored-but-unanswered row is unknown', async () => {
		const { counts } = await postUnderFault('500 after storing (every 7th)', () => stack.simulator.addFaults(everyNth('500-after', 7)));
		expect(counts.unknown).toBe(stack.simulator.ledger().filter((entry) => !entry.answered).length);
		expect(counts.unknown).toBe(Math.floor(ROWS / 7));
	});

	it('connection reset after storing', async () => {
		const { counts } = await postUnderFault('reset after storing (every 11th)', () => stack.simulator.addFaults(everyNth('reset-after', 11)));
		expect(counts.unknown).toBe(Math.floor(ROWS / 11));
	});

	it('no answer within the timeout after storing', async () => {
		const { counts } = await postUnderFault(
			'hang after storing, 1 s timeout (every 60th)',
			() => stack.simulator.addFaults({ ...everyNth('hang-after', 60), hangMs: 3000 }),
			undefined,
			{ timeoutSeconds: 1 },
		);
		expect(counts.unknown).toBe(Math.floor(ROWS / 60));
	}, 30000);

	it('a 2xx answer of another shape after storing: unknown, never re-posted', async () => {
		const { counts } = await postUnderFault('200 [] after storing (every 13th)', () =>
			stack.simulator.overrideAnswers({ method: 'POST', path: '/recordpayment$', body: [], every: 13 }),
		);
		expect(counts.unknown).toBe(Math.floor(ROWS / 13));
		expect(counts.posted).toBe(ROWS - counts.unknown);
	});

	it('the token expires mid-batch: one new token, no lost row', async () => {
		const { counts } = await postUnderFault(
			'token expiry mid-batch',
			() => stack.simulator.configure({ latencyMs: 5 }),
			async () => {
				await until(() => stack.simulator.ledger().length >= ROWS / 3);
				stack.simulator.expireTokens();
			},
		);
		expect(counts.posted).toBe(ROWS);
		expect(stack.simulator.requests().filter((request) => request.status === 401).length).toBeGreaterThan(0);
		// The reset made the stored token unknown (one new token) and the expiry one more: never one per row.
		expect(stack.simulator.stats().tokensIssued).toBeLessThanOrEqual(2);
	});

	it('the token endpoint answers 429 after an expiry mid-batch', async () => {
		const { counts } = await postUnderFault(
			'token endpoint 429 mid-batch',
			() => stack.simulator.configure({ latencyMs: 5, tokenLimitPerMinute: 1 }),
			async () => {
				// The stored token came from an earlier test; make this run need a new one, twice.
				await until(() => stack.simulator.ledger().length >= ROWS / 3);
				stack.simulator.expireTokens();
				await until(() => stack.simulator.stats().tokenRefusals429 >= 1);
				stack.simulator.advanceTime(61);
			},
		);
		expect(counts.posted).toBe(ROWS);
	}, 60000);
});

describe(`Collect: a sheet of ${ROWS} card payments under the faults that leave rows unknown`, () => {
	const collectFault = (kind: Fault['kind'], every: number): Fault => everyNth(kind, every, '/collectpayment$');

	it('5xx before storing: found missing on the re-run, nothing charged', async () => {
		const { counts, rerunCounts } = await postUnderFault('500 before storing (every 9th)', () => stack.simulator.addFaults(collectFault('500-before', 9)), undefined, {}, 'collect');
		expect(counts.unknown).toBe(Math.floor(ROWS / 9));
		expect(rerunCounts.notFound).toBe(counts.unknown);
	}, 60000);

	it('5xx after storing: every unknown row settled from the receipts', async () => {
		const { counts, rerunCounts } = await postUnderFault('500 after storing (every 7th)', () => stack.simulator.addFaults(collectFault('500-after', 7)), undefined, {}, 'collect');
		expect(counts.unknown).toBe(Math.floor(ROWS / 7));
		expect(rerunCounts.settled).toBe(counts.unknown);
	}, 60000);

	it('connection reset after storing', async () => {
		const { rerunCounts, counts } = await postUnderFault('reset after storing (every 11th)', () => stack.simulator.addFaults(collectFault('reset-after', 11)), undefined, {}, 'collect');
		expect(rerunCounts.settled).toBe(counts.unknown);
	}, 60000);

	it('no answer within the timeout after storing', async () => {
		const { rerunCounts, counts } = await postUnderFault(
			'hang after storing, 1 s timeout (every 60th)',
			() => stack.simulator.addFaults({ ...collectFault('hang-after', 60), hangMs: 3000 }),
			undefined,
			{ timeoutSeconds: 1 },
			'collect',
		);
		expect(counts.unknown).toBe(Math.floor(ROWS / 60));
		expect(rerunCounts.settled).toBe(counts.unknown);
	}, 60000);
});
