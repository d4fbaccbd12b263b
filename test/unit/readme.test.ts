import { readFileSync } from 'node:fs';

import { GENERATED_BLOCKS, README, readmeBlock } from '../../scripts/docs/readmeBlocks';

describe('README generated blocks', () => {
	it.each(Object.keys(GENERATED_BLOCKS))('%s states what the node runs on (run `npm run docs` after a change)', (name) => {
		expect(readmeBlock(readFileSync(README, 'utf8'), name)).toBe(GENERATED_BLOCKS[name]());
	});
});
