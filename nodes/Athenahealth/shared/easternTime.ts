/**
 * athena writes receipt times as US Eastern wall time ("mm/dd/yyyy HH:MM:SS", recorded fact 27), whatever the
 * practice's own zone: reading one as an instant needs Eastern's offset on that day (daylight saving).
 */
const EASTERN = new Intl.DateTimeFormat('en-US', {
	timeZone: 'America/New_York',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});

function partsAt(ms: number): Record<string, string> {
	const parts: Record<string, string> = {};
	for (const part of EASTERN.formatToParts(new Date(ms))) parts[part.type] = part.value;
	return parts;
}

/** "yyyy-mm-dd" in US Eastern at that instant: athena's calendar day (days in this form sort as text). */
export function easternDay(ms: number = Date.now()): string {
	const p = partsAt(ms);
	return `${p.year}-${p.month}-${p.day}`;
}

/** "mm/dd/yyyy" in US Eastern at that instant. */
export function easternDate(ms: number): string {
	const p = partsAt(ms);
	return `${p.month}/${p.day}/${p.year}`;
}

/** "mm/dd/yyyy HH:MM:SS" in US Eastern at that instant. */
export function easternDateTime(ms: number): string {
	const p = partsAt(ms);
	return `${p.month}/${p.day}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

/** Reads "mm/dd/yyyy[ HH:MM[:SS]]" as US Eastern wall time; undefined when it is not one. */
export function parseEasternDateTime(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(
		text.trim(),
	);
	if (!m) return undefined;
	const wall = Date.UTC(
		Number(m[3]),
		Number(m[1]) - 1,
		Number(m[2]),
		Number(m[4] ?? 0),
		Number(m[5] ?? 0),
		Number(m[6] ?? 0),
	);
	if (!Number.isFinite(wall)) return undefined;
	const offsetAt = (ms: number) => {
		const p = partsAt(ms);
		return (
			Date.UTC(
				Number(p.year),
				Number(p.month) - 1,
				Number(p.day),
				Number(p.hour),
				Number(p.minute),
				Number(p.second),
			) - ms
		);
	};
	// Two passes settle the offset on either side of a daylight-saving change.
	const first = wall - offsetAt(wall);
	return wall - offsetAt(first);
}
