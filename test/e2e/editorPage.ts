/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * How test/e2e/editor.ts drives n8n 2.41.1's editor (the selectors were read off that editor): signing in, the node
 * search, the node's panel and its fields, the credential modal, running a workflow and reading it back, screenshots.
 * The checks themselves stay in editor.ts; what is here waits for the editor and hands back what it shows.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { ROOT } from '../../scripts/lib/common';
import type { N8nInstance } from '../../scripts/lib/n8n-instance';

/** How long the editor may take to show something (Playwright's default timeout on this page). */
export const WAIT = 30_000;
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
/** The node's name in n8n's node search. */
export const NODE_NAME = 'athenahealth';

/** A pattern matching text that starts with `label` as written. */
export function startingWith(label: string): RegExp {
	return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** A pattern matching exactly `label`. */
export function exactly(label: string): RegExp {
	return new RegExp(`${startingWith(label).source}$`);
}

/** A saved expression as typed: n8n's expression editor keeps the blanks it starts with ("=  {{ … }}", same result). */
export const typed = (value: unknown) => String(value).replace(/^=\s+/, '=');

/** An option's label: its first line (the description, if any, follows on the next). */
async function optionLabels(options: Locator): Promise<string[]> {
	return (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
}

export class EditorPage {
	/** The messages of the page's uncaught errors, in order. */
	readonly pageErrors: string[] = [];

	private constructor(
		readonly page: Page,
		readonly context: BrowserContext,
		private readonly n8n: N8nInstance,
	) {
		page.on('pageerror', (e) => this.pageErrors.push(e.message));
	}

	/** A page at a desktop size (screenshots at twice the pixels), every wait capped at WAIT. */
	static async open(browser: Browser, n8n: N8nInstance): Promise<EditorPage> {
		const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 2 });
		context.setDefaultTimeout(WAIT);
		return new EditorPage(await context.newPage(), context, n8n);
	}

	// --- Where things are ------------------------------------------------------------------------------------------

	/** The open node's details view (NDV). */
	nodePanel = () => this.page.locator('[data-test-id=ndv]');
	/** The NDV's middle column (Parameters). */
	parametersColumn = () => this.nodePanel().locator('.node-settings');
	/** The input of parameter `name`, in the node panel unless `root` is given. */
	field = (name: string, root: Locator = this.nodePanel()) => root.locator(`[data-test-id=parameter-input-${name}]`);
	/** Parameter `name`'s whole row in the node panel: label, input, hint. */
	fieldRow = (name: string) => this.nodePanel().locator('[data-test-id=parameter-item]').filter({ has: this.page.locator(`[data-test-id=parameter-input-${name}]`) });
	credentialDialog = () => this.page.locator('[data-test-id=credential-edit-dialog]');
	/** The credential modal with its header (name, Save), for screenshots. */
	credentialModal = () => this.page.locator('[data-test-id=editCredential-modal]');
	nodeCreator = () => this.page.locator('[data-test-id=node-creator]');
	/** The node search's entry named exactly `name` (a node or one of its actions). */
	creatorItem = (name: string) => this.nodeCreator().locator('[data-test-id=node-creator-item-name]').filter({ hasText: exactly(name) });
	canvasNode = (name: string) => this.page.locator(`[data-test-id=canvas-node][data-node-name="${name}"]`);
	/** n8n's toasts ("Workflow execution cannot start", …). */
	toasts = () => this.page.locator('.el-notification');

	// --- Signing in, the node search, the canvas ---------------------------------------------------------------------

	async signIn(owner: { email: string; password: string }): Promise<void> {
		await this.page.goto(`${this.n8n.url}/signin`, { waitUntil: 'domcontentloaded' });
		await this.page.getByLabel('Email').fill(owner.email);
		await this.page.getByLabel('Password').fill(owner.password);
		await this.page.locator('[data-test-id=form-submit-button]').click();
		await this.page.waitForURL((u) => !u.pathname.startsWith('/signin'));
	}

	/** Opens a new workflow and types `query` into the node search of its first step. */
	async searchNodesInNewWorkflow(query: string): Promise<void> {
		await this.page.goto(`${this.n8n.url}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await this.page.locator('[data-test-id=canvas-add-button]').click();
		await this.page.locator('input[data-test-id=node-creator-search-bar]').fill(query);
	}

	/**
	 * In a package's details panel, waits for the entry of `action` and returns it. With a Trigger in the package the
	 * panel opens on its triggers; the actions sit in their category, opened here.
	 */
	async showAction(action: string): Promise<Locator> {
		const item = this.creatorItem(action);
		const actionsCategory = this.nodeCreator().locator('[data-test-id=node-creator-category-item]').filter({ hasText: /^Actions/ });
		await Promise.race([item.waitFor(), actionsCategory.first().waitFor()]);
		if (!(await item.first().isVisible()) && (await actionsCategory.count()) > 0) await actionsCategory.first().click();
		await item.waitFor();
		return item;
	}

	/** A new workflow whose first step is n8n's manual trigger, with `rows` pinned as its output; returns the trigger's name. */
	async newWorkflowWithRows(rows: object[]): Promise<string> {
		await this.searchNodesInNewWorkflow('manual');
		// n8n names it "Trigger manually" or, in the search's results, "Manual Trigger" (both seen on 2.41.1).
		await this.page.locator('[data-test-id=node-creator-item-name]').filter({ hasText: /^(Trigger manually|Manual Trigger)$/ }).filter({ visible: true }).first().click();
		const trigger = this.page.locator('[data-test-id=canvas-node]').first();
		await trigger.waitFor();
		const triggerName = (await trigger.getAttribute('data-node-name')) ?? '';
		assert.ok(triggerName, 'the trigger has a name on the canvas');
		if (!(await this.nodePanel().isVisible())) await trigger.dblclick();
		await this.nodePanel().waitFor();
		await this.nodePanel().locator('[data-test-id=ndv-edit-pinned-data]').click();
		const editor = this.nodePanel().locator('[data-test-id=output-panel] [contenteditable=true]');
		await editor.waitFor();
		await editor.click();
		await editor.fill(JSON.stringify(rows));
		await this.nodePanel().locator('[data-test-id=run-data-pane-header] button:visible').filter({ hasText: 'Save' }).click();
		await this.outputShows(`${rows.length} item`);
		await this.closeNode();
		return triggerName;
	}

	/** Adds an athenahealth action after the canvas node named `after` (its output's "+"), and names the new node. */
	async addAthenaAfter(after: string, action: string, name: string): Promise<void> {
		await this.canvasNode(after).hover();
		await this.page.locator(`[data-test-id=canvas-node-output-handle][data-node-name="${after}"] [data-test-id=canvas-handle-plus]`).click();
		await this.page.locator('input[data-test-id=node-creator-search-bar]').fill(NODE_NAME);
		await this.creatorItem(NODE_NAME).click();
		await (await this.showAction(action)).click();
		await this.nodePanel().waitFor();
		await this.renameOpenNode(name);
	}

	async renameOpenNode(name: string): Promise<void> {
		const title = this.nodePanel().locator('[data-test-id=node-title-container]');
		await title.click();
		const input = this.nodePanel().locator('[data-test-id=node-rename-input], [data-test-id=node-title-container] input').first();
		await input.fill(name);
		await this.page.keyboard.press('Enter');
		await title.filter({ hasText: name }).waitFor();
	}

	/** Opens the panel of the canvas node `name` (a double click). */
	async openNode(name: string): Promise<void> {
		await this.canvasNode(name).dblclick();
		await this.nodePanel().waitFor();
	}

	async closeNode(): Promise<void> {
		// An expression editor hands its text to the node's parameters after a short debounce: closing the panel at
		// once loses the last one typed (seen). The flows check the saved workflow after each node.
		await this.page.waitForTimeout(800);
		await this.nodePanel().locator('[data-test-id=ndv-close-button]').click();
		await this.nodePanel().waitFor({ state: 'hidden' });
	}

	/** Waits until the open node's output pane shows `text`. */
	async outputShows(text: string): Promise<void> {
		await this.nodePanel().locator('[data-test-id=output-panel]').getByText(text).first().waitFor();
	}

	// --- The node's fields ---------------------------------------------------------------------------------------------

	/** The value the text input of field `name` shows (its first input). */
	async fieldValue(name: string): Promise<string> {
		return this.field(name).locator('input').first().inputValue();
	}

	/** Types `value` into the text input of field `name`. */
	async fillField(name: string, value: string): Promise<void> {
		await this.field(name).locator('input, textarea').first().fill(value);
	}

	/** Waits until the input of field `name` in the node panel shows `value`. */
	async waitForFieldValue(name: string, value: string): Promise<void> {
		const input = JSON.stringify(`[data-test-id=ndv] [data-test-id=parameter-input-${name}] input`);
		await this.page.waitForFunction(`document.querySelector(${input})?.value === ${JSON.stringify(value)}`);
	}

	/** Clicks field `name` until `option` shows: a click that lands while the panel is still settling (a rename, a load) does not open the list. */
	private async openUntilShown(name: string, option: Locator): Promise<void> {
		for (let attempt = 0; attempt < 3 && !(await option.isVisible()); attempt++) {
			await this.field(name).click();
			await option.waitFor({ timeout: 10_000 }).catch(() => undefined);
		}
	}

	/** Picks a payment method by its label (opening the dropdown unless it is open) and waits until the input shows it. */
	async choosePaymentMethod(label: string): Promise<void> {
		const option = this.page.getByRole('option').filter({ hasText: startingWith(label) });
		await this.openUntilShown('paymentMethod', option);
		await option.click();
		await this.waitForFieldValue('paymentMethod', label);
	}

	/** Opens the Payment Method dropdown and returns the labels of every option the page lists once `last` is among them. */
	async openPaymentMethods(last: string): Promise<string[]> {
		await this.field('paymentMethod').click();
		const listed = this.page.getByRole('option');
		await listed.filter({ hasText: startingWith(last) }).waitFor();
		return optionLabels(listed);
	}

	/** The listed option starting with `label`, for reading what it shows under its name. */
	option = (label: string) => this.page.getByRole('option').filter({ hasText: startingWith(label) });

	/** Picks `label` in the options field `name` (opening it), returns the labels it listed; a screenshot while open. */
	async chooseOption(name: string, label: string, file?: string): Promise<string[]> {
		const listbox = this.page.getByRole('listbox').filter({ visible: true });
		const option = this.option(label).first();
		await this.openUntilShown(name, option);
		const labels = await optionLabels(listbox.getByRole('option'));
		if (file) await this.shotDownTo(this.parametersColumn(), listbox.last(), file);
		await option.click();
		await this.waitForFieldValue(name, label);
		return labels;
	}

	/** The text input of the resource locator `name` (what it shows: the picked item's name, or empty). */
	async resourceLocatorInput(name: string): Promise<Locator> {
		const input = this.nodePanel().locator(`[data-test-id=resource-locator-${name}] [data-test-id=rlc-input]`).first();
		return (await input.evaluate((el) => el.tagName)) === 'INPUT' ? input : input.locator('input').first();
	}

	/**
	 * Opens the resource locator `name` ("From List"), types `search` when given, picks the first item matching
	 * `item`, and returns every item it listed (a screenshot while open when `file` is given).
	 */
	async pickFromList(name: string, search: string | undefined, item: RegExp, file?: string): Promise<string[]> {
		const input = await this.resourceLocatorInput(name);
		await input.scrollIntoViewIfNeeded();
		await input.click();
		const items = this.page.locator('[data-test-id=rlc-item]').filter({ visible: true });
		if (search) {
			const box = this.page.locator('[data-test-id=rlc-search]').filter({ visible: true }).first();
			await box.waitFor();
			const field = (await box.evaluate((el) => el.tagName)) === 'INPUT' ? box : box.locator('input').first();
			await field.fill(search);
		}
		const wanted = items.filter({ hasText: item }).first();
		await wanted.waitFor();
		const listed = (await items.allInnerTexts()).map((text) => text.trim());
		if (file) {
			const list = wanted.locator('xpath=ancestor::*[@data-test-id="resource-locator-dropdown"][1]');
			await this.shotDownTo(this.parametersColumn(), (await list.count()) ? list : items.last(), file);
		}
		const picked = (await wanted.innerText()).trim();
		await wanted.click();
		// The locator shows the picked item's name once n8n has taken it.
		for (const started = Date.now(); (await input.inputValue()) !== picked; await this.page.waitForTimeout(200)) {
			assert.ok(Date.now() - started < WAIT, `${name} shows "${picked}" (it shows "${await input.inputValue()}")`);
		}
		return listed;
	}

	/** Types `expression` ("{{ … }}") into a field of the open node, switching the field to Expression first. */
	async setExpression(name: string, expression: string): Promise<void> {
		const field = this.field(name);
		await field.scrollIntoViewIfNeeded();
		const editor = field.locator('[data-test-id=inline-expression-editor-input]');
		if ((await editor.count()) === 0) {
			await field.hover();
			await this.nodePanel().locator(`[data-test-id="${name}-parameter-input-options-container"] [data-test-id=radio-button-expression]`).click();
			await editor.waitFor();
		}
		const content = editor.locator('.cm-content');
		await content.click();
		await this.page.keyboard.press('Control+a');
		await this.page.keyboard.press('Delete');
		await content.fill(expression);
		assert.equal((await content.innerText()).trim(), expression, `${name} holds the expression typed`);
		await this.page.keyboard.press('Tab');
		// A locator's expression keeps its result popup open over the next field: a click on the (open) Parameters tab
		// closes it.
		await this.nodePanel().locator('[data-test-id=ndv-parameters], .node-settings').getByText('Parameters', { exact: true }).first().click();
	}

	/** Switches the resource locator `name` to "By ID" and maps it with `expression`. */
	async mapById(name: string, expression: string): Promise<void> {
		await this.nodePanel().locator(`[data-test-id=resource-locator-${name}] [data-test-id=rlc-mode-selector]`).click();
		await this.page.getByRole('option').filter({ hasText: /^By ID/ }).click();
		await this.setExpression(name, expression);
	}

	// --- The credential modal ------------------------------------------------------------------------------------------

	/** The input of the credential's field `name`. */
	credentialInput = (name: string) => this.field(name, this.credentialDialog()).locator('input');

	/** Picks the option starting with `label` in the credential's options field `name`. */
	async chooseCredentialOption(name: string, label: string): Promise<void> {
		await this.field(name, this.credentialDialog()).click();
		await this.option(label).click();
	}

	/**
	 * Saves the open credential, waits for n8n's test of it, and returns the API's verdict. n8n tests a credential
	 * on Save and keeps the modal open (with a banner) when the test fails; it closes the modal when it passes.
	 */
	async saveAndTestCredential(): Promise<{ status: string; message: string }> {
		const answer = this.page.waitForResponse((r: Response) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST', {
			timeout: 60_000,
		});
		await this.page.locator('[data-test-id=credential-save-button]').click();
		const body = await (await answer).json();
		return body.data;
	}

	/** Opens the saved credential of the open node (n8n tests it again) and returns that test's verdict. */
	async reopenCredential(): Promise<{ status: string; message: string }> {
		const retest = this.page.waitForResponse((r: Response) => r.url().endsWith('/rest/credentials/test'), { timeout: 60_000 });
		await this.nodePanel().locator('[data-test-id=credential-edit-button]').click();
		await this.credentialDialog().waitFor();
		return (await (await retest).json()).data;
	}

	/** The failure banner's visible text once "More details" is opened; waits for `detail` to be visible. */
	async credentialFailureShown(detail: string): Promise<string> {
		const banner = this.credentialDialog().getByText(/Couldn.t connect with these settings/);
		await banner.waitFor();
		const more = this.credentialDialog().getByText('More details', { exact: true });
		if (await more.isVisible()) await more.click();
		const shown = this.credentialDialog().getByText(detail, { exact: false });
		await shown.waitFor();
		return `${(await banner.innerText()).trim()} / ${(await shown.innerText()).trim()}`;
	}

	/** Closes the credential modal by its own button (not Escape: it closes the node's panel behind the modal too). */
	async closeCredential(): Promise<void> {
		await this.credentialModal().getByRole('button', { name: 'Close this dialog' }).click();
		await this.credentialDialog().waitFor({ state: 'hidden' });
		await this.nodePanel().waitFor();
	}

	// --- Running and reading back ----------------------------------------------------------------------------------------

	/** Saves, runs the whole workflow from the canvas, and waits for n8n's run to finish; returns what the editor said. */
	async runWorkflow(): Promise<{ started: boolean; toasts: string[] }> {
		const toasts: string[] = [];
		const run = this.page.waitForResponse((r: Response) => /\/rest\/workflows\/[^/]+\/run/.test(new URL(r.url()).pathname), { timeout: 20_000 }).catch(() => undefined);
		await this.page.locator('[data-test-id=execute-workflow-button]').click();
		const answer = await run;
		// n8n refuses to start a workflow with parameter issues with a toast and sends nothing.
		for (const t of await this.toasts().allInnerTexts()) toasts.push(t.replace(/\s+/g, ' ').trim());
		if (!answer) return { started: false, toasts };
		assert.ok(answer.ok(), `run request answered ${answer.status()}`);
		await this.page.locator('[data-test-id=execute-workflow-button]').filter({ hasNotText: /Executing|Stop/ }).waitFor({ timeout: 60_000 });
		await this.page.waitForFunction("!document.querySelector('[data-test-id=stop-execution-button]')", undefined, { timeout: 60_000 });
		return { started: true, toasts };
	}

	/** Clicks "Execute workflow" on a workflow n8n will not start; returns its toast's text (the toast stays open). */
	async runRefused(): Promise<string> {
		await this.page.locator('[data-test-id=execute-workflow-button]').click();
		const refusal = this.toasts().filter({ hasText: 'Workflow execution cannot start' });
		await refusal.waitFor();
		return (await refusal.innerText()).replace(/\s+/g, ' ').trim();
	}

	/**
	 * Saves the open workflow (Ctrl+S; n8n 2.41 may have saved it already, then nothing is sent) and returns the
	 * first node of the saved workflow that `match` accepts, read back through n8n's REST API (waits up to 30 s).
	 */
	async savedNode(match: (node: any) => boolean): Promise<any> {
		await this.page.keyboard.press('Control+s');
		const id = /\/workflow\/([^/?]+)/.exec(this.page.url())?.[1];
		assert.ok(id && id !== 'new', `a saved workflow id in ${this.page.url()}`);
		let nodes: any[] = [];
		for (const started = Date.now(); Date.now() - started < 30_000; await this.page.waitForTimeout(500)) {
			const workflow = await this.n8n.rest<any>('GET', `/rest/workflows/${id}`);
			nodes = (workflow.data ?? workflow).nodes;
			const found = nodes.find(match);
			if (found) return found;
		}
		assert.fail(`no matching node in the saved workflow: ${JSON.stringify(nodes.map((n) => ({ name: n.name, parameters: n.parameters })))}`);
	}

	// --- Screenshots ---------------------------------------------------------------------------------------------------

	/** Closes n8n's toasts ("Credential successfully created", …) so they do not cover a screenshot. */
	async closeToasts(): Promise<void> {
		const close = this.page.locator('.el-notification .el-notification__closeBtn');
		for (let n = await close.count(); n > 0; n = await close.count()) {
			await close.first().click().catch(() => undefined);
			await this.toasts().first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
		}
	}

	/** A screenshot of `target` into test-output/screenshots/ (animations finished, toasts closed first). */
	async shot(target: Locator, file: string): Promise<void> {
		await this.closeToasts();
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		await target.screenshot({ path: path.join(SCREENSHOTS, file), animations: 'disabled' });
	}

	/** A screenshot of the whole window with its toasts in view. */
	async shotWithToasts(file: string): Promise<void> {
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		await this.page.screenshot({ path: path.join(SCREENSHOTS, file), animations: 'disabled' });
	}

	/** A screenshot of `frame` from its top down to the bottom of `last` (plus a margin): the panel without its empty tail. */
	async shotDownTo(frame: Locator, last: Locator, file: string): Promise<void> {
		await this.closeToasts();
		const f = await frame.boundingBox();
		const l = await last.boundingBox();
		assert.ok(f && l, `boxes for ${file}`);
		const bottom = Math.min(f.y + f.height, l.y + l.height + 16);
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		await this.page.screenshot({
			path: path.join(SCREENSHOTS, file),
			clip: { x: f.x, y: f.y, width: f.width, height: bottom - f.y },
			animations: 'disabled',
		});
	}

	/** The page's screenshot and text (with its address) to `<base>.png` and `<base>.txt`, for a failed step. */
	async saveFailure(base: string): Promise<void> {
		fs.mkdirSync(path.dirname(base), { recursive: true });
		await this.page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
		const text = await this.page.locator('body').innerText({ timeout: 5_000 }).catch((e) => `(no text: ${e})`);
		fs.writeFileSync(`${base}.txt`, `${this.page.url()}\n\n${text}\n`);
	}
}
