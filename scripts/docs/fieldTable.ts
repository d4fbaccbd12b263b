import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FieldRule } from '../../nodes/Athenahealth/shared/fieldRules';
import { cardFieldRules, emailAddressRule, ePaymentIdRule, paymentFieldRules } from '../../nodes/Athenahealth/shared/fieldRules';

/**
 * The README's field table comes from the same rules the node validates with: `npm run docs` rewrites it, and a test
 * fails when the README and the rules disagree.
 */
const START = '<!-- field-rules:start -->';
const END = '<!-- field-rules:end -->';
export const README = join(__dirname, '..', '..', 'README.md');

export function renderFieldTable(): string {
	const rows = (group: string, rules: Record<string, FieldRule>) =>
		Object.values(rules).map((rule) => `| ${group} | ${rule.displayName} | \`${rule.athenaField}\` | ${rule.rule.replace(/\|/g, '\\|')} |`);
	return [
		'| Used by | Field | athena field | Rule |',
		'|---|---|---|---|',
		...rows('Record, Collect', paymentFieldRules),
		...rows('Collect', cardFieldRules),
		...rows('Void, Email receipt', { ePaymentIdRule }),
		...rows('Email receipt', { emailAddressRule }),
	].join('\n');
}

export function readmeTable(readme: string): string | undefined {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	return start >= 0 && end > start ? readme.slice(start + START.length, end).trim() : undefined;
}

if (require.main === module) {
	const readme = readFileSync(README, 'utf8');
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
	writeFileSync(README, `${readme.slice(0, start + START.length)}\n${renderFieldTable()}\n${readme.slice(end)}`);
	console.log('README.md field table updated');
}
