import { sleep } from 'n8n-workflow';

/**
 * Keeps every rolling one-second window at or under `perSecond` sends, across all concurrent rows of one execution,
 * and lets a throttling answer pause everyone at once (athena's limit is per app, not per row).
 */
export class RateLimiter {
	private readonly sentAt: number[] = [];

	private turn: Promise<void> = Promise.resolve();

	private pausedUntil = 0;

	// A few milliseconds of slack: the server's clock sees our sends slightly later and less evenly than we do.
	constructor(
		private readonly perSecond: number,
		private readonly slackMs = 15,
	) {}

	async acquire(): Promise<void> {
		const mine = this.turn.then(async () => await this.waitForSlot());
		this.turn = mine.catch(() => undefined);
		await mine;
	}

	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	private async waitForSlot(): Promise<void> {
		for (;;) {
			const now = Date.now();
			if (now < this.pausedUntil) {
				await sleep(this.pausedUntil - now);
				continue;
			}
			if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) return;
			while (this.sentAt.length && now - this.sentAt[0] >= 1000 + this.slackMs) this.sentAt.shift();
			if (this.sentAt.length < this.perSecond) {
				this.sentAt.push(now);
				return;
			}
			await sleep(this.sentAt[0] + 1000 + this.slackMs - now);
		}
	}
}
