/** The test cards of the simulator (what athena answers for each), card types, the Luhn check, track data. */

/** Approved (Visa). */
export const CARD_APPROVED = '4111111111111111';
export const CARD_APPROVED_MASTERCARD = '5555555555554444';
/** 15 digits, 4-digit CVV. */
export const CARD_APPROVED_AMEX = '378282246310005';
export const CARD_APPROVED_DISCOVER = '6011111111111117';
/** HTTP 200 [{"success":"false","errortext":"DECLINED"}]. */
export const CARD_DECLINED = '4000000000000002';
/** HTTP 200 [{"success":"false","errortext":"EXPIRED CARD"}] whatever expiry date is keyed. */
export const CARD_EXPIRED = '4000000000000069';
/** HTTP 200 [{"success":"false","errortext":"INSUFFICIENT FUNDS"}]. */
export const CARD_INSUFFICIENT_FUNDS = '4000000000009995';
/** Fails the Luhn check: HTTP 400. */
export const CARD_FAILS_LUHN = '4111111111111112';

export const CARD_DECLINE_TEXT: Readonly<Record<string, string>> = {
	[CARD_DECLINED]: 'DECLINED',
	[CARD_EXPIRED]: 'EXPIRED CARD',
	[CARD_INSUFFICIENT_FUNDS]: 'INSUFFICIENT FUNDS',
};

/** Keyed-card fields (besides accountnumber) that pass validation. */
export const VALID_CARD_FIELDS: Readonly<Record<string, string>> = {
	cardsecuritycode: '123',
	expirationmonthmm: '12',
	expirationyearyyyy: '2035',
	nameoncard: 'ROSA QUINTERO',
	billingaddress: '12 Elm St',
	billingzip: '02472',
};

/** Builds magnetic-stripe track 1+2 data for a card number (expiry YYMM, default 3512). */
export function trackDataFor(cardNumber: string, yymm = '3512', name = 'QUINTERO/ROSA'): string {
	return `%B${cardNumber}^${name}^${yymm}1010000000000000?;${cardNumber}=${yymm}1010000000000?`;
}

export function cardType(cardNumber: string): { abbreviation: string; name: string } {
	if (/^3[47]/.test(cardNumber)) return { abbreviation: 'AX', name: 'American Express' };
	if (/^(5[1-5]|2[2-7])/.test(cardNumber)) return { abbreviation: 'MC', name: 'MasterCard' };
	// athena's code for Discover is DS (recorded in departments and receipts), not DI.
	if (/^6(011|5)/.test(cardNumber)) return { abbreviation: 'DS', name: 'Discover' };
	if (/^4/.test(cardNumber)) return { abbreviation: 'VI', name: 'Visa' };
	return { abbreviation: 'OT', name: 'Other' };
}

export function luhnValid(digits: string): boolean {
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return sum % 10 === 0;
}
