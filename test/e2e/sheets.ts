/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Issue 24: the spreadsheet examples a practice starts from, imported as they are, in a real n8n on each pinned line
 * (the packed tarball installed as users install it, the simulator as athena):
 *  - examples/excel-payment-posting.json, run by n8n's CLI: an .xlsx written here with native date and number cells
 *    (by the n8n line's own xlsx library, as Excel stores them: a date is a number with a date format) → Extract From
 *    File → Record → a results .xlsx, read back; a re-run posts nothing.
 *  - examples/google-sheets-payment-posting.json, run as the editor runs it (POST /rest/workflows/:id/run) with the
 *    two Google Sheets nodes' output pinned: n8n does not execute a node that has pinned data, so nothing reaches
 *    Google, and the filter, the posting and the mapping between them run for real. The items handed to Update Row
 *    must carry what the sheet needs: the row number and the row's status, batch ID and message.
 *
 *   E2E_N8N_VERSIONS=2.41.1 npx tsx scripts/e2e.ts sheets
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { log, secs } from '../../scripts/lib/common';
import type { N8nInstance } from '../../scripts/lib/n8n-instance';
import type { AthenaSimulator } from '../simulator';
import { startSimulator } from '../simulator';
import { loadExample, n8nVersions, nodeOutput, prepareExample, serverN8n, simulatorCredential } from './helpers';

const EXCEL_EXAMPLE = 'excel-payment-posting.json';
const GOOGLE_EXAMPLE = 'google-sheets-payment-posting.json';
const CREDENTIAL_ID = 'e2eSheetsSimCre1';
const TIMEOUT = 10 * 60_000;

/** The SheetJS copy the n8n line itself reads and writes spreadsheets with (n8n-nodes-base's dependency). */
type Xlsx = {
	utils: {
		aoa_to_sheet(rows: unknown[][]): Record<string, any>;
		book_new(): unknown;
		book_append_sheet(book: unknown, sheet: unknown, name: string): void;
		sheet_to_json(sheet: unknown, options?: object): Array<Record<string, unknown>>;
	};
	write(book: unknown, options: object): Buffer;
	read(data: Buffer, options?: object): { SheetNames: string[]; Sheets: Record<string, Record<string, any>> };
};

function n8nXlsx(n8n: N8nInstance): Xlsx {
	const fromNodesBase = createRequire(path.join(n8n.install.dir, 'node_modules', 'n8n-nodes-base', 'package.json'));
	for (const name of ['@e965/xlsx', 'xlsx']) {
		try {
			return fromNodesBase(name) as Xlsx;
		} catch {
			/* the other name */
		}
	}
	throw new Error(`no xlsx library in n8n ${n8n.version}`);
}

/** Excel's serial number of a day (its 1900 system: day 0 is 12/30/1899). */
const serial = (usDate: string) => {
	const [m, d, y] = usDate.split('/').map(Number);
	return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
};

const COLUMNS = ['patient_id', 'department_id', 'method', 'check_number', 'card_last4', 'copay', 'other_amount', 'appointment_id', 'post_date'] as const;
type Cell = string | number | { date: string; time?: number };

interface SheetRow {
	cells: Partial<Record<(typeof COLUMNS)[number], Cell>>;
	expect: 'posted' | 'invalid';
	/** What athena must store (posted rows), or words the message must hold (invalid rows). */
	amount?: string;
	messageHas?: string;
	/** How the row's output says its date was read. */
	dateRead?: string;
}

const DAY = '11/20/2026';
/**
 * A day's sheet as a person types it in Excel: IDs and amounts as numbers (one with float noise, one typed with a
 * dollar sign as text), dates as date cells (one with a time), a check number as a number, one last four as text
 * with its leading zero; an ISO timestamp pasted as text; a number that is no date and a last four of three digits.
 */
function excelRows(): SheetRow[] {
	return [
		{ cells: { patient_id: 101, department_id: 1, method: 'CASH', copay: 30.000000000000004, post_date: { date: DAY } }, expect: 'posted', amount: '30.00', dateRead: `spreadsheet date ${serial(DAY)} = ${DAY}` },
		{ cells: { patient_id: 102, department_id: 21, method: 'CHECK', check_number: 1042, other_amount: 120, post_date: { date: DAY } }, expect: 'posted', amount: '120.00' },
		{ cells: { patient_id: 103, department_id: 62, method: 'MC/VISA', card_last4: '0042', copay: 0.30000000000000004, post_date: { date: DAY, time: 0.9375 } }, expect: 'posted', amount: '0.30', dateRead: `spreadsheet date ${serial(DAY) + 0.9375} = ${DAY} 22:30` },
		{ cells: { patient_id: 104, department_id: 1, method: 'AMEX', card_last4: 4242, other_amount: '$1,250.75', post_date: { date: DAY } }, expect: 'posted', amount: '1250.75' },
		{ cells: { patient_id: 105, department_id: 82, method: 'CASH', copay: 30.449999999999996, post_date: '2026-11-21T02:30:00.000Z' }, expect: 'posted', amount: '30.45', dateRead: "timestamp 2026-11-21T02:30:00.000Z = 11/20/2026 21:30 US Eastern (athena's calendar)" },
		{ cells: { patient_id: 106, department_id: 1, method: 'CASH', copay: 20, post_date: 123 }, expect: 'invalid', messageHas: 'Post Date must be a real date as mm/dd/yyyy (e.g. 11/26/2026), yyyy-mm-dd, a date cell or an ISO timestamp; the number 123 is not a spreadsheet date' },
		{ cells: { patient_id: 107, department_id: 1, method: 'MC/VISA', card_last4: 421, copay: 20, post_date: { date: DAY } }, expect: 'invalid', messageHas: 'Card Last 4 Digits must be exactly four digits' },
	];
}

/** The rows as an .xlsx: a date cell is its serial number with a date format, as Excel stores it. */
function writeWorkbook(xlsx: Xlsx, rows: SheetRow[]): Buffer {
	const sheet = xlsx.utils.aoa_to_sheet([[...COLUMNS], ...rows.map((row) => COLUMNS.map((column) => (typeof row.cells[column] === 'object' ? 0 : (row.cells[column] ?? ''))))]);
	rows.forEach((row, r) => {
		const cell = row.cells.post_date;
		if (typeof cell !== 'object') return;
		const address = `${String.fromCharCode(65 + COLUMNS.indexOf('post_date'))}${r + 2}`;
		sheet[address] = { t: 'n', v: serial(cell.date) + (cell.time ?? 0), z: cell.time ? 'mm/dd/yyyy hh:mm' : 'mm/dd/yyyy' };
	});
	const book = xlsx.utils.book_new();
	xlsx.utils.book_append_sheet(book, sheet, 'Payments');
	return xlsx.write(book, { type: 'buffer', bookType: 'xlsx' });
}

/** The Google Sheets rows as Get Rows hands them over (unformatted values, dates as serial numbers), row_number included. */
const sheetRow = (rowNumber: number, cells: Record<string, unknown>) => ({
	json: {
		row_number: rowNumber,
		patient_id: '',
		department_id: '',
		method: '',
		check_number: '',
		card_last4: '',
		copay: '',
		other_amount: '',
		appointment_id: '',
		post_date: '',
		status: '',
		payment_batch_id: '',
		message: '',
		...cells,
	},
});

const GOOGLE_ROWS = [
	sheetRow(2, { patient_id: 201, department_id: 1, method: 'CASH', copay: 25, post_date: serial(DAY) }),
	sheetRow(3, { patient_id: 202, department_id: 1, method: 'CASH', copay: 40, post_date: serial(DAY), status: 'posted', payment_batch_id: '77', message: '' }),
	sheetRow(4, { patient_id: 203, department_id: 21, method: 'CHECK', check_number: 5005, other_amount: 75.25, post_date: serial(DAY) }),
	sheetRow(5, { patient_id: 204, department_id: 62, method: 'MC/VISA', card_last4: '0042', copay: 30.000000000000004, post_date: serial(DAY) + 0.5 }),
	sheetRow(6, {}),
	sheetRow(7, { patient_id: 205, department_id: 1, method: 'CASH', copay: 12.345, post_date: serial(DAY) }),
	sheetRow(8, { patient_id: 206, department_id: 1, method: 'CASH', copay: 15, post_date: 99 }),
];
/** What Update Row would put out (pinned: it is not executed). */
const UPDATE_PINNED = [{ json: { row_number: 2, status: 'posted' } }];

for (const version of n8nVersions()) {
	describe(`n8n ${version}: the spreadsheet examples (Excel, Google Sheets)`, { timeout: 30 * 60_000 }, () => {
		let sim: AthenaSimulator;
		let n8n: N8nInstance;
		let userFolder: string;
		let filesDir: string;
		let xlsx: Xlsx;
		const excelId = loadExample(EXCEL_EXAMPLE).id as string;
		const google = loadExample(GOOGLE_EXAMPLE);

		before(async () => {
			const start = Date.now();
			sim = await startSimulator();
			({ n8n, userFolder, filesDir } = await serverN8n({ version, folderPrefix: 'e2e-sheets', env: { EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true' } }));
			xlsx = n8nXlsx(n8n);
			const googleCredential = google.nodes.find((node: any) => node.credentials?.googleSheetsOAuth2Api).credentials.googleSheetsOAuth2Api;
			await n8n.importCredential([
				simulatorCredential(sim.url, CREDENTIAL_ID),
				// The Google Sheets nodes keep the credential the example names; it is never used (their output is pinned).
				{ id: googleCredential.id, name: googleCredential.name, type: 'googleSheetsOAuth2Api', data: { clientId: 'not-used', clientSecret: 'not-used' } },
			]);
			await n8n.importWorkflow([
				prepareExample(loadExample(EXCEL_EXAMPLE), {
					credentialId: CREDENTIAL_ID,
					files: { 'Read payments workbook': path.join(filesDir, 'payments.xlsx'), 'Write results workbook': path.join(filesDir, 'results.xlsx') },
				}),
				{ ...prepareExample(google, { credentialId: CREDENTIAL_ID }), pinData: { 'Read payment rows': GOOGLE_ROWS, 'Write status to sheet': UPDATE_PINNED } },
			]);
			log(`sheets e2e ${version}: n8n up, package, credentials and 2 examples in ${secs(start)}`);
		});

		after(async () => {
			await n8n?.stop();
			await sim?.close();
			if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		});

		test('Excel: an .xlsx with date and number cells → Extract From File → Record → a results .xlsx; a re-run posts nothing', { timeout: TIMEOUT }, async () => {
			const rows = excelRows();
			fs.writeFileSync(path.join(filesDir, 'payments.xlsx'), writeWorkbook(xlsx, rows));
			const first = await n8n.execute(excelId);
			assert.ok(first.ok, `run failed: ${JSON.stringify(first.error)}`);

			// What Extract From File handed over: the date cells as their serial numbers, the numbers as numbers.
			const extracted = nodeOutput(first, 'Extract payment rows');
			assert.equal(extracted.length, rows.length);
			assert.equal(extracted[0].post_date, serial(DAY), 'a date cell arrives as its serial number');
			assert.equal(extracted[1].check_number, 1042);

			const ledger = sim.ledger().filter((entry) => entry.kind === 'record');
			const good = rows.filter((row) => row.expect === 'posted');
			// Rows post a few at a time, so athena's order is not the sheet's: compared as sets.
			const patientOrder = (a: string[], b: string[]) => a[0].localeCompare(b[0]);
			assert.deepEqual(
				ledger.map((entry) => [String(entry.patientid), String(entry.amount), String(entry.form.postdate)]).sort(patientOrder),
				good.map((row) => [String(row.cells.patient_id), String(row.amount), DAY]).sort(patientOrder),
				'each good row posted once, on the day the sheet means',
			);
			const byPatient = new Map(ledger.map((entry) => [entry.patientid, entry]));
			assert.equal(byPatient.get('102')!.form.checknumber, '1042');
			assert.equal(byPatient.get('103')!.form.cardnumberlast4, '0042');

			const recorded = nodeOutput(first, 'Record payment');
			rows.forEach((row, index) => {
				if (row.dateRead) assert.equal(recorded[index].postDateRead, row.dateRead, `row ${index + 1}: how its date was read`);
			});

			const results = readWorkbook(xlsx, path.join(filesDir, 'results.xlsx'));
			assert.equal(results.sheet, 'Results');
			assert.equal(results.rows.length, rows.length, 'one results row per input row');
			rows.forEach((row, index) => {
				const line = results.rows[index];
				const label = `results row ${index + 1}: ${JSON.stringify(line)}`;
				assert.equal(line.patient_id, row.cells.patient_id, `${label}: input columns kept`);
				assert.equal(line.status, row.expect, label);
				if (row.expect === 'posted') {
					assert.equal(line.payment_batch_id, byPatient.get(String(row.cells.patient_id))!.paymentbatchid, label);
					assert.equal(line.athena_post_date, DAY, label);
					assert.equal(line.message, '', label);
				} else {
					assert.equal(line.payment_batch_id, '', label);
					assert.ok(String(line.message).includes(`row ${index + 1}: ${row.messageHas}`), `${label}: message names the row and says "${row.messageHas}"`);
				}
			});

			const before = JSON.stringify(sim.ledger());
			const second = await n8n.execute(excelId);
			assert.ok(second.ok, `re-run failed: ${JSON.stringify(second.error)}`);
			assert.equal(JSON.stringify(sim.ledger()), before, 'the re-run posted nothing');
			const again = readWorkbook(xlsx, path.join(filesDir, 'results.xlsx')).rows;
			rows.forEach((row, index) => {
				assert.equal(again[index].status, row.expect === 'posted' ? 'skipped' : 'invalid', `re-run, row ${index + 1}`);
				if (row.expect === 'posted') assert.ok(String(again[index].message).includes(`payment batch ${byPatient.get(String(row.cells.patient_id))!.paymentbatchid}`), JSON.stringify(again[index]));
			});
		});

		test('Google Sheets: Get Rows (pinned) → rows not yet posted → Record → Update Row (pinned) gets each row\'s number, status, batch ID and message', { timeout: TIMEOUT }, async () => {
			const first = await manualRun(n8n, google.id);
			assert.equal(first.status, 'success', JSON.stringify(first.error));
			// The Google Sheets nodes were not executed: they put out exactly what was pinned.
			assert.deepEqual(outputOf(first.runData, 'Read payment rows'), GOOGLE_ROWS.map((row) => row.json));
			assert.deepEqual(outputOf(first.runData, 'Write status to sheet'), UPDATE_PINNED.map((row) => row.json));

			const ledger = sim.ledger().filter((entry) => entry.kind === 'record' && Number(entry.patientid) >= 201);
			assert.deepEqual(
				ledger.map((entry) => [entry.patientid, entry.amount, entry.form.postdate]).sort(),
				[
					['201', '25.00', DAY],
					['203', '75.25', DAY],
					['204', '30.00', DAY],
				],
				'the rows not yet posted, posted once, on the day the sheet means; row 3 (already posted) is not sent',
			);
			const batchOf = new Map(ledger.map((entry) => [entry.patientid, entry.paymentbatchid]));
			const updates = outputOf(first.runData, 'Sheet columns');
			assert.deepEqual(updates, [
				{ row_number: 2, status: 'posted', payment_batch_id: batchOf.get('201'), message: '' },
				{ row_number: 4, status: 'posted', payment_batch_id: batchOf.get('203'), message: '' },
				{ row_number: 5, status: 'posted', payment_batch_id: batchOf.get('204'), message: '' },
				{ row_number: 7, status: 'invalid', payment_batch_id: '', message: 'Invalid input in row 7: Copay Amount has more than two decimal places' },
				{
					row_number: 8,
					status: 'invalid',
					payment_batch_id: '',
					message:
						'Invalid input in row 8: Post Date must be a real date as mm/dd/yyyy (e.g. 11/26/2026), yyyy-mm-dd, a date cell or an ISO timestamp; the number 99 is not a spreadsheet date of the years 2000 to 2099 (format the column as a date)',
				},
			]);
			const update = google.nodes.find((node: any) => node.name === 'Write status to sheet');
			assert.equal(update.parameters.operation, 'update');
			assert.equal(update.parameters.columns.mappingMode, 'autoMapInputData', 'Update Row writes the columns the items carry');
			assert.deepEqual(update.parameters.columns.matchingColumns, ['row_number']);
			const recorded = outputOf(first.runData, 'Record payment');
			assert.equal(recorded[2].postDateRead, `spreadsheet date ${serial(DAY) + 0.5} = ${DAY} 12:00`);

			// The status did not reach the sheet (Update Row is pinned): the next run reads the same rows, posts nothing
			// again and says so on each of them.
			const before = JSON.stringify(sim.ledger());
			const second = await manualRun(n8n, google.id);
			assert.equal(second.status, 'success', JSON.stringify(second.error));
			assert.equal(JSON.stringify(sim.ledger()), before, 'nothing posted twice');
			assert.deepEqual(
				outputOf(second.runData, 'Sheet columns').map((item: any) => [item.row_number, item.status]),
				[
					[2, 'skipped'],
					[4, 'skipped'],
					[5, 'skipped'],
					[7, 'invalid'],
					[8, 'invalid'],
				],
			);
		});
	});
}

function readWorkbook(xlsx: Xlsx, file: string): { sheet: string; rows: Array<Record<string, any>> } {
	const book = xlsx.read(fs.readFileSync(file));
	const sheet = book.SheetNames[0];
	return { sheet, rows: xlsx.utils.sheet_to_json(book.Sheets[sheet], { defval: '' }) };
}

const outputOf = (runData: Record<string, any[]>, node: string) => (runData[node] ?? []).flatMap((task: any) => (task?.data?.main?.[0] ?? []).map((item: any) => item.json));

/**
 * Runs a saved workflow as the editor's "Execute workflow" does (manual mode: pinned data is used) from its manual
 * trigger, and waits for the execution n8n saves. n8n 2.41 reads the workflow from its database; 2.8 and 1.x take it
 * from the request.
 */
async function manualRun(n8n: N8nInstance, workflowId: string): Promise<{ status: string; runData: Record<string, any[]>; error?: unknown }> {
	const saved = await n8n.rest<any>('GET', `/rest/workflows/${workflowId}`);
	const workflowData = saved.data ?? saved;
	const started = await n8n.rest<any>('POST', `/rest/workflows/${workflowId}/run`, { workflowData, triggerToStartFrom: { name: 'Run now' } });
	const executionId = String((started.data ?? started).executionId ?? '');
	assert.ok(executionId, `no execution started: ${JSON.stringify(started)}`);
	const flatted = createRequire(path.join(n8n.install.dir, 'node_modules', 'n8n', 'package.json'))('flatted') as { parse(text: string): any };
	const deadline = Date.now() + 5 * 60_000;
	for (;;) {
		const body = await n8n.rest<any>('GET', `/rest/executions/${executionId}`).catch(() => undefined);
		const execution = body?.data ?? body;
		if (execution && (execution.finished || ['success', 'error', 'crashed', 'canceled'].includes(execution.status)) && execution.data) {
			const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
			return { status: execution.status ?? (execution.finished ? 'success' : 'error'), runData: data.resultData.runData, error: data.resultData.error };
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish: ${JSON.stringify(execution).slice(0, 500)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
