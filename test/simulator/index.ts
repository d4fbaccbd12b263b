/**
 * athenaOne sandbox simulator: entry point for tests, the demo, e2e and benchmarks.
 *
 *   const sim = await startSimulator();           // 127.0.0.1, random port
 *   // credential: base URL sim.url, client id CLIENT_ID, secret CLIENT_SECRET, practice PRACTICE_ID
 *   sim.configure({ rateLimit: { perSecond: 5 } });
 *   sim.ledger();                                  // what athena "stored"
 *   await sim.close();
 */
import type { SimulatorControls } from './admin';
import type { AnswerOverride } from './answerOverrides';
import type { AppointmentFeed } from './appointmentFeed';
import { SimulatorServer } from './server';
import { PRACTICE_ID } from './seed';
import type { SimulatorConfigInput } from './types';

export * from './seed';
export * from './echoingCards';
export * from './types';
export type { AnswerOverride } from './answerOverrides';
export { AppointmentFeedAdmin, SimulatorAdmin } from './admin-client';
export { NO_SUBSCRIPTION_ERROR } from './appointmentFeed';
export { defaultConfig } from './config';
export { DAILY_QUOTA } from './server';

export interface StartOptions extends SimulatorConfigInput {
	/** 0 (default) = a random free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
}

/**
 * A running simulator. Its controls (reset, configure, config, addFaults, clearFaults, faults, ledger, stats,
 * requests, expireTokens, settle, advanceTime) are declared in admin.ts, which serves the same ones over HTTP.
 */
export interface AthenaSimulator extends SimulatorControls {
	/** e.g. http://127.0.0.1:43123 (no trailing slash). */
	readonly url: string;
	readonly port: number;
	/** `${url}/oauth2/v1/token` */
	readonly tokenUrl: string;
	/** `${url}/v1/${PRACTICE_ID}` */
	readonly practiceUrl: string;
	close(): Promise<void>;
	/** athena processes matching requests as usual, then gives this answer instead (see answerOverrides.ts). */
	overrideAnswers(...overrides: AnswerOverride[]): number;
	/** The changed-appointments feed and its admin actions (check in, check out, cancel …): appointmentFeed.ts. */
	readonly appointments: AppointmentFeed;
}

export async function startSimulator(options: StartOptions = {}): Promise<AthenaSimulator> {
	const { port = 0, host = '127.0.0.1', ...config } = options;
	const core = new SimulatorServer(config);
	const address = await core.listen(port, host);
	const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const url = `http://${urlHost}:${address.port}`;
	return {
		url,
		port: address.port,
		tokenUrl: `${url}/oauth2/v1/token`,
		practiceUrl: `${url}/v1/${PRACTICE_ID}`,
		close: () => core.close(),
		...core.controls,
		overrideAnswers: (...overrides) => core.answerOverrides.add(overrides),
		appointments: core.appointmentFeed,
	};
}
