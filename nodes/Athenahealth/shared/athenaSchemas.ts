import { z } from 'zod';

import { normaliseAthenaMoney } from './money';

/**
 * athena's answers, read tolerantly (numbers and flags arrive as strings or not) and turned into clean objects:
 * IDs as strings, money as two-place strings, flags as booleans. Only what the next step needs is kept.
 */

// athena sends IDs and codes as strings or numbers (`providergroupid` 1 and "1" for the same group).
const text = z.preprocess(
	(value) =>
		typeof value === 'number' || typeof value === 'boolean'
			? String(value)
			: value === null
				? undefined
				: value,
	z.string().optional(),
);
const id = text;
const money = z.unknown().transform((value) => normaliseAthenaMoney(value));
const flag = z.unknown().transform((value) => {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string')
		return ['true', 'y', 'yes', '1'].includes(value.trim().toLowerCase());
	if (typeof value === 'number') return value !== 0;
	return undefined;
});
/** A count or offset such as `timezone` (-4): a number, also when athena sends it as "-4". */
const count = z.unknown().transform((value) => {
	const parsed =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: NaN;
	return Number.isFinite(parsed) ? parsed : undefined;
});
const idList = z
	.unknown()
	.transform((value) =>
		(Array.isArray(value)
			? value.map(String)
			: typeof value === 'string'
				? value.split(',')
				: value === undefined || value === null
					? []
					: [String(value)]
		)
			.map((entry) => entry.trim())
			.filter(Boolean),
	);
/** Card codes: recorded as an array (`["AX","DS","MC","VI"]`) or absent; a comma string is read too. */
const codeList = idList.transform((codes) => codes.map((code) => code.toUpperCase()));

/** One claim of `claimbalancedetails[].claimdetails[]`: numeric `claimid`, `patientbalance` (no per-claim `balance`). */
const claimDetailSchema = z
	.object({
		claimid: id,
		departmentid: id,
		servicedate: text,
		patientbalance: money,
		amount: money,
		cleanbalance: flag,
	})
	.passthrough()
	.transform((row) =>
		dropUndefined({
			claimId: row.claimid,
			departmentId: row.departmentid,
			serviceDate: row.servicedate,
			patientBalance: row.patientbalance,
			chargeAmount: row.amount,
			cleanBalance: row.cleanbalance,
		}),
	);

/** Top-level `claimbalancedetails[]` (a sibling of `balances`), one entry per provider group. */
const claimGroupSchema = z
	.object({
		providergroupid: id,
		departmentids: idList,
		claimdetails: z.array(claimDetailSchema).optional(),
	})
	.passthrough()
	.transform((group) =>
		(group.claimdetails ?? []).map((claim) => ({
			providerGroupId: group.providergroupid,
			...claim,
		})),
	);

// Recorded balances have exactly balance, departmentlist, providergroupid and cleanbalance.
const balanceSchema = z
	.object({
		balance: money,
		departmentlist: idList,
		providergroupid: id,
		cleanbalance: flag,
	})
	.transform((row) =>
		dropUndefined({
			providerGroupId: row.providergroupid,
			departmentIds: row.departmentlist,
			balance: row.balance ?? '0.00',
			cleanBalance: row.cleanbalance ?? false,
		}),
	);

export type PatientBalance = z.output<typeof balanceSchema>;

export const patientSchema = z
	.object({
		patientid: id,
		firstname: text,
		lastname: text,
		dob: text,
		email: text,
		primarydepartmentid: id,
		departmentid: id,
		balances: z.array(balanceSchema).optional(),
		claimbalancedetails: z.array(claimGroupSchema).optional(),
	})
	.transform((row) =>
		dropUndefined({
			patientId: row.patientid,
			firstName: row.firstname,
			lastName: row.lastname,
			dateOfBirth: row.dob,
			email: row.email,
			primaryDepartmentId: row.primarydepartmentid ?? row.departmentid,
			balances: row.balances,
			// Present only when athena sent claim details (showbalancedetails=true and a balance to detail).
			claims: row.claimbalancedetails?.flat(),
		}),
	);

export type Patient = z.output<typeof patientSchema>;

// Recorded as an object of numbers ({"collectedforother":0,…}); an array of one is read too (the .NET SDK's model).
const appointmentCopaySchema = z
	.object({ insurancecopay: money, collectedforappointment: money, collectedforother: money })
	.passthrough()
	.transform((row) =>
		dropUndefined({
			insuranceCopay: row.insurancecopay,
			collectedForAppointment: row.collectedforappointment,
			collectedForOther: row.collectedforother,
		}),
	);

