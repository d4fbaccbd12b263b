/**
 * The live check of `npm run smoke:athena`: every read the node makes, against athena (preview) or the simulator,
 * each answer compared with what the node reads of it, through the node's own readers (shared/athenaSchemas.ts,
 * transport/paymentHistory.ts, the Trigger's feed.ts). No n8n involved: plain HTTP, one token.
 *
 * A read passes when athena answered 2xx and the node's reader took what it needs from the answer. For each read the
 * report lists the fields the node read, the fields it reads that were missing, and the fields athena sent that the
 * node does not read ("new"). With `write`, it also records one $0.01 cash payment and reads it back from the payment
 * history.
 */
import type { ZodTypeAny } from 'zod';

import {
	appointmentSchema,
	departmentSchema,
	patientSchema,
	paymentMethodSchema,
	receiptSchema,
	writeResultSchema,
} from '../../nodes/Athenahealth/shared/athenaSchemas';
import { readAthenaBody, recordOf } from '../../nodes/Athenahealth/transport/parse';
import { PAYMENT_HISTORY_FIELD_NAMES, paymentHistoryEntries, paymentHistoryFieldGroups, readPaymentHistory } from '../../nodes/Athenahealth/transport/paymentHistory';
import { readWriteAnswer } from '../../nodes/Athenahealth/transport/writeResult';
import { readSubscription } from '../../nodes/AthenahealthTrigger/feed';

/** Where to reach athena: a base URL (`…/oauth2/v1/token` and `…/v1/{practiceid}` under it) and the app's keys. */
export interface SmokeTarget {
	/** Shown in the report: "athena preview" or "the simulator". */
	label: string;
	baseUrl: string;
	practiceId: string;
	clientId: string;
	clientSecret: string;
	departmentId: string;
	patientId: string;
}

export interface SmokeOptions {
	/** Record one $0.01 cash payment for `patientId` and read it back from the payment history. */
	write?: boolean;
	/** The day the reads and the payment are about (mm/dd/yyyy); default today in US Eastern. */
	today?: string;
	timeoutMs?: number;
}

export interface ReadReport {
	/** The answer's slug, as test/fixtures/athena-recorded names its folders. */
	name: string;
	method: 'GET' | 'POST';
	path: string;
	status: number;
	/** How many records the node found in the answer. */
	records: number;
	read: string[];
	missing: string[];
	added: string[];
	ok: boolean;
	/** Why it did not pass, or what was noted. */
	note?: string;
	/** The body as athena sent it (text). */
	body: string;
}

// ------------------------------------------------------------------ what the node reads

/** The keys a zod schema of the node reads, as paths (`balances[].balance`): the object shapes it declares. */
export function schemaKeys(schema: ZodTypeAny, prefix = ''): string[] {
	const def = (schema as { _def: { typeName?: string; schema?: ZodTypeAny; innerType?: ZodTypeAny; type?: ZodTypeAny; options?: ZodTypeAny[]; shape?: () => Record<string, ZodTypeAny> } })._def;
	switch (def.typeName) {
		case 'ZodEffects':
			return schemaKeys(def.schema!, prefix);
		case 'ZodOptional':
		case 'ZodNullable':
		case 'ZodDefault':
			return schemaKeys(def.innerType!, prefix);
		case 'ZodArray':
			return schemaKeys(def.type!, `${prefix.replace(/\.$/, '')}[].`);
		case 'ZodUnion':
			return [...new Set(def.options!.flatMap((option) => schemaKeys(option, prefix)))];
		case 'ZodObject':
			return Object.entries(def.shape!()).flatMap(([key, value]) => {
				const nested = schemaKeys(value, `${prefix}${key}.`);
				return nested.length ? nested : [`${prefix}${key}`];
			});
		default:
			return [];
	}
}

/** The key paths a record holds: its keys, and the keys inside its lists of records (`balances[].balance`). */
export function presentKeys(value: unknown, prefix = ''): string[] {
	if (Array.isArray(value)) {
		const records = value.filter((entry) => entry && typeof entry === 'object' && !Array.isArray(entry));
		return [...new Set(records.flatMap((entry) => presentKeys(entry, `${prefix.replace(/\.$/, '')}[].`)))];
	}
	if (!value || typeof value !== 'object') return [];
	return Object.entries(value as Record<string, unknown>).flatMap(([key, entry]) => {
		const path = `${prefix}${key.toLowerCase()}`;
		const nested =
			Array.isArray(entry) && entry.some((item) => item && typeof item === 'object')
				? presentKeys(entry, `${path}.`)
				: entry && typeof entry === 'object' && !Array.isArray(entry)
					? presentKeys(entry, `${path}.`)
					: [];
		return [path, ...nested];
	});
}

