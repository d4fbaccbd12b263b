/**
 * Preloaded into the benchmarked n8n (NODE_OPTIONS=--require …/probe.cjs, set by bench/n8n/run.ts and overlap.ts):
 * times every call of n8n's processed-data store (DeduplicationHelper.checkProcessedAndRecord / removeProcessed /
 * getProcessedDataCount / clearAllProcessedItems) and, inside it, the database calls of its repository (findOne /
 * update / insert / delete), and appends one JSON line per store call to $BENCH_N8N_PROBE_FILE: op, keys, scope
 * (`workflow` for the lock of storeTurns.ts, `node` for the claims), new (how many items the store took as new), at
 * (when it ended), pid, ms, dbMs, ok. It patches those two classes when
 * n8n first loads them and changes nothing else. Several processes (queue-mode workers) may append to one file.
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const { performance } = require('node:perf_hooks');

const file = process.env.BENCH_N8N_PROBE_FILE;
if (file) {
	let dbMs = 0;
	let helperPatched = false;
	let repositoryPatched = false;

	const timeDb = (proto, name) => {
		const base = Object.getPrototypeOf(proto)[name];
		proto[name] = async function (...args) {
			const start = performance.now();
			try {
				return await base.apply(this, args);
			} finally {
				dbMs += performance.now() - start;
			}
		};
	};

	const timeStore = (proto, name) => {
		const original = proto[name];
		proto[name] = async function (...args) {
			// the calls of one workflow take turns (storeTurns.ts), so the db time between start and end is this call's
			const dbBefore = dbMs;
			const start = performance.now();
			let ok = true;
			let fresh;
			try {
				const result = await original.apply(this, args);
				fresh = Array.isArray(result?.new) ? result.new.length : undefined;
				return result;
			} catch (error) {
				ok = false;
				throw error;
			} finally {
				const [first, second] = args;
				const keys = Array.isArray(first) ? first.length : 0;
				const scope = Array.isArray(first) ? second : first;
				const line = { op: name, keys, scope, new: fresh, at: Date.now(), pid: process.pid, ms: performance.now() - start, dbMs: dbMs - dbBefore, ok };
				fs.appendFileSync(file, JSON.stringify(line) + '\n');
			}
		};
	};

	// matched on the request string ("./deduplication-helper", "./processed-data.repository"): reading properties
	// of every module's exports would trip Node's warning on modules still loading (circular requires)
	const load = Module._load;
	Module._load = function (request, ...rest) {
		const exports = load.call(this, request, ...rest);
		if (typeof request !== 'string') return exports;
		try {
			if (!helperPatched && request.endsWith('deduplication-helper') && typeof exports.DeduplicationHelper === 'function') {
				helperPatched = true;
				for (const name of ['checkProcessedAndRecord', 'removeProcessed', 'getProcessedDataCount', 'clearAllProcessedItems']) {
					timeStore(exports.DeduplicationHelper.prototype, name);
				}
			}
			if (!repositoryPatched && request.endsWith('processed-data.repository') && typeof exports.ProcessedDataRepository === 'function') {
				repositoryPatched = true;
				for (const name of ['findOne', 'update', 'insert', 'delete']) timeDb(exports.ProcessedDataRepository.prototype, name);
			}
		} catch {
			/* not one of ours */
		}
		return exports;
	};
}
