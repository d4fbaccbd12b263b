/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: a rule that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * What `npm run dev` imports into its editor: every example must run there as it is, from "Execute workflow". n8n
 * 2.x refuses to read or write a file outside N8N_RESTRICT_FILE_ACCESS_TO, so a file node left at the example's own
 * path (/home/node/…) ends the run on a red node ("The file or directory does not exist").
 */
import { isAbsolute, join, relative } from 'node:path';

import { devExamples, EXAMPLE_FILES, filePathOf, fileNodes, loadExample, POSTING_BATCHES_NODE, POSTING_READ_NODE, POSTING_WRITE_NODE, prepareExample } from '../e2e/helpers';

const filesDir = join('/tmp', 'dev-n8n', 'files');
const imported = devExamples(filesDir);

/** The folder of a path that may be an n8n expression ending in one (`=/…/results-{{ $now… }}.csv`). */
const folderOf = (file: string) => file.replace(/^=/, '').replace(/\/[^/]*$/, '');
const outsideFilesDir = (workflow: { nodes: unknown[] }) =>
	fileNodes(workflow)
		.map((node) => ({ node: node.name, path: filePathOf(node) }))
		.filter(({ path }) => {
			const rest = relative(filesDir, folderOf(path));
			return rest.startsWith('..') || isAbsolute(rest);
		});

describe('npm run dev: the examples it imports', () => {
	it('are the examples the dev script offers, in order', () => {
		expect(imported.map((workflow) => workflow.id)).toEqual(Object.values(EXAMPLE_FILES).map((file) => loadExample(file).id));
	});

	it('the posting example reads and writes files in the dev files folder only: the payments, the results and the batches', () => {
		const posting = imported.find((workflow) => workflow.id === loadExample(EXAMPLE_FILES.posting).id);
		expect(fileNodes(posting).map((node) => node.name).sort()).toEqual([POSTING_READ_NODE, POSTING_BATCHES_NODE, POSTING_WRITE_NODE].sort());
		expect(outsideFilesDir(posting)).toEqual([]);
		// payments.csv is the file the dev script writes there; the written files keep the example's names (expressions).
		const pathOf = (name: string) => filePathOf(fileNodes(posting).find((node) => node.name === name));
		expect(pathOf(POSTING_READ_NODE)).toBe(join(filesDir, 'payments.csv'));
		expect(pathOf(POSTING_BATCHES_NODE)).toMatch(new RegExp(`^=${filesDir}/batches-\\{\\{.*\\}\\}\\.csv$`));
	});

	it.each(Object.values(EXAMPLE_FILES))('%s: no file node outside the dev files folder', (file) => {
		expect(outsideFilesDir(imported.find((workflow) => workflow.id === loadExample(file).id))).toEqual([]);
	});
});

describe('preparing an example for another n8n (the demo, the e2e tests)', () => {
	it('refuses to leave a file node at the example\'s own path when paths are given', () => {
		const example = loadExample(EXAMPLE_FILES.posting);
		expect(() => prepareExample(example, { files: { [POSTING_READ_NODE]: '/x/payments.csv', [POSTING_WRITE_NODE]: '/x/results.csv' } })).toThrow(
			`file node "${POSTING_BATCHES_NODE}"`,
		);
	});
});
