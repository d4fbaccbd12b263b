/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FieldRule } from '../../nodes/Athenahealth/shared/fieldRules';
import { cardFieldRules, emailAddressRule, ePaymentIdRule, lookupDateRules, paymentFieldRules } from '../../nodes/Athenahealth/shared/fieldRules';

import { POSTING_STATUSES } from '../../nodes/Athenahealth/actions/payment/posting/statuses';

/**
 * The README's field table and status list come from the same definitions the node runs on: `npm run docs` rewrites
 * them, and a test fails when the README and the node disagree.
 */
export const README = join(__dirname, '..', '..', 'README.md');

export function renderFieldTable(): string {
	const rows = (group: string, rules: Record<string, FieldRule>) =>
		Object.values(rules).map((rule) => `| ${group} | ${rule.displayName} | \`${rule.athenaField}\` | ${`${rule.required ? 'Required. ' : ''}${rule.rule}`.replace(/\|/g, '\\|')} |`);
	return [
		'| Used by | Field | athena field | Rule |',
		'|---|---|---|---|',
		...rows('Record, Collect', paymentFieldRules),
		...rows('Collect', cardFieldRules),
		...rows('Void, Email receipt', { ePaymentIdRule }),
		...rows('Email receipt', { emailAddressRule }),
		...rows('Appointment Get Many', { startDate: lookupDateRules.startDate, endDate: lookupDateRules.endDate }),
		...rows('Patient Search', { dateOfBirth: lookupDateRules.dateOfBirth }),
	].join('\n');
}

export function renderStatusTable(): string {
	return ['| status | meaning |', '|---|---|', ...Object.entries(POSTING_STATUSES).map(([status, meaning]) => `| \`${status}\` | ${meaning} |`)].join('\n');
}

/** The generated blocks of the README, by marker name. */
export const GENERATED_BLOCKS: Record<string, () => string> = {
	'field-rules': renderFieldTable,
	'posting-statuses': renderStatusTable,
};

export function readmeBlock(readme: string, name: string): string | undefined {
	const start = readme.indexOf(`<!-- ${name}:start -->`);
	const end = readme.indexOf(`<!-- ${name}:end -->`);
	return start >= 0 && end > start ? readme.slice(start + `<!-- ${name}:start -->`.length, end).trim() : undefined;
}

if (require.main === module) {
	let readme = readFileSync(README, 'utf8');
	for (const [name, render] of Object.entries(GENERATED_BLOCKS)) {
		const startMarker = `<!-- ${name}:start -->`;
		const start = readme.indexOf(startMarker);
		const end = readme.indexOf(`<!-- ${name}:end -->`);
		if (start < 0 || end < start) throw new Error(`README.md has no ${name} block`);
		readme = `${readme.slice(0, start + startMarker.length)}\n${render()}\n${readme.slice(end)}`;
	}
	writeFileSync(README, readme);
	console.log('README.md generated blocks updated');
}
