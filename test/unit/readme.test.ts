/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';
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

describe('README for the front desk (issue 23)', () => {
	const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
	const section = readme.slice(readme.indexOf('## First five minutes at the front desk'), readme.indexOf('## Quick start (developers)'));
	/** Every operation's action as n8n's node panel lists it, in the newest node version. */
	const actions = (() => {
		const node = new Athenahealth();
		const description = node.getNodeType(node.currentVersion).description;
		return description.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => (property.options ?? []).map((option) => String((option as { action?: string }).action)));
	})();

	it('opens with a first-five-minutes walk for the front desk, before the developers\' quick start', () => {
		expect(headings.slice(0, 2)).toEqual(['First five minutes at the front desk', 'Quick start (developers)']);
	});

	it('walks find a patient → record cash → email the receipt with the actions the node panel really lists', () => {
		const walked = ['Search patients', 'Record a payment', 'Collect a card payment', 'Email a receipt'];
		for (const action of walked) {
			expect(actions).toContain(action);
			expect(section).toContain(`**${action}**`);
		}
		expect(section.indexOf('Search patients')).toBeLessThan(section.indexOf('Record a payment'));
		expect(section.indexOf('Record a payment')).toBeLessThan(section.indexOf('Email a receipt'));
	});

	it('says in plain words what keys, static data, Continue On Fail and Post Again are', () => {
		for (const word of ['**Post Again**', '**Continue On Fail**', '**keys**', '**static data**']) expect(section).toContain(word);
		// No developer words in the walk itself.
		expect(section).not.toMatch(/\$json|npm |idempoten|processed_data|checkProcessedAndRecord/);
	});

	it("keeps the developers' quick start that .ci/run runs", () => {
		const quickStart = readme.slice(readme.indexOf('## Quick start (developers)'));
		const block = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1] ?? '';
		const commands = block.split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean);
		expect(commands).toEqual(['npm ci', 'npm run demo', 'npm test']);
		const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n').filter((line) => /^npm /.test(line));
		expect(ci).toEqual(['npm ci', 'npm test']);
	});
});

describe('README for the people who install and use the node (issue 26)', () => {
	it('stays at most 250 lines: design notes, figures and development live in docs/', () => {
		expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(250);
	});
});
