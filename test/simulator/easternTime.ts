/** US Eastern wall time, the zone athena's dates and processed-time windows are written in (the simulator's one clock reading). */
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

export function easternParts(ms: number): Record<string, string> {
	const parts: Record<string, string> = {};
	for (const part of EASTERN.formatToParts(new Date(ms))) parts[part.type] = part.value;
	return parts;
}

/** "mm/dd/yyyy HH:MM:SS" in US Eastern, athena's date-time format. */
export function easternDateTime(ms: number): string {
	const p = easternParts(ms);
	return `${p.month}/${p.day}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

export function easternDate(ms: number): string {
	return easternDateTime(ms).slice(0, 10);
}

/** Reads "mm/dd/yyyy[ HH:MM[:SS]]" as US Eastern wall time; undefined when it is not one. */
export function parseEasternDateTime(text: string): number | undefined {
	const m = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
	if (!m) return undefined;
	const wall = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
	const offsetAt = (ms: number) => {
		const p = easternParts(ms);
		return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - ms;
	};
	let guess = wall - offsetAt(wall);
	guess = wall - offsetAt(guess);
	return guess;
}

/** { date: "mm/dd/yyyy", time: "HH:MM:SS", key: yyyymmdd } in US Eastern time. */
export function eastern(ms: number): { date: string; time: string; key: number; year: number; month: number } {
	const parts = easternParts(ms);
	const year = Number(parts.year);
	const month = Number(parts.month);
	return {
		date: `${parts.month}/${parts.day}/${parts.year}`,
		time: `${parts.hour}:${parts.minute}:${parts.second}`,
		key: year * 10000 + month * 100 + Number(parts.day),
		year,
		month,
	};
}
