/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('package.json', () => {
	it('names no entry point that does not ship (n8n loads the files in its n8n block; there is no index.js)', () => {
		if (pkg.main !== undefined) {
			expect(pkg.files.some((dir: string) => String(pkg.main).replace(/^\.\//, '').startsWith(`${dir}/`))).toBe(true);
		}
		expect(pkg.main).toBeUndefined();
	});

	it('npm test runs n8n-node lint exactly as n8n runs it, and the scanner on the packed tarball', () => {
		expect(pkg.scripts.lint).toBe('n8n-node lint');
		expect(pkg.scripts.test).toContain('npm run lint ');
		expect(pkg.scripts.test).toContain('npm run scan');
		expect(pkg.n8n.strict).toBe(true);
	});

	it("eslint.config.mjs is n8n-node's default (strict mode compares it with the template)", () => {
		const template = join(ROOT, 'node_modules', '@n8n', 'node-cli', 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs');
		const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();
		expect(normalise(readFileSync(join(ROOT, 'eslint.config.mjs'), 'utf8'))).toBe(normalise(readFileSync(template, 'utf8')));
	});
});

describe('the example workflows', () => {
	const files = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));

	it.each(files)('%s has an ID of at most 16 characters (n8n 1.x keeps static data only for those)', (file) => {
		const workflow = JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8'));
		expect(typeof workflow.id).toBe('string');
		expect(workflow.id.length).toBeLessThanOrEqual(16);
	});
});
