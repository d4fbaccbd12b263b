import type { IExecuteFunctions } from 'n8n-workflow';

import { appointmentSchema, departmentSchema } from '../../../shared/athenaSchemas';
import { runWithLimit } from '../../../shared/pool';
import type { AthenaClient } from '../../../transport/athenaClient';
import { AthenaApiError } from '../../../transport/errors';
import { fetchDepartments } from '../../../transport/departments';
import { unwrapOne } from '../../../transport/parse';
import type { PostingMemory } from './memory';
import { skipReason } from './memory';
import { fileOutcome, nodeErrorOf, notChecked, refuse, toSend } from './rowOutcome';
import type { PaymentCommon, PostingSettings, PostingSpec, Row } from './types';

/**
 * Validate Only: each row checked against athena and the remembered postings, nothing posted and nothing claimed.
 * A row a real run would skip comes out skipped; one athena would refuse, invalid; the rest, valid.
 */
export async function dryRun<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
	rows: Array<Row<TInput>>,
	remembered: PostingMemory | undefined,
): Promise<void> {
	const node = context.getNode();
	const checkReferences = createReferenceChecker(client);
	await runWithLimit(rows.length, settings.concurrency, async (index) => {
		const row = rows[index];
		if (!toSend(row)) return;
		// What a real run would skip, read from the remembered postings: the same decision as its claim.
		const decision = row.keys ? remembered?.peek(row.keys, row.postAgain === true) : undefined;
		if (decision && !decision.send && remembered) {
			const previous = remembered.previous(decision.blockedBy);
			fileOutcome(row, 'skipped', {
				reason: skipReason(decision, previous),
				previous: previous ?? null,
				duplicateCheckKey: row.key,
				...spec.report.describe(row.input),
			});
			return;
		}
		let problem: string | undefined;
		try {
			problem = await checkReferences(row.input, row.itemIndex);
		} catch (error) {
			if (!context.continueOnFail()) throw nodeErrorOf(node, error);
			notChecked(row, node, error, 'the dry run could not check this row against athena.');
			return;
		}
		if (problem) refuse(row, node, problem);
		else
			fileOutcome(row, 'valid', { duplicateCheckKey: row.key, ...spec.report.describe(row.input) });
	});
}

/**
 * Validate Only checks what athena would refuse: the patient, department and appointment exist and the appointment is
 * the patient's. Each record is fetched once per run however many rows use it.
 */
function createReferenceChecker(client: AthenaClient) {
	let departments: Promise<Set<string>> | undefined;
	const patients = new Map<string, Promise<boolean>>();
	const appointments = new Map<string, Promise<{ patientId?: string } | undefined>>();

	// athena's 404 here means the record does not exist; any other failure is a real error of the check.
	const unlessNotFound = async <T>(request: Promise<T>): Promise<T | undefined> =>
		await request.catch((error: unknown) => {
			if (
				error instanceof AthenaApiError &&
				error.outcome === 'refused' &&
				error.httpCode === '404'
			)
				return undefined;
			throw error;
		});

	return async function checkReferences(
		input: PaymentCommon,
		itemIndex: number,
	): Promise<string | undefined> {
		departments ??= fetchDepartments(client, { itemIndex }).then(
			(rows) => new Set(rows.map((row) => departmentSchema.parse(row).departmentId ?? '')),
		);
		if (!(await departments).has(input.departmentId))
			return `Department ${input.departmentId} does not exist in this practice. Use a department ID from Department → Get Many.`;
		if (!patients.has(input.patientId)) {
			const lookup = client.get(
				`/patients/${input.patientId}`,
				{},
				{ action: `check patient ${input.patientId}`, itemIndex },
			);
			patients.set(
				input.patientId,
				unlessNotFound(lookup).then((answer) => answer !== undefined),
			);
		}
		if (!(await patients.get(input.patientId)))
			return `Patient ${input.patientId} does not exist in this practice. Check the Patient ID.`;
		if (input.appointmentId) {
			const appointmentId = input.appointmentId;
			if (!appointments.has(appointmentId)) {
				appointments.set(
					appointmentId,
					unlessNotFound(
						client.get(
							`/appointments/${appointmentId}`,
							{ showcopay: 'false' },
							{ action: `check appointment ${appointmentId}`, itemIndex },
						),
					).then((answer) =>
						answer ? appointmentSchema.parse(unwrapOne(answer.body) ?? {}) : undefined,
					),
				);
			}
			const appointment = await appointments.get(appointmentId);
			if (!appointment)
				return `Appointment ${appointmentId} does not exist. Check the Appointment ID.`;
			if (appointment.patientId !== input.patientId)
				return `Appointment ${appointmentId} belongs to another patient, not patient ${input.patientId}. Check the Appointment ID.`;
		}
		return undefined;
	};
}
