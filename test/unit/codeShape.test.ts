/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { FUNCTION_LINE_LIMIT, codeShape } from '../../scripts/codeShape';

const root = path.resolve(__dirname, '../..');

describe('the shipped code keeps its limits (scripts/codeShape.ts)', () => {
	const shape = codeShape(root, ['nodes', 'credentials']);

	it('has no import cycle, type-only imports included', () => {
		expect(shape.cycles).toEqual([]);
	});

	it(`has no function over ${FUNCTION_LINE_LIMIT} lines`, () => {
		expect(shape.longFunctions).toEqual([]);
	});

	it('measures what it claims: a cycle through a type-only import and a long function are found', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-shape-'));
		try {
			fs.mkdirSync(path.join(dir, 'src'));
			fs.writeFileSync(path.join(dir, 'src/a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
			const body = Array.from({ length: FUNCTION_LINE_LIMIT }, (_, line) => `\tconst v${line} = ${line};`).join('\n');
			fs.writeFileSync(path.join(dir, 'src/b.ts'), `import type { A } from './a';\nexport type B = { a?: A };\nexport function long(): void {\n${body}\n}\n`);
			const fixture = codeShape(dir, ['src']);
			expect(fixture.cycles).toEqual([['src/a.ts', 'src/b.ts']]);
			expect(fixture.longFunctions).toEqual([{ where: 'src/b.ts:3 long', lines: FUNCTION_LINE_LIMIT + 2 }]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
