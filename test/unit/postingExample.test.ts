/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/** The posting example (examples/scheduled-payment-posting.json) as an ops person opens it in the editor. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';

const workflow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'scheduled-payment-posting.json'), 'utf8')) as {
	nodes: Array<INode & { disabled?: boolean }>;
};
const record = workflow.nodes.find((node) => node.name === 'Record payment')!;
const note = String(workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote')?.parameters.content);

describe('the posting example', () => {
	it('shows how check_number and card_last4 are mapped, whatever the first CSV row is (Payment Method From a Column)', () => {
		const description = new Athenahealth().getNodeType(record.typeVersion).description;
		const shown = Object.keys(NodeHelpers.getNodeParameters(description.properties, record.parameters, true, false, null, null) ?? {});
		expect(record.parameters).toMatchObject({ paymentMethod: 'fromColumn', paymentMethodColumn: '={{ $json.method }}' });
		expect(shown).toEqual(expect.arrayContaining(['paymentMethodColumn', 'checkNumber', 'cardLast4']));
		expect(record.parameters).toMatchObject({ checkNumber: '={{ $json.check_number }}', cardLast4: '={{ $json.card_last4 }}' });
	});

	it('runs from "Run now" in the editor: n8n 2.x picks a schedule trigger over a manual one, so the schedule starts off', () => {
		const triggers = workflow.nodes.filter((node) => /Trigger$/.test(node.type));
		expect(triggers.filter((node) => !node.disabled).map((node) => node.name)).toEqual(['Run now']);
		expect(note).toContain('It starts from *Run now*');
		expect(note).toContain('turn on *Weekdays at 18:00*');
	});

	it('writes each run its own results and batches files (named to the second), so a re-run never overwrites the first run\'s', () => {
		for (const name of ['Write results CSV', 'Write batches CSV']) {
			const fileName = String(workflow.nodes.find((node) => node.name === name)?.parameters.fileName);
			expect(fileName).toMatch(/\{\{ \$now\.toFormat\('yyyy-MM-dd-HHmmss'\) \}\}\.csv$/);
		}
	});

	it('takes each result line\'s message and payment batch from the row (a skipped row names the batch it was posted in)', () => {
		const assignments = (workflow.nodes.find((node) => node.name === 'Result columns')?.parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
		expect(Object.fromEntries(assignments.map((assignment) => [assignment.name, assignment.value]))).toEqual({
			status: '={{ $json.status }}',
			payment_batch_id: "={{ $json.paymentBatchId ?? '' }}",
			message: "={{ $json.message ?? '' }}",
		});
	});

	it('has a note an ops person can follow: no environment variables, no command line', () => {
		expect(note).not.toMatch(/N8N_[A-Z_]+/);
		expect(note).not.toMatch(/n8n execute|--id|CLI/);
	});
});

describe('the posting example writes the batch report as a second CSV', () => {
	const connections = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'scheduled-payment-posting.json'), 'utf8')) as {
		connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	}).connections;
	const next = (name: string) => connections[name]?.main[0]?.map((link) => link.node) ?? [];

	it('asks Record for one item per payment batch and sends only those items to Write batches CSV', () => {
		expect(record.parameters.postingOptions).toMatchObject({ batchItems: true });
		expect(next('Record payment')).toEqual(expect.arrayContaining(['Result columns', 'Payment batches only']));
		expect(next('Payment batches only')).toEqual(['Batch columns']);
		expect(next('Batch columns')).toEqual(['Batches to CSV']);
		expect(next('Batches to CSV')).toEqual(['Write batches CSV']);
		// The results CSV pairs input rows and Record's items by position; the batch items come after the rows and
		// have no input row, so the Merge (unpaired items left out) keeps them out of the results file.
		const merge = workflow.nodes.find((node) => node.name === 'Results next to input columns')!;
		expect(merge.parameters).toMatchObject({ combineBy: 'combineByPosition' });
		expect((merge.parameters.options as { includeUnpaired?: boolean }).includeUnpaired).toBeFalsy();
		expect(note).toContain('batches-');
	});
});
