import type { ILoadOptionsFunctions, INodeListSearchResult, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { appointmentSchema, patientSchema } from '../shared/athenaSchemas';
import { toAthenaDate } from '../shared/dates';
import { AthenaClient } from '../transport/athenaClient';
import { departmentOptions } from './loadOptions';

function patientResult(row: unknown): INodeListSearchResult['results'][number] {
	const patient = patientSchema.parse(row);
	return {
		name: `${patient.lastName ?? ''}, ${patient.firstName ?? ''} (${patient.patientId})${patient.dateOfBirth ? ` · born ${patient.dateOfBirth}` : ''}`,
		value: patient.patientId ?? '',
	};
}

/**
 * The patient picker: athena's partial name / ID search (its page size is `maxresults`, not `limit`). athena's search
 * wants at least two characters, so a one-digit term (the picker says "name or patient ID") is fetched as that patient.
 */
export async function searchPatients(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const term = (filter ?? '').trim();
	const oneDigitId = /^\d$/.test(term);
	if (term.length < 2 && !oneDigitId) return { results: [] };
	const client = await AthenaClient.create(this);
	if (oneDigitId) {
		try {
			const answer = await client.get(`/patients/${term}`, {}, { action: `get patient ${term}` });
			const body = answer.body as unknown[] | unknown;
			const rows = (Array.isArray(body) ? body : [body]).filter(
				(row) => patientSchema.parse(row).patientId === term,
			);
			return { results: rows.map(patientResult) };
		} catch (error) {
			// No such patient is an empty list, as a search finding nothing; any other failure is shown as it was.
			if (error instanceof NodeApiError && error.httpCode === '404') return { results: [] };
			const failure = error as NodeApiError;
			throw new NodeApiError(this.getNode(), error as JsonObject, {
				message: failure.message,
				description: failure.description ?? undefined,
				httpCode: failure.httpCode ?? undefined,
			});
		}
	}
	const answer = await client.get(
		'/patients/search',
		{ searchterm: term, maxresults: 50 },
		{ action: 'search patients' },
	);
	const body = answer.body as { patients?: unknown[] } | unknown[] | undefined;
	const rows = Array.isArray(body) ? body : (body?.patients ?? []);
	return { results: rows.map(patientResult) };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The appointment picker of Appointment → Get: the chosen patient's booked appointments in the chosen department,
 * from 90 days back to a year ahead, newest first. Typing filters by date, type or ID.
 */
export async function searchAppointments(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const patientId = String(
		this.getCurrentNodeParameter('listPatientId', { extractValue: true }) ?? '',
	).trim();
	const departmentId = String(this.getCurrentNodeParameter('listDepartmentId') ?? '').trim();
	if (!/^\d+$/.test(patientId) || !/^\d+$/.test(departmentId)) return { results: [] };
	const client = await AthenaClient.create(this);
	const now = Date.now();
	const answer = await client.get(
		'/appointments/booked',
		{
			patientid: patientId,
			departmentid: departmentId,
			startdate: toAthenaDate(new Date(now - 90 * DAY_MS)),
			enddate: toAthenaDate(new Date(now + 365 * DAY_MS)),
			showcancelled: 'true',
			limit: 200,
		},
		{ action: `list the appointments of patient ${patientId}` },
	);
	const rows = (answer.body as { appointments?: unknown[] } | undefined)?.appointments ?? [];
	const term = (filter ?? '').trim().toLowerCase();
	const sortKey = (date?: string, time?: string) =>
		`${date?.slice(6) ?? ''}${date?.slice(0, 5) ?? ''} ${time ?? ''}`;
	return {
		results: rows
			.map((row) => appointmentSchema.parse(row))
			.filter((appointment) => appointment.appointmentId)
			.sort((a, b) => sortKey(b.date, b.startTime).localeCompare(sortKey(a.date, a.startTime)))
			.map((appointment) => ({
				name: `${appointment.date ?? ''} ${appointment.startTime ?? ''} · ${appointment.appointmentType ?? 'Appointment'} · ${appointment.status ?? ''} (${appointment.appointmentId})`,
				value: appointment.appointmentId as string,
			}))
			.filter((result) => !term || result.name.toLowerCase().includes(term)),
	};
}

/**
 * Version 3's Department picker on Record and Collect: the practice's departments, filtered by what is typed. A list
 * the editor asks for when the person opens it, by which time the node holds its credential (loadOptions.ts).
 */
export async function searchDepartments(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const term = (filter ?? '').trim().toLowerCase();
	const departments = await departmentOptions(this);
	return {
		results: departments
			.filter((department) => !term || department.name.toLowerCase().includes(term))
			.map(({ name, value }) => ({ name, value: String(value) })),
	};
}
