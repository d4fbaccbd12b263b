/**
 * athena's calendar: its dates and card days are US Eastern, whatever the n8n instance's or the workflow's time zone.
 * Days are yyyy-mm-dd (they sort as text); today's Eastern day is shared/easternTime.ts `easternDay`.
 */
/** The day `count` days after (or, negative, before) a yyyy-mm-dd day. */
export function addDays(day: string, count: number): string {
	const [year, month, date] = day.split('-').map(Number);
	return new Date(Date.UTC(year, month - 1, date + count)).toISOString().slice(0, 10);
}

/** mm/dd/yyyy (athena's form, checked before) as yyyy-mm-dd. */
export function dayOfAthenaDate(date: string): string {
	const [month, day, year] = date.split('/');
	return `${year}-${month}-${day}`;
}

/** yyyy-mm-dd as mm/dd/yyyy, for messages. */
export function athenaDateOfDay(day: string): string {
	const [year, month, date] = day.split('-');
	return `${month}/${date}/${year}`;
}

/** The workflow's date of `ms`, mm/dd/yyyy: what version-1 Collect keys held. */
export function workflowDate(timezone: string, ms: number): string {
	return new Intl.DateTimeFormat('en-US', {
		timeZone: timezone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).format(new Date(ms));
}

/** Noon US Eastern of an mm/dd/yyyy date (17:00 UTC is noon in winter, 1 p.m. in summer: the same Eastern day). */
export function noonEasternOf(date: string): number {
	const [month, day, year] = date.split('/').map(Number);
	return Date.UTC(year, month - 1, day, 17);
}

export const DAY_MS = 24 * 60 * 60 * 1000;
