/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The spreadsheet examples (issue 24) as an ops person opens them: examples/excel-payment-posting.json and
 * examples/google-sheets-payment-posting.json. test/e2e/sheets.ts runs them in a real n8n; this checks what a run
 * cannot show: what the editor shows, and what each step is set to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';

interface Example {
	id: string;
	nodes: Array<INode & { disabled?: boolean }>;
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
}

const load = (file: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Example;
const excel = load('excel-payment-posting.json');
const google = load('google-sheets-payment-posting.json');
const nodeOf = (example: Example, name: string) => {
	const node = example.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`no node "${name}"`);
	return node;
};
const next = (example: Example, name: string) => example.connections[name]?.main[0]?.map((link) => link.node) ?? [];
const noteOf = (example: Example) => String(example.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote')?.parameters.content);
const assignments = (node: INode) =>
	Object.fromEntries(((node.parameters.assignments as IDataObject).assignments as IDataObject[]).map((entry) => [entry.name, entry.value]));

describe.each([
	['Excel', excel],
	['Google Sheets', google],
])('the %s posting example', (_name, example) => {
	const record = nodeOf(example, 'Record payment');

	it('records with the node\'s current version, every row mapped from its columns, Post Date included', () => {
		expect(record.typeVersion).toBe(2);
		const description = new Athenahealth().getNodeType(record.typeVersion).description;
		const shown = Object.keys(NodeHelpers.getNodeParameters(description.properties, record.parameters, true, false, null, null) ?? {});
		expect(shown).toEqual(expect.arrayContaining(['paymentMethodColumn', 'checkNumber', 'cardLast4', 'copayAmount', 'otherAmount', 'postingOptions']));
		expect(record.parameters).toMatchObject({ paymentMethod: 'fromColumn', paymentMethodColumn: '={{ $json.method }}', copayAmount: '={{ $json.copay }}' });
		expect((record.parameters.postingOptions as IDataObject).postDate).toBe('={{ $json.post_date }}');
		// Every row comes out with its status, also the ones athena refuses.
		expect(record.onError).toBe('continueRegularOutput');
	});

	it('runs from "Run now"; the weekday schedule starts off, and the note says how to turn it on, without a command line', () => {
		const triggers = example.nodes.filter((node) => /Trigger$/.test(node.type));
		expect(triggers.filter((node) => !node.disabled).map((node) => node.name)).toEqual(['Run now']);
		expect(noteOf(example)).toContain('turn on *Weekdays at 18:00*');
		expect(noteOf(example)).not.toMatch(/N8N_[A-Z_]+|n8n execute|--id/);
	});
});

describe('the Excel example', () => {
	it('reads the workbook with Extract From File (XLSX) and writes the results as a workbook', () => {
		expect(next(excel, 'Read payments workbook')).toEqual(['Extract payment rows']);
		expect(nodeOf(excel, 'Extract payment rows').parameters).toMatchObject({ operation: 'xlsx', binaryPropertyName: 'data' });
		expect(next(excel, 'Extract payment rows')).toEqual(['Record payment', 'Results next to input columns']);
		expect(next(excel, 'Record payment')).toEqual(['Result columns']);
		expect(Object.keys(assignments(nodeOf(excel, 'Result columns')))).toEqual(['status', 'payment_batch_id', 'athena_post_date', 'message']);
		expect(nodeOf(excel, 'Results next to input columns').parameters).toMatchObject({ combineBy: 'combineByPosition' });
		expect(nodeOf(excel, 'Results to workbook').parameters).toMatchObject({ operation: 'xlsx' });
		expect(String(nodeOf(excel, 'Write results workbook').parameters.fileName)).toMatch(/\.xlsx$/);
	});

	it('tells the user that a date cell is read as its day and how to keep leading zeros', () => {
		expect(noteOf(excel)).toContain('a **date cell** (`11/20/2026`) is read as that day');
		expect(noteOf(excel)).toContain('Format `card_last4` as text');
	});
});

describe('the Google Sheets example', () => {
	const read = nodeOf(google, 'Read payment rows');
	const update = nodeOf(google, 'Write status to sheet');

	it('reads values unformatted and dates as serial numbers, whatever the sheet\'s locale shows', () => {
		expect(read.type).toBe('n8n-nodes-base.googleSheets');
		expect(read.parameters.options).toEqual({ outputFormatting: { values: { general: 'UNFORMATTED_VALUE', date: 'SERIAL_NUMBER' } } });
	});

	it('skips rows already marked posted and empty rows before posting', () => {
		expect(next(google, 'Read payment rows')).toEqual(['Rows not yet posted']);
		const conditions = ((nodeOf(google, 'Rows not yet posted').parameters.conditions as IDataObject).conditions as IDataObject[]).map((condition) => [
			condition.leftValue,
			(condition.operator as IDataObject).operation,
			condition.rightValue,
		]);
		expect(conditions).toEqual([
			["={{ String($json.status ?? '').trim() }}", 'notEquals', 'posted'],
			["={{ String($json.patient_id ?? '').trim() }}", 'notEmpty', ''],
		]);
		expect(next(google, 'Rows not yet posted')).toEqual(['Record payment']);
	});

	it('names rows in messages as the sheet numbers them', () => {
		expect((nodeOf(google, 'Record payment').parameters.postingOptions as IDataObject).rowNumber).toBe('={{ $json.row_number }}');
	});

	it('writes status, batch ID and message back to each row\'s own cells, matched on row_number', () => {
		expect(next(google, 'Record payment')).toEqual(['Sheet columns']);
		expect(assignments(nodeOf(google, 'Sheet columns'))).toEqual({
			row_number: "={{ $('Rows not yet posted').item.json.row_number }}",
			status: '={{ $json.status }}',
			payment_batch_id: "={{ $json.paymentBatchId ?? '' }}",
			message: "={{ $json.error ?? $json.reason ?? '' }}",
		});
		expect(next(google, 'Sheet columns')).toEqual(['Write status to sheet']);
		expect(update.parameters).toMatchObject({ operation: 'update', columns: { mappingMode: 'autoMapInputData', matchingColumns: ['row_number'] } });
		expect(update.parameters.documentId).toEqual(read.parameters.documentId);
		expect(update.parameters.sheetName).toEqual(read.parameters.sheetName);
	});

	it('uses one Google credential in both Google Sheets nodes, and the note says how to connect it', () => {
		expect(read.credentials).toEqual({ googleSheetsOAuth2Api: { id: 'googleSheetsAcct1', name: 'Google Sheets account' } });
		expect(update.credentials).toEqual(read.credentials);
		expect(noteOf(google)).toContain('**Google Sheets OAuth2 API** credential');
	});
});
