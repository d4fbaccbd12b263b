import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { addDays, athenaDateOfDay, easternDay } from '../../../../shared/dates';
import { STORE_MAX_ENTRIES } from './store';

/**
 * The claim log: how far back the duplicate memory reaches. n8n's processed-data store keeps the newest STORE_MAX_ENTRIES keys of
 * the node and silently forgets older ones, so an old sheet re-run would post again. The node counts the keys it
 * writes per US Eastern day in the workflow's static data (a few numbers: days it no longer needs are dropped); from
 * that it knows the first day whose keys are all still held, and refuses rows dated before it.
 *
 * Keys the log did not see written (before this version, or by executions whose static data n8n did not save) are
 * counted once, from the store's own count, when the log starts; they are taken as older than every logged day.
 */
interface ClaimLogData extends IDataObject {
	/** The Eastern day the log started. */
	since: string;
	/** Keys in the store when the log started (all older than `since`), less those pushed out since. */
	untracked: number;
	/** Keys written per Eastern day (yyyy-mm-dd). */
	days: Record<string, number>;
}

const isLog = (value: unknown): value is ClaimLogData =>
	typeof value === 'object' &&
	value !== null &&
	typeof (value as ClaimLogData).since === 'string' &&
	typeof (value as ClaimLogData).untracked === 'number' &&
	typeof (value as ClaimLogData).days === 'object';

export class ClaimLog {
	private constructor(private readonly data: ClaimLogData) {}

	/**
	 * The node's log. A real run starts one when there is none, counting the keys already stored (`countStored`); a
	 * dry run (no `countStored`) reads only a saved one. Undefined when there is none and the store cannot be counted.
	 */
	static async open(
		context: IExecuteFunctions,
		countStored?: () => Promise<number>,
	): Promise<ClaimLog | undefined> {
		const staticData = context.getWorkflowStaticData('node');
		if (isLog(staticData.claimLog)) return new ClaimLog(staticData.claimLog);
		if (!countStored) return undefined;
		let untracked: number;
		try {
			untracked = await countStored();
		} catch {
			return undefined;
		}
		const data: ClaimLogData = { since: easternDay(), untracked, days: {} };
		staticData.claimLog = data;
		return new ClaimLog(data);
	}

	recorded(count: number): void {
		if (count <= 0) return;
		const today = easternDay();
		this.data.days[today] = (this.data.days[today] ?? 0) + count;
	}

	released(count: number): void {
		const today = easternDay();
		if (this.data.days[today]) this.data.days[today] = Math.max(0, this.data.days[today] - count);
	}

	/** Whether keys written before this version (key version 1) may still be in the store. */
	legacyMayRemain(): boolean {
		this.rememberedFrom();
		return this.data.untracked > 0;
	}

	/** The first Eastern day (yyyy-mm-dd) all of whose keys the store still holds; undefined when it forgot none. */
	rememberedFrom(): string | undefined {
		const days = Object.keys(this.data.days).sort().reverse();
		let newer = 0;
		for (const day of days) {
			newer += this.data.days[day];
			if (newer >= STORE_MAX_ENTRIES) {
				// Everything older is gone from the store: its counts are no longer needed.
				for (const older of days) if (older < day) delete this.data.days[older];
				this.data.untracked = 0;
				return addDays(day, 1);
			}
		}
		this.data.untracked = Math.min(this.data.untracked, STORE_MAX_ENTRIES - newer);
		// A full store may have pushed out keys older than the log: only the logged days are known to be whole.
		return newer + this.data.untracked >= STORE_MAX_ENTRIES ? this.data.since : undefined;
	}
}

/** Why a row dated before the memory's reach is refused, and what to do. */
export function beyondReachError(
	what: string,
	rememberedFrom: string,
): { message: string; description: string } {
	return {
		message: `${what} is before ${athenaDateOfDay(rememberedFrom)}, the oldest day this node's duplicate memory still holds in full, so an earlier posting of it may have been forgotten`,
		description: `n8n keeps the newest ${STORE_MAX_ENTRIES.toLocaleString('en-US')} duplicate-check keys of this node and forgets older ones. Nothing was sent for this row. Check the patient's account in athenaOne: if the payment is not there, post this row with Post Again.`,
	};
}
