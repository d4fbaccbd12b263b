/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * The output schemas n8n's editor shows before a first run (its schema view asks the server for
 * /schemas/<node type>/<version>/<resource>/<operation>.json, which n8n serves from `__schema__/v<x.y.z>/` next to the
 * node file: n8n-core's resolveOutputSchemaPath). They are not written by hand: each is derived from what the node
 * really puts out for that operation, run through the engine against the simulator, in every node version.
 *
 * A test fails when an operation's output shape drifts from its schema file (a field added, gone or of another type),
 * and when an operation has no schema file. After a deliberate output change:
 *
 *   UPDATE_OUTPUT_SCHEMAS=1 npx jest test/integration/outputSchemas.test.ts
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { operations } from '../../nodes/Athenahealth/actions/router';
import { toAthenaDate } from '../../nodes/Athenahealth/shared/dates';
import { APPOINTMENT_WITH_COPAY, CARD_APPROVED, PATIENT_WITH_BALANCES, seedAppointment } from '../simulator';
import type { JsonSchema } from './outputSchema';
import { schemaOfItems } from './outputSchema';
import type { Stack } from './stack';
import { collectFromInput, recordFromSheet, useStack } from './stack';

const SCHEMA_ROOT = join(__dirname, '..', '..', 'nodes', 'Athenahealth', '__schema__');
const VERSIONS = [1, 2, 3] as const;
const UPDATE = process.env.UPDATE_OUTPUT_SCHEMAS === '1';
const DAY_MS = 24 * 60 * 60 * 1000;
/** The spreadsheet serial number (Excel's 1900 system) of the UTC day of `at`. */
const sheetSerial = (at: Date) => Math.floor((at.getTime() - Date.UTC(1899, 11, 30)) / DAY_MS);

const stackOf = useStack();

interface Scenario {
	parameters: INodeParameters;
	input?: IDataObject[];
}

/** One or more runs per operation, chosen so the output holds every field the operation can put out. */
async function scenariosOf(stack: Stack, resource: string, operation: string, typeVersion: number): Promise<Scenario[]> {
	// Version 3 reads the copay and other amount fields when its one Amount is said to be in several parts.
	const split = typeVersion >= 3 ? { amountFor: 'split' } : {};
	const collected = async (): Promise<string> => {
		const run = await stack.run(collectFromInput({ copayAmount: '5.00', ...split }), { input: [{ card: CARD_APPROVED, cvv: '987' }], settings: { typeVersion } });
		return String(run.json[0].ePaymentId);
	};
	const appointment = seedAppointment(APPOINTMENT_WITH_COPAY)!;
	switch (`${resource}.${operation}`) {
		case 'patient.get':
			return [{ parameters: { resource, operation, patientId: { __rl: true, mode: 'id', value: PATIENT_WITH_BALANCES }, options: { departmentId: '1', showBalanceDetails: true } } }];
		case 'patient.search':
			return [{ parameters: { resource, operation, lastName: 'Quintero', returnAll: true } }];
		case 'appointment.get':
			return [{ parameters: { resource, operation, appointmentId: { __rl: true, mode: 'id', value: APPOINTMENT_WITH_COPAY } } }];
		case 'appointment.getAll':
			return [
				{
					parameters: {
						resource,
						operation,
						startDate: String(appointment.date),
						endDate: String(appointment.date),
						includeCopay: true,
						includePatient: true,
						returnAll: true,
					},
				},
			];
		case 'department.getAll':
			return [{ parameters: { resource, operation, returnAll: true } }];
		case 'paymentMethod.getAll':
			return [{ parameters: { resource, operation } }];
		case 'payment.record':
			// Posted, skipped (the same payment twice) and invalid rows: the fields of every status; one row with an
			// appointment and a post date (v2 reads Post Date under Options).
			return [
				{
					parameters: recordFromSheet(typeVersion >= 2 ? { postDate: '={{ $json.postDate }}' } : {}, split),
					input: [
						{ patient: '101', department: '1', method: 'CASH', copay: '10' },
						{ patient: '1', department: '1', method: 'CASH', copay: '25.00', appointment: APPOINTMENT_WITH_COPAY, postDate: toAthenaDate(new Date(Date.now() - 2 * DAY_MS)) },
						{ patient: '102', department: '1', method: 'CHECK', check: '1042', copay: '11' },
						{ patient: '103', department: '1', method: 'MC/VISA', last4: '4242', copay: '12' },
						{ patient: '101', department: '1', method: 'CASH', copay: '10' },
						{ patient: '104', department: '1', method: 'CHECK', copay: '13' },
						// A date cell's serial number: the row says how it read it (postDateRead).
						{ patient: '105', department: '1', method: 'CASH', copay: '14', postDate: sheetSerial(new Date(Date.now() - 2 * DAY_MS)) },
					],
				},
			];
		case 'payment.collect':
			return [{ parameters: collectFromInput(split), input: [{ card: CARD_APPROVED, cvv: '987', copay: '20.00' }, { card: CARD_APPROVED, cvv: '', copay: '20.00' }] }];
		case 'payment.checkUnknown': {
			// A card payment athena stored without answering (unknown), then the rows Check Unknown reads: found, not
			// found (another amount), and an item without the fields (an error item under Continue On Fail).
			stack.engine.setStaticData('engine-test', undefined); // an earlier scenario's postings would skip this one
			stack.simulator.addFaults({ method: 'POST', path: '/collectpayment$', kind: '500-after', count: 1 });
			const sent = await stack.run(collectFromInput({ copayAmount: '6.00', ...split }), { input: [{ card: CARD_APPROVED, cvv: '987' }], settings: { typeVersion, continueOnFail: true } });
			stack.simulator.clearFaults();
			const unknownRow = sent.json[0];
			return [{ parameters: { resource, operation, checkOperation: 'collect' }, input: [unknownRow, { ...unknownRow, totalAmount: '6.01' }, { patientId: '1' }] }];
		}
		case 'payment.void':
			return [{ parameters: { resource, operation, patientId: { __rl: true, mode: 'id', value: PATIENT_WITH_BALANCES }, ePaymentId: await collected() } }];
		case 'receipt.email':
			return [
				{
					parameters: { resource, operation, patientId: { __rl: true, mode: 'id', value: PATIENT_WITH_BALANCES }, ePaymentId: await collected(), email: 'payer@example.com' },
				},
			];
		case 'receipt.getAll':
			await collected();
			return [{ parameters: { resource, operation, patientId: { __rl: true, mode: 'id', value: PATIENT_WITH_BALANCES }, departmentId: '1' } }];
		default:
			throw new Error(`no output-schema scenario for ${resource} → ${operation}: add one here`);
	}
}

