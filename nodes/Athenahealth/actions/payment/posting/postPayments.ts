import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import { easternDay } from '../../../shared/easternTime';
import { runWithLimit } from '../../../shared/pool';
import type { SentCardData } from '../../../shared/redact';
import { invalidInputError, validate } from '../../../shared/validate';
import type { AthenaClient } from '../../../transport/athenaClient';
import type { PaymentMethod } from '../../../transport/paymentMethods';
import { fetchPaymentMethods } from '../../../transport/paymentMethods';
import { athenaDateOfDay, dayOfAthenaDate } from './easternDay';
import { ClaimLog, beyondReachError } from './memoryReach';
import type { RowKeys } from './rowKeys';
import { identityKey, rowKeys } from './rowKeys';
import { errorOutputJson } from './errorOutput';
import { blockedInMemory, skipReason } from './postAgain';
import type { PostingSettings } from './postingFields';
import { DEFAULT_DUPLICATE_WINDOW_DAYS } from './postingFields';
import { PostingMemory } from './postingMemory';
import type { PostingStatus } from './statuses';
import { FAILURE_STATUSES } from './statuses';
import { planClaims, postRow, settleClaims } from './postRow';
import { createReferenceChecker } from './references';
import { addHint, processOnlyHint, statusHint } from './hints';
import { postingParameterPath, ROW_NUMBER_PATH } from './parameterPaths';
import { rowNamer } from './rowNames';
import { identityAsRead, readableRow, readIdentity } from './rowOutput';
import { paymentBatchItems } from './batchReport';
import { nameEarlierPostings, settleUnknownRows } from './settleUnknown';
import { summarise } from './summary';

export interface PostedIds {
	paymentBatchId?: string;
	ePaymentId?: string;
	/** Said on the row when athena's success answer lacked something (an ID). */
	note?: string;
}

/** A payment input that passed its schema; what Record and Collect have in common. */
export interface PaymentCommon {
	patientId: string;
	departmentId: string;
	appointmentId?: string;
}

/** What a posting operation tells the shared engine. */
export interface PostingSpec<TInput extends PaymentCommon> {
	operation: 'record' | 'collect';
	schema: z.ZodType<TInput, z.ZodTypeDef, unknown>;
	readInput(context: IExecuteFunctions, itemIndex: number): IDataObject;
	/** The practice's method list, when an item's method must be one of them. */
	paymentMethodOf?(input: TInput): string | undefined;
	/** What identifies the payment for the duplicate check (the current key version: see duplicateKey.ts). */
	keyParts(input: TInput): unknown[];
	/**
	 * What identified the same payment under an earlier reading of the row, when that differs (a timestamp Post Date,
	 * see shared/dates.ts `before`): claimed with the row's key, so a payment posted then still blocks it.
	 */
	earlierKeyParts?(input: TInput): unknown[] | undefined;
	/** What key version 1 hashed, when it differs: `date` is a day of the workflow's calendar, mm/dd/yyyy. */
	legacyKeyParts?(input: TInput, date: string): unknown[];
	/**
	 * A payment made today (Collect): its keys carry the US Eastern day, and a claim covers the Duplicate Window's
	 * days (rowKeys.ts). Without it, the keys carry no day: the post date (Record) is one of the key's parts.
	 */
	duplicateWindow?: boolean;
	/** The row's post date, mm/dd/yyyy, when it has one (empty = today). */
	postDateOf?(input: TInput): string | undefined;
	/** What was (or would be) posted: safe to output, never more than the last four card digits. */
	describe(input: TInput): IDataObject;
	totalCents(input: TInput): number;
	methodLabel(input: TInput): string;
	send(client: AthenaClient, input: TInput, itemIndex: number): Promise<PostedIds>;
	/** The card data an item sends (Collect): found and redacted in any spelling in everything that comes out. */
	sentCardData?(context: IExecuteFunctions, itemIndex: number): SentCardData;
}

