/**
 * Runs `worker(0…count-1)` with at most `limit` in flight, starting them in order. Once `shouldStop()` is true no new
 * index starts; the ones in flight finish.
 */
export async function runWithLimit(
	count: number,
	limit: number,
	worker: (index: number) => Promise<void>,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < count && !shouldStop()) await worker(next++);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
}
