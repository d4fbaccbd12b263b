/** The simulator's configuration: defaults, the checks of what tests and the admin API send, and the merge. */
import { DATE_RE } from './formats';
import { DEFAULT_CLOSE_DATE } from './seed';
import type { SimulatorConfig, SimulatorConfigInput } from './types';

/** Bad input to an admin call (config, faults, time, appointment actions): the admin API answers 400 with it. */
export class InputError extends Error {}

export function defaultConfig(): SimulatorConfig {
	return {
		latencyMs: 0,
		rateLimit: { perSecond: null, status: 429, retryAfterSeconds: null },
		tokenLifetimeSeconds: 3600,
		tokenLimitPerMinute: 5,
		closeDate: DEFAULT_CLOSE_DATE,
		settled: false,
		duplicateWindowSeconds: 600,
		practiceIds: [],
		voidReceipt: 'voidRow',
		paymentHistoryShape: 'guessed',
	};
}

const CONFIG_KEYS = Object.keys(defaultConfig());

export function isNonNegInt(v: unknown): v is number {
	return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Checks a partial config (admin or in-process input); throws InputError with a readable message. */
export function validateConfigInput(input: unknown): SimulatorConfigInput {
	if (input === undefined || input === null) return {};
	if (typeof input !== 'object' || Array.isArray(input)) throw new InputError('config must be an object');
	const c = input as Record<string, unknown>;
	for (const k of Object.keys(c)) if (!CONFIG_KEYS.includes(k)) throw new InputError(`unknown config key "${k}"`);
	for (const k of ['latencyMs', 'tokenLimitPerMinute', 'duplicateWindowSeconds']) {
		if (k in c && !isNonNegInt(c[k])) throw new InputError(`${k} must be a non-negative integer`);
	}
	if ('tokenLifetimeSeconds' in c && !(typeof c.tokenLifetimeSeconds === 'number' && c.tokenLifetimeSeconds > 0)) {
		throw new InputError('tokenLifetimeSeconds must be a positive number');
	}
	if ('closeDate' in c && !(typeof c.closeDate === 'string' && DATE_RE.test(c.closeDate))) {
		throw new InputError('closeDate must be mm/dd/yyyy');
	}
	if ('settled' in c && typeof c.settled !== 'boolean') throw new InputError('settled must be a boolean');
	if ('voidReceipt' in c && c.voidReceipt !== 'voidRow' && c.voidReceipt !== 'voidPurchase') {
		throw new InputError('voidReceipt must be "voidRow" or "voidPurchase"');
	}
	if ('paymentHistoryShape' in c && c.paymentHistoryShape !== 'guessed' && c.paymentHistoryShape !== 'catalogue') {
		throw new InputError('paymentHistoryShape must be "guessed" or "catalogue"');
	}
	if (
		'practiceIds' in c &&
		!(Array.isArray(c.practiceIds) && c.practiceIds.every((p) => typeof p === 'string' && /^\d+$/.test(p)))
	) {
		throw new InputError('practiceIds must be an array of numeric strings');
	}
	if ('rateLimit' in c) validateRateLimit(c.rateLimit);
	return c as SimulatorConfigInput;
}

function validateRateLimit(r: unknown): void {
	if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new InputError('rateLimit must be an object');
	const rl = r as Record<string, unknown>;
	for (const k of Object.keys(rl)) {
		if (!['perSecond', 'status', 'retryAfterSeconds'].includes(k)) throw new InputError(`unknown rateLimit key "${k}"`);
	}
	if ('perSecond' in rl && rl.perSecond !== null && !(isNonNegInt(rl.perSecond) && rl.perSecond > 0)) {
		throw new InputError('rateLimit.perSecond must be a positive integer or null');
	}
	if ('status' in rl && rl.status !== 429 && rl.status !== 403) throw new InputError('rateLimit.status must be 429 or 403');
	if ('retryAfterSeconds' in rl && rl.retryAfterSeconds !== null && !isNonNegInt(rl.retryAfterSeconds)) {
		throw new InputError('rateLimit.retryAfterSeconds must be a non-negative integer or null');
	}
}

export function mergeConfig(base: SimulatorConfig, input: SimulatorConfigInput): SimulatorConfig {
	const { rateLimit, ...rest } = input;
	const merged: SimulatorConfig = { ...base, ...rest, rateLimit: { ...base.rateLimit, ...(rateLimit ?? {}) } };
	merged.practiceIds = [...merged.practiceIds];
	return merged;
}
