import { writeResultSchema } from '../shared/athenaSchemas';
import type { AthenaAnswer, AthenaClient } from './athenaClient';
import { AthenaApiError } from './errors';
import { unwrapOne } from './parse';

export type WriteResult = ReturnType<typeof writeResultSchema.parse>;

/**
 * athena's answer to a write (`[{"success":"true"|"false", …}]`, shape not always documented). An explicit "false"
 * (a card decline, a refusal) means nothing happened: it becomes a refusal of this item. Anything else after a 200
 * counts as done, because it may have moved money.
 */
export function acceptedWrite(
	client: AthenaClient,
	answer: AthenaAnswer,
	refusal: { message: (errorText: string | undefined) => string; description: string; itemIndex: number },
): WriteResult {
	const result = writeResultSchema.parse(unwrapOne(answer.body) ?? {});
	if (result.success === false) {
		throw new AthenaApiError(client.node, {
			outcome: 'refused',
			message: refusal.message(result.errorText),
			description: refusal.description,
			itemIndex: refusal.itemIndex,
		});
	}
	return result;
}
