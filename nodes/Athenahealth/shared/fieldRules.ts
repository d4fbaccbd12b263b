import { z } from 'zod';

import type { DateOptions, ReadDate } from './dates';
import { readDate } from './dates';
import { formatMoney, parseMoney } from './money';

/**
 * The one place each input rule lives. The node runs these schemas on every item, the panel's field descriptions quote
 * `rule`, and the README's field table and the tests read this same list.
 */

const blankToUndefined = (value: unknown) =>
	value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
		? undefined
		: value;

const asTrimmedText = (value: unknown) => {
	const present = blankToUndefined(value);
	return typeof present === 'number'
		? String(present)
		: typeof present === 'string'
			? present.trim()
			: present;
};

const digitsId = (label: string) =>
	z.preprocess(
		asTrimmedText,
		z
			.string({
				required_error: `${label} is required`,
				invalid_type_error: `${label} must be a number such as 1234`,
			})
			.regex(/^\d{1,12}$/, `${label} must be digits only, e.g. 1234`),
	);

/** What a conversion returns when the value can't be converted: the sentence the user reads. */
class Problem {
	constructor(readonly message: string) {}
}

/** A zod transform from a conversion that either gives the clean value or a Problem. */
function convertOrReport<In, Out>(convert: (value: In) => Out | Problem) {
	return (value: In, ctx: z.RefinementCtx): Out => {
		const result = convert(value);
		if (!(result instanceof Problem)) return result;
		ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
		return z.NEVER;
	};
}

/** An amount in the form a spreadsheet holds it; always a two-place string afterwards, or undefined when blank/zero. */
const optionalMoney = (label: string) =>
	z.preprocess(blankToUndefined, z.unknown()).transform(
		convertOrReport((value) => {
			if (value === undefined) return undefined;
			const parsed = parseMoney(value);
			if (!parsed.ok) return new Problem(`${label} ${parsed.reason}`);
			return parsed.cents === 0 ? undefined : formatMoney(parsed.cents);
		}),
	);

const requiredPositiveMoney = (label: string) =>
	optionalMoney(label).refine((value) => value !== undefined, `${label} must be more than 0.00`);

/**
 * The one date rule of every date field (dates.ts reads them): the forms a date may take, in words the panel and the
 * README quote, and a schema that gives athena's mm/dd/yyyy with how it was read, or refuses naming the field.
 */
const DATE_FORMS =
	"mm/dd/yyyy or yyyy-mm-dd, a spreadsheet date cell (the serial number Excel and Google Sheets hand over), or an ISO timestamp, read on athena's calendar (US Eastern): a time with an offset counts on its US Eastern day, midnight is a date without a time";

const dateSchema = (label: string, options: DateOptions = {}) =>
	z.preprocess(blankToUndefined, z.unknown()).transform(
		convertOrReport((value): ReadDate | undefined | Problem => {
			if (value === undefined) return undefined;
			const reading = readDate(value, options);
			if ('date' in reading) return reading;
			return new Problem(
				`${label} must be a real date as mm/dd/yyyy (e.g. 11/26/2026), yyyy-mm-dd, a date cell or an ISO timestamp; ${reading.refused}`,
			);
		}),
	);

const FULL_CARD_NUMBER_MESSAGE =
	'looks like a full card number. Enter only the last four digits. This node does not repeat or output it, but n8n keeps what it was given: in the workflow when typed into the node, in the run data of the node before when mapped. Delete it there.';

export interface FieldRule {
	displayName: string;
	/** The form field athena receives. */
	athenaField: string;
	/** The rule in words, as the panel (field description) and the README state it. */
	rule: string;
	/**
	 * Always needed. Not written into `rule`: the panel marks a required field itself, and a description starting
	 * "Required." reads as noise there; the README's table says "Required." from this flag.
	 */
	required?: true;
	schema: z.ZodTypeAny;
}

/**
 * What version 3's one Amount pays, and how it reaches athena (athena's recordpayment guide: copayamount is a copay,
 * of the appointment given or of today's service; otheramount goes toward the balance and is held unapplied;
 * todayservice applies the payment to today's service, as for self-pay patients; claimpayment pays named claims).
 */
