import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import { formatMoney } from '../../../shared/money';
import { runWithLimit } from '../../../shared/pool';
import { invalidInputError, validate } from '../../../shared/validate';
import type { AthenaClient } from '../../../transport/athenaClient';
import { AthenaApiError } from '../../../transport/errors';
import type { PaymentMethod } from '../../../transport/paymentMethods';
import { fetchPaymentMethods } from '../../../transport/paymentMethods';
import { duplicateCheckKey } from './duplicateKey';
import type { PostingSettings } from './postingFields';
import { PostingMemory } from './postingMemory';
import type { PostingStatus } from './statuses';
import { FAILURE_STATUSES } from './statuses';
import { createReferenceChecker } from './references';

export interface PostedIds {
	paymentBatchId?: string;
	ePaymentId?: string;
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
	/** What identifies the payment for the duplicate check. `today` is the workflow's date, mm/dd/yyyy. */
	keyParts(input: TInput, today: string): unknown[];
	/** What was (or would be) posted: safe to output, never more than the last four card digits. */
	describe(input: TInput): IDataObject;
	totalCents(input: TInput): number;
	methodLabel(input: TInput): string;
	send(client: AthenaClient, input: TInput, itemIndex: number): Promise<PostedIds>;
}

interface Row<TInput> {
	itemIndex: number;
	input?: TInput;
	key?: string;
	status?: PostingStatus;
	json: IDataObject;
	error?: NodeApiError | NodeOperationError;
}

