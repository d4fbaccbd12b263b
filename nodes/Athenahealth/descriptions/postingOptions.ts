import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { STORE_MAX_ENTRIES } from '../actions/payment/posting/memory';
import { postingParameterPath } from '../actions/payment/posting/parameterPaths';
import type { PostingSettings } from '../actions/payment/posting/types';

/** How far back the duplicate memory reaches, said where version 3 explains the duplicate check (not as a notice). */
const DUPLICATE_MEMORY_REACH = `It remembers this node's newest ${STORE_MAX_ENTRIES.toLocaleString('en-US')} payments (a card payment once per day of its Duplicate Window). A row dated before the oldest day it still remembers in full is refused: check athenaOne, then post it with Post Again.`;

/** Fields every posting operation (Record, Collect) has, below its own. */
export const postingFields: INodeProperties[] = [
	{
		displayName: 'Validate Only (Dry Run)',
		name: 'validateOnly',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			'Whether to check every item without posting: formats, and against athena that the patient, department, payment method and appointment exist and belong together. Items come out with status "valid" and what would be posted.',
	},
	{
		displayName: 'Duplicate Check',
		name: 'duplicateCheck',
		type: 'options',
		noDataExpression: true,
		default: 'paymentDetails',
		options: [
			{
				name: 'By Payment Details',
				value: 'paymentDetails',
				description:
					'Patient, department, method, amounts, claims, appointment, check number or last four, and post date identify a payment',
			},
			{
				name: 'By Row Reference',
				value: 'rowReference',
				description: 'A column of your sheet (a row ID or receipt number) identifies each payment',
			},
			{
				name: 'Off',
				value: 'off',
				description:
					'Post every item, even one posted before. Only for workflows that can never run twice.',
			},
		],
		description:
			'How this node recognises a payment it already posted, in this run or an earlier one. athena has no protection against the same payment posted twice.',
	},
	{
		displayName: 'Row Reference',
		name: 'rowReference',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.receiptNumber }}',
		description: 'A value unique to each payment, usually an expression on a column of the sheet',
		displayOptions: { show: { duplicateCheck: ['rowReference'] } },
	},
	{
		displayName: 'Post Again',
		name: 'postAgain',
		type: 'boolean',
		default: false,
		description:
			'Whether to post this item even though it was posted before (or its outcome was unknown). Use it per row (an expression on a column), after checking athenaOne. It acts once: a run with it still on skips the re-posted row.',
		displayOptions: { hide: { duplicateCheck: ['off'] } },
	},
	{
		displayName: 'Options',
		name: 'postingOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Add One Item per Payment Batch',
				name: 'batchItems',
				type: 'boolean',
				default: false,
				description:
					"Whether to add, after the rows, one item per payment batch athena returned in this run (count, total, totals per method), to match against athenaOne's batch screen",
			},
			{
				displayName: 'Add Summary Item',
				name: 'addSummary',
				type: 'boolean',
				default: false,
				description:
					'Whether to add one last item with the count of each status, the totals posted per payment method and department, and per payment batch athena returned: count, total and totals per method',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 3,
				description:
					"How many payments are in flight at once. Requests per Second × athena's answer time in seconds, plus one, keeps up with the limit (3 for 10 a second at 150 ms, measured within 1.1x of the limit); duplicate checks are made ahead, a chunk of rows at a time.",
			},
			{
				displayName: 'Identical Rows Are Separate Payments',
				name: 'allowIdenticalRows',
				type: 'boolean',
				default: false,
				description:
					'Whether two identical items in one run are two real payments. Off: the second is skipped as a copy of the first.',
			},
			{
				displayName: 'Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0.1 },
				default: 5,
				description:
					"Ceiling on calls to athena for this node. 5 is safe for athena's preview; production allows more.",
			},
			{
				displayName: 'Row Number',
				name: 'rowNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.row }}',
				description:
					'How messages name a row. Empty: row 1 is the first data row. Or map a column of your sheet that numbers the rows.',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description:
					'How long to wait for athena\'s answer. A payment left without an answer comes out "unknown" and is not sent again.',
			},
		],
	},
];

const DEFAULT_DUPLICATE_WINDOW_DAYS = 2;