export const AMOUNT_FOR = {
	copay: {
		name: 'Copay for an Appointment',
		description:
			"Sent as athena's copay amount: the copay of the appointment in Appointment ID, or of today's visit when it is empty",
	},
	balance: {
		name: "Patient's Balance",
		description:
			"Sent as athena's other amount: toward what the patient owes, held unapplied in athena until the practice applies it",
	},
	todayService: {
		name: "Today's Service (Self-Pay)",
		description:
			"Sent as athena's other amount with today's service set: paid toward today's visit, as for a self-pay patient",
	},
	claims: {
		name: 'Specific Claims',
		description:
			"Sent as athena's claim payments: an amount per claim ID (Patient → Get with Claim-Level Balances lists them)",
	},
	split: {
		name: 'Several Parts',
		description: 'Copay, other amount and claims in one payment, each in its own field',
	},
} as const;

export type AmountFor = keyof typeof AMOUNT_FOR;

export const paymentFieldRules = {
	patientId: {
		displayName: 'Patient',
		athenaField: 'patientid (in the path)',
		required: true,
		rule: 'The athena patient ID, digits only',
		schema: digitsId('Patient ID'),
	},
	departmentId: {
		displayName: 'Department',
		athenaField: 'departmentid',
		required: true,
		rule: 'The athena department ID, digits only',
		schema: digitsId('Department ID'),
	},
	paymentMethod: {
		displayName: 'Payment Method',
		athenaField: 'paymentmethod',
		required: true,
		rule: "CASH, CHECK, or one of the practice's own card method codes (e.g. MC/VISA, AMEX)",
		schema: z.preprocess(
			(value) => {
				const text = asTrimmedText(value);
				return typeof text === 'string' ? text.toUpperCase() : text;
			},
			z
				.string({ required_error: 'Payment Method is required' })
				.regex(
					/^[A-Z0-9/ _&.-]{2,30}$/,
					'Payment Method must be CASH, CHECK or a card method code such as MC/VISA',
				),
		),
	},
	checkNumber: {
		displayName: 'Check Number',
		athenaField: 'checknumber',
		rule: 'Required when the method is CHECK: 1 to 20 letters, digits or dashes.',
		schema: z.preprocess(
			asTrimmedText,
			z
				.string({ required_error: 'Check Number is required for a check payment' })
				.regex(/^[A-Za-z0-9-]{1,20}$/, 'Check Number must be 1 to 20 letters, digits or dashes'),
		),
	},
	cardLast4: {
		displayName: 'Card Last 4 Digits',
		athenaField: 'cardnumberlast4',
		rule: 'Required when the method is a card: exactly the last four digits of the card, never the full number.',
		schema: z
			.preprocess(
				asTrimmedText,
				z.string({ required_error: 'Card Last 4 Digits is required for a card payment' }),
			)
			.superRefine((value, ctx) => {
				if (typeof value !== 'string' || /^\d{4}$/.test(value)) return;
				const digits = value.replace(/[\s-]/g, '');
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					// Never echo what was typed: it may be a whole card number.
					message: /^\d{12,19}$/.test(digits)
						? `Card Last 4 Digits ${FULL_CARD_NUMBER_MESSAGE}`
						: 'Card Last 4 Digits must be exactly four digits, e.g. 4242',
				});
			}),
	},
	amount: {
		displayName: 'Amount',
		athenaField: 'copayamount or otheramount, by Amount Is For',
		rule: 'The money taken, e.g. 25.00 (version 3; not read for Specific Claims and Several Parts). Digits with up to two decimals; "$1,234.50" and 12.5 are read as 1234.50 and 12.50.',
		schema: requiredPositiveMoney('Amount'),
	},
	amountFor: {
		displayName: 'Amount Is For',
		athenaField: 'copayamount, otheramount (+ todayservice) or claimpayment',
		rule: `What the Amount pays (version 3): ${Object.values(AMOUNT_FOR)
			.map(
				(choice) =>
					`${choice.name}: ${choice.description.charAt(0).toLowerCase()}${choice.description.slice(1)}`,
			)
			.join('. ')}. From a column: ${Object.keys(AMOUNT_FOR).join(', ')} (any case).`,
		schema: z.preprocess(asTrimmedText, z.unknown()).transform(
			convertOrReport((value) => {
				const choice = Object.keys(AMOUNT_FOR).find(
					(key) => typeof value === 'string' && key.toLowerCase() === value.toLowerCase(),
				);
				if (choice) return choice as AmountFor;
				const choices = Object.keys(AMOUNT_FOR);
				return new Problem(
					`Amount Is For must be one of ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]} (the choices of its list); it is ${JSON.stringify(value ?? '')}`,
				);
			}),
		),
	},
	copayAmount: {
		displayName: 'Copay Amount',
		athenaField: 'copayamount',
		rule: 'Optional amount applied as the copay of the appointment (or of today\'s service). Digits with up to two decimals; "$1,234.50" and 12.5 are read as 1234.50 and 12.50.',
		schema: optionalMoney('Copay Amount'),
	},
	otherAmount: {
		displayName: 'Other Amount',
		athenaField: 'otheramount',
		rule: 'Optional amount not tied to an appointment copay: it goes to the unapplied bucket (or to the appointment given). Same format as Copay Amount.',
		schema: optionalMoney('Other Amount'),
	},
	claimPayments: {
		displayName: 'Claim Payments',
		athenaField: 'claimpayment',
		rule: 'Optional list of claim ID (digits) and amount (more than 0.00), sent as athena\'s JSON string [{"<claimid>":"1.00"}]. Each claim at most once.',
		schema: z
			.preprocess(
				(value) =>
					Array.isArray(value) ? value : blankToUndefined(value) === undefined ? [] : value,
				z.array(
					z.object({
						claimId: digitsId('Claim ID'),
						amount: requiredPositiveMoney('Claim amount'),
					}),
					{ invalid_type_error: 'Claim Payments must be a list of claim ID and amount' },
				),
			)
			.refine(
				(claims) => new Set(claims.map((claim) => claim.claimId)).size === claims.length,
				'Claim Payments lists the same claim ID twice: combine them into one amount',
			),
	},
	appointmentId: {
		displayName: 'Appointment ID',
		athenaField: 'appointmentid',
		rule: 'Optional. The appointment the copay or other amount is applied to, digits only; it must belong to the patient.',
		schema: z.preprocess(blankToUndefined, digitsId('Appointment ID').optional()),
	},
	applyToTodaysService: {
		displayName: "Apply to Today's Service",
		athenaField: 'todayservice',
		rule: "Whether to apply the payment to today's service. Optional. Sent as athena's spec types it: Y to recordpayment, true to collectpayment.",
		schema: z.preprocess(
			(value) =>
				typeof value === 'string'
					? ['true', 'y', 'yes', '1'].includes(value.trim().toLowerCase())
					: value,
			z.boolean().default(false),
		),
	},
	postDate: {
		displayName: 'Post Date',
		athenaField: 'postdate',
		rule: `Optional. The date the payment is posted on: ${DATE_FORMS}. A date cell counts for the years 2000 to 2099. A date not given as mm/dd/yyyy or yyyy-mm-dd is explained in the row's postDateRead. athena uses today when empty and refuses dates in a closed month.`,
		schema: dateSchema('Post Date'),
	},
} satisfies Record<string, FieldRule>;

