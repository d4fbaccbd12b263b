import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { limitFields } from '../../descriptions/common';
import { appointmentSchema, patientSchema } from '../../shared/athenaSchemas';
import type { ReadDate } from '../../shared/dates';
import { lookupDateRules } from '../../shared/fieldRules';
import { parseOrThrow } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import type { ItemOperation } from '../types';

/** athena's appointment status codes (fact 21), by what the front desk calls them. */
const STATUS_OPTIONS = [
	{ name: 'Any', value: '' },
	{ name: 'Cancelled', value: 'x' },
	{ name: 'Charge Entered', value: '4' },
	{ name: 'Checked In', value: '2' },
	{ name: 'Checked Out', value: '3' },
	{ name: 'Future', value: 'f' },
];

const properties: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: lookupDateRules.startDate.rule,
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: lookupDateRules.endDate.rule,
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: STATUS_OPTIONS,
		default: '',
		description: 'Only appointments in this status. Cancelled ones are listed only when asked for.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Department Name or ID',
				name: 'departmentId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getDepartmentsOrAny' },
				default: '',
				description:
					'Only this department. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Provider ID',
				name: 'providerId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 71',
				description: 'Only this provider (several: comma-separated)',
			},
		],
	},
	{
		displayName: 'Include Copay',
		name: 'includeCopay',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the expected copay, what was collected for it and the copay still due',
	},
	{
		displayName: 'Include Patient',
		name: 'includePatient',
		type: 'boolean',
		default: false,
		description: "Whether to add the patient's name, date of birth and email",
	},
	...limitFields,
];

const digitsList = z
	.string()
	.trim()
	.refine(
		(value) => value === '' || /^\d+(\s*,\s*\d+)*$/.test(value),
		'Provider ID must be digits (several: comma-separated)',
	)
	.transform((value) => value.replace(/\s+/g, ''));

const inputSchema = z
	.object({
		startDate: lookupDateRules.startDate.schema,
		endDate: lookupDateRules.endDate.schema,
		departmentId: z
			.string()
			.trim()
			.refine((value) => value === '' || /^\d+$/.test(value), 'Department must be an ID of digits'),
		providerId: digitsList,
	})
	.superRefine((input, issues) => {
		// A date the rule refused is already reported (and is no ReadDate here).
		if (input.startDate === undefined)
			issues.addIssue({ code: 'custom', message: 'Start Date is required, e.g. 11/26/2026' });
		if (input.endDate === undefined)
			issues.addIssue({ code: 'custom', message: 'End Date is required, e.g. 11/26/2026' });
		const [start, end] = [input.startDate?.date, input.endDate?.date];
		if (typeof start === 'string' && typeof end === 'string' && sortable(end) < sortable(start)) {
			issues.addIssue({ code: 'custom', message: 'End Date is before Start Date' });
		}
	})
	// Both are there once the checks above passed.
	.transform((input) => ({
		...input,
		startDate: input.startDate as ReadDate,
		endDate: input.endDate as ReadDate,
	}));

function sortable(mmddyyyy: string): string {
	return `${mmddyyyy.slice(6)}${mmddyyyy.slice(0, 2)}${mmddyyyy.slice(3, 5)}`;
}

const PAGE_SIZE = 1000;

/** athena's `next`: a path under /v1/{practiceid} with the query athena wants for the following page (fact 15). */
function nextPage(next: unknown): { path: string; qs: IDataObject } | undefined {
	if (typeof next !== 'string' || !next.trim()) return undefined;
	const url = new URL(next.trim(), 'http://athena.invalid');
	const path = url.pathname.replace(/^\/v1\/[^/]+/, '');
	if (path !== '/appointments/booked') return undefined;
	const qs: IDataObject = {};
	for (const [key, value] of url.searchParams) qs[key] = value;
	return { path, qs };
}

export const getManyAppointments: ItemOperation = {
	kind: 'item',
	lists: 'appointments',
	description: updateDisplayOptions(
		{ show: { resource: ['appointment'], operation: ['getAll'] } },
		properties,
	),
	async execute(this: IExecuteFunctions, itemIndex: number, client: AthenaClient) {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const input = parseOrThrow(this.getNode(), itemIndex, inputSchema, {
			startDate: this.getNodeParameter('startDate', itemIndex, ''),
			endDate: this.getNodeParameter('endDate', itemIndex, ''),
			departmentId: String(filters.departmentId ?? ''),
			providerId: String(filters.providerId ?? ''),
		});
		const status = String(this.getNodeParameter('status', itemIndex, ''));
		const includeCopay = this.getNodeParameter('includeCopay', itemIndex, false) as boolean;
		const includePatient = this.getNodeParameter('includePatient', itemIndex, false) as boolean;
		const limit = this.getNodeParameter('returnAll', itemIndex, false)
			? undefined
			: (this.getNodeParameter('limit', itemIndex, 50) as number);

		// How a date given otherwise than mm/dd/yyyy or yyyy-mm-dd was read, on every appointment it found.
		const datesRead: IDataObject = {
			...(input.startDate.read ? { startDateRead: input.startDate.read } : {}),
			...(input.endDate.read ? { endDateRead: input.endDate.read } : {}),
		};
		const rows: IDataObject[] = [];
		let page: { path: string; qs: IDataObject } | undefined = {
			path: '/appointments/booked',
			qs: {
				startdate: input.startDate.date,
				enddate: input.endDate.date,
				departmentid: input.departmentId,
				providerid: input.providerId,
				appointmentstatus: status,
				showcancelled: status === 'x' ? 'true' : undefined,
				showcopay: includeCopay ? 'true' : undefined,
				showpatientdetail: includePatient ? 'true' : undefined,
				offset: 0,
			},
		};
		while (page && (limit === undefined || rows.length < limit)) {
			const pageSize = Math.min(PAGE_SIZE, limit === undefined ? PAGE_SIZE : limit - rows.length);
			// athena's next link carries the offset only: the page size goes along with it.
			const answer = await client.get(
				page.path,
				{ limit: pageSize, ...page.qs },
				{
					action: `list the appointments from ${input.startDate.date} to ${input.endDate.date}`,
					itemIndex,
				},
			);
			const body = (answer.body ?? {}) as { appointments?: unknown; next?: unknown };
			const found = Array.isArray(body.appointments) ? (body.appointments as IDataObject[]) : [];
			rows.push(...found);
			page = found.length ? nextPage(body.next) : undefined;
		}
		return (limit === undefined ? rows : rows.slice(0, limit)).map((row) => {
			const appointment: IDataObject = {
				...appointmentSchema.parse(row),
				providerId: row.providerid === undefined ? undefined : String(row.providerid),
			};
			if (appointment.providerId === undefined) delete appointment.providerId;
			if (includePatient && row.patient && typeof row.patient === 'object') {
				// Who the patient is; balances are Patient → Get's business.
				const patient: IDataObject = patientSchema.parse(row.patient);
				delete patient.balances;
				appointment.patient = patient;
			}
			return { ...appointment, ...datesRead };
		});
	},
};
