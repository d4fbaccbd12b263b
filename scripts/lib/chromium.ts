/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Debian's Chromium (installed with apt-get when /usr/bin/chromium is missing) driven by playwright-core.
 * Playwright's own browser download cannot work here; the flags keep Chromium off the closed network and
 * HOME points at a temp folder so it writes nothing into the real home.
 *
 * Seen working on n8n 2.41.1 (editorPage, packed athenahealth package installed): the empty canvas's "Add first
 * step" is `[data-test-id=canvas-add-button]` (not `canvas-add-first-step-button`), then
 * `input[data-test-id=node-creator-search-bar]` and `[data-test-id=node-creator-item-name]` (the list filters
 * after a short debounce: wait for the item's text, not just for the selector).
 *
 *   npx tsx scripts/lib/chromium.ts [url]     # ensures Chromium, opens the URL (default about:blank), screenshots
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, LaunchOptions, Page } from 'playwright-core';
import { exists, isMain, log, run, secs } from './common';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Installs Debian's chromium when /usr/bin/chromium is missing (needs root, as on these machines). */
export async function ensureChromium(): Promise<string> {
	if (exists(CHROMIUM_PATH)) return CHROMIUM_PATH;
	const start = Date.now();
	log('chromium: /usr/bin/chromium missing; apt-get update && apt-get install -y chromium ...');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await run('apt-get', ['update'], { env });
	await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
	if (!exists(CHROMIUM_PATH)) throw new Error('chromium: apt-get install finished but /usr/bin/chromium is missing');
	log(`chromium: installed in ${secs(start)}`);
	return CHROMIUM_PATH;
}

export interface LaunchedChromium {
	browser: Browser;
	/** The temp HOME (removed by close()). */
	home: string;
	close(): Promise<void>;
}

/** Launches headless Debian Chromium through playwright-core. */
export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
	const executablePath = await ensureChromium();
	const { chromium } = await import('playwright-core');
	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-home-'));
	const start = Date.now();
	const browser = await chromium.launch({
		executablePath,
		headless: true,
		args: CHROMIUM_FLAGS,
		env: { ...process.env, HOME: home },
		...options,
	});
	log(`chromium: launched ${browser.version()} in ${secs(start)}`);
	return {
		browser,
		home,
		async close() {
			await browser.close();
			fs.rmSync(home, { recursive: true, force: true });
		},
	};
}

/**
 * A new page in its own context, logged in to an n8n instance by its `n8n-auth` cookie (from startN8n), opened at
 * `urlPath` (default: a new workflow in the editor).
 */
export async function editorPage(browser: Browser, n8n: { url: string; cookie: string }, urlPath = '/workflow/new'): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const [name, ...rest] = n8n.cookie.split('=');
	await context.addCookies([{ name, value: rest.join('='), url: n8n.url }]);
	const page = await context.newPage();
	await page.goto(n8n.url + urlPath, { waitUntil: 'domcontentloaded' });
	return page;
}

if (isMain(__filename)) {
	(async () => {
		const url = process.argv[2] ?? 'about:blank';
		const c = await launchChromium();
		try {
			const page = await c.browser.newPage();
			await page.goto(url);
			const out = path.join(os.tmpdir(), 'chromium-check.png');
			await page.screenshot({ path: out });
			log(`chromium: ${url} → "${await page.title()}", screenshot ${out}`);
		} finally {
			await c.close();
		}
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