/** The look-ups' date filters: the same date rule as Post Date. Their items say how a date was read (`…Read`). */
export const lookupDateRules = {
	startDate: {
		displayName: 'Start Date',
		athenaField: 'startdate',
		required: true,
		rule: `First day of appointments to list: ${DATE_FORMS}. A date cell counts for the years 2000 to 2099. Each appointment found says how a date not given as mm/dd/yyyy or yyyy-mm-dd was read (startDateRead, endDateRead).`,
		schema: dateSchema('Start Date'),
	},
	endDate: {
		displayName: 'End Date',
		athenaField: 'enddate',
		required: true,
		rule: 'Last day of appointments to list, included. Read as Start Date is.',
		schema: dateSchema('End Date'),
	},
	dateOfBirth: {
		displayName: 'Date of Birth',
		athenaField: 'dob',
		rule: `Optional. As ${DATE_FORMS}. A date cell counts for the years 1901 to 2099; each patient found says how a date not given as mm/dd/yyyy or yyyy-mm-dd was read (dateOfBirthRead).`,
		schema: dateSchema('Date of Birth', { years: [1901, 2099] }),
	},
} satisfies Record<string, FieldRule>;

/** The money part shared by record and collect: at least one amount must carry money. */
const amountsSchema = z
	.object({
		copayAmount: paymentFieldRules.copayAmount.schema,
		otherAmount: paymentFieldRules.otherAmount.schema,
		claimPayments: paymentFieldRules.claimPayments.schema,
		appointmentId: paymentFieldRules.appointmentId.schema,
		applyToTodaysService: paymentFieldRules.applyToTodaysService.schema,
	})
	.refine(
		(amounts) => amounts.copayAmount || amounts.otherAmount || amounts.claimPayments.length > 0,
		{
			message:
				'No amount to post: fill Copay Amount, Other Amount or Claim Payments with more than 0.00',
			path: ['copayAmount'],
		},
	);

