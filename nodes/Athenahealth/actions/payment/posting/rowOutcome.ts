import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { METHOD_FROM_COLUMN } from '../../../descriptions/referenceFields';
import { redactCardData } from '../../../shared/redact';
import { invalidInputError } from '../../../shared/validate';
import type { PostingStatus, Row, RowToSend } from './types';

// What a row says: the one writer of its status, json and error, and how it reads in n8n's table view.

/** A row is sent only while it has no status: every check that refuses it gives it one. */
export function toSend<TInput>(row: Row<TInput>): row is RowToSend<TInput> {
	return row.input !== undefined && row.status === undefined;
}

/** Files the row's outcome: its status, what it says (added to what it said before), and its error, if any. */
export function fileOutcome<TInput>(
	row: Row<TInput>,
	status: PostingStatus,
	says: IDataObject = {},
	error?: NodeApiError | NodeOperationError,
): void {
	row.status = status;
	if (error) row.error = error;
	row.json = { ...row.json, status, ...says };
}

/** Adds to what a row says, its status unchanged. */
export function addToRow<TInput>(row: Row<TInput>, says: IDataObject): void {
	row.json = { ...row.json, ...says };
}

/** Refused before any call: the message names the field and the fix. */
export function refuse<TInput>(row: Row<TInput>, node: INode, message: string): void {
	const error = invalidInputError(node, row.itemIndex, message, row.name);
	fileOutcome(row, 'invalid', { error: error.message, description: error.description }, error);
}

/** An error of the node's own making from whatever was thrown. */
export function nodeErrorOf(node: INode, error: unknown): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(node, (error as Error).message);
}

/** A check the node could not make (athena's list or record unavailable): the row is not sent. */
export function notChecked<TInput>(
	row: Row<TInput>,
	node: INode,
	error: unknown,
	why: string,
): void {
	const cause = nodeErrorOf(node, error);
	fileOutcome(
		row,
		'failed',
		{
			error: cause.message,
			description: [cause.description, `Nothing was posted: ${why}`].filter(Boolean).join(' '),
		},
		cause,
	);
}

/** The node stopped at an earlier failed row before this one was sent. */
export function notSent<TInput>(row: Row<TInput>, node: INode, described: IDataObject = {}): void {
	const error = new NodeOperationError(
		node,
		'Not sent: the node stopped at an earlier failed row',
		{ itemIndex: row.itemIndex },
	);
	fileOutcome(row, 'failed', { error: error.message, ...described }, error);
}

/** Its duplicate-check key stayed held although nothing was posted: what the row says about it. */
export function noteKeyHeld<TInput>(row: Row<TInput>, error: Error, key: string | undefined): void {
	addToRow(row, {
		keyHeld: true,
		keyNote: `Its duplicate-check key could not be given back (${error.message}), so a re-run will skip this row although nothing was posted. After checking athenaOne, post it with Post Again.`,
		duplicateCheckKey: key,
	});
}

/** Whose payment a row is: on every row, also one refused before its fields could be checked. */
const IDENTITY = ['patientId', 'departmentId', 'paymentMethod'] as const;

/** What a row gave for its identity, as read before any check, as text (anything like a card number masked). */
export function identityAsRead(raw: IDataObject): IDataObject {
	const asText = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
			? redactCardData(String(value).trim())
			: '';
	return Object.fromEntries(IDENTITY.map((field) => [field, asText(raw[field])]));
}

/**
 * The identity fields alone, each read on its own, for a row whose fields could not be read together (an expression
 * that fails on it, a field that refuses its value): what can be read is shown, the rest is empty.
 */
export function readIdentity(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const read = (name: string, options?: { extractValue: boolean }) => {
		try {
			return context.getNodeParameter(name, itemIndex, '', options);
		} catch {
			return '';
		}
	};
	const method = read('paymentMethod');
	return {
		patientId: read('patientId', { extractValue: true }),
		departmentId: read('departmentId'),
		paymentMethod: method === METHOD_FROM_COLUMN ? read('paymentMethodColumn') : method,
	};
}

const textOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * A row as a person reads it in n8n's table view, whose columns follow the order keys first appear: the row as the
 * sheet counts it, its status and its message (the error, the reason it was skipped, or a note; empty when there is
 * nothing to say) first, then whose payment it is, the same columns on every row; the rest after; `item`, n8n's
 * index counted from 0, last, kept for workflows that read it. `error` and `reason` stay for workflows that read them.
 */
export function readableRow(
	json: IDataObject,
	row: number | string,
	read: IDataObject | undefined,
): IDataObject {
	const { item, status, ...rest } = json;
	const message =
		textOf(json.error) ?? textOf(json.reason) ?? textOf(json.note) ?? textOf(json.athenaNote) ?? '';
	const identity = Object.fromEntries(
		IDENTITY.map((field) => [field, rest[field] ?? read?.[field] ?? '']),
	);
	return { row, status, message, ...identity, ...rest, item };
}
