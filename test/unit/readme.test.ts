/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { readFileSync } from 'node:fs';

import { GENERATED_BLOCKS, README, readmeBlock } from '../../scripts/docs/readmeBlocks';

describe('README generated blocks', () => {
	it.each(Object.keys(GENERATED_BLOCKS))('%s states what the node runs on (run `npm run docs` after a change)', (name) => {
		expect(readmeBlock(readFileSync(README, 'utf8'), name)).toBe(GENERATED_BLOCKS[name]());
	});
});
