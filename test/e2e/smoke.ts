/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Smoke: the packed tarball, installed the way users install community packages, loads in a real n8n on each
 * pinned line, which then lists the node type and its credential type; and that line's own display-rule engine
 * evaluates every display condition of every node version (test/displayConditions.ts).
 *
 * n8n's installer gate: with N8N_UNVERIFIED_PACKAGES_ENABLED=false (n8n warns it will become the default), n8n 2.41.1
 * refuses to install the package from Settings → Community Nodes (its REST endpoint, what the editor calls), and a
 * manual install still loads.
 *
 *   npx tsx --test test/e2e/smoke.ts
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { log } from '../../scripts/lib/common';
import type { N8nInstance } from '../../scripts/lib/n8n-instance';
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

/** The lines where n8n warns that N8N_UNVERIFIED_PACKAGES_ENABLED will default to false. */
const GATED_LINES = ['2.41.1'];

/** A REST call that may be refused: status and n8n's message, as the editor receives them. */
async function answerOf(n8n: N8nInstance, method: string, urlPath: string, body?: unknown): Promise<{ status: number; message: string; data: any }> {
	const res = await fetch(n8n.url + urlPath, {
		method,
		headers: { cookie: n8n.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let parsed: any;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = { message: text };
	}
	return { status: res.status, message: String(parsed?.message ?? ''), data: parsed?.data };
}

for (const version of n8nVersions().filter((line) => GATED_LINES.includes(line))) {
	test(`n8n ${version} with N8N_UNVERIFIED_PACKAGES_ENABLED=false: Settings → Community Nodes refuses ${PACKAGE_NAME}; the manual install loads`, { timeout: 15 * 60_000 }, async () => {
		const tgz = await projectTarball();
		const userFolder = tempDir(`e2e-gate-${version}-`);
		const env = { N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' };
		let n8n = await startN8n({ version, userFolder, env });
		try {
			const settings = await n8n.rest<any>('GET', '/rest/settings');
			assert.equal((settings.data ?? settings).unverifiedCommunityNodesEnabled, false);
			assert.equal((settings.data ?? settings).communityNodesEnabled, true);

			// What the editor's "Install a community node" sends (its button is disabled in this mode; the API says why).
			const unverified = await answerOf(n8n, 'POST', '/rest/community-packages', { name: PACKAGE_NAME });
			assert.ok(unverified.status >= 400, `refused: ${unverified.status}`);
			assert.match(unverified.message, /Installation of unverified community packages is forbidden!/);
			// What the nodes panel sends for a verified package: n8n's list of verified packages does not hold it.
			const verified = await answerOf(n8n, 'POST', '/rest/community-packages', { name: PACKAGE_NAME, verify: true });
			assert.equal(verified.status, 400);
			assert.match(verified.message, new RegExp(`Package ${PACKAGE_NAME} is not vetted for installation`));
			log(`installer gate on ${version}: ${unverified.status} "${unverified.message}"; verify: ${verified.status} "${verified.message}"`);
			await n8n.stop();

			// The manual install (npm in ~/.n8n/nodes), with the gate still closed.
			assert.equal(await installCommunityPackage(userFolder, tgz), PACKAGE_NAME);
			n8n = await startN8n({ version, userFolder, env });
			const types = await n8n.nodeTypes();
			assert.ok(types.some((t) => t.name === NODE_TYPE), `${NODE_TYPE} loads with the gate closed`);
			assert.ok(types.some((t) => t.name === `${PACKAGE_NAME}.athenahealthTrigger`), 'the Trigger loads too');
			// Settings → Community Nodes lists only what its installer installed.
			const listed = await n8n.rest<any>('GET', '/rest/community-packages');
			assert.deepEqual(listed.data ?? listed, []);
			assert.doesNotMatch(n8n.process.output(), /could not be loaded|Failed to load/i);
		} finally {
			await n8n.stop();
			fs.rmSync(userFolder, { recursive: true, force: true });
		}
	});
}
