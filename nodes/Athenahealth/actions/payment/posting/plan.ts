import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	DAY_MS,
	athenaDateOfDay,
	dayOfAthenaDate,
	easternDay,
	workflowDate,
} from '../../../shared/dates';
import { validate } from '../../../shared/validate';
import type { AthenaClient } from '../../../transport/athenaClient';
import type { PaymentMethod } from '../../../transport/paymentMethods';
import { fetchPaymentMethods } from '../../../transport/paymentMethods';
import type { ClaimLog, KeySource } from './memory';
import { PostingMemory, beyondReachError, identityKey, rowKeys } from './memory';
import { ROW_NUMBER_PATH, postingParameterPath } from './parameterPaths';
import { rowNamer } from './rowNames';
import {
	fileOutcome,
	identityAsRead,
	nodeErrorOf,
	notChecked,
	readIdentity,
	refuse,
	toSend,
} from './rowOutcome';
import type { PaymentCommon, PostingSettings, PostingSpec, Row } from './types';

/** What the engine posts with: every row checked, and the duplicate memory (none with Duplicate Check off). */
interface Plan<TInput> {
	rows: Array<Row<TInput>>;
	memory?: PostingMemory;
}

/**
 * Every row is checked before anything is posted: read and validated, its payment method against the practice's list,
 * its duplicate-check keys (copies of the same payment within this run are skipped), and whether the memory still
 * reaches its date. A refused row gets its status here and is not sent; without Continue On Fail the first one stops
 * the node.
 */
export async function planRows<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
): Promise<Plan<TInput>> {
	const nameOf = rowNamer(context, ROW_NUMBER_PATH);
	const rows: Array<Row<TInput>> = items.map((_, itemIndex) => {
		const { name, row } = nameOf(itemIndex);
		return { itemIndex, name, label: row, json: { item: itemIndex } };
	});
	const now = Date.now();
	for (const row of rows) readRow(context, spec, settings, row);
	await checkMethods(context, client, spec, rows);
	const memory =
		settings.duplicateCheck === 'off'
			? undefined
			: await PostingMemory.open(context, settings.validateOnly ? 'check' : 'post');
	const log = memory?.log;
	if (settings.duplicateCheck !== 'off') keyRows(context, client, spec, settings, rows, log, now);
	const rememberedFrom = log?.rememberedFrom();
	if (rememberedFrom)
		for (const row of rows) refuseBeyondReach(context, spec, row, rememberedFrom, easternDay(now));
	const firstInvalid = rows.find((row) => row.status === 'invalid');
	if (firstInvalid && !context.continueOnFail()) throw firstInvalid.error;
	return { rows, memory };
}

/** Reads and validates a row, and its Post Again. */
function readRow<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
	row: Row<TInput>,
): void {
	const node = context.getNode();
	let raw: IDataObject;
	try {
		raw = spec.input.read(context, row.itemIndex);
	} catch (error) {
		row.read = identityAsRead(readIdentity(context, row.itemIndex));
		refuse(row, node, (error as Error).message);
		return;
	}
	row.read = identityAsRead(raw);
	const checked = validate(spec.input.schema, raw);
	if (!checked.ok) {
		refuse(row, node, checked.message);
		return;
	}
	row.input = checked.value;
	if (settings.duplicateCheck === 'off') return;
	const postAgain = context.getNodeParameter(
		postingParameterPath(context, 'postAgain'),
		row.itemIndex,
		false,
	);
	if (typeof postAgain === 'boolean') row.postAgain = postAgain;
	else refuse(row, node, `Post Again must be true or false; it is ${JSON.stringify(postAgain)}`);
}

