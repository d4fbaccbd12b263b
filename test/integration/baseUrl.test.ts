/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { AthenahealthOAuth2Api } from '../../credentials/AthenahealthOAuth2Api.credentials';
import { baseUrlProblem } from '../../nodes/Athenahealth/transport/athenaClient';
import { CLIENT_SECRET } from '../simulator';
import { everythingSaid, startStack } from './stack';

describe('a Custom base URL on plain http://', () => {
	it.each(['http://athena.example.com', 'http://10.0.0.5:8080', 'http://localhost.example.com', 'HTTP://proxy.internal/'])('%s is refused', (url) => {
		expect(baseUrlProblem(url)?.message).toContain('plain http://');
	});
	it.each(['https://api.example.com', 'http://127.0.0.1:8787', 'http://localhost:3000/', 'http://[::1]:9000', 'http://localhost'])('%s is taken', (url) => {
		expect(baseUrlProblem(url)).toBeUndefined();
	});

	it('stops the node with a clear error, before any token or card is sent, naming no secret', async () => {
		const stack = await startStack({ credential: { baseUrl: 'http://athena.example.com:1/secret-path' } });
		try {
			const run = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: '1' } });
			expect(run.error?.message).toBe("The credential's Custom Base URL uses plain http://");
			expect(run.error?.description).toContain('127.0.0.1, ::1, localhost');
			expect(everythingSaid(run)).not.toContain(CLIENT_SECRET);
			expect(everythingSaid(run)).not.toContain('secret-path');
			expect(stack.simulator.stats().tokenRequests ?? 0).toBe(0);
		} finally {
			await stack.close();
		}
	});

	it("the credential's token and test URLs never point at it (n8n's own token request and the credential test)", () => {
		const credential = new AthenahealthOAuth2Api();
		const tokenUrl = String(credential.properties.find((p) => p.name === 'accessTokenUrl')?.default);
		const testUrl = String(credential.test.request.baseURL);
		// The same JavaScript n8n's expression evaluates, run on a credential's values.
		const evaluate = (expression: string, name: string, values: Record<string, string>) =>
			new Function(name, `return (${expression.replace(/^=\{\{/, '').replace(/\}\}$/, '')});`)(values) as string;
		for (const [url, expected] of [
			['http://athena.example.com', 'https://plain-http-base-url-refused-use-https.invalid'],
			['http://127.0.0.1:8787/', 'http://127.0.0.1:8787'],
			['https://proxy.example.com/', 'https://proxy.example.com'],
		]) {
			const values = { environment: 'custom', baseUrl: url };
			expect(evaluate(tokenUrl, '$self', values)).toBe(`${expected}/oauth2/v1/token`);
			expect(evaluate(testUrl, '$credentials', values)).toBe(expected);
		}
	});
});
