/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * `npm run smoke:athena`: every read the node makes, against athena's PREVIEW with a maintainer's keys, or against
 * the embedded simulator when no keys are in the environment. Prints what the node read of each answer, what it reads
 * that was missing, and what athena sent that it does not read; writes the bodies as candidate fixtures into
 * .cache/smoke-athena/ (git-ignored).
 *
 *   npm run smoke:athena                                   # the simulator (the write included: it is harmless there)
 *   npm run smoke:athena -- --history-shape catalogue      # the simulator's payment history in the catalogue's shape
 *   ATHENA_PREVIEW_CLIENT_ID=… ATHENA_PREVIEW_CLIENT_SECRET=… npm run smoke:athena
 *   … npm run smoke:athena -- --write --patient 12345      # also records one $0.01 cash payment and reads it back
 *
 * Environment (keys only ever from here, never from a file in the repository): ATHENA_PREVIEW_CLIENT_ID,
 * ATHENA_PREVIEW_CLIENT_SECRET, and optionally ATHENA_PREVIEW_PRACTICE_ID (195900), ATHENA_PREVIEW_DEPARTMENT_ID (1),
 * ATHENA_PREVIEW_PATIENT_ID (1). It only ever calls athena's preview host: there is no setting for production.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatReport, runSmoke } from './lib/athenaSmoke';
import type { SmokeTarget } from './lib/athenaSmoke';
import { ROOT } from './lib/common';
import { CLIENT_ID, CLIENT_SECRET, DEPARTMENT_MAIN, PATIENT_WITH_BALANCES, PRACTICE_ID, startSimulator } from '../test/simulator';

const PREVIEW_BASE_URL = 'https://api.preview.platform.athenahealth.com';

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(name);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<number> {
	const write = process.argv.includes('--write');
	const patient = argument('--patient');
	if (write && !/^\d+$/.test(patient ?? '')) {
		console.error('smoke:athena --write records a real $0.01 payment: name the preview patient it is for with --patient <id>.');
		return 2;
	}
	const clientId = process.env.ATHENA_PREVIEW_CLIENT_ID;
	const clientSecret = process.env.ATHENA_PREVIEW_CLIENT_SECRET;
	if (Boolean(clientId) !== Boolean(clientSecret)) {
		console.error('smoke:athena: set both ATHENA_PREVIEW_CLIENT_ID and ATHENA_PREVIEW_CLIENT_SECRET, or neither (then it runs against the simulator).');
		return 2;
	}
	const historyShape = argument('--history-shape') ?? 'guessed';
	if (historyShape !== 'guessed' && historyShape !== 'catalogue') {
		console.error('smoke:athena: --history-shape is guessed or catalogue (the simulator\'s two shapes of the payment history).');
		return 2;
	}
	const simulator = clientId ? undefined : await startSimulator({ paymentHistoryShape: historyShape });
	// The simulator's practice subscribes the feed as athenaOne would, so that the feed read is exercised too.
	simulator?.appointments.subscribeEvents();
	const target: SmokeTarget = simulator
		? {
				label: 'the embedded simulator (no ATHENA_PREVIEW_CLIENT_ID in the environment)',
				baseUrl: simulator.url,
				practiceId: PRACTICE_ID,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				departmentId: DEPARTMENT_MAIN,
				patientId: patient ?? PATIENT_WITH_BALANCES,
			}
		: {
				label: `athena preview (practice ${process.env.ATHENA_PREVIEW_PRACTICE_ID ?? '195900'})`,
				baseUrl: PREVIEW_BASE_URL,
				practiceId: process.env.ATHENA_PREVIEW_PRACTICE_ID ?? '195900',
				clientId: clientId!,
				clientSecret: clientSecret!,
				departmentId: process.env.ATHENA_PREVIEW_DEPARTMENT_ID ?? '1',
				patientId: patient ?? process.env.ATHENA_PREVIEW_PATIENT_ID ?? '1',
			};
	try {
		// Against the simulator the write is harmless, so it always runs: the whole path is known to work before anyone has keys.
		const result = await runSmoke(target, { write: write || Boolean(simulator) });
		console.log(formatReport(result));
		// Candidate fixtures, in test/fixtures/athena-recorded's layout: preview (or simulator) data only.
		const folder = path.join(ROOT, '.cache', 'smoke-athena', `${simulator ? 'simulator' : 'preview'}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
		for (const report of result.reports) {
			const file = path.join(folder, report.name, `${simulator ? 'simulator' : 'preview'}-1.json`);
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, report.body);
		}
		console.log(`smoke:athena: answers written to ${path.relative(ROOT, folder)}/ (git-ignored; copy one into test/fixtures/ only after reading it)`);
		return result.ok ? 0 : 1;
	} finally {
		await simulator?.close();
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		// Never the keys: only the error's message.
		console.error(`smoke:athena failed: ${(error as Error).message}`);
		process.exit(1);
	},
);