function todayIn(timezone: string): string {
	return new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function readPostingSettings(context: IExecuteFunctions): PostingSettings {
	const options = context.getNodeParameter('postingOptions', 0, {}) as IDataObject;
	return {
		validateOnly: context.getNodeParameter('validateOnly', 0, false) as boolean,
		duplicateCheck: context.getNodeParameter('duplicateCheck', 0, 'paymentDetails') as PostingSettings['duplicateCheck'],
		addSummary: (options.addSummary as boolean) ?? false,
		concurrency: Math.max(1, Math.floor(Number(options.concurrency ?? 3))),
		allowIdenticalRows: (options.allowIdenticalRows as boolean) ?? false,
		requestsPerSecond: Number(options.requestsPerSecond ?? 5),
		timeoutSeconds: Number(options.timeoutSeconds ?? 60),
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
	const today = todayIn(context.getTimezone());
	const rows: Array<Row<TInput>> = items.map((_, itemIndex) => ({ itemIndex, json: { item: itemIndex } }));

	const markInvalid = (row: Row<TInput>, message: string) => {
		row.status = 'invalid';
		row.error = invalidInputError(node, row.itemIndex, message);
		row.json = { ...row.json, status: 'invalid', error: row.error.message, description: row.error.description };
	};

	// 1. Every item is checked before anything is posted.
	for (const row of rows) {
		let raw: IDataObject;
		try {
			raw = spec.readInput(context, row.itemIndex);
		} catch (error) {
			markInvalid(row, (error as Error).message);
			continue;
		}
		const checked = validate(spec.schema, raw);
		if (checked.ok) row.input = checked.value;
		else markInvalid(row, checked.message);
	}

	let methods: PaymentMethod[] | undefined;
	if (spec.paymentMethodOf && rows.some((row) => row.input)) {
		methods = await fetchPaymentMethods(client);
		const codes = methods.map((method) => method.code);
		for (const row of rows) {
			const method = row.input && spec.paymentMethodOf(row.input);
			if (method && !codes.includes(method)) {
				markInvalid(row, `Payment Method ${method} is not one of this practice's methods (${codes.join(', ')}). Use one of those codes.`);
				row.input = undefined;
			}
		}
	}

	// 2. Duplicate-check keys, and copies of the same payment within this run.
	const memory = settings.duplicateCheck === 'off' || settings.validateOnly ? undefined : new PostingMemory(context);
	if (settings.duplicateCheck !== 'off') {
		const seen = new Map<string, number[]>();
		for (const row of rows) {
			if (!row.input) continue;
			let base: string;
			if (settings.duplicateCheck === 'rowReference') {
				const reference = String(context.getNodeParameter('rowReference', row.itemIndex, '') ?? '').trim();
				if (!reference) {
					markInvalid(row, 'Row Reference is empty. Give each row a unique reference (e.g. a receipt number column), or set Duplicate Check to By Payment Details.');
					row.input = undefined;
					continue;
				}
				base = duplicateCheckKey([spec.operation, client.practiceId, 'reference', reference]);
			} else {
				base = duplicateCheckKey([spec.operation, client.practiceId, ...spec.keyParts(row.input, today)]);
			}
			const earlier = seen.get(base) ?? [];
			seen.set(base, [...earlier, row.itemIndex]);
			if (earlier.length && !settings.allowIdenticalRows) {
				row.status = 'skipped';
				row.key = base;
				row.json = {
					...row.json,
					status: 'skipped',
					reason: `Same payment as item ${earlier[0]} of this run, so it was not posted twice. If both are real payments, turn on "Identical Rows Are Separate Payments" or give them different Row References.`,
					duplicateCheckKey: base,
					...spec.describe(row.input),
				};
				continue;
			}
			// The n-th identical row keeps the same n-th key in every run, so a re-run still recognises it.
			row.key = earlier.length ? `${base}#${earlier.length + 1}` : base;
		}
	}

	const firstInvalid = rows.find((row) => row.status === 'invalid');
	if (firstInvalid && !continueOnFail) throw firstInvalid.error;

	// 3. Dry run: check references against athena, post nothing.
	if (settings.validateOnly) {
		const checkReferences = createReferenceChecker(client);
		await runWithLimit(rows.length, settings.concurrency, async (index) => {
			const row = rows[index];
			if (!row.input || row.status) return;
			const problem = await checkReferences(row.input, row.itemIndex);
			if (problem) {
				markInvalid(row, problem);
				return;
			}
			row.status = 'valid';
			row.json = { ...row.json, status: 'valid', duplicateCheckKey: row.key, ...spec.describe(row.input) };
		});
		return finish(rows, spec, settings, continueOnFail, errorOutput);
	}

	// 4. Post, a few at a time, never sending a payment whose key is held.
	const stop = () => !continueOnFail && rows.some((row) => row.status && FAILURE_STATUSES.includes(row.status));
	await runWithLimit(
		rows.length,
		settings.concurrency,
		async (index) => {
			const row = rows[index];
			if (!row.input || row.status) return;
			await postOne(context, client, spec, row as Row<TInput> & { input: TInput }, memory);
		},
		stop,
	);
	return finish(rows, spec, settings, continueOnFail, errorOutput);
}

async function postOne<TInput extends PaymentCommon>(
	context: IExecuteFunctions,
	client: AthenaClient,
	spec: PostingSpec<TInput>,
	row: Row<TInput> & { input: TInput },
	memory: PostingMemory | undefined,
): Promise<void> {
	const node = context.getNode();
	const described = spec.describe(row.input);
	const key = row.key;
	if (memory && key) {
		try {
			if (context.getNodeParameter('postAgain', row.itemIndex, false)) await memory.release(key);
			if (!(await memory.claim(key))) {
				const previous = memory.previous(key);
				row.status = 'skipped';
				row.json = {
					...row.json,
					status: 'skipped',
					reason:
						previous?.status === 'unknown'
							? `An earlier run sent this payment and got no answer${previous.at ? ` (${previous.at})` : ''}: athena may have posted it. Check athenaOne; to post it anyway, turn on Post Again for this row.`
							: `Already posted${previous?.at ? ` on ${previous.at}` : ' by an earlier run'}${previous?.paymentBatchId ? ` in payment batch ${previous.paymentBatchId}` : ''}${previous?.ePaymentId ? ` as e-payment ${previous.ePaymentId}` : ''}. To post it again on purpose, turn on Post Again for this row.`,
					previous: previous ?? null,
					duplicateCheckKey: key,
					...described,
				};
				return;
			}
		} catch (error) {
			row.status = 'failed';
			row.error = new NodeOperationError(node, `n8n's duplicate check is not available: ${(error as Error).message}`, {
				itemIndex: row.itemIndex,
				description:
					'Nothing was posted. The duplicate check uses n8n\'s processed-data store, which needs a saved workflow. Save the workflow, or set Duplicate Check to Off if it can never run twice.',
			});
			row.json = { ...row.json, status: 'failed', error: row.error.message, description: row.error.description, ...described };
			return;
		}
	}
	try {
		const ids = await spec.send(client, row.input, row.itemIndex);
		const at = new Date().toISOString();
		if (memory && key) memory.remember(key, { status: 'posted', at, executionId: context.getExecutionId(), ...dropEmpty(ids) });
		row.status = 'posted';
		row.json = { ...row.json, status: 'posted', ...described, ...dropEmpty(ids), postedAt: at, duplicateCheckKey: key };
	} catch (error) {
		const apiError =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(node, (error as Error).message, { itemIndex: row.itemIndex });
		const outcomeUnknown = error instanceof AthenaApiError && error.outcome === 'unknown';
		row.status = outcomeUnknown ? 'unknown' : 'failed';
		row.error = apiError;
		row.json = { ...row.json, status: row.status, error: apiError.message, description: apiError.description, ...described, duplicateCheckKey: key };
		if (memory && key) {
			// An unknown outcome keeps its key: the row must not post again until someone checks athenaOne.
			if (outcomeUnknown) memory.remember(key, { status: 'unknown', at: new Date().toISOString(), executionId: context.getExecutionId() });
			else await memory.release(key);
		}
	}
}

function dropEmpty(ids: PostedIds): IDataObject {
	return Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined && value !== ''));
}