export const APPOINTMENT_STATUS: Record<string, string> = {
	x: 'cancelled',
	// athena's own word for `f` is "filled" (a booked slot), not "future".
	f: 'filled',
	o: 'open',
	'2': 'checked in',
	'3': 'checked out',
	'4': 'charge entered',
};

export const appointmentSchema = z
	.object({
		appointmentid: id,
		patientid: id,
		departmentid: id,
		date: text,
		starttime: text,
		appointmentstatus: text,
		appointmenttype: text,
		copay: money,
		// Seen both as an object and as an array of one object.
		appointmentcopay: z
			.union([appointmentCopaySchema, z.array(appointmentCopaySchema)])
			.optional()
			.transform((value) => (Array.isArray(value) ? value[0] : value)),
	})
	.transform((row) =>
		dropUndefined({
			appointmentId: row.appointmentid,
			patientId: row.patientid,
			departmentId: row.departmentid,
			date: row.date,
			startTime: row.starttime,
			status: row.appointmentstatus
				? (APPOINTMENT_STATUS[row.appointmentstatus] ?? row.appointmentstatus)
				: undefined,
			appointmentType: row.appointmenttype,
			// athena's own figures, as athena gives them.
			expectedCopay: row.copay,
			insuranceCopay: row.appointmentcopay?.insuranceCopay,
			collectedForAppointment: row.appointmentcopay?.collectedForAppointment,
			collectedForOther: row.appointmentcopay?.collectedForOther,
			// athena describes `copay` as the expected copay with the copays already collected taken into account, so
			// it is the figure still due: subtracting collectedforappointment again would under-collect. If `copay` were
			// ever the gross figure, this over-states, never under-states. See docs/athena-facts.md (copay).
			copayDue: row.copay,
		}),
	);

export const departmentSchema = z
	.object({
		departmentid: id,
		name: text,
		providergroupid: id,
		timezone: count,
		timezonename: text,
		state: text,
		ecommercecreditcardtypes: codeList,
	})
	.transform((row) =>
		dropUndefined({
			departmentId: row.departmentid,
			name: row.name,
			providerGroupId: row.providergroupid,
			// The current UTC offset, daylight saving included (-4 for Eastern in summer), as athena gives it.
			timezone: row.timezone,
			timezoneName: row.timezonename,
			state: row.state,
			// athena leaves the key out when the department takes no e-commerce cards: that reads as [].
			ecommerceCardTypes: row.ecommercecreditcardtypes,
		}),
	);

export const paymentMethodSchema = z
	.object({ name: text, paymentmethod: text })
	.transform((row) => ({
		name: row.name ?? row.paymentmethod ?? '',
		code: (row.paymentmethod ?? '').trim(),
	}));

export const receiptSchema = z
	.object({
		epaymentid: id,
		amount: money,
		cardnumberlast4digits: text,
		cardtypeabbreviation: text,
		cardtypename: text,
		type: text,
		requestdate: text,
	})
	.transform((row) =>
		dropUndefined({
			ePaymentId: row.epaymentid,
			amount: row.amount,
			cardLast4: row.cardnumberlast4digits,
			cardType: row.cardtypename ?? row.cardtypeabbreviation,
			type: row.type,
			requestDate: row.requestdate,
		}),
	);

/**
 * recordpayment / collectpayment / voidpayment / email answers: `[{"success":"true", …}]`. `success` stays as athena
 * sent it: whether it is a refusal, a success or neither is transport/writeResult.ts's decision, not a flag's.
 */
export const writeResultSchema = z
	.object({
		success: z.unknown(),
		paymentbatchid: id,
		epaymentid: id,
		errortext: text,
		error: text,
		errormessage: text,
		message: text,
	})
	.passthrough()
	.transform((row) => ({
		success: row.success,
		paymentBatchId: row.paymentbatchid,
		ePaymentId: row.epaymentid,
		// `errormessage`: the refusal's text as athena's .NET client (its StatusResponse) reads it.
		errorText: row.errortext ?? row.error ?? row.errormessage,
		message: row.message,
	}));

function dropUndefined<T extends Record<string, unknown>>(
	value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
	return Object.fromEntries(
		Object.entries(value).filter(([, entry]) => entry !== undefined),
	) as never;
}
