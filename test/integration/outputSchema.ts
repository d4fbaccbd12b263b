/**
 * A JSON schema (the subset n8n's editor reads in its schema view: type, properties, items) derived from sample
 * output items. Keys keep the order they were first seen in, as the editor lists them; a field seen with two types
 * (a string in one item, null in another) gets both.
 */
export interface JsonSchema {
	type: string | string[];
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value === 'number' ? 'number' : typeof value;
}

function merge(a: JsonSchema | undefined, b: JsonSchema): JsonSchema {
	if (!a) return b;
	// As n8n's own schemas spell it: ["string", "null"] (null last).
	const types = [...new Set([...[a.type].flat(), ...[b.type].flat()])].sort((x, y) => Number(x === 'null') - Number(y === 'null'));
	const merged: JsonSchema = { type: types.length === 1 ? types[0] : types };
	if (a.properties || b.properties) {
		merged.properties = { ...a.properties };
		for (const [key, schema] of Object.entries(b.properties ?? {})) merged.properties[key] = merge(merged.properties[key], schema);
	}
	if (a.items || b.items) merged.items = a.items && b.items ? merge(a.items, b.items) : (a.items ?? b.items);
	return merged;
}

export function schemaOf(value: unknown): JsonSchema {
	const type = typeOf(value);
	if (type === 'object') {
		const properties: Record<string, JsonSchema> = {};
		for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
			if (child !== undefined) properties[key] = schemaOf(child);
		}
		return { type, properties };
	}
	if (type === 'array') {
		const items = (value as unknown[]).reduce<JsonSchema | undefined>((acc, element) => merge(acc, schemaOf(element)), undefined);
		return items ? { type, items } : { type };
	}
	return { type };
}

/** The schema of an operation's output: one object schema covering every item. */
export function schemaOfItems(items: unknown[]): JsonSchema {
	return items.reduce<JsonSchema | undefined>((acc, item) => merge(acc, schemaOf(item)), undefined) ?? { type: 'object', properties: {} };
}
