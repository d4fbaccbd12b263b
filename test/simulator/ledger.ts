/**
 * What athena stored: every payment operation (the ledger tests read), the card payments (for void, receipts and
 * email), and the numbering of e-payment IDs and payment batches.
 */
import { parseMoney } from './formats';
import type { ApiRequest } from './replies';
import { FIRST_LIVE_EPAYMENT_ID, FIRST_PAYMENT_BATCH_ID, type SeedCardPayment } from './seed';
import type { Simulation } from './simulation';
import type { LedgerEntry, LedgerKind } from './types';

export interface CardPayment extends SeedCardPayment {
	/** Made while the simulator ran (not seeded): settled by settle() watermarks. */
	live: boolean;
}

/** How a stored payment shows in the payment history (recordpayment, collectpayment, voidpayment). */
export interface HistoryFacts {
	postdate: string;
	dateKey: number;
	paymentmethod: string;
}

export interface HistoryItem extends HistoryFacts {
	entry: LedgerEntry;
}

export class Ledger {
	private entries: LedgerEntry[] = [];
	private historyByPatient = new Map<string, HistoryItem[]>();
	private cardPayments = new Map<string, CardPayment>();
	private nextEpaymentId = FIRST_LIVE_EPAYMENT_ID;
	private nextBatchId = FIRST_PAYMENT_BATCH_ID;
	private settledThrough = 0; // live epaymentids <= this are settled
	private seq = 0;

	constructor(private readonly sim: Simulation) {}

	reset(seeded: SeedCardPayment[]): void {
		this.entries = [];
		this.historyByPatient.clear();
		this.cardPayments.clear();
		this.nextEpaymentId = FIRST_LIVE_EPAYMENT_ID;
		this.nextBatchId = FIRST_PAYMENT_BATCH_ID;
		this.settledThrough = 0;
		this.seq = 0;
		for (const p of seeded) this.cardPayments.set(p.epaymentid, { ...p, live: false });
	}

	/** Stores one operation; it counts as answered until a *-after fault swallows the answer. */
	add(
		request: ApiRequest,
		kind: LedgerKind,
		data: Omit<LedgerEntry, 'seq' | 'kind' | 'answered' | 'at' | 'form'>,
		form: Record<string, string>,
		history?: HistoryFacts,
	): LedgerEntry {
		const entry: LedgerEntry = {
			seq: ++this.seq,
			kind,
			...data,
			form,
			answered: true,
			at: new Date(this.sim.now()).toISOString(),
		};
		this.entries.push(entry);
		request.entries.push(entry);
		if (history) {
			let list = this.historyByPatient.get(entry.patientid);
			if (!list) this.historyByPatient.set(entry.patientid, (list = []));
			list.push({ entry, ...history });
		}
		return entry;
	}

	/** Copies, oldest first. */
	list(): LedgerEntry[] {
		return this.entries.map((e) => ({ ...e, form: { ...e.form } }));
	}

	history(patientId: string): HistoryItem[] {
		return this.historyByPatient.get(patientId) ?? [];
	}

	newEpaymentId(): string {
		return String(this.nextEpaymentId++);
	}

	newBatchId(): string {
		return String(this.nextBatchId++);
	}

	addCardPayment(payment: CardPayment): void {
		this.cardPayments.set(payment.epaymentid, payment);
	}

	cardPayment(epaymentId: string): CardPayment | undefined {
		return this.cardPayments.get(epaymentId);
	}

	/** Settled payments can no longer be voided (config `settled` settles them all). */
	isSettled(p: CardPayment): boolean {
		return this.sim.config.settled || p.settled || (p.live && Number(p.epaymentid) <= this.settledThrough);
	}

	/** Every card payment so far is settled. */
	settle(): void {
		this.settledThrough = this.nextEpaymentId - 1;
		for (const p of this.cardPayments.values()) if (!p.live) p.settled = true;
	}

	/** Copay cents recorded or collected against an appointment (what athena shows as collectedforappointment). */
	collectedForAppointment(appointmentId: string): number {
		let cents = 0;
		for (const entry of this.entries) {
			if ((entry.kind === 'record' || entry.kind === 'collect') && entry.form.appointmentid === appointmentId) {
				cents += parseMoney(entry.form.copayamount ?? '') ?? 0;
			}
		}
		return cents;
	}
}
