/**
 * What a patient sees of card payments and what the practice sees of all payments: `GET …/receipts`, the receipt
 * email, and `GET /patients/paymenthistory`.
 */
import { athenaAmount, dateKey, parseMoney } from './formats';
import type { CardPayment, HistoryItem, Ledger } from './ledger';
import { type ApiRequest, type Reply, type RouteSpec, err, ok } from './replies';
import { DEPARTMENTS, type SeedCardPayment, seedData } from './seed';
import type { Simulation } from './simulation';

interface Receipt {
	epaymentid: string;
	amount: string;
	cardnumberlast4digits: string;
	cardtypeabbreviation: string;
	cardtypename: string;
	type: 'PURCHASE' | 'VOID' | 'VOIDPURCHASE';
	requestdate: string;
}

/** The seed's VOID row takes the e-payment ID after its purchase's (9002 → 9003), as athena's 2009 rows do. */
const SEED_VOID_ID_STEP = 1;

export class Receipts {
	private receipts = new Map<string, Receipt[]>(); // `${patient}|${department}`

	constructor(
		private readonly sim: Simulation,
		private readonly ledger: Ledger,
	) {}

	reset(seeded: SeedCardPayment[]): void {
		this.receipts.clear();
		for (const p of seeded) {
			const list = this.listOf(p.patientid, p.departmentid);
			list.push(receiptOf(p, 'PURCHASE', p.purchaseDate));
			// The seed's void is the 2009 kind: a VOID row of its own, with the next e-payment ID.
			if (p.voided && p.voidDate) {
				const epaymentid = String(Number(p.epaymentid) + SEED_VOID_ID_STEP);
				list.push({ ...receiptOf(p, 'VOID', p.voidDate), epaymentid });
			}
		}
	}

	routes(): RouteSpec[] {
		return [
			{ method: 'GET', path: '/patients/:id/receipts', handler: (r, [id]) => this.getReceipts(r, id) },
			{
				method: 'POST',
				path: '/patients/:id/receipts/:eid/email',
				handler: (r, [id, eid]) => this.emailReceipt(r, id, eid),
				write: true,
			},
			{ method: 'GET', path: '/patients/paymenthistory', handler: (r) => this.paymentHistory(r) },
		];
	}

	addPurchase(p: CardPayment): void {
		this.listOf(p.patientid, p.departmentid).push(receiptOf(p, 'PURCHASE', p.purchaseDate));
	}

	/**
	 * athena shows a void in one of two ways (recorded): a VOID row of its own with a NEW e-payment ID (2009 rows), or
	 * the purchase row itself turned VOIDPURCHASE (2016 rows). Config `voidReceipt` picks which.
	 */
	showVoid(p: CardPayment): void {
		const list = this.listOf(p.patientid, p.departmentid);
		if (this.sim.config.voidReceipt === 'voidPurchase') {
			const purchase = list.find((receipt) => receipt.epaymentid === p.epaymentid && receipt.type === 'PURCHASE');
			if (purchase) purchase.type = 'VOIDPURCHASE';
			return;
		}
		list.push({ ...receiptOf(p, 'VOID', p.voidDate ?? ''), epaymentid: this.ledger.newEpaymentId() });
	}

	private listOf(patientId: string, departmentId: string): Receipt[] {
		const key = `${patientId}|${departmentId}`;
		let list = this.receipts.get(key);
		if (!list) this.receipts.set(key, (list = []));
		return list;
	}

	private getReceipts(request: ApiRequest, id: string): Reply {
		if (!seedData().patients.has(id)) return err(404, 'The patient is not found.');
		const dept = request.query.get('departmentid');
		if (!dept) {
			return err(400, 'Additional fields are required.', 'departmentid is required.', { missingfields: ['departmentid'] });
		}
		if (!DEPARTMENTS.some((d) => d.departmentid === dept)) {
			return err(400, 'Invalid department ID.', `Department ${dept} does not exist in this practice.`);
		}
		return ok((this.receipts.get(`${id}|${dept}`) ?? []).map((r) => ({ ...r })));
	}

	/** Sends the receipt of a card payment; never touches the patient's email on file. */
	private emailReceipt(request: ApiRequest, patientId: string, eid: string): Reply {
		const f = request.form;
		const address = (f.email !== undefined && f.email !== '' ? f.email : f.emailaddress ?? '').trim();
		if (!address) {
			return err(400, 'Additional fields are required.', 'An email address is required (email).', {
				missingfields: ['email'],
			});
		}
		if (address.length > 254 || !/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(address)) {
			return err(400, 'Invalid email address.', 'Send one valid email address.');
		}
		const p = this.ledger.cardPayment(eid);
		if (!p || p.patientid !== patientId) return err(404, 'The payment was not found.');
		const stored = { patientid: patientId, departmentid: p.departmentid, epaymentid: eid };
		this.ledger.add(request, 'email', stored, { ...f });
		return ok([{ success: 'true' }]);
	}

