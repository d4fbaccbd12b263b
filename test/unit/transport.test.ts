import { describeHttpFailure, isThrottleAnswer } from '../../nodes/Athenahealth/transport/failure';
import { parseAthenaJson, readAthenaBody, unwrapOne } from '../../nodes/Athenahealth/transport/parse';
import { redactCardData } from '../../nodes/Athenahealth/shared/redact';

describe("reading athena's answers", () => {
	it('parses JSON that starts with blank lines and unwraps one-record arrays', () => {
		expect(unwrapOne(parseAthenaJson('\n\n[{"patientid":"1"}]'))).toEqual({ patientid: '1' });
		expect(parseAthenaJson('<html>Bad Gateway</html>')).toBeUndefined();
	});

	it('reads both error shapes', () => {
		expect(readAthenaBody('\n\n{"error":"The patient is not found.","detailedmessage":"No such patient","missingfields":["departmentid"]}')).toEqual({
			error: 'The patient is not found.',
			detailedMessage: 'No such patient',
			missingFields: ['departmentid'],
		});
		expect(readAthenaBody('[{"success":"false","errortext":"EXPIRED CARD"}]').error).toBe('EXPIRED CARD');
		expect(readAthenaBody('\n\n{"errormessage":"Not allowed.","detailedmessage":"Ask athena."}')).toMatchObject({ error: 'Not allowed.', detailedMessage: 'Ask athena.' });
	});
});

describe('what a failure says about whether athena acted', () => {
	const axiosLike = (status: number, data: string, headers: Record<string, string> = {}) => ({
		message: 'Request failed',
		cause: { message: 'axios', response: { status, data, headers } },
	});

	it('tells throttling (429, or 403 "Developer Over Qps") from refusals', () => {
		expect(describeHttpFailure(axiosLike(429, '{"error":"Too many requests"}', { 'Retry-After': '2' }))).toMatchObject({
			kind: 'throttled',
			headers: { 'retry-after': '2' },
		});
		expect(describeHttpFailure(axiosLike(403, '<h1>Developer Over Qps</h1>')).kind).toBe('throttled');
		expect(describeHttpFailure(axiosLike(403, '{"error":"Forbidden"}')).kind).toBe('refused');
		expect(describeHttpFailure(axiosLike(404, '\n\n{"error":"The payment can no longer be voided."}')).kind).toBe('refused');
		expect(isThrottleAnswer(403, 'Developer Over Rate')).toBe(true);
	});

	it('treats 5xx, resets and timeouts as unknown, and refused connections as never sent', () => {
		expect(describeHttpFailure(axiosLike(502, '<html>Bad Gateway</html>')).kind).toBe('unknown');
		expect(describeHttpFailure({ message: 'socket hang up', code: 'ECONNRESET' }).kind).toBe('unknown');
		expect(describeHttpFailure({ message: 'timeout', cause: { code: 'ECONNABORTED' } }).kind).toBe('unknown');
		expect(describeHttpFailure({ message: 'connect', cause: { code: 'ECONNREFUSED' } }).kind).toBe('notSent');
	});

	it('recognises a token endpoint that refuses tokens', () => {
		const limited = describeHttpFailure({ message: 'Failed to acquire OAuth2 access token: rate_limited', cause: { code: 'EAUTH', body: { error: 'rate_limited' } } });
		expect(limited).toMatchObject({ kind: 'notSent', tokenProblem: 'rateLimited' });
		const badClient = describeHttpFailure({ message: 'Failed to acquire OAuth2 access token: Client authentication failed', cause: { code: 'EAUTH', body: { error: 'invalid_client' } } });
		expect(badClient).toMatchObject({ kind: 'notSent', tokenProblem: 'badClient' });
	});
});

describe('redactCardData', () => {
	it('keeps only the last four digits of anything that looks like a card number', () => {
		expect(redactCardData('card 4111 1111 1111 1111 refused')).toBe('card ••••1111 refused');
		expect(redactCardData('patient 12345 paid 20.00')).toBe('patient 12345 paid 20.00');
	});
});