/**
 * The reference field a payment method needs: a check its number, a card its last four digits, cash none. The panel's
 * display rules say the same (record.operation.ts), and only this field is read from a row.
 */
export function referenceFieldOf(paymentMethod: unknown): 'checkNumber' | 'cardLast4' | undefined {
	const method = typeof paymentMethod === 'string' ? paymentMethod.trim().toUpperCase() : '';
	if (method === 'CASH' || method === '') return undefined;
	return method === 'CHECK' ? 'checkNumber' : 'cardLast4';
}

/**
 * Post Date as the row carries it: the date athena gets, how it was read (said on the row's output), and the date
 * the node read the same value as before issue 24 when that differs (so a payment posted then keeps its duplicate-check
 * key: record.operation.ts).
 */
function postDateParts(postDate: ReadDate | undefined): {
	postDate: string | undefined;
	postDateRead?: string;
	postDateReadBefore?: string;
} {
	return {
		postDate: postDate?.date,
		...(postDate?.read ? { postDateRead: postDate.read } : {}),
		...(postDate?.before ? { postDateReadBefore: postDate.before } : {}),
	};
}

export const recordPaymentSchema = z
	.object({
		patientId: paymentFieldRules.patientId.schema,
		departmentId: paymentFieldRules.departmentId.schema,
		paymentMethod: paymentFieldRules.paymentMethod.schema,
		checkNumber: z.unknown(),
		cardLast4: z.unknown(),
		postDate: paymentFieldRules.postDate.schema,
	})
	.and(amountsSchema)
	.transform((input, ctx) => {
		// The method decides which reference field applies; the other one is ignored even when a column fills it.
		const field = referenceFieldOf(input.paymentMethod);
		const others = Object.fromEntries(
			Object.entries(input).filter(([name]) => name !== 'checkNumber' && name !== 'cardLast4'),
		) as Omit<typeof input, 'checkNumber' | 'cardLast4'>;
		const rest = { ...others, ...postDateParts(input.postDate) };
		if (!field) return { ...rest };
		const parsed = paymentFieldRules[field].schema.safeParse(input[field]);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [field] });
			return z.NEVER;
		}
		return field === 'checkNumber'
			? { ...rest, checkNumber: parsed.data as string }
			: { ...rest, cardLast4: parsed.data as string };
	});

export type RecordPaymentInput = z.infer<typeof recordPaymentSchema>;

/** athena's spec says to cut these to its length rather than refuse them; collectPaymentSchema cuts and says so. */
const CARD_TEXT_LIMITS = { nameOnCard: 30, billingAddress: 20 } as const;

const requiredText = (label: string) =>
	z.preprocess(asTrimmedText, z.string({ required_error: `${label} is required` }));

