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