/** The objects and lists a key path goes through: `a[].b.c` → `a`, `a[].b`. */
function containersOf(key: string): string[] {
	const found: string[] = [];
	const separator = /(\[\])?\./g;
	for (let match = separator.exec(key); match; match = separator.exec(key)) found.push(key.slice(0, match.index));
	return found;
}

/**
 * read / missing / new, for the records the node takes from an answer and the keys it reads. Keys that differ only by
 * `[]` (an object or a list of them, both read) and the names in one `alternatives` group are one field: missing only
 * when none of them was sent.
 */
export function compareShape(records: unknown[], readKeys: string[], alternatives: string[][] = []): { read: string[]; missing: string[]; added: string[] } {
	const present = new Set(records.flatMap((record) => presentKeys(record)));
	const wanted = new Set(readKeys);
	// An object or list the node reads into (balances, appointmentcopay) holds fields of its own that count as new.
	const containers = new Set(readKeys.flatMap(containersOf));
	const groups = new Map<string, string[]>();
	for (const key of readKeys) {
		const group = alternatives.find((names) => names.includes(key))?.join('|') ?? key.replace(/\[\]/g, '');
		groups.set(group, [...(groups.get(group) ?? []), key]);
	}
	const parentOf = (path: string) => (path.includes('.') ? path.replace(/(\[\])?\.[^.]*$/, '') : '');
	return {
		read: readKeys.filter((key) => present.has(key)),
		missing: [...groups].filter(([, keys]) => !keys.some((key) => present.has(key))).map(([group]) => group),
		// New: what athena sent at the top of a record, or inside an object or list the node reads into.
		added: [...present].filter((path) => !wanted.has(path) && !containers.has(path) && (parentOf(path) === '' || containers.has(parentOf(path)))).sort(),
	};
}

// ------------------------------------------------------------------ the reads

export interface ReadSpec {
	name: string;
	method?: 'GET';
	path: string;
	/** The query; a function of the answers read before (by name) when it depends on them. */
	query?: Record<string, string> | ((earlier: Map<string, unknown>) => Record<string, string>);
	/** The records the node takes from the body. */
	records(body: unknown): unknown[];
	keys: string[];
	/** Names the node reads as one field (the first found wins). */
	alternatives?: string[][];
	/** Runs the node's reader; returns why the answer could not be read, if so. */
	check(body: unknown, records: unknown[]): string | undefined;
	/** A refusal that is an answer too (the feed before a subscription applies). */
	acceptRefusal?(status: number, body: string): string | undefined;
}

const listOf = (key: string) => (body: unknown) => {
	if (Array.isArray(body)) return body;
	const list = (body as Record<string, unknown> | undefined)?.[key];
	return Array.isArray(list) ? list : [];
};

/** Each record through one of the node's schemas: the first that fails is the reason. */
function parsesWith(schema: ZodTypeAny) {
	return (_body: unknown, records: unknown[]) => {
		for (const [index, record] of records.entries()) {
			const parsed = schema.safeParse(record);
			if (!parsed.success) return `record ${index + 1}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`;
		}
		return undefined;
	};
}

function eastern(date: Date): string {
	const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
	const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
	return `${part('month')}/${part('day')}/${part('year')}`;
}

function shiftDays(mmddyyyy: string, days: number): string {
	const [month, day, year] = mmddyyyy.split('/').map(Number);
	const shifted = new Date(Date.UTC(year, month - 1, day) + days * 24 * 60 * 60 * 1000);
	return `${String(shifted.getUTCMonth() + 1).padStart(2, '0')}/${String(shifted.getUTCDate()).padStart(2, '0')}/${shifted.getUTCFullYear()}`;
}

