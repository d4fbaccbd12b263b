/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseAthenaJson } from '../../nodes/Athenahealth/transport/parse';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** The raw text athena sent (or the project wrote from its facts), byte for byte: "\n\n" and "\/" escapes kept. */
export function rawBody(file: string): string {
	return fs.readFileSync(path.join(FIXTURES, file), 'utf8');
}

/** A recorded body read the way the node reads every answer (parseAthenaJson). */
export function body(file: string): unknown {
	return parseAthenaJson(rawBody(file));
}

/** Response bodies (not request files) under a fixtures folder, e.g. `athena-recorded/departments`. */
export function bodiesIn(folder: string): string[] {
	return fs
		.readdirSync(path.join(FIXTURES, folder))
		.filter((name) => name.endsWith('.json') && !name.endsWith('.request.json'))
		.map((name) => `${folder}/${name}`);
}

export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** Path → the JSON types seen there. Array elements are `path[]`; object keys `path.key`. */
export type TypeTree = Map<string, Set<JsonType>>;

function jsonType(value: unknown): JsonType {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value as JsonType;
}

export function typeTree(value: unknown, tree: TypeTree = new Map(), at = '$'): TypeTree {
	const type = jsonType(value);
	if (!tree.has(at)) tree.set(at, new Set());
	tree.get(at)!.add(type);
	if (type === 'array') for (const element of value as unknown[]) typeTree(element, tree, `${at}[]`);
	if (type === 'object') for (const [key, child] of Object.entries(value as object)) typeTree(child, tree, `${at}.${key}`);
	return tree;
}

export function mergeTrees(trees: TypeTree[]): TypeTree {
	const merged: TypeTree = new Map();
	for (const tree of trees) for (const [at, types] of tree) for (const type of types) (merged.get(at) ?? merged.set(at, new Set()).get(at)!).add(type);
	return merged;
}

/**
 * Where `actual` (the simulator's answer) differs from `recorded`: a type athena never sent at a path, or a path athena
 * never sent. `unrecordedOk` lists paths (or path prefixes ending in ".") the simulator may add, each for a reason.
 */
export function treeMismatches(actual: TypeTree, recorded: TypeTree, unrecordedOk: readonly string[] = []): string[] {
	const problems: string[] = [];
	for (const [at, types] of actual) {
		const seen = recorded.get(at);
		if (!seen) {
			if (!unrecordedOk.some((allowed) => at === allowed || (allowed.endsWith('.') && at.startsWith(allowed)))) problems.push(`${at}: never recorded`);
			continue;
		}
		for (const type of types) if (!seen.has(type)) problems.push(`${at}: ${type} where athena sent ${[...seen].join(' or ')}`);
	}
	return problems;
}
