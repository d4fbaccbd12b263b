import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { METHOD_FROM_COLUMN } from '../../../descriptions/referenceFields';
import { redactCardData } from '../../../shared/redact';

/** Whose payment a row is: on every row, also one refused before its fields could be checked. */
const IDENTITY = ['patientId', 'departmentId', 'paymentMethod'] as const;

/** What a row gave for its identity, as read before any check, as text (anything like a card number masked). */
export function identityAsRead(raw: IDataObject): IDataObject {
	const asText = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? redactCardData(String(value).trim()) : '';
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
	return { patientId: read('patientId', { extractValue: true }), departmentId: read('departmentId'), paymentMethod: method === METHOD_FROM_COLUMN ? read('paymentMethodColumn') : method };
}

const textOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * A row as a person reads it in n8n's table view, whose columns follow the order keys first appear: the row as the
 * sheet counts it, its status and its message (the error, the reason it was skipped, or a note; empty when there is
 * nothing to say) first, then whose payment it is, the same columns on every row; the rest after; `item`, n8n's
 * index counted from 0, last, kept for workflows that read it. `error` and `reason` stay for workflows that read them.
 */
export function readableRow(json: IDataObject, row: number | string, read: IDataObject | undefined): IDataObject {
	const { item, status, ...rest } = json;
	const message = textOf(json.error) ?? textOf(json.reason) ?? textOf(json.note) ?? textOf(json.athenaNote) ?? '';
	const identity = Object.fromEntries(IDENTITY.map((field) => [field, rest[field] ?? read?.[field] ?? '']));
	return { row, status, message, ...identity, ...rest, item };
}