/** Each row's payment method must be one of the practice's (Record): its list read once. */
async function checkMethods<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	rows: Array<Row<TInput>>,
): Promise<void> {
	const methodOf = spec.input.paymentMethodOf;
	if (!methodOf || !rows.some(toSend)) return;
	const node = context.getNode();
	let methods: PaymentMethod[] | undefined;
	try {
		methods = await fetchPaymentMethods(client);
	} catch (error) {
		if (!context.continueOnFail()) throw nodeErrorOf(node, error);
		for (const row of rows.filter(toSend))
			notChecked(
				row,
				node,
				error,
				"the node could not check the row's payment method against the practice's list.",
			);
		return;
	}
	const codes = methods.map((method) => method.code);
	for (const row of rows.filter(toSend)) {
		const method = methodOf(row.input);
		if (method && !codes.includes(method))
			refuse(
				row,
				node,
				`Payment Method ${method} is not one of this practice's methods (${codes.join(', ')}). Use one of those codes.`,
			);
	}
}

/** Each row's duplicate-check keys; a copy of an earlier row's payment within this run is skipped. */
function keyRows<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
	rows: Array<Row<TInput>>,
	log: ClaimLog | undefined,
	now: number,
): void {
	const days = {
		today: easternDay(now),
		windowDays: settings.duplicateWindowDays,
		workflowDates: Array.from({ length: settings.duplicateWindowDays }, (_, index) =>
			workflowDate(context.getTimezone(), now - index * DAY_MS),
		),
	};
	// Keys of the previous key version are read only while the store may still hold some (no log: it may).
	const withLegacy = log?.legacyMayRemain() ?? true;
	const seen = new Map<string, number[]>();
	for (const row of rows) {
		if (!toSend(row)) continue;
		let source: KeySource<TInput> = { input: row.input };
		if (settings.duplicateCheck === 'rowReference') {
			const reference = String(
				context.getNodeParameter(
					postingParameterPath(context, 'rowReference'),
					row.itemIndex,
					'',
				) ?? '',
			).trim();
			if (!reference) {
				refuse(
					row,
					context.getNode(),
					'Row Reference is empty. Give each row a unique reference (e.g. a receipt number column), or set Duplicate Check to By Payment Details.',
				);
				continue;
			}
			source = { reference };
		}
		const base = identityKey(spec, client.practiceId, source);
		const earlier = seen.get(base) ?? [];
		seen.set(base, [...earlier, row.itemIndex]);
		if (earlier.length && !settings.allowIdenticalRows) {
			row.key = base;
			fileOutcome(row, 'skipped', {
				reason: `Same payment as ${rows[earlier[0]].name} of this run, so it was not posted twice. If both are real payments, turn on "Identical Rows Are Separate Payments" or give them different Row References.`,
				duplicateCheckKey: base,
				...spec.report.describe(row.input),
			});
			continue;
		}
		// The n-th identical row keeps the same n-th key in every run, so a re-run still recognises it.
		row.keys = rowKeys(spec, client.practiceId, source, earlier.length + 1, days, withLegacy);
		row.key = row.keys.key;
	}
}

/** A row dated before the oldest day the memory still holds in full: a posting of it may have been forgotten. */
function refuseBeyondReach<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	spec: PostingSpec<TInput>,
	row: Row<TInput>,
	rememberedFrom: string,
	today: string,
): void {
	if (!toSend(row) || row.postAgain) return;
	// A card payment (Collect) is today's; a Record row's Post Date, empty for today.
	const postDate = spec.input.postDateOf?.(row.input);
	const day = postDate ? dayOfAthenaDate(postDate) : today;
	if (day >= rememberedFrom) return;
	const refusal = beyondReachError(`its Post Date ${athenaDateOfDay(day)}`, rememberedFrom);
	const error = new NodeOperationError(
		context.getNode(),
		`Invalid input in ${row.name}: ${refusal.message}`,
		{ itemIndex: row.itemIndex, description: refusal.description },
	);
	fileOutcome(
		row,
		'invalid',
		{ error: error.message, description: refusal.description, duplicateCheckKey: row.key },
		error,
	);
}
