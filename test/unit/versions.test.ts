/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';

const node = new Athenahealth();

describe('the versioned node', () => {
	it('opens new nodes at version 3 and still serves the v1 and v2 descriptions with their fields', () => {
		expect(node.description.defaultVersion).toBe(3);
		const v1 = node.getNodeType(1).description;
		expect(v1.version).toBe(1);
		expect(v1.properties.map((property) => property.name)).toEqual(expect.arrayContaining(['resource', 'operation', 'paymentMethod']));
		expect(node.getNodeType().description.version).toBe(3);
		expect(node.getNodeType(2).description.version).toBe(2);
		expect(node.getNodeType(3).description.version).toBe(3);
	});

	it('has icon files next to the main node file for every version (n8n resolves them from there)', () => {
		const nodeDir = join(__dirname, '../../nodes/Athenahealth');
		for (const version of Object.keys(node.nodeVersions).map(Number)) {
			const icon = node.getNodeType(version).description.icon as { light: string; dark: string };
			for (const file of [icon.light, icon.dark]) {
				expect(file).toMatch(/^file:/);
				expect(existsSync(join(nodeDir, file.slice('file:'.length)))).toBe(true);
			}
		}
	});
});
