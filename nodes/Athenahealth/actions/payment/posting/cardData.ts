import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { SentCardData } from '../../../shared/redact';
import { redactCardData, redactDeep } from '../../../shared/redact';
import { AthenaApiError } from '../../../transport/errors';
import { isErrorOutputJson } from './errorOutput';

/** The keys of what the posting engine puts out that carry text from an error or from athena. */
const TEXT_KEYS = new Set(['error', 'description', 'message', 'reason']);

function redactTexts(value: unknown, sent: SentCardData[]): unknown {
	if (Array.isArray(value)) return value.map((entry) => redactTexts(entry, sent));
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, entry]) => [
			key,
			TEXT_KEYS.has(key) ? redactDeep(entry, sent) : redactTexts(entry, sent),
		]),
	);
}

function redactText(text: string | undefined | null, sent: SentCardData[]): string | undefined {
	return text
		? sent.reduce((out, one) => redactCardData(out, one), redactCardData(text))
		: undefined;
}

/**
 * A new error made only of the redacted message and description. Editing the old one would leave copies behind:
 * n8n's errors keep the text also in `messages`, `stack`, `cause` and `context`, and n8n saves all of them.
 */
function redactedError(
	error: unknown,
	node: IExecuteFunctions,
	sent: SentCardData[],
): NodeApiError | NodeOperationError {
	if (error instanceof AthenaApiError) {
		return new AthenaApiError(node.getNode(), {
			outcome: error.outcome,
			message: redactText(error.message, sent) ?? 'athena refused the request',
			description: redactText(error.description, sent) ?? '',
			httpCode: error.httpCode ? Number(error.httpCode) : undefined,
			itemIndex: error.context.itemIndex as number | undefined,
		});
	}
	const known = error instanceof NodeApiError || error instanceof NodeOperationError;
	const message =
		redactText(error instanceof Error ? error.message : String(error), sent) ?? 'The node failed';
	return new NodeOperationError(node.getNode(), message, {
		description: known ? redactText(error.description, sent) : undefined,
		itemIndex: known ? (error.context.itemIndex as number | undefined) : undefined,
	});
}

function pairedIndex(item: INodeExecutionData): number | undefined {
	const paired = item.pairedItem;
	return paired && typeof paired === 'object' && !Array.isArray(paired) ? paired.item : undefined;
}

/**
 * Runs a posting (Record, Collect) so that no card number and no security code leaves it, on any output and in any
 * error mode:
 * - on the regular output and in a thrown error, every text that came from athena or from an error is redacted of
 *   anything that looks like a card number, and of the card number and security code this item sent, in any spelling;
 * - on the error output (On Error: Continue (using error output)) n8n puts the input item's json under each failed
 *   item it can pair with its input, and that input is where a form or a sheet holds the card. The other ways out
 *   fail: n8n's error object on the item (`item.error`) makes n8n 2.41 drop the item down to `{error}` (losing the
 *   status and details) while 2.8 still merges the input; refusing the error output would break the workflows that
 *   need it (send the declines to a person). So when the input item holds card data, the failed item leaves
 *   unpaired, which is the one case n8n does not merge, and carries a redacted copy of the input in
 *   `details.input` instead. An input without card data (a Record sheet) is merged by n8n as before.
 */
export async function keepCardDataIn(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	sentOf: ((itemIndex: number) => SentCardData) | undefined,
	run: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const sent = items.map((_, itemIndex) => {
		try {
			return sentOf?.(itemIndex) ?? {};
		} catch {
			return {};
		}
	});
	let output: INodeExecutionData[];
	try {
		output = await run();
	} catch (error) {
		throw redactedError(error, context, sent);
	}
	const errorOutput = context.getNode().onError === 'continueErrorOutput';
	return output.map((item) => {
		const index = pairedIndex(item);
		const mine = index === undefined ? sent : [sent[index] ?? {}];
		const json = redactTexts(item.json, mine) as IDataObject;
		const routedToErrorOutput = errorOutput && index !== undefined && isErrorOutputJson(json);
		if (!routedToErrorOutput) return { ...item, json };
		const input = items[index]?.json ?? {};
		const redactedInput = redactDeep(input, mine);
		if (JSON.stringify(redactedInput) === JSON.stringify(input)) return { ...item, json };
		const unpaired: INodeExecutionData = {
			...item,
			json: { ...json, details: { ...(json.details as IDataObject), input: redactedInput } },
		};
		delete unpaired.pairedItem;
		return unpaired;
	});
}

/**
 * Card Number and Security Code must come in with the data (a form, a webhook, a card reader), never be typed into the
 * node: n8n saves a node's parameters in plain text with the workflow, in its version history and in the copy of the
 * workflow kept with every execution. A value counts as typed when it is not an expression, or when the expression
 * itself holds the digits (`={{ "4111…" }}`, or expression mode around plain text).
 */
export function isTypedIntoNode(
	parameters: INodeParameters,
	name: string,
	value: SentCardData,
): boolean {
	const raw = parameters[name];
	if (raw === undefined || raw === null || raw === '') return false;
	const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
	const isExpression = text.startsWith('=') && text.includes('{{');
	return !isExpression || redactCardData(text, value) !== text;
}

/** Why typed card fields are refused, and what to do instead. */
export function typedCardDataMessage(fields: Array<{ label: string; name: string }>): string {
	const labels = fields.map((field) => field.label).join(' and ');
	const example = fields.map((field) => `{{ $json.${field.name} }}`).join(', ');
	return `${labels} ${fields.length > 1 ? 'are' : 'is'} typed into the node. n8n saves what is typed into a node in plain text with the workflow, its version history and every execution, so card data must never be typed there. Map ${fields.length > 1 ? 'them' : 'it'} from the incoming data (a form, a webhook, a card reader) with an expression instead, e.g. ${example}. Nothing was sent to athena.`;
}