/** Collect's: a card payment is made today, so its duplicate check covers a number of US Eastern days. */
export const duplicateWindowField: INodeProperties = {
	displayName: 'Duplicate Window (Days)',
	name: 'duplicateWindowDays',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 30 },
	default: DEFAULT_DUPLICATE_WINDOW_DAYS,
	description:
		"How many days (US Eastern, athena's calendar) a card payment is recognised as already charged: 2 = today and yesterday, so a sheet re-run after midnight charges nothing again. From the day after, the same patient, card and amount is a new payment.",
};

/** The posting fields with extra settings in their Options (v1 forms). */
export function postingFieldsWith(extraOptions: INodeProperties[]): INodeProperties[] {
	return postingFields.map((field) => {
		if (field.name !== 'postingOptions') return field;
		const collection = field as INodeProperties & { options: INodeProperties[] };
		return {
			...collection,
			options: [...collection.options, ...extraOptions].sort((a, b) =>
				a.displayName.localeCompare(b.displayName),
			),
		};
	});
}

/** The run's settings, read once from the first item (Options are not per row). */
export function readPostingSettings(context: IExecuteFunctions): PostingSettings {
	const options = context.getNodeParameter('postingOptions', 0, {}) as IDataObject;
	return {
		validateOnly: context.getNodeParameter(
			postingParameterPath(context, 'validateOnly'),
			0,
			false,
		) as boolean,
		duplicateCheck: context.getNodeParameter(
			postingParameterPath(context, 'duplicateCheck'),
			0,
			'paymentDetails',
		) as PostingSettings['duplicateCheck'],
		addSummary: (options.addSummary as boolean) ?? false,
		batchItems: (options.batchItems as boolean) ?? false,
		concurrency: Math.max(1, Math.floor(Number(options.concurrency ?? 3))),
		allowIdenticalRows: (options.allowIdenticalRows as boolean) ?? false,
		requestsPerSecond: Number(options.requestsPerSecond ?? 5),
		timeoutSeconds: Number(options.timeoutSeconds ?? 60),
		duplicateWindowDays: Number(options.duplicateWindowDays ?? DEFAULT_DUPLICATE_WINDOW_DAYS),
	};
}

/**
 * Version 2: everything but the payment itself under one Options collection, so the form starts short. The v1
 * top-level fields keep their names here (postingOptions.validateOnly, …); parameterPaths.ts reads them there.
 * Inside a collection, display rules look at the collection's own values (Row Reference follows Duplicate Check).
 */
export function postingOptionsV2(first: INodeProperties[] = []): INodeProperties {
	const [validateOnly, duplicateCheck, rowReference, postAgain, options] = postingFields;
	// Not required inside the collection: the engine reports an empty Row Reference per row.
	const optionalRowReference: INodeProperties = { ...rowReference, required: false };
	const collection = options as INodeProperties & { options: INodeProperties[] };
	return {
		...collection,
		options: [
			...first,
			validateOnly,
			duplicateCheck,
			optionalRowReference,
			postAgain,
			...collection.options,
		].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** Version 3: as version 2, and Duplicate Check says how far back it remembers (v2 said it in a second notice). */
export function postingOptionsV3(first: INodeProperties[] = []): INodeProperties {
	const collection = postingOptionsV2(first) as INodeProperties & { options: INodeProperties[] };
	return {
		...collection,
		options: collection.options.map((option) =>
			option.name === 'duplicateCheck'
				? {
						...option,
						description: `${(option as INodeProperties).description} ${DUPLICATE_MEMORY_REACH}`,
					}
				: option,
		),
	};
}

/** On Record's and Collect's forms (versions 1 and 2): how far back the duplicate memory reaches, and what happens beyond it. */
export const duplicateMemoryNotice: INodeProperties = {
	displayName: `The duplicate check remembers this node's newest ${STORE_MAX_ENTRIES.toLocaleString('en-US')} keys (a Record row takes one, a Collect row one per day of its Duplicate Window) and forgets older ones. A row whose Post Date is older than the oldest day it still holds in full is refused as "invalid": check athenaOne, then post it with Post Again.`,
	name: 'duplicateMemoryNotice',
	type: 'notice',
	default: '',
};
