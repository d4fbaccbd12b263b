/** What every athena area of the simulator reads and counts in: the configuration, the simulated clock, the stats. */
import { InputError, defaultConfig, mergeConfig, validateConfigInput } from './config';
import type { SimulatorConfig, SimulatorConfigInput, SimulatorStats } from './types';

function emptyStats(): SimulatorStats {
	return {
		tokenRequests: 0,
		tokensIssued: 0,
		tokenRefusals429: 0,
		apiRequests: 0,
		throttled: 0,
		faultsInjected: 0,
		refusedPayments: 0,
		declines: 0,
	};
}

export class Simulation {
	config: SimulatorConfig = defaultConfig();
	stats: SimulatorStats = emptyStats();
	private clockOffsetMs = 0;

	/** The simulated clock (ms): the machine's, moved forward by advanceTime. */
	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	/** Defaults + `config`, clock offset 0, zero stats. Checks `config` before changing anything. */
	reset(config?: SimulatorConfigInput): void {
		this.config = mergeConfig(defaultConfig(), validateConfigInput(config));
		this.clockOffsetMs = 0;
		this.stats = emptyStats();
	}

	configure(partial: SimulatorConfigInput): void {
		this.config = mergeConfig(this.config, validateConfigInput(partial));
	}

	/** A copy, safe to hand out. */
	configCopy(): SimulatorConfig {
		return { ...this.config, rateLimit: { ...this.config.rateLimit }, practiceIds: [...this.config.practiceIds] };
	}

	/** Moves the simulated clock forward (token expiry, token/duplicate windows, dates). */
	advanceTime(seconds: number): void {
		if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
			throw new InputError('seconds must be a non-negative number');
		}
		this.clockOffsetMs += seconds * 1000;
	}
}
