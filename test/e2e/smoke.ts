/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Smoke: the packed tarball, installed the way users install community packages, loads in a real n8n on each
 * pinned line, which then lists the node type and its credential type; and that line's own display-rule engine
 * evaluates every display condition of every node version (test/displayConditions.ts).
 *
 *   npx tsx --test test/e2e/smoke.ts
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { NodeHelpers } from 'n8n-workflow';
import { installCommunityPackage, startN8n, tempDir } from '../../scripts/lib/n8n-instance';
import { disagreements, ruleEngineOfLine, walkDisplayConditions } from '../displayConditions';
import { CREDENTIAL_TYPE, NODE_TYPE, n8nVersions, PACKAGE_NAME, projectTarball } from './helpers';

/** What the n8n-workflow this package builds against says; every line must say the same (issue 22, deliverable 5). */
const reference = walkDisplayConditions(NodeHelpers as never);

for (const version of n8nVersions()) {
	test(`n8n ${version}'s own rule engine evaluates every display condition of every node version, as 2.41 does`, () => {
		const engine = ruleEngineOfLine(version);
		assert.ok(engine, `n8n ${version} is installed under .cache/`);
		const walk = walkDisplayConditions(engine);
		assert.deepEqual(walk.failures.slice(0, 5), []);
		assert.deepEqual(disagreements(reference, walk), []);
		assert.equal(walk.evaluations, reference.evaluations);
	});

	test(`n8n ${version} lists ${NODE_TYPE} after installing the packed tarball`, { timeout: 15 * 60_000 }, async () => {
		const tgz = await projectTarball();
		const userFolder = tempDir(`e2e-smoke-${version}-`);
		const name = await installCommunityPackage(userFolder, tgz);
		assert.equal(name, PACKAGE_NAME);
		const n8n = await startN8n({ version, userFolder });
		try {
			const types = await n8n.nodeTypes();
			const node = types.find((t) => t.name === NODE_TYPE);
			assert.ok(node, `${NODE_TYPE} not among the ${types.length} node types; n8n log: ${n8n.process.logFile}`);
			// Every node version loads, the one new nodes open at (3) included.
			const versions = types.filter((t) => t.name === NODE_TYPE).flatMap((t) => (Array.isArray(t.version) ? t.version : [t.version]));
			assert.deepEqual([...new Set(versions)].sort(), [1, 2, 3]);
			const creds = await n8n.rest<any>('GET', '/types/credentials.json');
			const list: Array<{ name: string }> = Array.isArray(creds) ? creds : creds.data;
			assert.ok(list.some((c) => c.name === CREDENTIAL_TYPE), `${CREDENTIAL_TYPE} not among the credential types`);
			assert.doesNotMatch(n8n.process.output(), /Unrecognized node type|could not be loaded|Failed to load/i);
		} finally {
			await n8n.stop();
			fs.rmSync(userFolder, { recursive: true, force: true });
		}
	});
}
