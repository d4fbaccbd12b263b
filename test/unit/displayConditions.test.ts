import { NodeHelpers } from 'n8n-workflow';

import { N8N_LINES } from '../../scripts/lib/n8n-install';
import type { RuleEngine } from '../displayConditions';
import { disagreements, nodeDescriptions, ruleEngineOfLine, unsafeConditions, walkDisplayConditions } from '../displayConditions';

/**
 * Display rules that cannot fail under load (issue 22, deliverable 5): none uses a regular expression or a String
 * method, and every condition of every node version evaluates, with the same result, under the rule engine of each
 * pinned n8n line installed under .cache/ (the e2e installs them; its smoke test walks them on every line too).
 */
const reference = walkDisplayConditions(NodeHelpers as unknown as RuleEngine);

describe('display conditions', () => {
	it.each(nodeDescriptions().map((described) => [described.label, described.description] as const))('%s only compares values', (_, description) => {
		expect(unsafeConditions(description)).toEqual([]);
	});

	it('every condition evaluates under the n8n-workflow this package builds against', () => {
		expect(reference.failures).toEqual([]);
		expect(reference.conditions).toBeGreaterThan(100);
		expect(reference.forms.size).toBeGreaterThan(100);
	});

	it('a payment method mapped from a column shows both reference fields and asks for neither', () => {
		for (const version of [1, 2, 3]) {
			const form = reference.forms.get(`athenahealth v${version} ${JSON.stringify({ resource: 'payment', operation: 'record', paymentMethod: '={{ $json.method }}' })}`);
			expect(JSON.parse(form ?? '{}')).toMatchObject({ shown: expect.arrayContaining(['checkNumber', 'cardLast4']), issues: {} });
		}
	});

	// Each line installed under .cache/; on a fresh clone none is before `npm run e2e`, whose smoke test walks them all.
	const installed = N8N_LINES.flatMap((version) => {
		const engine = ruleEngineOfLine(version);
		return engine ? [[version, engine] as const] : [];
	});
	if (installed.length) {
		it.each(installed)('n8n %s evaluates every condition and shows the same fields', (_, engine) => {
			const walk = walkDisplayConditions(engine);
			expect(walk.failures.slice(0, 5)).toEqual([]);
			expect(disagreements(reference, walk)).toEqual([]);
		});
	}
});
