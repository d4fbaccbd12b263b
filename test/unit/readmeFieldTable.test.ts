import { readFileSync } from 'node:fs';

import { README, readmeTable, renderFieldTable } from '../../scripts/docs/fieldTable';

describe('README field table', () => {
	it('states the same rules the node validates with (run `npm run docs` after changing a rule)', () => {
		expect(readmeTable(readFileSync(README, 'utf8'))).toBe(renderFieldTable());
	});
});
