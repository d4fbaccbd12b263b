/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * npx tsx test/simulator/cli.ts [--port 8787] [--host 127.0.0.1]
 * Prints one line "athena-simulator listening on http://HOST:PORT" and runs until SIGINT/SIGTERM.
 * ATHENA_SIM_PORT / ATHENA_SIM_HOST are read when the flags are absent.
 */
import { startSimulator } from './index';

function arg(name: string): string | undefined {
	const argv = process.argv.slice(2);
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === `--${name}`) return argv[i + 1];
		if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
	}
	return undefined;
}

async function main(): Promise<void> {
	const portText = arg('port') ?? process.env.ATHENA_SIM_PORT ?? '0';
	const port = Number(portText);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		process.stderr.write(`invalid --port ${portText}\n`);
		process.exit(2);
	}
	const host = arg('host') ?? process.env.ATHENA_SIM_HOST ?? '127.0.0.1';
	const sim = await startSimulator({ port, host });
	process.stdout.write(`athena-simulator listening on ${sim.url}\n`);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
	process.stderr.write(`athena-simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});