const patientKeys = schemaKeys(patientSchema);
/** Patient → Search and the picker keep who the patient is; balances are Patient → Get's. */
const identityKeys = patientKeys.filter((key) => !/[.[]/.test(key) && key !== 'balances' && key !== 'claimbalancedetails');
const historyKeys = [...PAYMENT_HISTORY_FIELD_NAMES];
const historyAlternatives = paymentHistoryFieldGroups();

/** Three letters of the patient's last name (athena's search wants at least two), from the patient read before. */
function searchTermOf(earlier: Map<string, unknown>, patientId: string): string {
	const record = recordOf(earlier.get('patients-id'), 'patientid', patientId) as { lastname?: unknown } | undefined;
	const lastName = typeof record?.lastname === 'string' ? record.lastname.replace(/[^a-z]/gi, '') : '';
	return lastName.length >= 2 ? lastName.slice(0, 3) : 'smi';
}

/** The token: n8n's OAuth2 reads access_token and expires_in (a string in athena's answer). */
export const tokenSpec: ReadSpec = {
	name: 'token',
	path: '/oauth2/v1/token',
	records: (body) => (body && typeof body === 'object' ? [body] : []),
	keys: ['access_token', 'expires_in', 'token_type'],
	check: (body) => (typeof (body as { access_token?: unknown }).access_token === 'string' ? undefined : 'no access_token'),
};

/** The reads the node makes, in the order a user meets them. Exported for the recorded-fixture check. */
export function readSpecs(target: SmokeTarget, today: string): ReadSpec[] {
	const { departmentId: department, patientId: patient } = target;
	return [
		{
			name: 'departments',
			path: '/departments',
			query: { showalldepartments: 'true', limit: '1500' },
			records: listOf('departments'),
			keys: schemaKeys(departmentSchema),
			check: parsesWith(departmentSchema),
		},
		{
			name: 'configuration-validnonccpcreditcardmethods',
			path: '/configuration/validnonccpcreditcardmethods',
			query: { limit: '1500' },
			records: listOf('paymentmethods'),
			keys: schemaKeys(paymentMethodSchema),
			check: (body, records) => parsesWith(paymentMethodSchema)(body, records) ?? (records.every((record) => paymentMethodSchema.parse(record).code) ? undefined : 'a method without a code'),
		},
		{
			name: 'patients-id',
			path: `/patients/${patient}`,
			query: { showbalancedetails: 'true', departmentid: department },
			records: (body) => {
				const record = recordOf(body, 'patientid', patient);
				return record && typeof record === 'object' ? [record] : [];
			},
			keys: patientKeys,
			check: (body, records) => parsesWith(patientSchema)(body, records) ?? (records.length ? undefined : 'no patient record in the answer'),
		},
		{
			name: 'patients',
			path: '/patients',
			query: (earlier) => ({ lastname: searchTermOf(earlier, patient), departmentid: department, limit: '10' }),
			records: listOf('patients'),
			keys: identityKeys,
			check: parsesWith(patientSchema),
		},
		{
			name: 'patients-search',
			path: '/patients/search',
			query: (earlier) => ({ searchterm: searchTermOf(earlier, patient), maxresults: '10' }),
			records: listOf('patients'),
			keys: identityKeys,
			check: parsesWith(patientSchema),
		},
		{
			name: 'appointments-booked',
			path: '/appointments/booked',
			query: { departmentid: department, startdate: shiftDays(today, -30), enddate: shiftDays(today, 30), showcopay: 'true', limit: '50' },
			records: listOf('appointments'),
			keys: [...schemaKeys(appointmentSchema), 'providerid'],
			check: parsesWith(appointmentSchema),
		},
		{
			name: 'appointments-changed-subscription',
			path: '/appointments/changed/subscription',
			records: (body) => (body && typeof body === 'object' ? [body] : []),
			keys: ['status', 'subscriptions[].eventname'],
			check: (body) => (['ACTIVE', 'INACTIVE', 'PARTIAL'].includes(readSubscription(body).status.toUpperCase()) ? undefined : `a status the node does not know: ${readSubscription(body).status}`),
		},
		{
			name: 'appointments-changed',
			path: '/appointments/changed',
			// Read without taking anything from the feed.
			query: { leaveunprocessed: 'true', departmentid: department },
			records: listOf('appointments'),
			keys: [...schemaKeys(appointmentSchema), 'providerid', 'lastmodified', 'lastmodifiedby', 'scheduleddatetime', 'cancelleddatetime', 'cancelreasonname'],
			check: parsesWith(appointmentSchema),
			acceptRefusal: (status, body) =>
				status === 403 && /require setup|subscription/i.test(body) ? 'refused: the practice is not subscribed to the feed (or athena has not applied it yet)' : undefined,
		},
		{
			name: 'patients-id-receipts',
			path: `/patients/${patient}/receipts`,
			query: { departmentid: department },
			records: listOf('receipts'),
			keys: schemaKeys(receiptSchema),
			check: parsesWith(receiptSchema),
		},
		{
			name: 'patients-paymenthistory',
			path: '/patients/paymenthistory',
			query: { patientidlist: patient, startdate: shiftDays(today, -365), enddate: shiftDays(today, 1) },
			records: (body) => paymentHistoryEntries(body),
			keys: historyKeys,
			alternatives: historyAlternatives,
			check: (body) => readPaymentHistory(body).unreadable,
		},
	];
}

/** A read's answer compared with what the node reads (also used on recorded bodies). */
export function judge(spec: ReadSpec, status: number, text: string): Omit<ReadReport, 'method' | 'path'> {
	let body: unknown;
	try {
		body = text.trim() ? JSON.parse(text) : undefined;
	} catch {
		body = undefined;
	}
	if (status < 200 || status >= 300) {
		const accepted = spec.acceptRefusal?.(status, text);
		const said = readAthenaBody(text);
		return { name: spec.name, status, records: 0, read: [], missing: [], added: [], ok: accepted !== undefined, note: accepted ?? `HTTP ${status}: ${said.error ?? text.slice(0, 200)}`, body: text };
	}
	const records = spec.records(body);
	const shape = compareShape(records, spec.keys, spec.alternatives);
	const problem = body === undefined ? 'the answer is not JSON' : spec.check(body, records);
	return { name: spec.name, status, records: records.length, ...shape, ok: problem === undefined, note: problem, body: text };
}

// ------------------------------------------------------------------ running it

async function call(target: SmokeTarget, method: 'GET' | 'POST', path: string, init: { token?: string; query?: Record<string, string>; form?: Record<string, string>; timeoutMs: number }): Promise<{ status: number; text: string }> {
	const url = new URL(path.startsWith('/oauth2/') ? `${target.baseUrl}${path}` : `${target.baseUrl}/v1/${target.practiceId}${path}`);
	for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
	const headers: Record<string, string> = init.token
		? { authorization: `Bearer ${init.token}` }
		: { authorization: `Basic ${Buffer.from(`${target.clientId}:${target.clientSecret}`).toString('base64')}` };
	if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
	const response = await fetch(url, { method, headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined, signal: AbortSignal.timeout(init.timeoutMs) });
	return { status: response.status, text: await response.text() };
}

export interface SmokeResult {
	target: string;
	reports: ReadReport[];
	ok: boolean;
	/** With `write`: what the payment history said of the $0.01 payment. */
	writeBack?: { found: boolean; fields?: Record<string, string>; note: string };
}

export async function runSmoke(target: SmokeTarget, options: SmokeOptions = {}): Promise<SmokeResult> {
	const timeoutMs = options.timeoutMs ?? 30_000;
	const today = options.today ?? eastern(new Date());
	const reports: ReadReport[] = [];

	const tokenAnswer = await call(target, 'POST', '/oauth2/v1/token', { form: { grant_type: 'client_credentials', scope: 'athena/service/Athenanet.MDP.*' }, timeoutMs });
	// The token itself never goes into the report or a fixture.
	const tokenReport = judge(tokenSpec, tokenAnswer.status, tokenAnswer.text);
	const token = tokenReport.ok ? String((JSON.parse(tokenAnswer.text) as { access_token: string }).access_token) : undefined;
	reports.push({ ...tokenReport, method: 'POST', path: tokenSpec.path, body: tokenAnswer.text.replace(/"access_token"\s*:\s*"[^"]*"/, '"access_token":"<redacted>"') });
	if (!token) return { target: target.label, reports, ok: false };

	const earlier = new Map<string, unknown>();
	for (const spec of readSpecs(target, today)) {
		const query = typeof spec.query === 'function' ? spec.query(earlier) : spec.query;
		const answer = await call(target, 'GET', spec.path, { token, query, timeoutMs });
		const report = judge(spec, answer.status, answer.text);
		reports.push({ ...report, method: 'GET', path: spec.path });
		try {
			earlier.set(spec.name, JSON.parse(answer.text));
		} catch {
			// Not JSON: nothing to build on.
		}
	}

	let writeBack: SmokeResult['writeBack'];
	if (options.write) {
		const form = { departmentid: target.departmentId, paymentmethod: 'CASH', otheramount: '0.01' };
		const posted = await call(target, 'POST', `/patients/${target.patientId}/recordpayment`, { token, form, timeoutMs });
		let parsed: unknown;
		try {
			parsed = JSON.parse(posted.text);
		} catch {
			parsed = undefined;
		}
		const reading = posted.status >= 200 && posted.status < 300 ? readWriteAnswer(parsed, 'posting') : undefined;
		const result = reading?.kind === 'done' ? writeResultSchema.parse(Array.isArray(parsed) ? parsed[0] : parsed) : undefined;
		reports.push({
			name: 'patients-id-recordpayment',
			method: 'POST',
			path: `/patients/${target.patientId}/recordpayment`,
			status: posted.status,
			records: result ? 1 : 0,
			...compareShape(parsed && typeof parsed === 'object' ? (Array.isArray(parsed) ? parsed : [parsed]) : [], ['success', 'paymentbatchid']),
			ok: reading?.kind === 'done',
			note: reading?.kind === 'done' ? `recorded $0.01 CASH, payment batch ${result?.paymentBatchId ?? '?'}` : `not recorded: ${reading ? JSON.stringify(reading) : `HTTP ${posted.status}: ${readAthenaBody(posted.text).error ?? posted.text.slice(0, 200)}`}`,
			body: posted.text,
		});
		if (reading?.kind === 'done') {
			const history = await call(target, 'GET', '/patients/paymenthistory', { token, query: { patientidlist: target.patientId, startdate: shiftDays(today, -1), enddate: shiftDays(today, 1) }, timeoutMs });
			let historyBody: unknown;
			try {
				historyBody = JSON.parse(history.text);
			} catch {
				historyBody = undefined;
			}
			const read = readPaymentHistory(historyBody);
			const cent = read.payments.find((payment) => payment.cents === 1 && (!payment.paymentMethod || /^cash$/i.test(payment.paymentMethod)));
			writeBack = cent
				? { found: true, fields: cent.fields as Record<string, string>, note: `the payment history lists the $0.01 payment; the node read it from the fields ${JSON.stringify(cent.fields)}` }
				: {
						found: false,
						note: read.unreadable
							? `the payment history could not be read: ${read.unreadable}`
							: `the payment history (HTTP ${history.status}, ${read.payments.length} payments read) does not show the $0.01 payment the node can recognise: keep the body as a fixture and read it`,
					};
			reports.push({
				name: 'patients-paymenthistory-after-write',
				method: 'GET',
				path: '/patients/paymenthistory',
				status: history.status,
				records: read.payments.length,
				...compareShape(paymentHistoryEntries(historyBody), historyKeys, historyAlternatives),
				ok: writeBack.found,
				note: writeBack.note,
				body: history.text,
			});
		}
	}
	return { target: target.label, reports, ok: reports.every((report) => report.ok), writeBack };
}

/** The report, one block per read. */
export function formatReport(result: SmokeResult): string {
	const list = (values: string[]) => (values.length ? values.join(', ') : '-');
	const lines = [`smoke:athena against ${result.target}`];
	for (const report of result.reports) {
		lines.push(`${report.ok ? 'ok  ' : 'FAIL'} ${report.name}: ${report.method} ${report.path} → ${report.status}, ${report.records} record${report.records === 1 ? '' : 's'}${report.note ? ` (${report.note})` : ''}`);
		lines.push(`       read:    ${list(report.read)}`);
		lines.push(`       missing: ${list(report.missing)}`);
		lines.push(`       new:     ${list(report.added)}`);
	}
	const failed = result.reports.filter((report) => !report.ok).length;
	lines.push(`smoke:athena: ${result.reports.length} calls, ${failed} not read as the node reads them${result.writeBack ? `; write-back: ${result.writeBack.found ? 'found' : 'NOT found'}` : ''}`);
	return lines.join('\n');
}
