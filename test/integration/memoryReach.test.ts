import type { IDataObject } from 'n8n-workflow';

import { restoreWallClock, setWallClock } from '../harness/clock';
import { recordFromSheet, useStack } from './stack';

/**
 * Issue 9, case 8: n8n's processed-data store keeps the newest 50,000 keys of the node and silently forgets older
 * ones. The node knows from its claim log (static data) the first day it still holds in full, and refuses rows whose
 * Post Date is older (`invalid`, naming the row and what to do); the other rows go on.
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
	stack.engine.setStaticData('engine-test', undefined);
	setWallClock('2026-12-03T10:00:00-05:00');
});
afterEach(restoreWallClock);

const NODE_CONTEXT = 'n:athena-node';
const keepGoing = { onError: 'continueRegularOutput' as const };
const row = (patient: number, postDate: string, extra: IDataObject = {}): IDataObject => ({ patient: String(patient), department: '1', method: 'CASH', copay: '15.00', postDate, ...extra });
const postAgainColumn = recordFromSheet({}, { postAgain: '={{ $json.again === true }}' });
const logOf = () => (stack.engine.staticDataOf('engine-test')?.['node:athenahealth'] as IDataObject | undefined)?.claimLog as IDataObject | undefined;

describe('a store that has forgotten keys', () => {
	it('filled by keys the log never saw: rows dated before the log started are refused, the others post', async () => {
		// An earlier version of the node left 49,995 keys; this run's 10 push the 5 oldest out.
		stack.engine.processedData.seed('engine-test', NODE_CONTEXT, Array.from({ length: 49995 }, (_, index) => `athena-old-${index}`));
		const first = await stack.run(recordFromSheet(), { input: Array.from({ length: 10 }, (_, index) => row(index + 1, '12/03/2026')), settings: keepGoing });
		expect(first.json.every((json) => json.status === 'posted')).toBe(true);
		expect(stack.engine.processedData.count('engine-test', NODE_CONTEXT)).toBe(50000);

		const sheet = [row(20, '12/03/2026'), row(21, '11/20/2026'), row(22, ''), row(23, '11/21/2026', { again: true })];
		const run = await stack.run(postAgainColumn, { input: sheet, settings: keepGoing });
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'invalid', 'posted', 'posted']);
		expect(run.json[1].error).toBe(
			"Invalid input in row 2: its Post Date 11/20/2026 is before 12/03/2026, the oldest day this node's duplicate memory still holds in full, so an earlier posting of it may have been forgotten",
		);
		expect(String(run.json[1].description)).toContain('50,000');
		expect(String(run.json[1].description)).toContain('athenaOne');
		expect(String(run.json[1].description)).toContain('Post Again');
		expect(stack.simulator.ledger().map((entry) => entry.patientid)).not.toContain('21');
	});

	it('without Continue On Fail, the refused row stops the node before anything is sent', async () => {
		stack.engine.processedData.seed('engine-test', NODE_CONTEXT, Array.from({ length: 50000 }, (_, index) => `athena-old-${index}`));
		const run = await stack.run(recordFromSheet(), { input: [row(1, '12/03/2026'), row(2, '11/20/2026')] });
		expect(run.error?.message).toContain('row 2');
		expect(stack.simulator.ledger()).toHaveLength(0);
	});

	it('logged days: the oldest day still held in full is the day after the one where the newest 50,000 keys begin', async () => {
		// 55,000 keys logged: the 11/01 ones are partly gone, 11/02 on are whole.
		stack.engine.setStaticData('engine-test', {
			'node:athenahealth': { claimLog: { since: '2026-11-01', untracked: 0, days: { '2026-11-01': 20000, '2026-11-15': 20000, '2026-11-25': 15000 } } },
		});
		const run = await stack.run(recordFromSheet(), { input: [row(1, '11/01/2026'), row(2, '11/02/2026'), row(3, '')], settings: keepGoing });
		expect(run.json.map((json) => json.status)).toEqual(['invalid', 'posted', 'posted']);
		expect(String(run.json[0].error)).toContain('is before 11/02/2026');
		const days = logOf()?.days as Record<string, number>;
		expect(days['2026-12-03']).toBe(2);
	});

	it('a store that never forgot anything refuses nothing, whatever the Post Date', async () => {
		stack.engine.processedData.seed('engine-test', NODE_CONTEXT, Array.from({ length: 100 }, (_, index) => `athena-old-${index}`));
		const run = await stack.run(recordFromSheet(), { input: [row(1, '11/02/2026'), row(2, '12/03/2026')], settings: keepGoing });
		expect(run.json.map((json) => json.status)).toEqual(['posted', 'posted']);
		expect(logOf()).toMatchObject({ since: '2026-12-03', untracked: 100 });
	});

	it('Validate Only reports the same refusal, and claims nothing', async () => {
		stack.engine.setStaticData('engine-test', {
			'node:athenahealth': { claimLog: { since: '2026-11-01', untracked: 0, days: { '2026-11-01': 20000, '2026-11-15': 35000 } } },
		});
		const run = await stack.run(recordFromSheet({}, { validateOnly: true }), { input: [row(1, '11/01/2026'), row(2, '11/20/2026')], settings: keepGoing });
		expect(run.json.map((json) => json.status)).toEqual(['invalid', 'valid']);
		expect(stack.engine.processedData.count('engine-test', NODE_CONTEXT)).toBe(0);
	});
});
