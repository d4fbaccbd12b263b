/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * `npx tsx scripts/codeShape.ts [folders…]`: the shape of the shipped code (default nodes/ and credentials/): files,
 * lines, functions over 80 lines, import cycles (type-only imports included), lines over 120 characters. Read with
 * TypeScript's own parser; test/unit/codeShape.test.ts holds the shipped code to the limits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const FUNCTION_LINE_LIMIT = 80;
export const LINE_LENGTH_LIMIT = 120;

export interface CodeShape {
	files: number;
	lines: number;
	longFunctions: Array<{ where: string; lines: number }>;
	cycles: string[][];
	longLines: number;
}

function tsFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return tsFiles(full);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

function functionName(node: ts.Node): string {
	if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText();
	if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
	if (ts.isPropertyAssignment(node.parent)) return node.parent.name.getText();
	return '(anonymous)';
}

export function codeShape(root: string, folders: string[]): CodeShape {
	const files = folders.flatMap((folder) => tsFiles(path.join(root, folder)));
	const shape: CodeShape = { files: files.length, lines: 0, longFunctions: [], cycles: [], longLines: 0 };
	const imports = new Map<string, string[]>();
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		const lines = text.split('\n');
		shape.lines += lines.length;
		shape.longLines += lines.filter((line) => line.replace(/\t/g, '    ').length > LINE_LENGTH_LIMIT).length;
		const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
		const targets: string[] = [];
		const visit = (node: ts.Node) => {
			if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
				const spec = node.moduleSpecifier.text;
				if (spec.startsWith('.')) {
					const base = path.resolve(path.dirname(file), spec);
					const target = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
					if (target) targets.push(target);
				}
			}
			if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
				const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
				const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
				if (end - start + 1 > FUNCTION_LINE_LIMIT) {
					shape.longFunctions.push({ where: `${path.relative(root, file)}:${start + 1} ${functionName(node)}`, lines: end - start + 1 });
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
		imports.set(file, targets);
	}
	shape.cycles = findCycles(imports).map((cycle) => cycle.map((file) => path.relative(root, file)));
	return shape;
}

/** Strongly connected groups of more than one file (Tarjan), each one an import cycle. */
function findCycles(graph: Map<string, string[]>): string[][] {
	let index = 0;
	const indexOf = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const groups: string[][] = [];
	const connect = (node: string) => {
		indexOf.set(node, index);
		low.set(node, index++);
		stack.push(node);
		onStack.add(node);
		for (const next of graph.get(node) ?? []) {
			if (!indexOf.has(next)) {
				connect(next);
				low.set(node, Math.min(low.get(node)!, low.get(next)!));
			} else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
		}
		if (low.get(node) === indexOf.get(node)) {
			const group: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				group.push(member);
			} while (member !== node);
			if (group.length > 1 || (graph.get(node) ?? []).includes(node)) groups.push(group.sort());
		}
	};
	for (const node of graph.keys()) if (!indexOf.has(node)) connect(node);
	return groups;
}

if (require.main === module) {
	const root = path.resolve(__dirname, '..');
	const folders = process.argv.slice(2).length ? process.argv.slice(2) : ['nodes', 'credentials'];
	const shape = codeShape(root, folders);
	console.log(`files ${shape.files}, lines ${shape.lines}, lines over ${LINE_LENGTH_LIMIT} characters ${shape.longLines}`);
	console.log(`functions over ${FUNCTION_LINE_LIMIT} lines: ${shape.longFunctions.length}`);
	for (const fn of shape.longFunctions.sort((a, b) => b.lines - a.lines)) console.log(`  ${fn.lines} ${fn.where}`);
	console.log(`import cycles: ${shape.cycles.length}`);
	for (const cycle of shape.cycles) console.log(`  ${cycle.length} files: ${cycle.join(', ')}`);
}
