import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

/** One sentence per problem, each already naming its field (the schemas' messages do). */
export function describeIssues(error: z.ZodError): string {
	const messages = error.issues.map((issue) => issue.message);
	return [...new Set(messages)].join('; ');
}

type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

export function validate<S extends z.ZodTypeAny>(
	schema: S,
	input: unknown,
): Validated<z.output<S>> {
	const parsed = schema.safeParse(input);
	return parsed.success
		? { ok: true, value: parsed.data }
		: { ok: false, message: describeIssues(parsed.error) };
}

/** `where` names the item as the user counts it; postings say "row 7" (rowNames.ts). */
export function invalidInputError(
	node: INode,
	itemIndex: number,
	message: string,
	where = `item ${itemIndex}`,
): NodeOperationError {
	return new NodeOperationError(node, `Invalid input in ${where}: ${message}`, {
		itemIndex,
		description:
			'Fix the value in that item (or the spreadsheet cell it comes from) and run again. Nothing was sent to athena for this item.',
	});
}

/** Validates or throws a NodeOperationError naming the item. */
export function parseOrThrow<S extends z.ZodTypeAny>(
	node: INode,
	itemIndex: number,
	schema: S,
	input: unknown,
): z.output<S> {
	const result = validate(schema, input);
	if (!result.ok) throw invalidInputError(node, itemIndex, result.message);
	return result.value;
}
