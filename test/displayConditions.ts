/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/**
 * Every display condition of every node version, evaluated by a given n8n line's own rule engine (its n8n-workflow's
 * NodeHelpers): the unit test runs it with the n8n-workflow this project builds against and with each pinned line
 * installed under .cache/, and the e2e smoke runs it on every line it installs, so `npm test` covers all three.
 *
 * Two ways a display rule has failed on a real n8n:
 * - n8n before 2.41 calls String methods on the raw value for `startsWith` / `endsWith` / `includes`: a rule on a
 *   parameter that is not set crashes the run's parameter check (2.8.4, 1.123.81);
 * - n8n 2.41 runs `regex` conditions in a sandbox with a 250 ms limit: under load the check timed out and n8n refused
 *   the webhook's run with HTTP 500 (issue 22).
 * So conditions may only compare (`eq`, `not`, `gt`, `gte`, `lt`, `lte`, `between`, `exists`), and each one is
 * evaluated here against every value it can meet: unset, empty, an expression, each choice of its parameter. The same
 * check validates a resource locator's typed ID with its mode's regex (safeRegex, same limit): none has one; the node
 * checks every ID itself (shared/fieldRules.ts).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { INode, INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Athenahealth } from '../nodes/Athenahealth/Athenahealth.node';
import { AthenahealthTrigger } from '../nodes/AthenahealthTrigger/AthenahealthTrigger.node';

/** The part of n8n-workflow's NodeHelpers this walk uses; every pinned line has it. */
export interface RuleEngine {
	displayParameter(
		nodeValues: INodeParameters,
		parameter: INodeProperties,
		node: Pick<INode, 'typeVersion'> | null,
		nodeTypeDescription: INodeTypeDescription | null,
		nodeValuesRoot?: INodeParameters,
	): boolean;
	getNodeParameters(
		properties: INodeProperties[],
		nodeValues: INodeParameters | null,
		returnDefaults: boolean,
		returnNoneDisplayed: boolean,
		node: Pick<INode, 'typeVersion'> | null,
		nodeTypeDescription: INodeTypeDescription | null,
	): INodeParameters | null;
	getNodeParametersIssues(properties: INodeProperties[], node: INode, nodeTypeDescription: INodeTypeDescription | null): { parameters?: Record<string, string[]> } | null;
}

