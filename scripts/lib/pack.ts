/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Builds the project (`npm run build`) and packs it with `npm pack` into `.cache/pack/`, the tarball that users'
 * n8n would install. Returns the tarball's path.
 *
 *   npx tsx scripts/lib/pack.ts [--no-build] [projectDir]
 */
import * as fs from 'fs';
import * as path from 'path';
import { CACHE, isMain, log, ROOT, run, secs } from './common';

export interface PackOptions {
	/** The package folder (default: this project). */
	projectDir?: string;
	/** Run `npm run build` first (default true). */
	build?: boolean;
	/** Where the tarball goes (default `.cache/pack/`). */
	destination?: string;
}

export async function buildAndPack(opts: PackOptions = {}): Promise<string> {
	const projectDir = path.resolve(opts.projectDir ?? ROOT);
	const destination = path.resolve(opts.destination ?? path.join(CACHE, 'pack'));
	fs.mkdirSync(destination, { recursive: true });
	if (opts.build !== false) {
		const start = Date.now();
		log(`pack: npm run build in ${projectDir} ...`);
		await run('npm', ['run', 'build'], { cwd: projectDir });
		log(`pack: build done in ${secs(start)}`);
	}
	const start = Date.now();
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination, '--loglevel=error'], { cwd: projectDir });
	// npm prints the JSON array last; anything before it (a prepack script's output) is skipped.
	const json = JSON.parse(stdout.slice(stdout.indexOf('[')));
	const entry = json[0];
	const tarball = path.join(destination, entry.filename);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack: ${tarball} not found`);
	const files: string[] = entry.files.map((f: { path: string }) => f.path);
	log(`pack: ${path.relative(ROOT, tarball) || tarball} (${entry.files.length} files, ${(entry.size / 1024).toFixed(1)} kB) in ${secs(start)}`);
	// The n8n block must point at files that are in the tarball: the most common "could not be loaded" cause.
	const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, 'package.json'), 'utf8'));
	for (const f of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		if (!files.includes(f)) throw new Error(`pack: package.json n8n block lists ${f}, which is not in the tarball`);
	}
	return tarball;
}

if (isMain(__filename)) {
	const args = process.argv.slice(2);
	const build = !args.includes('--no-build');
	const projectDir = args.find((a) => !a.startsWith('--'));
	buildAndPack({ build, projectDir })
		.then((t) => console.log(t))
		.catch((e) => {
			console.error(e);
			process.exit(1);
		});
}
