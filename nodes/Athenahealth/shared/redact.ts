/** Runs of 12 or more digits (spaces or dashes between) look like card numbers: keep only the last four. */
const CARD_LIKE = /\d(?:[ -]?\d){11,18}/g;

export function redactCardNumbers(text: string): string {
	return text.replace(CARD_LIKE, (match) => `••••${match.replace(/\D/g, '').slice(-4)}`);
}

export function lastFour(cardNumber: string): string {
	return cardNumber.replace(/\D/g, '').slice(-4);
}
