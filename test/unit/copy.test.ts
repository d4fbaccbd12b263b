/** The words of the node's panel (issue 12, item 9): one placeholder per field, no "Required." noise. */
import type { INodeProperties } from 'n8n-workflow';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const nested = (property.options ?? []).flatMap((option) =>
			'name' in option && 'type' in option ? allProperties([option as INodeProperties]) : 'values' in option ? allProperties(option.values as INodeProperties[]) : [],
		);
		return [property, ...nested];
	});
}

const node = new Athenahealth();
const properties = [1, 2].flatMap((version) => allProperties(node.getNodeType(version).description.properties));

describe('the panel copy', () => {
	it('gives a field the same placeholder wherever it appears (both versions, every operation, every locator mode)', () => {
		const placeholders = new Map<string, Set<string>>();
		const note = (key: string, placeholder?: string) => {
			if (placeholder === undefined) return;
			placeholders.set(key, (placeholders.get(key) ?? new Set()).add(placeholder));
		};
		for (const property of properties) {
			note(property.name, property.placeholder);
			for (const mode of property.modes ?? []) note(`${property.name} (${mode.name})`, mode.placeholder);
		}
		// The Appointment ID of Record/Collect and the By ID mode of Appointment → Get are one field to a user.
		note('appointment ID', properties.find((p) => p.name === 'appointmentId' && p.type === 'string')?.placeholder);
		note('appointment ID', properties.find((p) => p.name === 'appointmentId' && p.type === 'resourceLocator')?.modes?.find((m) => m.name === 'id')?.placeholder);
		const differing = [...placeholders].filter(([, values]) => values.size > 1).map(([key, values]) => `${key}: ${[...values].join(' | ')}`);
		expect(differing).toEqual([]);
	});

	it('has no description starting "Required." (the panel marks required fields), no "Mm/dd/yyyy", no "(or Collect Payment)"', () => {
		const texts = properties.flatMap((property) => [property.displayName, property.description ?? '', property.hint ?? '']);
		expect(texts.filter((text) => /^Required\./.test(text))).toEqual([]);
		expect(texts.filter((text) => /Mm\/dd|\(or Collect Payment\)/.test(text))).toEqual([]);
	});

	it('gives every card field a placeholder, the Security Code included', () => {
		for (const name of ['cardNumber', 'cardSecurityCode', 'expirationMonth', 'expirationYear', 'nameOnCard', 'billingAddress', 'billingZip']) {
			expect(properties.find((property) => property.name === name)?.placeholder).toMatch(/^e\.g\. /);
		}
	});
});