/** Card fields of collectpayment. Messages never repeat what was typed: it is card data. */
export const cardFieldRules = {
	cardNumber: {
		displayName: 'Card Number',
		athenaField: 'accountnumber',
		rule: 'Required, as an expression mapping the incoming data (a typed value is refused: n8n would save it with the workflow). The full card number, 13 to 19 digits (spaces and dashes are ignored). Outputs and errors carry only the last four digits.',
		schema: z
			.preprocess(
				(value) =>
					typeof asTrimmedText(value) === 'string'
						? String(asTrimmedText(value)).replace(/[\s-]/g, '')
						: asTrimmedText(value),
				z.string({ required_error: 'Card Number is required' }),
			)
			.refine((value) => /^\d{13,19}$/.test(value), 'Card Number must be 13 to 19 digits'),
	},
	cardSecurityCode: {
		displayName: 'Card Security Code',
		athenaField: 'cardsecuritycode',
		rule: 'Required, as an expression mapping the incoming data (a typed value is refused: n8n would save it with the workflow). The 3 or 4 digit CVV, sent to athena only: outputs and errors never carry it.',
		schema: z
			.preprocess(asTrimmedText, z.string({ required_error: 'Card Security Code is required' }))
			.refine((value) => /^\d{3,4}$/.test(value), 'Card Security Code must be 3 or 4 digits'),
	},
	expirationMonth: {
		displayName: 'Expiration Month',
		athenaField: 'expirationmonthmm',
		required: true,
		rule: '1 to 12; sent as two digits (mm)',
		schema: z
			.preprocess(asTrimmedText, z.string({ required_error: 'Expiration Month is required' }))
			.transform(
				convertOrReport((value: string) => {
					const month = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
					return month >= 1 && month <= 12
						? String(month).padStart(2, '0')
						: new Problem('Expiration Month must be a month number from 1 to 12');
				}),
			),
	},
	expirationYear: {
		displayName: 'Expiration Year',
		athenaField: 'expirationyearyyyy',
		required: true,
		rule: 'Four digits (yyyy); two digits are read as 20yy',
		schema: z
			.preprocess(asTrimmedText, z.string({ required_error: 'Expiration Year is required' }))
			.transform(
				convertOrReport((value: string) =>
					/^\d{2}$/.test(value)
						? `20${value}`
						: /^\d{4}$/.test(value)
							? value
							: new Problem('Expiration Year must be four digits, e.g. 2028'),
				),
			),
	},
	nameOnCard: {
		displayName: 'Name on Card',
		athenaField: 'nameoncard',
		required: true,
		rule: "At most 30 characters (athena's limit): a longer name is cut to 30, and the output's truncatedFields says so",
		schema: requiredText('Name on Card'),
	},
	billingAddress: {
		displayName: 'Billing Address',
		athenaField: 'billingaddress',
		required: true,
		rule: "The street line of the card's billing address. At most 20 characters (athena's limit): a longer one is cut to 20, and the output's truncatedFields says so.",
		schema: requiredText('Billing Address'),
	},
	billingZip: {
		displayName: 'Billing ZIP',
		athenaField: 'billingzip',
		required: true,
		rule: 'Five digits, or nine (12345-6789)',
		schema: z
			.preprocess(asTrimmedText, z.string({ required_error: 'Billing ZIP is required' }))
			.transform(
				convertOrReport((value: string) => {
					const digits = value.replace('-', '');
					return /^\d{5}(\d{4})?$/.test(digits)
						? digits
						: new Problem('Billing ZIP must be 5 digits or 9 digits (12345-6789)');
				}),
			),
	},
} satisfies Record<string, FieldRule>;

export const collectPaymentSchema = z
	.object({
		patientId: paymentFieldRules.patientId.schema,
		departmentId: paymentFieldRules.departmentId.schema,
		cardNumber: cardFieldRules.cardNumber.schema,
		cardSecurityCode: cardFieldRules.cardSecurityCode.schema,
		expirationMonth: cardFieldRules.expirationMonth.schema,
		expirationYear: cardFieldRules.expirationYear.schema,
		nameOnCard: cardFieldRules.nameOnCard.schema,
		billingAddress: cardFieldRules.billingAddress.schema,
		billingZip: cardFieldRules.billingZip.schema,
		ecommerceMode: z.boolean().default(true),
		allowDuplicatePayments: z.boolean().default(false),
	})
	.and(amountsSchema)
	.transform((input) => {
		const truncatedFields: string[] = [];
		const cut = (name: keyof typeof CARD_TEXT_LIMITS) => {
			const max = CARD_TEXT_LIMITS[name];
			if (input[name].length <= max) return input[name];
			truncatedFields.push(
				`${cardFieldRules[name].displayName} was cut to athena's ${max} characters`,
			);
			return input[name].slice(0, max).trimEnd();
		};
		return {
			...input,
			nameOnCard: cut('nameOnCard'),
			billingAddress: cut('billingAddress'),
			truncatedFields,
		};
	});

export type CollectPaymentInput = z.infer<typeof collectPaymentSchema>;

export const emailAddressRule: FieldRule = {
	displayName: 'Email',
	athenaField: 'email (also sent as emailaddress)',
	required: true,
	rule: "One address per call. The patient's stored email is never changed.",
	schema: z
		.preprocess(asTrimmedText, z.string({ required_error: 'Email is required' }))
		.refine(
			(value) => /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]{2,}$/.test(value),
			'Email must be one address such as name@example.com',
		),
};

export const ePaymentIdRule: FieldRule = {
	displayName: 'E-Payment ID',
	athenaField: 'epaymentid (in the path)',
	required: true,
	rule: 'The epaymentid athena returned when the card payment was collected, digits only',
	schema: digitsId('E-Payment ID'),
};
