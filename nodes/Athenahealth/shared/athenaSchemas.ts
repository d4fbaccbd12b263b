import { z } from 'zod';

import { normaliseAthenaMoney } from './money';

/**
 * athena's answers, read tolerantly (numbers and flags arrive as strings or not) and turned into clean objects:
 * IDs as strings, money as two-place strings, flags as booleans. Only what the next step needs is kept.
 */

const text = z.preprocess((value) => (typeof value === 'number' ? String(value) : value === null ? undefined : value), z.string().optional());
const id = text;
const money = z.unknown().transform((value) => normaliseAthenaMoney(value));
const flag = z.unknown().transform((value) => {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') return ['true', 'y', 'yes', '1'].includes(value.trim().toLowerCase());
	if (typeof value === 'number') return value !== 0;
	return undefined;
});
const idList = z.unknown().transform((value) =>
	(Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : value === undefined || value === null ? [] : [String(value)])
		.map((entry) => entry.trim())
		.filter(Boolean),
);

const claimBalanceSchema = z
	.object({ claimid: id, balance: money, servicedate: text, patientbalance: money, insurancebalance: money })
	.passthrough()
	.transform(({ claimid, balance, servicedate, patientbalance, insurancebalance }) =>
		dropUndefined({ claimId: claimid, balance, serviceDate: servicedate, patientBalance: patientbalance, insuranceBalance: insurancebalance }),
	);

const balanceSchema = z
	.object({
		balance: money,
		departmentlist: idList,
		providergroupid: id,
		cleanbalance: flag,
		collectionsbalance: money,
		paymentplanbalance: money,
		claimbalancedetails: z.array(claimBalanceSchema).optional(),
	})
	.transform((row) =>
		dropUndefined({
			providerGroupId: row.providergroupid,
			departmentIds: row.departmentlist,
			balance: row.balance ?? '0.00',
			cleanBalance: row.cleanbalance ?? false,
			collectionsBalance: row.collectionsbalance,
			paymentPlanBalance: row.paymentplanbalance,
			claims: row.claimbalancedetails,
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
		}),
	);

export type Patient = z.output<typeof patientSchema>;

const appointmentCopaySchema = z
	.object({ insurancecopay: money, collectedforappointment: money, collectedforother: money })
	.transform((row) =>
		dropUndefined({ insuranceCopay: row.insurancecopay, collectedForAppointment: row.collectedforappointment, collectedForOther: row.collectedforother }),
	);

export const APPOINTMENT_STATUS: Record<string, string> = {
	x: 'cancelled',
	f: 'future',
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
	.transform((row) => {
		const expected = row.copay;
		const collected = row.appointmentcopay?.collectedForAppointment;
		const remainingCents = expected ? Math.max(0, toCents(expected) - toCents(collected ?? '0')) : undefined;
		return dropUndefined({
			appointmentId: row.appointmentid,
			patientId: row.patientid,
			departmentId: row.departmentid,
			date: row.date,
			startTime: row.starttime,
			status: row.appointmentstatus ? APPOINTMENT_STATUS[row.appointmentstatus] ?? row.appointmentstatus : undefined,
			appointmentType: row.appointmenttype,
			expectedCopay: expected,
			collectedForAppointment: collected,
			collectedForOther: row.appointmentcopay?.collectedForOther,
			insuranceCopay: row.appointmentcopay?.insuranceCopay,
			copayDue: remainingCents === undefined ? undefined : (remainingCents / 100).toFixed(2),
		});
	});

export const departmentSchema = z
	.object({ departmentid: id, name: text, providergroupid: id, timezone: text, state: text, ecommercecreditcardtypes: text })
	.transform((row) =>
		dropUndefined({
			departmentId: row.departmentid,
			name: row.name,
			providerGroupId: row.providergroupid,
			timezone: row.timezone,
			state: row.state,
			ecommerceCardTypes: row.ecommercecreditcardtypes,
		}),
	);

export const paymentMethodSchema = z
	.object({ name: text, paymentmethod: text })
	.transform((row) => ({ name: row.name ?? row.paymentmethod ?? '', code: (row.paymentmethod ?? '').trim() }));

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
	.object({ success: z.unknown(), paymentbatchid: id, epaymentid: id, errortext: text, error: text, message: text })
	.passthrough()
	.transform((row) => ({
		success: row.success,
		paymentBatchId: row.paymentbatchid,
		ePaymentId: row.epaymentid,
		errorText: row.errortext ?? row.error,
		message: row.message,
	}));

function toCents(amount: string): number {
	return Math.round(Number(amount) * 100);
}

function dropUndefined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as never;
}
