import { CLIENT_SECRET } from '../simulator';
import { everythingSaid, startStack, until, useStack } from './stack';

const getPatients = (count: number) => ({
	parameters: { resource: 'patient', operation: 'get', patientId: { mode: 'id', value: '={{ $json.id }}' } },
	input: Array.from({ length: count }, (_, index) => ({ id: String(index + 1) })),
});

describe('transport against the simulator, through the real engine and n8n-core OAuth2', () => {
	// A new token per test: the engine keeps the token in the credential across runs, as n8n does.
	const stackOf = useStack({ freshToken: true });
	let stack: ReturnType<typeof stackOf>;
	beforeEach(() => {
		stack = stackOf();
	});

	it('fetches one token and reuses it across items and executions', async () => {
		const { parameters, input } = getPatients(12);
		await stack.run(parameters, { input });
		const second = await stack.run(parameters, { input });
		expect(second.json).toHaveLength(12);
		expect(stack.simulator.stats().tokensIssued).toBe(1);
	});

	it('survives a token that expires mid-run: one new token, no lost item', async () => {
		stack.simulator.configure({ latencyMs: 40 });
		const { parameters, input } = getPatients(24);
		const running = stack.run(parameters, { input });
		await until(() => stack.simulator.stats().apiRequests >= 6);
		stack.simulator.expireTokens();
		const run = await running;
		expect(run.error).toBeUndefined();
		expect(run.json.map((patient) => patient.patientId)).toEqual(input.map((row) => row.id));
		expect(stack.simulator.stats().tokensIssued).toBe(2);
		expect(stack.simulator.requests().some((request) => request.status === 401)).toBe(true);
	});

	it("waits out the token endpoint's 429 instead of failing the run", async () => {
		stack.simulator.configure({ tokenLimitPerMinute: 1 });
		const { parameters, input } = getPatients(3);
		await stack.run(parameters, { input });
		stack.simulator.expireTokens();
		const running = stack.run(parameters, { input });
		await until(() => stack.simulator.stats().tokenRefusals429 >= 1);
		stack.simulator.advanceTime(61);
		const run = await running;
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(3);
		expect(stack.simulator.stats().tokensIssued).toBe(2);
	}, 30000);

	it('retries a GET answered 500 and succeeds', async () => {
		stack.simulator.addFaults({ method: 'GET', path: '^/departments$', kind: '500-before', count: 2 });
		const run = await stack.run({ resource: 'department', operation: 'getAll', returnAll: true });
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(5); // the portal-hidden department included (showalldepartments=true)
	});

	it('waits out throttling (403 "Developer Over Qps" and 429) and loses nothing', async () => {
		for (const status of [403, 429] as const) {
			stack.simulator.reset({ rateLimit: { perSecond: 2, status } });
			const { parameters, input } = getPatients(8);
			const run = await stack.run(parameters, { input });
			expect(run.error).toBeUndefined();
			expect(run.json).toHaveLength(8);
			expect(stack.simulator.stats().throttled).toBeGreaterThan(0);
		}
	}, 60000);

	it('explains a gateway page that is not JSON', async () => {
		stack.simulator.addFaults({ method: 'GET', path: '^/departments$', kind: '502-html-before' });
		const run = await stack.run({ resource: 'department', operation: 'getAll', returnAll: true });
		expect(run.error?.message).toBe('athena did not answer: athena answered HTTP 502');
		expect(run.error?.description).toContain('Bad Gateway');
	}, 30000);

	it('shows athena\'s error text for a business-state 404, not a generic "not found"', async () => {
		const run = await stack.run({ resource: 'patient', operation: 'get', patientId: { mode: 'id', value: '999999' } });
		expect(run.error?.message).toBe('athena: The patient is not found.');
	});
});

describe('credential mistakes are named, without secrets', () => {
	it('a wrong client secret', async () => {
		const stack = await startStack({ credential: { clientSecret: 'wrong-secret-value' } });
		try {
			const run = await stack.run({ resource: 'department', operation: 'getAll', returnAll: true });
			expect(run.error?.message).toContain('Could not get an access token from athena');
			expect(run.error?.description).toContain('Client ID or Client Secret');
			expect(everythingSaid(run)).not.toContain('wrong-secret-value');
			expect(everythingSaid(run)).not.toContain(CLIENT_SECRET);
		} finally {
			await stack.close();
		}
	});

	it('a wrong practice ID', async () => {
		const stack = await startStack({ credential: { practiceId: '1959001' } });
		try {
			const run = await stack.run({ resource: 'department', operation: 'getAll', returnAll: true });
			expect(run.error?.message).toBe('athena: Invalid practice ID');
			expect(run.error?.description).toContain('not one this application can access');
		} finally {
			await stack.close();
		}
	});
});
