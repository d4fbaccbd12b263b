import { restoreWallClock, setWallClock } from '../harness/clock';
import { CARD_APPROVED } from '../simulator';
import { collectFromInput, recordFromSheet, useStack } from './stack';

/**
 * Issue 9, case 7: keys carry a key version; a payment posted by the previous version (unversioned keys) is still
 * recognised after the upgrade. The legacy keys here are the ones version 1 wrote (taken from its output).
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	stack.engine.setStaticData('engine-test', undefined);
});
afterEach(restoreWallClock);

const NODE_CONTEXT = 'n:athena-node';
const cash = { patient: '1', department: '1', method: 'CASH', copay: '15' };
const remembered = (key: string) => stack.engine.processedData.seed('engine-test', NODE_CONTEXT, [key]);

describe('a payment remembered under its version-1 key', () => {
	it('Record: skipped by the new version, and still skipped on the next run', async () => {
		remembered('athena-9b3d60cc843ae89cfaca868b6760e33a');
		const run = await stack.run(recordFromSheet(), { input: [cash, { ...cash, patient: '2' }] });
		expect(run.json.map((json) => json.status)).toEqual(['skipped', 'posted']);
		expect(String(run.json[0].duplicateCheckKey)).toMatch(/^athena-k2-[0-9a-f]{32}$/);
		expect(stack.simulator.ledger()).toHaveLength(1);
		const again = await stack.run(recordFromSheet(), { input: [cash, { ...cash, patient: '2' }] });
		expect(again.json.map((json) => json.status)).toEqual(['skipped', 'skipped']);
		expect(stack.simulator.ledger()).toHaveLength(1);
	});

	it('Record v2: the same', async () => {
		remembered('athena-9b3d60cc843ae89cfaca868b6760e33a');
		const run = await stack.run(recordFromSheet(), { input: [cash], settings: { typeVersion: 2 } });
		expect(run.json[0].status).toBe('skipped');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});

	it('Collect: a card charged by version 1 today (its key held the date) is not charged again', async () => {
		setWallClock('2026-12-03T15:00:00-05:00');
		remembered('athena-5fba551854432551e4756d978ef6b0fb');
		const run = await stack.run(collectFromInput(), { input: [{ card: CARD_APPROVED, cvv: '987', copay: '25' }] });
		expect(run.json[0].status).toBe('skipped');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});

	it('a node whose store was empty when the new version started claims only current-version keys', async () => {
		await stack.run(recordFromSheet(), { input: [cash, { ...cash, patient: '2' }] });
		expect(stack.engine.processedData.count('engine-test', NODE_CONTEXT)).toBe(2);
	});
});