/** Conditions that only compare a value: none calls a method on it or runs a regular expression. */
export const SAFE_CONDITIONS = ['eq', 'not', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'];

export const ROOT = path.join(__dirname, '..');

/** The rule engine of a pinned n8n line installed under .cache/ (by `npm run e2e`), or undefined when it is not there. */
export function ruleEngineOfLine(version: string): RuleEngine | undefined {
	const dir = path.join(ROOT, '.cache', `n8n-${version}`, 'node_modules', 'n8n-workflow');
	if (!fs.existsSync(path.join(dir, 'package.json'))) return undefined;
	return (createRequire(__filename)(dir) as { NodeHelpers: RuleEngine }).NodeHelpers;
}

interface Described {
	label: string;
	description: INodeTypeDescription;
}

/** Every version of both nodes of the package. */
export function nodeDescriptions(): Described[] {
	const node = new Athenahealth();
	return [
		...Object.keys(node.nodeVersions).map((version) => ({ label: `athenahealth v${version}`, description: node.getNodeType(Number(version)).description })),
		{ label: 'athenahealth Trigger', description: new AthenahealthTrigger().description },
	];
}

type Condition = unknown;

/** Each property with its path, the properties beside it (a collection's options) and the conditions it carries. */
interface Placed {
	path: string;
	property: INodeProperties;
	siblings: INodeProperties[];
	inside: boolean;
}

function placed(properties: INodeProperties[], prefix = '', inside = false): Placed[] {
	return properties.flatMap((property) => {
		const here: Placed = { path: `${prefix}${property.name}`, property, siblings: properties, inside };
		const nested = (property.options ?? []) as Array<INodeProperties | { name: string; values?: INodeProperties[] }>;
		const children = nested.flatMap((option) => {
			if ('values' in option && Array.isArray(option.values)) return placed(option.values, `${here.path}.${option.name}.`, true);
			if ('type' in option && 'default' in option) return placed([option as INodeProperties], `${here.path}.`, true);
			return [];
		});
		return [here, ...children];
	});
}

function rulesOf(property: INodeProperties): Array<[kind: 'show' | 'hide', name: string, conditions: Condition[]]> {
	const options = property.displayOptions ?? {};
	return (['show', 'hide'] as const).flatMap((kind) => Object.entries(options[kind] ?? {}).map(([name, conditions]) => [kind, name, (conditions ?? []) as Condition[]] as [typeof kind, string, Condition[]]));
}

const cndKeyOf = (condition: Condition): string | undefined =>
	condition && typeof condition === 'object' && '_cnd' in condition ? Object.keys((condition as { _cnd: object })._cnd)[0] : undefined;

/**
 * Every `_cnd` key a description uses that is not a plain comparison, and every resource-locator mode validated by a
 * regular expression (n8n 2.41 runs those in the same sandbox, in the same check before a run), with where it is.
 */
export function unsafeConditions(description: INodeTypeDescription): string[] {
	return placed(description.properties).flatMap(({ path: where, property }) => [
		...rulesOf(property).flatMap(([kind, name, conditions]) =>
			conditions.map(cndKeyOf).filter((key): key is string => key !== undefined && !SAFE_CONDITIONS.includes(key)).map((key) => `${where}: ${kind}.${name} uses ${key}`),
		),
		...(property.modes ?? []).filter((mode) => mode.validation?.some((rule) => typeof rule === 'object' && rule.type === 'regex')).map((mode) => `${where}: mode ${mode.name} validates with a regex`),
	]);
}

/** The values a parameter can hold as a display rule sees it: unset, empty, an expression, another value, its choices. */
function probesOf(name: string, description: INodeTypeDescription, ruled: INodeProperties): unknown[] {
	const values: unknown[] = [undefined, '', '={{ $json.value }}', 'another value', 0, true, false, { __rl: true, mode: 'id', value: '1' }];
	// Resource and operation only decide which form a field is on: its own ones and one other are enough.
	const which = ['resource', 'operation'].includes(name);
	for (const { property } of which ? [{ property: ruled }] : placed(description.properties)) {
		if (property.name === name && !which) {
			values.push(property.default);
			for (const option of (property.options ?? []) as Array<{ value?: unknown }>) if (option.value !== undefined) values.push(option.value);
		}
		for (const [, ruleName, conditions] of rulesOf(property)) {
			if (ruleName !== name) continue;
			for (const condition of conditions) {
				if (cndKeyOf(condition) === undefined) values.push(condition);
				else {
					const target = Object.values((condition as { _cnd: Record<string, unknown> })._cnd)[0];
					const range = target as { from?: unknown; to?: unknown } | undefined;
					if (range && typeof range === 'object' && 'from' in range) values.push(range.from, range.to);
					else values.push(target);
				}
			}
		}
	}
	return [...new Map(values.map((value) => [JSON.stringify(value) ?? 'undefined', value])).values()];
}

function* product(names: string[], probes: unknown[][]): Generator<INodeParameters> {
	if (names.length === 0) {
		yield {};
		return;
	}
	const [first, ...rest] = names;
	for (const value of probes[0]) {
		for (const tail of product(rest, probes.slice(1))) yield value === undefined ? tail : ({ [first]: value, ...tail } as INodeParameters);
	}
}

export interface Walk {
	/** Display conditions walked (a plain value or a `_cnd` of a show or hide rule). */
	conditions: number;
	evaluations: number;
	/** What failed to evaluate: the node, the parameter, the values, the error. */
	failures: string[];
	/** What each evaluation said, by node, parameter and values: lines must agree. */
	shown: Map<string, boolean>;
	/** The parameters n8n keeps and the issues its run check reports, per node, operation and payment method. */
	forms: Map<string, string>;
}

/** The payment methods a form is tried with: each kind, the per-row choice, and a method mapped from a column. */
const METHODS = ['CASH', 'CHECK', 'MC/VISA', 'fromColumn', '={{ $json.method }}'];
const AMOUNT_FOR = [undefined, 'copay', 'claims', 'split', '={{ $json.pays }}'];

/** Walks every display condition of every node version with `engine`, and builds every form the way a run checks it. */
export function walkDisplayConditions(engine: RuleEngine): Walk {
	const walk: Walk = { conditions: 0, evaluations: 0, failures: [], shown: new Map(), forms: new Map() };
	for (const { label, description } of nodeDescriptions()) {
		const node = { typeVersion: description.version as number };
		for (const { path: where, property, inside } of placed(description.properties)) {
			const rules = rulesOf(property);
			if (rules.length === 0) continue;
			walk.conditions += rules.reduce((sum, [, , conditions]) => sum + conditions.length, 0);
			const names = [...new Set(rules.map(([, name]) => name))];
			for (const values of product(names, names.map((name) => probesOf(name, description, property)))) {
				const key = `${label} ${where} ${JSON.stringify(values)}`;
				walk.evaluations++;
				try {
					// A collection's option reads the collection's own values; the root is the node's.
					walk.shown.set(key, engine.displayParameter(values, property, node, description, inside ? {} : values));
				} catch (error) {
					walk.failures.push(`${key}: ${(error as Error).message}`);
				}
			}
		}
		for (const form of formsOf(description)) {
			const key = `${label} ${JSON.stringify(form)}`;
			try {
				const parameters = engine.getNodeParameters(description.properties, form, true, false, node, description) ?? {};
				const issues = engine.getNodeParametersIssues(description.properties, { id: '1', name: 'n', type: 't', typeVersion: node.typeVersion, position: [0, 0], parameters }, description);
				walk.forms.set(key, JSON.stringify({ shown: Object.keys(parameters), issues: issues?.parameters ?? {} }));
			} catch (error) {
				walk.failures.push(`${key}: ${(error as Error).message}`);
			}
		}
	}
	return walk;
}

/** Every resource and operation of a node, Record and Collect with each payment method and amount choice. */
function formsOf(description: INodeTypeDescription): INodeParameters[] {
	const resources = ((description.properties.find((property) => property.name === 'resource')?.options ?? []) as Array<{ value: string }>).map((option) => option.value);
	if (resources.length === 0) return [{}];
	return resources.flatMap((resource) =>
		description.properties
			.filter((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource))
			.flatMap((property) => (property.options ?? []) as Array<{ value: string }>)
			.flatMap(({ value: operation }) => {
				const form = { resource, operation };
				if (resource !== 'payment' || !['record', 'collect'].includes(operation)) return [form];
				return METHODS.flatMap((paymentMethod) => AMOUNT_FOR.map((amountFor) => ({ ...form, paymentMethod, ...(amountFor ? { amountFor } : {}) })));
			}),
	);
}

/** Where two lines' walks disagree (a field shown on one and not the other), at most `limit` of them. */
export function disagreements(reference: Walk, other: Walk, limit = 10): string[] {
	const differ: string[] = [];
	for (const [key, shown] of reference.shown) if (other.shown.get(key) !== shown) differ.push(`${key}: ${shown} vs ${other.shown.get(key)}`);
	for (const [key, form] of reference.forms) if (other.forms.get(key) !== form) differ.push(`${key}: ${form} vs ${other.forms.get(key)}`);
	return differ.slice(0, limit);
}
