import type { IDataObject } from 'n8n-workflow';

import { restoreWallClock, setWallClock } from '../harness/clock';
import { CARD_APPROVED } from '../simulator';
import { collectFromInput, useStack } from './stack';

/**
 * Issue 9, case 6: a card charged once is not charged again by a re-run the next day. Collect's key holds no date;
 * a claim checks the US Eastern days of its Duplicate Window (default 2: today and yesterday). The wall clock (the
 * node's, n8n-core's and the simulator's) is moved across midnight Eastern.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	stack.engine.setStaticData('engine-test', undefined);
});
afterEach(restoreWallClock);

const EVENING = '2026-12-03T23:50:00-05:00';
const NEXT_MORNING = '2026-12-04T00:10:00-05:00';
const DAY_AFTER = '2026-12-05T00:10:00-05:00';

const sheet = (count: number): IDataObject[] =>
	Array.from({ length: count }, (_, index) => ({ card: CARD_APPROVED, cvv: '987', copay: `${20 + index}.00` }));
const keepGoing = { onError: 'continueRegularOutput' as const };
const collect = (options: IDataObject = {}) => collectFromInput({ postingOptions: { requestsPerSecond: 1000, ...options } });
const v2 = { ...keepGoing, typeVersion: 2 };

describe('Collect re-run after midnight Eastern', () => {
	it('skips every posted and unknown row of a sheet collected at 23:50 and re-run at 00:10', async () => {
		setWallClock(EVENING);
		// The third row gets no answer: unknown, its key held.
		stack.simulator.overrideAnswers({ method: 'POST', path: '/collectpayment$', every: 3, count: 1, body: [] });
		const first = await stack.run(collect({ concurrency: 1 }), { input: sheet(4), settings: keepGoing });
		expect(first.json.map((json) => json.status)).toEqual(['posted', 'posted', 'unknown', 'posted']);
		const charged = stack.simulator.ledger().length;
		expect(charged).toBe(4);

		setWallClock(NEXT_MORNING);
		const rerun = await stack.run(collect(), { input: sheet(4), settings: keepGoing });
		// The unknown row was stored by athena: the re-run finds it in the receipts (issue 16), across midnight, and
		// settles it as posted without charging the card again.
		expect(rerun.json.map((json) => json.status)).toEqual(['skipped', 'skipped', 'posted', 'skipped']);
		expect(rerun.json[2]).toMatchObject({ settledFromAthena: true, ePaymentId: stack.simulator.ledger()[2].epaymentid });
		expect(stack.simulator.ledger()).toHaveLength(charged);
	});

	it('the default version (v2) reads the same window', async () => {
		setWallClock(EVENING);
		await stack.run(collect(), { input: sheet(2), settings: v2 });
		setWallClock(NEXT_MORNING);
		const rerun = await stack.run(collect(), { input: sheet(2), settings: v2 });
		expect(rerun.json.map((json) => json.status)).toEqual(['skipped', 'skipped']);
		expect(stack.simulator.ledger()).toHaveLength(2);
	});

	it('outside the window (two Eastern days later with the default 2) the same payment is postable again', async () => {
		setWallClock(EVENING);
		await stack.run(collect(), { input: sheet(1), settings: keepGoing });
		setWallClock(DAY_AFTER);
		const later = await stack.run(collect(), { input: sheet(1), settings: keepGoing });
		expect(later.json[0].status).toBe('posted');
		expect(stack.simulator.ledger()).toHaveLength(2);
	});

	it('Duplicate Window (Days) 3 reaches the day before yesterday; 1 is today only', async () => {
		setWallClock(EVENING);
		await stack.run(collect({ duplicateWindowDays: 3 }), { input: sheet(1), settings: keepGoing });
		setWallClock(DAY_AFTER);
		const within = await stack.run(collect({ duplicateWindowDays: 3 }), { input: sheet(1), settings: keepGoing });
		expect(within.json[0].status).toBe('skipped');

		stack.engine.processedData.clear();
		setWallClock(EVENING);
		await stack.run(collect({ duplicateWindowDays: 1 }), { input: sheet(1), settings: keepGoing });
		setWallClock(NEXT_MORNING);
		const todayOnly = await stack.run(collect({ duplicateWindowDays: 1 }), { input: sheet(1), settings: keepGoing });
		expect(todayOnly.json[0].status).toBe('posted');
	});

	it.each([[0], [2.5], ['two'], [31]])('Duplicate Window (Days) %p is refused before anything runs, naming the setting', async (value) => {
		const run = await stack.run(collect({ duplicateWindowDays: value }), { input: sheet(1) });
		expect(run.error?.message).toContain('Duplicate Window (Days)');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});
});
