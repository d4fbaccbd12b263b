import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { paymentFieldRules } from '../../shared/fieldRules';
import { parseMoney } from '../../shared/money';
import { describeIssues } from '../../shared/validate';
import type { AthenaClient } from '../../transport/athenaClient';
import type { BatchOperation } from '../types';
import { ATHENA_CHECK, findInAthena, unknownPaymentOf } from './posting';

/**
 * Payment → Check Unknown: for the rows a Record or Collect run put out as `unknown` (or skipped as unknown), what
 * athena's own records show, sending nothing. The posting node settles them itself on its next run (its memory is its
 * own); this answers now, for a person, from the row's own fields (an earlier run's output feeds it as it is).
 */
const fromItem = (
	displayName: string,
	name: string,
	field: string,
	description: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: `={{ $json.${field} ?? "" }}`,
	description,
	...extra,
});

const properties: INodeProperties[] = [
	{
		displayName: 'Payments Made With',
		name: 'checkOperation',
		type: 'options',
		noDataExpression: true,
		default: 'record',
		options: [
			{
				name: 'Record Payment',
				value: 'record',
				description: "Looked up in the patients' payment history",
			},
			{
				name: 'Collect Payment',
				value: 'collect',
				description: "Looked up in the patient's card receipts",
			},
		],
		description:
			'Which operation sent the payments. Feed it the rows that operation put out with status unknown.',
	},
	fromItem('Patient ID', 'checkPatientId', 'patientId', 'The patient the payment was for'),
	fromItem(
		'Department ID',
		'checkDepartmentId',
		'departmentId',
		'The department the payment was posted in',
	),
	fromItem(
		'Total Amount',
		'checkTotalAmount',
		'totalAmount',
		'The total of the payment, e.g. 25.00',
	),
	fromItem(
		'Sent At',
		'checkSentAt',
		'sentAt',
		"When the payment was sent (the row's sentAt, an ISO time): athena's records are read from then on",
	),
	fromItem(
		'Card Last Four',
		'checkCardLast4',
		'cardLast4',
		'The last four digits of the card (Collect; Record with a card method)',
	),
	fromItem(
		'Payment Method',
		'checkPaymentMethod',
		'paymentMethod',
		'CASH, CHECK or a card method code',
		{ displayOptions: { show: { checkOperation: ['record'] } } },
	),
	fromItem('Check Number', 'checkCheckNumber', 'checkNumber', 'The check number (CHECK)', {
		displayOptions: { show: { checkOperation: ['record'] } },
	}),
	fromItem(
		'Post Date',
		'checkPostDate',
		'postDate',
		'The post date sent with the payment, if any',
		{ displayOptions: { show: { checkOperation: ['record'] } } },
	),
];

const text = (value: unknown) =>
	typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';

function readItem(context: IExecuteFunctions, itemIndex: number, operation: 'record' | 'collect') {
	const value = (name: string) => text(context.getNodeParameter(name, itemIndex, ''));
	const problems: string[] = [];
	const patientId = value('checkPatientId');
	const departmentId = value('checkDepartmentId');
	if (!/^\d+$/.test(patientId)) problems.push('Patient ID must be a number');
	if (!/^\d+$/.test(departmentId)) problems.push('Department ID must be a number');
	const amount = parseMoney(value('checkTotalAmount'));
	if (!amount.ok || amount.cents <= 0)
		problems.push('Total Amount must be an amount above 0, e.g. 25.00');
	const sentText = value('checkSentAt');
	const sentAt = Date.parse(sentText);
	if (!Number.isFinite(sentAt))
		problems.push("Sent At must be a time, e.g. the row's sentAt (2026-12-01T15:04:05.000Z)");
	const cardLast4 = value('checkCardLast4');
	if (operation === 'collect' && !/^\d{4}$/.test(cardLast4))
		problems.push('Card Last Four must be four digits');
	const postDate =
		operation === 'record'
			? paymentFieldRules.postDate.schema.safeParse(
					context.getNodeParameter('checkPostDate', itemIndex, ''),
				)
			: undefined;
	if (postDate && !postDate.success) problems.push(describeIssues(postDate.error));
	if (problems.length) return { problems };
	return {
		payment: unknownPaymentOf(
			operation,
			{
				patientId,
				departmentId,
				cardLast4,
				paymentMethod: operation === 'record' ? value('checkPaymentMethod') : '',
				checkNumber: operation === 'record' ? value('checkCheckNumber') : '',
				postDate: postDate?.data?.date ?? '',
			},
			amount.ok ? amount.cents : 0,
			sentAt,
		),
	};
}

export const checkUnknown: BatchOperation = {
	kind: 'batch',
	description: updateDisplayOptions(
		{ show: { resource: ['payment'], operation: ['checkUnknown'] } },
		properties,
	),
	async execute(
		context: IExecuteFunctions,
		items: INodeExecutionData[],
		client: AthenaClient,
	): Promise<INodeExecutionData[]> {
		const operation = context.getNodeParameter('checkOperation', 0, 'record') as
			| 'record'
			| 'collect';
		const read = items.map((_, itemIndex) => readItem(context, itemIndex, operation));
		const firstBad = read.findIndex((entry) => entry.problems);
		if (firstBad >= 0 && !context.continueOnFail()) {
			throw new NodeOperationError(
				context.getNode(),
				`Invalid input in item ${firstBad}: ${read[firstBad].problems!.join('; ')}`,
				{
					itemIndex: firstBad,
					description:
						'Map the fields from the rows a Record or Collect run put out (patientId, departmentId, totalAmount, sentAt, …). Nothing was looked up.',
				},
			);
		}
		const payments = read.flatMap((entry, itemIndex) =>
			entry.payment ? [{ itemIndex, payment: entry.payment }] : [],
		);
		const findings = await findInAthena(
			client,
			payments.map(({ payment }) => payment),
			{ concurrency: 3 },
		);
		const byItem = new Map(payments.map(({ itemIndex }, index) => [itemIndex, findings[index]]));
		return items.map((_item, itemIndex): INodeExecutionData => {
			const problems = read[itemIndex].problems;
			if (problems)
				return {
					json: { error: `Invalid input in item ${itemIndex}: ${problems.join('; ')}` },
					pairedItem: { item: itemIndex },
				};
			const described: IDataObject = {
				operation,
				patientId: read[itemIndex].payment!.patientId,
				sentNothing: true,
			};
			return {
				json: { ...described, ...whatAthenaShows(byItem.get(itemIndex)!) },
				pairedItem: { item: itemIndex },
			};
		});
	},
};

/** One item's finding as Check Unknown puts it out: found with its IDs, not found, or why the look-up failed. */
function whatAthenaShows(finding: Awaited<ReturnType<typeof findInAthena>>[number]): IDataObject {
	if (finding.kind === 'found') {
		return {
			athenaCheck: ATHENA_CHECK.found,
			found: true,
			...(finding.ePaymentId ? { ePaymentId: finding.ePaymentId } : {}),
			...(finding.paymentBatchId ? { paymentBatchId: finding.paymentBatchId } : {}),
			athenaMatched: finding.matched,
			...(finding.athenaDate ? { athenaDate: finding.athenaDate } : {}),
			...(finding.note ? { athenaNote: finding.note } : {}),
		};
	}
	if (finding.kind === 'notFound') {
		return {
			athenaCheck: ATHENA_CHECK.notFound,
			found: false,
			looked: finding.looked,
			advice:
				'A look-up that finds nothing is no proof: if the account in athenaOne agrees, post it with Post Again on that row.',
		};
	}
	return { athenaCheck: ATHENA_CHECK[finding.why], found: null, reason: finding.reason };
}
