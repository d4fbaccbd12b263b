/**
 * A movable wall clock for engine tests: only `Date` is faked (timers, setImmediate, nextTick and performance stay
 * real, so HTTP, the rate limiter's waits and n8n-core run as usual), and it keeps ticking from where it was set. The
 * node, n8n-core and the in-process simulator all read this one clock, so "re-run after midnight" moves all of them.
 */
const REAL_TIMERS = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as const;

/** Sets the wall clock to `at` (an ISO time with its offset, or ms); it runs on from there in real time. */
export function setWallClock(at: string | number): void {
	const ms = typeof at === 'number' ? at : Date.parse(at);
	if (Number.isNaN(ms)) throw new Error(`not a time: ${String(at)}`);
	jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: ms, advanceTimers: true });
}

/** Back to the real clock. */
export function restoreWallClock(): void {
	jest.useRealTimers();
}
