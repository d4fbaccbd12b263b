/**
 * The card of a `collectpayment`: swiped (`trackdata`) or keyed (`accountnumber` and the fields that go with it).
 * Error texts never contain the card number.
 */
import { luhnValid } from './cards';
import type { eastern } from './easternTime';
import { echoingAnswer } from './echoingCards';
import { isTrue } from './formats';
import { type Reply, bad, missing } from './replies';

export interface CardRead {
	pan: string;
	/** A swiped card whose track expiry is past (athena then declines it: EXPIRED CARD). */
	trackExpired: boolean;
}

type Today = ReturnType<typeof eastern>;

const KEYED_FIELDS = [
	'accountnumber',
	'cardsecuritycode',
	'expirationmonthmm',
	'expirationyearyyyy',
	'nameoncard',
	'billingaddress',
	'billingzip',
];

export function readCard(f: Record<string, string>, today: Today): CardRead | Reply {
	const has = (k: string) => f[k] !== undefined && f[k] !== '';
	if (has('trackdata')) return readSwipedCard(f, has, today);
	return readKeyedCard(f, has, today);
}

/** Track 2 `;PAN=YYMM` or track 1 `%BPAN^NAME^YYMM`; not with ecommercemode, not with accountnumber. */
function readSwipedCard(f: Record<string, string>, has: (k: string) => boolean, today: Today): CardRead | Reply {
	if (isTrue(f.ecommercemode)) {
		return bad('trackdata cannot be used with ecommercemode.', 'Swiped card data is not allowed for e-commerce payments.');
	}
	if (has('accountnumber')) {
		return bad('Send either trackdata or the keyed card fields.', 'accountnumber cannot be combined with trackdata.');
	}
	const t = /;(\d{13,19})=(\d{2})(\d{2})/.exec(f.trackdata) ?? /%B(\d{13,19})\^[^^]*\^(\d{2})(\d{2})/.exec(f.trackdata);
	if (!t || !luhnValid(t[1])) return bad('Invalid trackdata.', 'The card track data could not be read.');
	const yy = 2000 + Number(t[2]);
	const mm = Number(t[3]);
	return { pan: t[1], trackExpired: yy * 100 + mm < today.year * 100 + today.month };
}

/** Every keyed field is required; then number (Luhn), code, expiry (not past), name, address, zip, in that order. */
function readKeyedCard(f: Record<string, string>, has: (k: string) => boolean, today: Today): CardRead | Reply {
	const required = KEYED_FIELDS.filter((k) => !has(k));
	if (required.length > 0) return missing(required);
	const pan = f.accountnumber;
	if (!/^\d{13,19}$/.test(pan)) return bad('Invalid card number.', 'accountnumber must be 13 to 19 digits.');
	if (!luhnValid(pan)) return bad('Invalid card number.', 'The card number failed the check digit test.');
	if (!/^\d{3,4}$/.test(f.cardsecuritycode)) {
		return bad('Invalid card security code.', 'cardsecuritycode must be 3 or 4 digits.');
	}
	if (!/^(0[1-9]|1[0-2])$/.test(f.expirationmonthmm)) {
		return bad('Invalid expiration month.', 'expirationmonthmm must be 01 to 12.');
	}
	if (!/^\d{4}$/.test(f.expirationyearyyyy)) {
		return bad('Invalid expiration year.', 'expirationyearyyyy must be four digits.');
	}
	if (Number(f.expirationyearyyyy) * 100 + Number(f.expirationmonthmm) < today.year * 100 + today.month) {
		return bad('The card has expired.', 'The expiration date is in the past.');
	}
	if (f.nameoncard.length > 30) return bad('Invalid nameoncard.', 'nameoncard may hold at most 30 characters.');
	if (f.billingaddress.length > 20) {
		return bad('Invalid billingaddress.', 'billingaddress may hold at most 20 characters.');
	}
	if (!/^(\d{5}|\d{9})$/.test(f.billingzip)) return bad('Invalid billingzip.', 'billingzip must be 5 or 9 digits.');
	return echoingAnswer(pan, f.cardsecuritycode) ?? { pan, trackExpired: false };
}
