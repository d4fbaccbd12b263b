/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IConnections, INode } from 'n8n-workflow';

import { useStack } from './stack';

const stackOf = useStack();

// A workflow as n8n saved it with version 1 (only non-default parameters kept): whatever later versions change, this
// must go on posting exactly the same form to athena.
const saved = JSON.parse(readFileSync(join(__dirname, '../fixtures/saved-v1-record-workflow.json'), 'utf8')) as {
	nodes: INode[];
	connections: IConnections;
};

describe('a workflow saved with version 1', () => {
	it('loads and posts the same check through the versioned node', async () => {
		const stack = stackOf();
		const result = await stack.engine.run({ id: 'saved-v1', nodes: saved.nodes, connections: saved.connections });
		expect(result.error).toBeUndefined();
		expect(stack.simulator.ledger().map((entry) => entry.form)).toEqual([
			{ departmentid: '1', paymentmethod: 'CHECK', checknumber: '1042', otheramount: '40.00' },
		]);
		expect(result.outputOf('athenahealth', 0)[0].json).toMatchObject({ status: 'posted', totalAmount: '40.00' });
	});
});
