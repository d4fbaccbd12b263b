/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * `npm run dev`: the n8n editor on localhost with this package loaded, talking to the athena simulator.
 *
 * Builds and packs the package, installs the tarball into a persistent dev user folder (`.cache/dev-n8n`; the
 * package is re-installed on every start, the rest (owner, workflows, executions) is kept), starts the simulator,
 * boots n8n 2.41.1, imports the simulator credential "athenahealth account" (again on every start: the
 * simulator's URL may change) and those of the examples not yet in the database (so your edits survive a restart),
 * then prints the editor's URL and the owner's login and runs until Ctrl-C, when it stops n8n and the simulator.
 *
 *   npm run dev
 *   DEV_N8N_PORT=5680 DEV_SIMULATOR_PORT=8790 npm run dev     # other ports (defaults 5678 and 8787; a busy one is replaced by a free one)
 *   DEV_N8N_RESET=1 npm run dev                              # start from an empty dev folder
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { CACHE, log, secs } from './lib/common';
import { ensureN8n, N8N_NEWEST } from './lib/n8n-install';
import { freePort, installCommunityPackage, N8nInstance, OWNER, startN8n } from './lib/n8n-instance';
import { buildAndPack } from './lib/pack';
import { devExamples, EXAMPLE_CREDENTIAL_ID, PACKAGE_NAME, samplePayments, samplePaymentsCsv, simulatorCredential } from '../test/e2e/helpers';
import type { AthenaSimulator } from '../test/simulator';
import { startSimulator } from '../test/simulator';

const DEV_DIR = path.join(CACHE, 'dev-n8n');

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

async function pickPort(wanted: number, what: string): Promise<number> {
	if (await portIsFree(wanted)) return wanted;
	const port = await freePort();
	log(`dev: port ${wanted} is busy; ${what} uses ${port}`);
	return port;
}

/** mm/dd/yyyy in US Eastern, `daysAgo` days back. */
function easternDate(daysAgo = 0): string {
	return new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		new Date(Date.now() - daysAgo * 86_400_000),
	);
}

async function main(): Promise<void> {
	const begin = Date.now();
	const install = await ensureN8n(N8N_NEWEST);
	if (process.env.DEV_N8N_RESET) {
		fs.rmSync(DEV_DIR, { recursive: true, force: true });
		log(`dev: removed ${DEV_DIR}`);
	}
	const filesDir = path.join(DEV_DIR, 'files');
	fs.mkdirSync(filesDir, { recursive: true });

	const tarball = await buildAndPack({ destination: path.join(DEV_DIR, 'pack') });
	fs.rmSync(path.join(DEV_DIR, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	await installCommunityPackage(DEV_DIR, tarball);

	let sim: AthenaSimulator | undefined;
	let n8n: N8nInstance | undefined;
	let stopping: Promise<void> | undefined;
	const stop = (code: number) => {
		stopping ??= (async () => {
			log('dev: stopping n8n and the simulator ...');
			await n8n?.stop().catch(() => undefined);
			await sim?.close().catch(() => undefined);
			log('dev: stopped');
			process.exit(code);
		})();
		return stopping;
	};

	try {
		const closeDate = easternDate(30);
		sim = await startSimulator({ port: await pickPort(Number(process.env.DEV_SIMULATOR_PORT ?? 8787), 'the simulator'), closeDate });
		log(`dev: athena simulator on ${sim.url} (practice 195900, close date ${closeDate})`);

		const ownListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
		n8n = await startN8n({
			version: install.version,
			userFolder: DEV_DIR,
			port: await pickPort(Number(process.env.DEV_N8N_PORT ?? 5678), 'n8n'),
			// The posting example reads and writes its CSVs here; n8n 2.x refuses other paths.
			env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
		});
		// Ctrl-C from here on stops n8n gently: the instance helper's handlers (which SIGKILL it at once) are replaced.
		// Only those: tsx's own hidden handler must stay, or tsx's parent process kills this one at once.
		for (const signal of ['SIGINT', 'SIGTERM'] as const) {
			for (const listener of process.listeners(signal)) if (!ownListeners[signal].includes(listener)) process.removeListener(signal, listener);
			process.on(signal, () => void stop(0));
		}

		await n8n.importCredential(simulatorCredential(sim.url, EXAMPLE_CREDENTIAL_ID));
		const sample = path.join(filesDir, 'payments.csv');
		if (!fs.existsSync(sample)) fs.writeFileSync(sample, samplePaymentsCsv(samplePayments(easternDate(), easternDate(40))));
		const missing = [];
		for (const example of devExamples(filesDir)) {
			const exists = await n8n.rest('GET', `/rest/workflows/${example.id}`).then(
				() => true,
				() => false,
			);
			if (!exists) missing.push(example);
		}
		if (missing.length) await n8n.importWorkflow(missing);
		log(`dev: examples imported: ${missing.map((w) => `"${w.name}"`).join(', ') || 'none (all three already there)'}`);

		console.log('');
		console.log(`  n8n editor   ${n8n.url}`);
		console.log(`  login        ${OWNER.email}  /  ${OWNER.password}`);
		console.log(`  athena       ${sim.url}  (credential "athenahealth account", Custom environment)`);
		console.log(`  CSV folder   ${filesDir}  (the posting example reads payments.csv; each run writes its results-….csv and batches-….csv there)`);
		console.log(`  n8n log      ${n8n.process.logFile}`);
		console.log('');
		log(`dev: ready in ${secs(begin)}. Ctrl-C stops n8n and the simulator.`);
		n8n.process.child.on('exit', (code, signal) => {
			if (!stopping) {
				log(`dev: n8n exited on its own (${code ?? signal}); see ${n8n?.process.logFile}`);
				void stop(1);
			}
		});
	} catch (error) {
		console.error(error);
		await stop(1);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
