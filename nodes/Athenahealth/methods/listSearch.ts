import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { patientSchema } from '../shared/athenaSchemas';
import { AthenaClient } from '../transport/athenaClient';

/** The patient picker: athena's partial name / ID search (its page size is `maxresults`, not `limit`). */
export async function searchPatients(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const term = (filter ?? '').trim();
	if (term.length < 2) return { results: [] };
	const client = await AthenaClient.create(this);
	const answer = await client.get('/patients/search', { searchterm: term, maxresults: 50 }, { action: 'search patients' });
	const body = answer.body as { patients?: unknown[] } | unknown[] | undefined;
	const rows = Array.isArray(body) ? body : (body?.patients ?? []);
	return {
		results: rows.map((row) => {
			const patient = patientSchema.parse(row);
			return {
				name: `${patient.lastName ?? ''}, ${patient.firstName ?? ''} (${patient.patientId})${patient.dateOfBirth ? ` · born ${patient.dateOfBirth}` : ''}`,
				value: patient.patientId ?? '',
			};
		}),
	};
}
