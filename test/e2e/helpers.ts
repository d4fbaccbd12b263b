/**
 * Shared pieces of the real-n8n end-to-end tests: the packed tarball (built once per run) and the n8n lines.
 */
import * as fs from 'fs';
import { buildAndPack } from '../../scripts/lib/pack';
import { N8N_NEWEST, N8N_OLDER } from '../../scripts/lib/n8n-install';

export const PACKAGE_NAME = 'n8n-nodes-athenahealth';
export const NODE_TYPE = `${PACKAGE_NAME}.athenahealth`;
export const CREDENTIAL_TYPE = 'athenahealthOAuth2Api';

/** The n8n lines the tests run on; E2E_N8N_VERSIONS="2.41.1" (comma-separated) narrows it. */
export function n8nVersions(): string[] {
	const env = process.env.E2E_N8N_VERSIONS;
	return env ? env.split(',').map((v) => v.trim()).filter(Boolean) : [N8N_NEWEST, N8N_OLDER];
}

let tarball: Promise<string> | undefined;
/** The project's packed tarball: E2E_TARBALL when scripts/e2e.ts packed it already, else built and packed now. */
export function projectTarball(): Promise<string> {
	const fromEnv = process.env.E2E_TARBALL;
	if (fromEnv && fs.existsSync(fromEnv)) return Promise.resolve(fromEnv);
	tarball ??= buildAndPack();
	return tarball;
}
