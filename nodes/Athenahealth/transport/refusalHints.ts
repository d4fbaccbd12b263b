/**
 * What to do about athena's refusals whose words are on record (real answers kept by public client libraries; see
 * docs/athena-facts.md). The texts are matched loosely: case, punctuation and spacing vary ("records.Please" has no
 * space, "Appointment ID is not a booked appointment" no full stop). Refusals whose words are not on record get their
 * hint from the operation that knows the situation (closed post date, duplicate card payment, settled void), and those
 * hints say what the node knows, not what athena is supposed to have written.
 */

/** Lower case, letters and digits only, single spaces: "records.Please refine" → "records please refine". */
function looseText(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

interface KnownRefusal {
	/** Matched against the loose text of athena's `error` and `detailedmessage` together. */
	words: RegExp;
	hint: string;
}

const KNOWN_REFUSALS: KnownRefusal[] = [
	{
		// GET /patients, recorded: "...larger than 1000 records.Please refine your search..."
		words: /larger than \d+ records/,
		hint: 'The search matches too many patients for athena to list. Add a Last Name, Date of Birth or Department ID to narrow it.',
	},
	{
		// Chart calls, recorded: the patient does not exist in the department that was given.
		words: /patient\b.*\b(does not exist|not exist|not found|is not)\b.*\bdepartment/,
		hint: "The patient is not registered in that department. Use the patient's department (Patient → Get shows primaryDepartmentId) or check the Department ID.",
	},
	{
		// Recorded with missingfields (and sometimes invalidfields) next to it.
		words: /^additional fields are required/,
		hint: 'athena lists the fields it needs; fill them and run again.',
	},
	{
		// Recorded with a detailedmessage that names the value, e.g. "Expecting format date, but value is 01/01/   1".
		words: /^the data provided is invalid/,
		hint: "athena's detail names the value it could not read; correct it and run again.",
	},
	{
		// GET …/changed without a subscription, recorded as a 403.
		words: /changed messages require setup/,
		hint: 'athena sends changes only after the practice subscribed to them (POST …/changed/subscription). It is not a permissions problem.',
	},
];

export function knownRefusalHint(
	error: string | undefined,
	detailedMessage?: string,
): string | undefined {
	const said = looseText(`${error ?? ''} ${detailedMessage ?? ''}`);
	return KNOWN_REFUSALS.find((known) => known.words.test(said))?.hint;
}