	/**
	 * athena's answer here is not recorded anywhere public: written the way its receipts are (every value a string,
	 * amounts without trailing zeros), so the node's reading of it cannot lean on a friendly shape. Config
	 * `paymentHistoryShape` picks the guessed flat list or the catalogue's per-patient one.
	 */
	private paymentHistory(request: ApiRequest): Reply {
		const list = request.query.get('patientidlist');
		if (!list) {
			return err(400, 'Additional fields are required.', 'patientidlist is required.', { missingfields: ['patientidlist'] });
		}
		const start = request.query.get('startdate');
		const end = request.query.get('enddate');
		const startKey = start ? dateKey(start) : 0;
		const endKey = end ? dateKey(end) : 99999999;
		if (startKey === null || endKey === null) return err(400, 'Invalid date.', 'startdate and enddate must be mm/dd/yyyy.');
		const catalogue = this.sim.config.paymentHistoryShape === 'catalogue';
		const payments: Array<Record<string, unknown>> = [];
		const perPatient: Array<{ patientid: string; payments: Array<Record<string, unknown>> }> = [];
		for (const pid of list.split(',').map((s) => s.trim())) {
			const own = this.ledger.history(pid).filter((h) => h.dateKey >= startKey && h.dateKey <= endKey);
			if (!catalogue) payments.push(...own.map(guessedHistoryRow));
			else if (own.length) perPatient.push({ patientid: pid, payments: own.map(catalogueHistoryRow) });
		}
		if (catalogue) return ok({ paymenthistory: perPatient, totalcount: perPatient.length });
		return ok({ payments, totalcount: payments.length });
	}
}

function receiptOf(p: SeedCardPayment, type: 'PURCHASE' | 'VOID', requestdate: string): Receipt {
	return {
		epaymentid: p.epaymentid,
		amount: athenaAmount(p.cents),
		cardnumberlast4digits: p.last4,
		cardtypeabbreviation: p.cardtype.abbreviation,
		cardtypename: p.cardtype.name,
		type,
		requestdate,
	};
}

/** athena-style amount, negative for a void. */
function historyAmount({ entry }: HistoryItem): string {
	const cents = parseMoney(entry.amount ?? '0') ?? 0;
	return entry.kind === 'void' ? `-${athenaAmount(cents)}` : athenaAmount(cents);
}

function last4Of({ entry }: HistoryItem): string | undefined {
	return entry.form.cardnumberlast4 ?? entry.form.accountnumberlast4;
}

/** The simulator's guess (`paymentHistoryShape: 'guessed'`): a flat list of receipt-like rows. */
function guessedHistoryRow(h: HistoryItem): Record<string, unknown> {
	const e = h.entry;
	const last4 = last4Of(h);
	return {
		patientid: e.patientid,
		departmentid: e.departmentid,
		...(e.paymentbatchid ? { paymentbatchid: e.paymentbatchid } : {}),
		...(e.epaymentid ? { epaymentid: e.epaymentid } : {}),
		amount: historyAmount(h),
		paymentmethod: h.paymentmethod,
		...(e.form.checknumber ? { checknumber: e.form.checknumber } : {}),
		...(last4 ? { cardnumberlast4: last4 } : {}),
		postdate: h.postdate,
		type: e.kind === 'record' ? 'RECORDED' : e.kind === 'collect' ? 'PURCHASE' : 'VOID',
	};
}

/** The catalogue's fields: the amount under `payments`, the check number or card digits under one name. */
function catalogueHistoryRow(h: HistoryItem): Record<string, unknown> {
	const e = h.entry;
	const last4 = last4Of(h);
	return {
		payments: historyAmount(h),
		method: h.paymentmethod,
		...(e.form.checknumber || last4 ? { checkccnumber: e.form.checknumber ?? last4 } : {}),
		...(e.epaymentid ? { epaymentid: e.epaymentid, epaymentreceiptid: e.epaymentid } : {}),
		dateofservice: h.postdate,
		originalplan: '',
		...(e.form.nameoncard ? { nameoncard: e.form.nameoncard } : {}),
		placeofpayment: e.kind === 'collect' ? 'CCP' : 'Front desk',
	};
}
