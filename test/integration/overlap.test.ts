/* eslint-disable no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import type { IDataObject } from 'n8n-workflow';

import { recordFromSheet, useStack } from './stack';

/**
 * Two executions of one sheet at once, against a store that behaves like n8n's under overlap (each call reads the
 * node's whole key list and writes it back; the last writer wins silently). What this pins: every row of both runs
 * comes out with a status and nothing escapes; the counts of doubles and lost claims are printed, since n8n's store
 * gives no way to make them zero from inside a node (README, "Overlapping executions").
 */
const stackOf = useStack();
let stack: ReturnType<typeof stackOf>;
beforeEach(() => {
	stack = stackOf();
});

const sheet = (count: number): IDataObject[] =>
	Array.from({ length: count }, (_, index) => ({ patient: String(index + 1), department: '1', method: 'CASH', copay: `${10 + index}.00`, postDate: '12/01/2026' }));

it('two executions of the same sheet at once: every row accounted for in both, doubles and lost claims counted', async () => {
	const rows = sheet(60);
	const parameters = recordFromSheet({ concurrency: 3 });
	const settings = { onError: 'continueRegularOutput' as const };
	const [a, b] = await Promise.all([stack.run(parameters, { input: rows, settings }), stack.run(parameters, { input: rows, settings })]);
	for (const run of [a, b]) {
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(rows.length);
		for (const json of run.json) expect(['posted', 'skipped']).toContain(json.status);
	}
	const perPatient = new Map<string, number>();
	for (const entry of stack.simulator.ledger()) perPatient.set(entry.patientid, (perPatient.get(entry.patientid) ?? 0) + 1);
	expect(perPatient.size).toBe(rows.length);
	const doubles = [...perPatient.values()].filter((times) => times > 1).length;
	const third = await stack.run(parameters, { input: rows, settings });
	const lost = third.json.filter((json) => json.status === 'posted').length;
	console.log(`overlap in the engine harness: ${doubles} of ${rows.length} rows posted twice, ${lost} claims lost (re-posted by a third run)`);
	expect(third.json).toHaveLength(rows.length);
});

it('two executions of different sheets at once: each one heals the claims the other erased, so a third run posts nothing', async () => {
	const first = sheet(60);
	const second = sheet(120).slice(60);
	const parameters = recordFromSheet({ concurrency: 3, addSummary: true });
	const settings = { onError: 'continueRegularOutput' as const };
	// A row for the node exists already (an earlier run), so both executions update it, as in a workflow that has run before.
	await stack.run(parameters, { input: sheet(121).slice(120), settings });
	const [a, b] = await Promise.all([stack.run(parameters, { input: first, settings }), stack.run(parameters, { input: second, settings })]);
	for (const run of [a, b]) expect(run.json.slice(0, 60).map((json) => json.status)).toEqual(first.map(() => 'posted'));
	const third = await stack.run(parameters, { input: [...first, ...second], settings });
	const lost = third.json.filter((json) => json.status === 'posted').length;
	console.log(`overlap of two sheets in the engine harness: ${lost} claims lost (re-posted by a third run); healed ${String(a.json[60].claimsHealed)} + ${String(b.json[60].claimsHealed)}`);
	expect(lost).toBe(0);
	expect(stack.simulator.ledger()).toHaveLength(121);
});
