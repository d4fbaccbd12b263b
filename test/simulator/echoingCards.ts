/**
 * Test cards whose refusal repeats the card number and the security code, as some processors' texts do: athena
 * passes their text on. The node must not pass it further.
 */

/** HTTP 400 whose error and detailedmessage repeat the card (spaced, dotted, slashed, double-spaced) and the code. */
export const CARD_REFUSED_ECHOING = '4000000000000119';
/** HTTP 200 [{"success":"false","errortext":"…"}] whose decline text repeats the card and the code. */
export const CARD_DECLINED_ECHOING = '4000000000000127';

const spaced = (pan: string, separator: string) => pan.match(/.{1,4}/g)!.join(separator);

/** The answer for an echoing card, or undefined for every other card. */
export function echoingAnswer(pan: string, securityCode: string): { status: number; body: unknown; blankLines?: boolean } | undefined {
	if (pan === CARD_REFUSED_ECHOING) {
		return {
			status: 400,
			blankLines: true,
			body: {
				error: `Card ${spaced(pan, ' ')} refused cvv ${securityCode}`,
				detailedmessage: `Processor said: account ${spaced(pan, '.')} / ${spaced(pan, '/')} / ${spaced(pan, '  ')} / ${spaced(pan, '-')} / ${pan}, security code ${securityCode} did not match.`,
			},
		};
	}
	if (pan === CARD_DECLINED_ECHOING) {
		return { status: 200, body: [{ success: 'false', errortext: `DECLINED ${spaced(pan, ' ')} CVV ${securityCode}` }] };
	}
	return undefined;
}
