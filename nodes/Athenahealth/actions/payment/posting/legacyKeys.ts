import { amountKeyParts } from '../../../descriptions/amounts';
import type { CollectPaymentInput } from '../../../shared/fieldRules';
import { lastFour } from '../../../shared/redact';

/**
 * What key version 1 hashed for a Collect row: the workflow's date (mm/dd/yyyy) in the middle. Kept as it was, so a
 * card charged before the upgrade is still recognised; never change it (the golden test pins it).
 */
export function legacyCollectKeyParts(input: CollectPaymentInput, date: string): unknown[] {
	return [input.patientId, input.departmentId, lastFour(input.cardNumber), date, ...amountKeyParts(input)];
}
