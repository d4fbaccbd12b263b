/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { GENERATED_BLOCKS, README, readmeBlock } from '../../scripts/docs/readmeBlocks';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(README, 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** `owner/name` from package.json's repository (the GitHub repository the npm page links to). */
const repo = String(pkg.repository.url).match(/github\.com\/([^/]+\/[^/.]+)(\.git)?$/)![1];

/** Every image the README shows: markdown `![alt](url)` and HTML `<img src="url">`. */
function readmeImages(): string[] {
	const markdown = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
	const html = [...readme.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
	return [...markdown, ...html];
}

/** Every link target that is not an image, a web address or an anchor on the same page. */
function relativeLinks(): string[] {
	return [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]).filter((url) => !/^(https?:|mailto:|#)/.test(url));
}

describe('README generated blocks', () => {
	it.each(Object.keys(GENERATED_BLOCKS))('%s states what the node runs on (run `npm run docs` after a change)', (name) => {
		expect(readmeBlock(readme, name)).toBe(GENERATED_BLOCKS[name]());
	});
});

describe('README on the npm page (which resolves no relative paths)', () => {
	it('shows images by absolute raw.githubusercontent.com URLs of files in this repository', () => {
		const images = readmeImages();
		expect(images.length).toBeGreaterThan(0);
		const prefix = `https://raw.githubusercontent.com/${repo}/main/`;
		for (const url of images) {
			expect(url.startsWith(prefix)).toBe(true);
			expect(existsSync(join(ROOT, url.slice(prefix.length)))).toBe(true);
		}
	});

	it('links to files by absolute GitHub URLs of files in this repository', () => {
		expect(relativeLinks()).toEqual([]);
		const prefix = new RegExp(`^https://github\\.com/${repo}/(blob|tree)/main/(.+)$`);
		for (const [, url] of readme.matchAll(/\]\((https:\/\/github\.com\/[^)\s]+)\)/g)) {
			const local = url.match(prefix);
			if (local) expect(existsSync(join(ROOT, local[2]))).toBe(true);
		}
	});
});