const schemaFile = (typeVersion: number, resource: string, operation: string) => join(SCHEMA_ROOT, `v${typeVersion}.0.0`, resource, `${operation}.json`);

const cases = VERSIONS.flatMap((typeVersion) =>
	Object.entries(operations).flatMap(([resource, byOperation]) => Object.keys(byOperation).map((operation) => [typeVersion, resource, operation] as const)),
);

describe('output schemas (__schema__/v<version>/<resource>/<operation>.json)', () => {
	it.each(cases)('v%s %s → %s: the schema file is the shape of the real output', async (typeVersion, resource, operation) => {
		const stack = stackOf();
		const items: IDataObject[] = [];
		for (const scenario of await scenariosOf(stack, resource, operation, typeVersion)) {
			const run = await stack.run(scenario.parameters, { input: scenario.input, settings: { typeVersion, continueOnFail: true } });
			expect(run.error).toBeUndefined();
			items.push(...run.json);
		}
		expect(items.length).toBeGreaterThan(0);
		const derived = schemaOfItems(items);
		const file = schemaFile(typeVersion, resource, operation);
		if (UPDATE) {
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, `${JSON.stringify(derived, null, '\t')}\n`);
		}
		expect(existsSync(file)).toBe(true);
		const shipped = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
		// On a difference: the output changed shape. If that is meant, regenerate (see the top of this file).
		expect(shipped).toEqual(derived);
	});

	it('holds no schema for an operation the node does not have', () => {
		const expected = new Set(cases.map(([v, r, o]) => schemaFile(v, r, o)));
		const present = VERSIONS.flatMap((v) => {
			const dir = join(SCHEMA_ROOT, `v${v}.0.0`);
			return readdirSync(dir).flatMap((resource) => readdirSync(join(dir, resource)).map((file) => join(dir, resource, file)));
		});
		expect(present.filter((file) => !expected.has(file))).toEqual([]);
	});

	it('the build copies them next to the compiled node, where n8n looks', () => {
		const gulpfile = readFileSync(join(__dirname, '..', '..', 'gulpfile.js'), 'utf8');
		expect(gulpfile).toContain("'nodes/**/__schema__/**/*.json'");
	});
});