export interface Row<TInput> {
	itemIndex: number;
	/** The row as messages name it ("row 7"): see rowNames.ts. */
	name: string;
	/** The same row as its `row` field shows it (7). */
	label: number | string;
	/** Whose payment the row is, as read before any check: shown on a row refused before it could be described. */
	read?: IDataObject;
	input?: TInput;
	key?: string;
	/** Every key of the row's duplicate check; `key` is `keys.key`. */
	keys?: RowKeys;
	/** Post Again, read and checked with the row's input. */
	postAgain?: boolean;
	status?: PostingStatus;
	json: IDataObject;
	error?: NodeApiError | NodeOperationError;
}

/** The workflow's date of `ms`, mm/dd/yyyy: what version-1 Collect keys held. */
function dateIn(timezone: string, ms: number): string {
	return new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function readPostingSettings(context: IExecuteFunctions): PostingSettings {
	const options = context.getNodeParameter('postingOptions', 0, {}) as IDataObject;
	return {
		validateOnly: context.getNodeParameter(postingParameterPath(context, 'validateOnly'), 0, false) as boolean,
		duplicateCheck: context.getNodeParameter(postingParameterPath(context, 'duplicateCheck'), 0, 'paymentDetails') as PostingSettings['duplicateCheck'],
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
 * The shared engine of Record and Collect: every item comes out once, paired, with a status; nothing already posted
 * is posted again; a payment whose outcome is unknown is never resent.
 */
export async function postPayments<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
): Promise<INodeExecutionData[]> {
	const node = context.getNode();
	const continueOnFail = context.continueOnFail();
	const errorOutput = node.onError === 'continueErrorOutput';
	const now = Date.now();
	const today = easternDay(now);
	const nameOf = rowNamer(context, ROW_NUMBER_PATH);
	const rows: Array<Row<TInput>> = items.map((_, itemIndex) => {
		const { name, row } = nameOf(itemIndex);
		return { itemIndex, name, label: row, json: { item: itemIndex } };
	});

	const markInvalid = (row: Row<TInput>, message: string) => {
		row.status = 'invalid';
		row.error = invalidInputError(node, row.itemIndex, message, row.name);
		row.json = { ...row.json, status: 'invalid', error: row.error.message, description: row.error.description };
	};

	// A check the node could not make (athena's list or record unavailable): the row is not sent.
	const nodeErrorOf = (error: unknown) =>
		error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(node, (error as Error).message);
	const markFailed = (row: Row<TInput>, error: unknown, why: string) => {
		const cause = nodeErrorOf(error);
		row.status = 'failed';
		row.error = cause;
		row.json = { ...row.json, status: 'failed', error: cause.message, description: [cause.description, `Nothing was posted: ${why}`].filter(Boolean).join(' ') };
		row.input = undefined;
	};

	// 1. Every item is checked before anything is posted.
	for (const row of rows) {
		let raw: IDataObject;
		try {
			raw = spec.readInput(context, row.itemIndex);
		} catch (error) {
			row.read = identityAsRead(readIdentity(context, row.itemIndex));
			markInvalid(row, (error as Error).message);
			continue;
		}
		row.read = identityAsRead(raw);
		const checked = validate(spec.schema, raw);
		if (checked.ok) row.input = checked.value;
		else markInvalid(row, checked.message);
		if (row.input && settings.duplicateCheck !== 'off') {
			const postAgain = context.getNodeParameter(postingParameterPath(context, 'postAgain'), row.itemIndex, false);
			if (typeof postAgain === 'boolean') row.postAgain = postAgain;
			else {
				markInvalid(row, `Post Again must be true or false; it is ${JSON.stringify(postAgain)}`);
				row.input = undefined;
			}
		}
	}

	let methods: PaymentMethod[] | undefined;
	if (spec.paymentMethodOf && rows.some((row) => row.input)) {
		try {
			methods = await fetchPaymentMethods(client);
		} catch (error) {
			if (!continueOnFail) throw nodeErrorOf(error);
			for (const row of rows) if (row.input) markFailed(row, error, "the node could not check the row's payment method against the practice's list.");
		}
		const codes = (methods ?? []).map((method) => method.code);
		for (const row of rows) {
			const method = row.input && spec.paymentMethodOf(row.input);
			if (methods && method && !codes.includes(method)) {
				markInvalid(row, `Payment Method ${method} is not one of this practice's methods (${codes.join(', ')}). Use one of those codes.`);
				row.input = undefined;
			}
		}
	}

	// 2. Duplicate-check keys, and copies of the same payment within this run.
	const memory = settings.duplicateCheck === 'off' || settings.validateOnly ? undefined : new PostingMemory(context);
	// How far back the memory reaches (memoryReach.ts); a dry run reads it and counts nothing.
	const log = settings.duplicateCheck === 'off' ? undefined : await ClaimLog.open(context, memory && (async () => await memory.storedKeyCount()));
	const days = {
		today,
		windowDays: settings.duplicateWindowDays,
		workflowDates: Array.from({ length: settings.duplicateWindowDays }, (_, index) => dateIn(context.getTimezone(), now - index * DAY_MS)),
	};
	// Keys of the previous key version are read only while the store may still hold some (no log: it may).
	const withLegacy = log?.legacyMayRemain() ?? true;
	if (settings.duplicateCheck !== 'off') {
		const seen = new Map<string, number[]>();
		for (const row of rows) {
			if (!row.input) continue;
			let source: { input: TInput } | { reference: string } = { input: row.input };
			if (settings.duplicateCheck === 'rowReference') {
				const reference = String(context.getNodeParameter(postingParameterPath(context, 'rowReference'), row.itemIndex, '') ?? '').trim();
				if (!reference) {
					markInvalid(row, 'Row Reference is empty. Give each row a unique reference (e.g. a receipt number column), or set Duplicate Check to By Payment Details.');
					row.input = undefined;
					continue;
				}
				source = { reference };
			}
			const base = identityKey(spec, client.practiceId, source);
			const earlier = seen.get(base) ?? [];
			seen.set(base, [...earlier, row.itemIndex]);
			if (earlier.length && !settings.allowIdenticalRows) {
				row.status = 'skipped';
				row.key = base;
				row.json = {
					...row.json,
					status: 'skipped',
					reason: `Same payment as ${rows[earlier[0]].name} of this run, so it was not posted twice. If both are real payments, turn on "Identical Rows Are Separate Payments" or give them different Row References.`,
					duplicateCheckKey: base,
					...spec.describe(row.input),
				};
				continue;
			}
			// The n-th identical row keeps the same n-th key in every run, so a re-run still recognises it.
			row.keys = rowKeys(spec, client.practiceId, source, earlier.length + 1, days, withLegacy);
			row.key = row.keys.key;
		}
	}

	// Rows dated before the oldest day the memory still holds in full: a posting of them may have been forgotten.
	const rememberedFrom = log?.rememberedFrom();
	if (rememberedFrom) {
		for (const row of rows) {
			if (!row.input || row.status || row.postAgain) continue;
			// A card payment (Collect) is today's; a Record row's Post Date, empty for today.
			const postDate = spec.postDateOf?.(row.input);
			const day = postDate ? dayOfAthenaDate(postDate) : today;
			if (day >= rememberedFrom) continue;
			const refusal = beyondReachError(`its Post Date ${athenaDateOfDay(day)}`, rememberedFrom);
			row.status = 'invalid';
			row.error = new NodeOperationError(node, `Invalid input in ${row.name}: ${refusal.message}`, { itemIndex: row.itemIndex, description: refusal.description });
			row.json = { ...row.json, status: 'invalid', error: row.error.message, description: refusal.description, duplicateCheckKey: row.key };
			row.input = undefined;
		}
	}

	const firstInvalid = rows.find((row) => row.status === 'invalid');
	if (firstInvalid && !continueOnFail) throw firstInvalid.error;

	// 3. Dry run: check references against athena, post nothing.
	if (settings.validateOnly) {
		const checkReferences = createReferenceChecker(client);
		// What a real run would skip, read from the remembered postings: nothing is claimed (see postAgain.ts).
		const remembered = settings.duplicateCheck === 'off' ? undefined : new PostingMemory(context);
		await runWithLimit(rows.length, settings.concurrency, async (index) => {
			const row = rows[index];
			if (!row.input || row.status) return;
			const blocked = remembered && row.keys ? blockedInMemory(remembered, row.keys, row.postAgain === true) : undefined;
			if (blocked?.blockedBy && remembered) {
				const previous = remembered.previous(blocked.blockedBy);
				row.status = 'skipped';
				row.json = { ...row.json, status: 'skipped', reason: skipReason(blocked, previous), previous: previous ?? null, duplicateCheckKey: row.key, ...spec.describe(row.input) };
				return;
			}
			let problem: string | undefined;
			try {
				problem = await checkReferences(row.input, row.itemIndex);
			} catch (error) {
				if (!continueOnFail) throw nodeErrorOf(error);
				markFailed(row, error, 'the dry run could not check this row against athena.');
				return;
			}
			if (problem) {
				markInvalid(row, problem);
				return;
			}
			row.status = 'valid';
			row.json = { ...row.json, status: 'valid', duplicateCheckKey: row.key, ...spec.describe(row.input) };
		});
		return finish(context, rows, spec, settings, continueOnFail, errorOutput);
	}

	// 4. Rows held as unknown by an earlier run: looked up in athena's own records before they are skipped.
	if (memory) await settleUnknownRows(context, spec, rows, memory, settings);

	// 5. Post, a few at a time, never sending a payment whose key is held.
	const stop = () => !continueOnFail && rows.some((row) => row.status && FAILURE_STATUSES.includes(row.status));
	planClaims(memory, rows, settings.concurrency, stop);
	await runWithLimit(
		rows.length,
		settings.concurrency,
		async (index) => {
			const row = rows[index];
			if (!row.input || row.status) return;
			try {
				await postRow(context, client, spec, row as Row<TInput> & { input: TInput }, memory, stop, log);
			} catch (error) {
				// The engine never throws past its rows: whatever escaped, the row comes out with its status.
				row.status ??= 'unknown';
				row.error = new NodeOperationError(node, `The outcome of this row is not known: ${(error as Error).message}`, { itemIndex: row.itemIndex });
				row.json = { ...row.json, status: row.status, error: row.error.message };
			}
		},
		stop,
	);
	// Rows no lane reached because the node stopped: not sent, and said so.
	for (const row of rows) {
		if (row.input && !row.status) {
			row.status = 'failed';
			row.error = new NodeOperationError(node, 'Not sent: the node stopped at an earlier failed row', { itemIndex: row.itemIndex });
			row.json = { ...row.json, status: 'failed', error: row.error.message };
		}
	}
	// Rows skipped without the earlier posting's details (a run started in the editor): named from athena's records.
	if (memory) await nameEarlierPostings(context, spec, rows, memory, settings);
	const claims = await settleClaims(memory, rows);
	if (claims.overlapGuard === 'this n8n process only') addHint(context, processOnlyHint);
	return finish(context, rows, spec, settings, continueOnFail, errorOutput, claims);
}

function finish<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	rows: Array<Row<TInput>>,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
	continueOnFail: boolean,
	errorOutput: boolean,
	claims: IDataObject = {},
): INodeExecutionData[] {
	const firstFailure = rows.find((row) => row.status && FAILURE_STATUSES.includes(row.status));
	if (firstFailure?.error && !continueOnFail) throw firstFailure.error;
	const output: INodeExecutionData[] = rows.map((row) => {
		const failed = row.status !== undefined && FAILURE_STATUSES.includes(row.status);
		const readable = readableRow(row.json, row.label, row.read);
		return { json: failed && errorOutput ? errorOutputJson(readable) : readable, pairedItem: { item: row.itemIndex } };
	});
	const batches = settings.batchItems ? paymentBatchItems(rows, spec) : [];
	output.push(...batches);
	if (settings.addSummary) {
		output.push({
			json: { ...summarise(rows, spec), ...claims },
			pairedItem: rows.map((row): IPairedItemData => ({ item: row.itemIndex })),
		});
	}
	addHint(context, statusHint(rows.map((row) => row.status), { batchItems: batches.length, summary: settings.addSummary }));
	return output;
}
