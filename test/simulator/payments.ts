/**
 * Payments: `recordpayment` (cash, check, card taken elsewhere), `collectpayment` (athena charges the card) and
 * `voidpayment`. What they store is in ledger.ts; the card fields are read in cardFields.ts.
 */
import { readCard } from './cardFields';
import { eastern } from './easternTime';
import { FLAG_RE, centsToMoney, dateKey, isTrue, parseMoney } from './formats';
import type { CardPayment, Ledger } from './ledger';
import type { Receipts } from './receipts';
import { type ApiRequest, type Reply, type RouteSpec, bad, err, missing, ok } from './replies';
import {
	CARD_DECLINE_TEXT,
	CARD_PAYMENT_METHOD_CODES,
	DEPARTMENTS,
	NON_CARD_PAYMENT_METHODS,
	cardType,
	seedData,
} from './seed';
import type { Simulation } from './simulation';

const AMOUNT_REQUIRED = bad(
	'A payment amount is required.',
	'At least one of copayamount, otheramount or claimpayment must carry money.',
	{ missingfields: ['copayamount', 'otheramount', 'claimpayment'] },
);

function knownDepartment(dept: string): Reply | null {
	if (DEPARTMENTS.some((d) => d.departmentid === dept)) return null;
	return bad('Invalid department ID.', `Department ${dept} does not exist in this practice.`);
}

export class Payments {
	private lastApproved = new Map<string, number>(); // duplicate key -> time (ms)

	constructor(
		private readonly sim: Simulation,
		private readonly ledger: Ledger,
		private readonly receipts: Receipts,
	) {}

	reset(): void {
		this.lastApproved.clear();
	}

	routes(): RouteSpec[] {
		return [
			{
				method: 'POST',
				path: '/patients/:id/recordpayment',
				handler: (request, [id]) => this.recordPayment(request, id),
				write: true,
			},
			{
				method: 'POST',
				path: '/patients/:id/collectpayment',
				handler: (request, [id]) => this.collectPayment(request, id),
				write: true,
			},
			{
				method: 'POST',
				path: '/patients/:id/voidpayment/:eid',
				handler: (request, [id, eid]) => this.voidPayment(request, id, eid),
				write: true,
			},
		];
	}

	private recordPayment(request: ApiRequest, patientId: string): Reply {
		const f = request.form;
		const has = (k: string) => f[k] !== undefined && f[k].trim() !== '';
		const method = has('paymentmethod') ? f.paymentmethod.trim() : '';
		const isCard = CARD_PAYMENT_METHOD_CODES.includes(method);
		const missingFields: string[] = [];
		if (!has('departmentid')) missingFields.push('departmentid');
		if (!method) missingFields.push('paymentmethod');
		if (method === 'CHECK' && !has('checknumber')) missingFields.push('checknumber');
		if (isCard && !has('cardnumberlast4')) missingFields.push('cardnumberlast4');
		if (missingFields.length > 0) return missing(missingFields);
		if (!has('copayamount') && !has('otheramount') && !has('claimpayment')) return AMOUNT_REQUIRED;
		const dept = f.departmentid.trim();
		const unknownDepartment = knownDepartment(dept);
		if (unknownDepartment) return unknownDepartment;
		if (!isCard && !NON_CARD_PAYMENT_METHODS.includes(method)) {
			return bad(
				'Invalid payment method.',
				`paymentmethod must be CASH, CHECK or one of ${CARD_PAYMENT_METHOD_CODES.join(', ')}.`,
			);
		}
		if (isCard && !/^\d{4}$/.test(f.cardnumberlast4.trim())) {
			return bad('Invalid cardnumberlast4.', 'cardnumberlast4 must be exactly four digits.');
		}
		const total = checkMoney(f, patientId);
		if (typeof total !== 'number') return total;
		const postdate = this.postDate(f.postdate?.trim() ?? '');
		if ('status' in postdate) return postdate;
		const batch = this.ledger.newBatchId();
		this.ledger.add(
			request,
			'record',
			{ patientid: patientId, departmentid: dept, paymentbatchid: batch, amount: centsToMoney(total) },
			{ ...f },
			{ postdate: postdate.date, dateKey: postdate.key, paymentmethod: method },
		);
		return ok([{ success: 'true', paymentbatchid: batch }]);
	}

	/** The post date sent (default: today, US Eastern): a real date after the practice's close date. */
	private postDate(sent: string): { date: string; key: number } | Reply {
		const today = eastern(this.sim.now());
		let chosen = { date: today.date, key: today.key };
		if (sent !== '') {
			const k = dateKey(sent);
			if (k === null) return bad('Invalid postdate.', 'postdate must be a real date in the form mm/dd/yyyy.');
			chosen = { date: sent, key: k };
		}
		const closeDate = this.sim.config.closeDate;
		if (chosen.key <= (dateKey(closeDate) ?? 0)) {
			return bad(
				'The post date is in a closed period.',
				`Payments cannot be posted on or before the practice close date ${closeDate}.`,
			);
		}
		return chosen;
	}