function finish<TInput extends PaymentCommon>(
	rows: Array<Row<TInput>>,
	spec: PostingSpec<TInput>,
	settings: PostingSettings,
	continueOnFail: boolean,
	errorOutput: boolean,
): INodeExecutionData[] {
	const firstFailure = rows.find((row) => row.status && FAILURE_STATUSES.includes(row.status));
	if (firstFailure?.error && !continueOnFail) throw firstFailure.error;
	const output: INodeExecutionData[] = rows.map((row) => {
		const failed = row.status !== undefined && FAILURE_STATUSES.includes(row.status);
		// n8n sends an item to the error output only when its json holds nothing but error/message/details, so there
		// the status travels in `details`; on the regular output the row stays flat for the results sheet.
		const json = failed && errorOutput ? { error: row.json.error, details: row.json } : row.json;
		return { json, pairedItem: { item: row.itemIndex } };
	});
	if (settings.addSummary) {
		output.push({
			json: summarise(rows, spec),
			pairedItem: rows.map((row): IPairedItemData => ({ item: row.itemIndex })),
		});
	}
	return output;
}

function summarise<TInput extends PaymentCommon>(rows: Array<Row<TInput>>, spec: PostingSpec<TInput>): IDataObject {
	const counts: Record<string, number> = { posted: 0, skipped: 0, invalid: 0, failed: 0, unknown: 0, valid: 0 };
	const byMethod: Record<string, number> = {};
	const byDepartment: Record<string, number> = {};
	for (const row of rows) {
		if (row.status) counts[row.status]++;
		if ((row.status === 'posted' || row.status === 'valid') && row.input) {
			const cents = spec.totalCents(row.input);
			const method = spec.methodLabel(row.input);
			byMethod[method] = (byMethod[method] ?? 0) + cents;
			byDepartment[row.input.departmentId] = (byDepartment[row.input.departmentId] ?? 0) + cents;
		}
	}
	const asMoney = (totals: Record<string, number>) => Object.fromEntries(Object.entries(totals).map(([name, cents]) => [name, formatMoney(cents)]));
	return {
		summary: true,
		operation: spec.operation,
		rows: rows.length,
		...counts,
		totalPosted: formatMoney(Object.values(byMethod).reduce((sum, cents) => sum + cents, 0)),
		totalsByPaymentMethod: asMoney(byMethod),
		totalsByDepartment: asMoney(byDepartment),
	};
}
