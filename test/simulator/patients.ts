/** Patients: `GET /patients/{id}`, the search by name/dob (`GET /patients`) and `GET /patients/search`. */
import { dateKey, isTrue } from './formats';
import { type ApiRequest, type Reply, type RouteSpec, err, ok, page } from './replies';
import { seedData } from './seed';

export function patientExists(id: string): boolean {
	return seedData().patients.has(id);
}

export function patientRoutes(): RouteSpec[] {
	return [
		{ method: 'GET', path: '/patients', handler: listPatients },
		{ method: 'GET', path: '/patients/search', handler: searchPatients },
		{ method: 'GET', path: '/patients/:id', handler: getPatient },
	];
}

const INSURANCE_PLANS = ['BCBS-MA: PPO', 'Aetna: HMO', 'Medicare: Part B', 'Cigna: Open Access'];

function patientJson(id: string, request: ApiRequest, opts: { omitBalances?: boolean } = {}): Record<string, unknown> {
	const p = seedData().patients.get(id)!;
	const rec: Record<string, unknown> = { ...p.record };
	const balances = p.record.balances as Array<Record<string, unknown>>;
	if (opts.omitBalances) delete rec.balances;
	else rec.balances = balances.map((b) => ({ ...b }));
	// Top-level, beside balances; left out when there is no claim to detail (as recorded for a zero balance).
	if (!opts.omitBalances && isTrue(request.query.get('showbalancedetails')) && p.claimBalanceDetails.length) {
		rec.claimbalancedetails = structuredClone(p.claimBalanceDetails);
	}
	if (isTrue(request.query.get('showinsurance'))) {
		rec.insurances = [
			{
				insurancepackageid: String(1000 + (Number(id) % 7)),
				insuranceplanname: INSURANCE_PLANS[Number(id) % 4],
				insurancetype: 'Group Policy',
				sequencenumber: '1',
				insuranceidnumber: `SIM${String(Number(id) * 7919).padStart(9, '0')}`,
				policynumber: `POL-${id}`,
				eligibilitystatus: 'Eligible',
				relationshiptoinsured: 'Self',
			},
		];
	}
	return rec;
}

function getPatient(request: ApiRequest, [id]: string[]): Reply {
	if (!patientExists(id)) return err(404, 'The patient is not found.');
	return ok([patientJson(id, request)]);
}

/** Names: case-insensitive prefix; needs firstname, lastname or dob. */
function listPatients(request: ApiRequest): Reply {
	const first = request.query.get('firstname')?.trim().toLowerCase() || '';
	const last = request.query.get('lastname')?.trim().toLowerCase() || '';
	const dob = request.query.get('dob')?.trim() || '';
	const dept = request.query.get('departmentid')?.trim() || '';
	if (!first && !last && !dob) {
		return err(400, 'Additional fields are required.', 'Search by at least one of firstname, lastname or dob.', {
			missingfields: ['lastname', 'firstname', 'dob'],
		});
	}
	if (dob && dateKey(dob) === null) return err(400, 'Invalid dob.', 'dob must be mm/dd/yyyy.');
	const omit = isTrue(request.query.get('omitbalances'));
	const found = seedData().patientList.filter(
		(p) =>
			(!first || p.firstLower.startsWith(first)) &&
			(!last || p.lastLower.startsWith(last)) &&
			(!dob || p.dob === dob) &&
			(!dept || p.departmentid === dept),
	);
	return page(request, 'patients', found, '/patients', (p) => patientJson(p.id, request, { omitBalances: omit }));
}

/** Digits = the exact id; else every word is a substring of the first or last name. No balances. */
function searchPatients(request: ApiRequest): Reply {
	const term = (request.query.get('searchterm') ?? '').trim().toLowerCase();
	if (!term) {
		return err(400, 'Additional fields are required.', 'searchterm is required.', { missingfields: ['searchterm'] });
	}
	if (term.length < 2) return err(400, 'The search term is too short.', 'searchterm must have at least 2 characters.');
	let found;
	if (/^\d+$/.test(term)) {
		const p = seedData().patients.get(String(Number(term)));
		found = p ? [p] : [];
	} else {
		const words = term.split(/[\s,]+/).filter((w) => w.length > 0);
		found = seedData().patientList.filter((p) =>
			words.every((w) => p.firstLower.includes(w) || p.lastLower.includes(w)),
		);
	}
	// athena's page size here is maxresults (its spec has no limit on this endpoint).
	const maxResults = request.query.get('maxresults');
	if (maxResults !== null && /^\d+$/.test(maxResults)) found = found.slice(0, Number(maxResults));
	const toJson = (p: (typeof found)[number]) => patientJson(p.id, request, { omitBalances: true });
	return page(request, 'patients', found, '/patients/search', toJson);
}