	private collectPayment(request: ApiRequest, patientId: string): Reply {
		const f = request.form;
		const has = (k: string) => f[k] !== undefined && f[k] !== '';
		if (!has('departmentid')) return missing(['departmentid']);
		const dept = f.departmentid.trim();
		const unknownDepartment = knownDepartment(dept);
		if (unknownDepartment) return unknownDepartment;
		if (has('ecommercemode') && !FLAG_RE.test(f.ecommercemode)) {
			return bad('Invalid ecommercemode.', 'ecommercemode must be true or false.');
		}
		const now = this.sim.now();
		const today = eastern(now);
		const card = readCard(f, today);
		if ('status' in card) return card;
		if (!has('copayamount') && !has('otheramount') && !has('claimpayment')) return AMOUNT_REQUIRED;
		const total = checkMoney(f, patientId);
		if (typeof total !== 'number') return total;
		const last4 = card.pan.slice(-4);
		const dupKey = `${patientId}|${total}|${last4}`;
		const prev = this.lastApproved.get(dupKey);
		const window = this.sim.config.duplicateWindowSeconds * 1000;
		if (prev !== undefined && now - prev < window && !isTrue(f.allowduplicatepayments)) {
			return bad(
				'This payment appears to be a duplicate.',
				'A payment of the same amount on the same card was made recently. Set allowduplicatepayments to post it anyway.',
			);
		}
		const decline = CARD_DECLINE_TEXT[card.pan] ?? (card.trackExpired ? 'EXPIRED CARD' : undefined);
		if (decline) {
			this.sim.stats.declines++;
			return ok([{ success: 'false', errortext: decline }]);
		}
		this.lastApproved.set(dupKey, now);
		const payment: CardPayment = {
			epaymentid: this.ledger.newEpaymentId(),
			patientid: patientId,
			departmentid: dept,
			cents: total,
			last4,
			cardtype: cardType(card.pan),
			voided: false,
			settled: false,
			purchaseDate: `${today.date} ${today.time}`,
			live: true,
		};
		this.ledger.addCardPayment(payment);
		this.receipts.addPurchase(payment);
		this.ledger.add(
			request,
			'collect',
			{ patientid: patientId, departmentid: dept, epaymentid: payment.epaymentid, amount: centsToMoney(total) },
			withoutCardData(f),
			{ postdate: today.date, dateKey: today.key, paymentmethod: payment.cardtype.abbreviation },
		);
		return ok([{ success: 'true', epaymentid: payment.epaymentid }]);
	}

	private voidPayment(request: ApiRequest, patientId: string, eid: string): Reply {
		const p = this.ledger.cardPayment(eid);
		if (!p || p.patientid !== patientId) return err(404, 'The payment was not found.');
		if (p.voided) return err(409, 'The payment has already been voided.');
		if (this.ledger.isSettled(p)) {
			return err(404, 'The payment can no longer be voided.', 'The payment has been settled. Refund it in athenaOne instead.');
		}
		p.voided = true;
		const today = eastern(this.sim.now());
		p.voidDate = `${today.date} ${today.time}`;
		this.receipts.showVoid(p);
		this.ledger.add(
			request,
			'void',
			{ patientid: patientId, departmentid: p.departmentid, epaymentid: eid, amount: centsToMoney(p.cents) },
			{ ...request.form },
			{ postdate: today.date, dateKey: today.key, paymentmethod: p.cardtype.abbreviation },
		);
		return ok([{ success: 'true' }]);
	}
}

/** What the ledger keeps of a collectpayment form: no card number, security code or track data, only their shape. */
function withoutCardData(f: Record<string, string>): Record<string, string> {
	const form: Record<string, string> = {};
	for (const [k, v] of Object.entries(f)) {
		if (k === 'accountnumber') {
			form.accountnumberlast4 = v.slice(-4);
			form.accountnumberlength = String(v.length);
		} else if (k === 'cardsecuritycode') form.cardsecuritycodelength = String(v.length);
		else if (k === 'trackdata') form.trackdatalength = String(v.length);
		else form[k] = v;
	}
	return form;
}

/** Shared checks of amounts, claimpayment, appointment and todayservice. Returns total cents or a refusal. */
function checkMoney(form: Record<string, string>, patientId: string): number | Reply {
	let total = 0;
	for (const f of ['copayamount', 'otheramount']) {
		const v = form[f];
		if (v === undefined || v === '') continue;
		const cents = parseMoney(v.trim());
		if (cents === null || cents <= 0) {
			return bad('Invalid amount.', `${f} must be a positive decimal with at most two decimal places (for example 12.50).`);
		}
		total += cents;
	}
	const claims = claimPaymentCents(form.claimpayment);
	if (typeof claims !== 'number') return claims;
	total += claims;
	const appt = form.appointmentid;
	if (appt !== undefined && appt !== '') {
		const a = seedData().appointments.get(appt);
		if (!a) return bad('Invalid appointment ID.', `Appointment ${appt} does not exist.`);
		if (a.patientid !== patientId) {
			return bad('The appointment does not belong to this patient.', `Appointment ${appt} belongs to another patient.`);
		}
	}
	const ts = form.todayservice;
	if (ts !== undefined && ts !== '' && !FLAG_RE.test(ts)) {
		return bad('Invalid todayservice.', 'todayservice must be Y, N, true or false.');
	}
	return total;
}

/** `claimpayment`: a JSON array of one-key objects `{claimid: amount}`, amounts positive. Cents, or a refusal. */
function claimPaymentCents(cp: string | undefined): number | Reply {
	if (cp === undefined || cp === '') return 0;
	const refusal = bad(
		'Invalid claimpayment.',
		'claimpayment must be a JSON array of one-key objects with positive amounts, such as [{"12345":"10.00"}].',
	);
	let parsed: unknown;
	try {
		parsed = JSON.parse(cp);
	} catch {
		return refusal;
	}
	if (!Array.isArray(parsed) || parsed.length === 0) return refusal;
	let total = 0;
	for (const item of parsed) {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) return refusal;
		const keys = Object.keys(item);
		if (keys.length !== 1 || !/^\d+$/.test(keys[0])) return refusal;
		const v = (item as Record<string, unknown>)[keys[0]];
		const cents = typeof v === 'string' || typeof v === 'number' ? parseMoney(String(v)) : null;
		if (cents === null || cents <= 0) return refusal;
		total += cents;
	}
	return total;
}
