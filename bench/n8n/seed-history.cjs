/**
 * Writes a node's posting history into n8n's processed-data table the way n8n's DeduplicationHelper does
 * (n8n 2.41.1, packages/cli/src/deduplication/deduplication-helper.ts, handleHashedItems): one row per node,
 * primary key (workflowId, context = "n:<node id>"), value = JSON {"mode":"entries","data":[md5 base64 of each
 * key, oldest first]}, createdAt/updatedAt from the table's defaults.
 *
 * Run with n8n's Node 24 (node:sqlite), started by bench/n8n/run.ts:
 *   node seed-history.cjs <spec.json>   spec: { db: 'sqlite', file } | { db: 'postgres', host, port, user, database, pgModule },
 *                                         rows: [{ workflowId, nodeId, keys: string[] }]
 */
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const value = (keys) =>
	JSON.stringify({ mode: 'entries', data: keys.map((key) => createHash('md5').update(String(key)).digest('base64')) });

async function main() {
	if (spec.db === 'sqlite') {
		const { DatabaseSync } = require('node:sqlite');
		const db = new DatabaseSync(spec.file);
		db.exec('PRAGMA busy_timeout = 30000');
		const insert = db.prepare('INSERT INTO processed_data ("workflowId", "context", "value") VALUES (?, ?, ?)');
		for (const row of spec.rows) insert.run(row.workflowId, `n:${row.nodeId}`, value(row.keys));
		db.close();
	} else {
		const { Client } = require(spec.pgModule);
		const client = new Client({ host: spec.host, port: spec.port, user: spec.user, database: spec.database });
		await client.connect();
		for (const row of spec.rows) {
			await client.query('INSERT INTO processed_data ("workflowId", "context", "value") VALUES ($1, $2, $3)', [row.workflowId, `n:${row.nodeId}`, value(row.keys)]);
		}
		await client.end();
	}
	process.stdout.write(`seeded ${spec.rows.length} node histories\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
