import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';

const description = new Athenahealth().getNodeType(1).description;

/** The parameter issues n8n's editor checks before it starts a run (NodeHelpers.getNodeParametersIssues). */
function issuesOf(parameters: INodeParameters): string[] {
	const node: INode = {
		id: '1',
		name: 'athenahealth',
		type: 'n8n-nodes-athenahealth.athenahealth',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const issues = NodeHelpers.getNodeParametersIssues(description.properties, node, description);
	return Object.values(issues?.parameters ?? {}).flat();
}

/**
 * The same check on a node of a later version, its parameters as the editor holds them: with the defaults filled in
 * (v2's and v3's defaults are expressions on the incoming item).
 */
function issuesWithDefaults(version: number, values: INodeParameters): string[] {
	const versionDescription = new Athenahealth().getNodeType(version).description;
	const parameters = NodeHelpers.getNodeParameters(versionDescription.properties, values, true, false, null, null) ?? {};
	const node: INode = { id: '1', name: 'a', type: 't', typeVersion: version, position: [0, 0], parameters };
	return Object.values(NodeHelpers.getNodeParametersIssues(versionDescription.properties, node, versionDescription)?.parameters ?? {}).flat();
}

const record = {
	resource: 'payment',
	operation: 'record',
	patientId: { __rl: true, mode: 'id', value: '={{ $json.patient_id }}' },
	departmentId: '={{ $json.department_id }}',
	copayAmount: '={{ $json.copay }}',
};

describe("n8n's required-parameter check on Record Payment", () => {
	it('does not block a run whose Payment Method is mapped from a column (each row is checked by the node)', () => {
		expect(issuesOf({ ...record, paymentMethod: '={{ $json.method }}' })).toEqual([]);
	});

	it('does not block a run whose method comes from each row', () => {
		expect(issuesOf({ ...record, paymentMethod: 'fromColumn', paymentMethodColumn: '={{ $json.method }}' })).toEqual([]);
	});

	it('still asks for the Check Number of a fixed check, and the last four of a fixed card method', () => {
		expect(issuesOf({ ...record, paymentMethod: 'CHECK' })).toEqual(['Parameter "Check Number" is required.']);
		expect(issuesOf({ ...record, paymentMethod: 'MC/VISA' })).toEqual(['Parameter "Card Last 4 Digits" is required.']);
		expect(issuesOf({ ...record, paymentMethod: 'CASH' })).toEqual([]);
	});
});

describe('version 2', () => {
	const v2 = new Athenahealth().getNodeType(2).description;
	const issuesV2 = (values: INodeParameters) => issuesWithDefaults(2, values);
	const shownV2 = (parameters: INodeParameters) => Object.keys(NodeHelpers.getNodeParameters(v2.properties, parameters, true, false, null, null) ?? {});

	it('keeps the posting settings under Options and starts from the incoming item', () => {
		const record = NodeHelpers.getNodeParameters(v2.properties, { resource: 'payment', operation: 'record' }, true, false, null, null) ?? {};
		for (const moved of ['validateOnly', 'duplicateCheck', 'rowReference', 'postAgain', 'postDate']) expect(Object.keys(record)).not.toContain(moved);
		expect(record).toMatchObject({
			patientId: { mode: 'id', value: '={{ $json.patientId ?? "" }}' },
			departmentId: '={{ $json.departmentId ?? "" }}',
			appointmentId: '={{ $json.appointmentId ?? "" }}',
			copayAmount: '={{ $json.copayDue ?? "" }}',
			postingOptions: {},
		});
		const options = v2.properties.find((property) => property.name === 'postingOptions' && property.displayOptions?.show?.operation?.includes('record'));
		expect((options?.options ?? []).map((option) => option.name)).toEqual(
			expect.arrayContaining(['validateOnly', 'duplicateCheck', 'rowReference', 'postAgain', 'postDate', 'rowNumber', 'addSummary']),
		);
	});

	it('a method mapped from a column does not block the run, and From a Column shows both reference fields', () => {
		const record = { resource: 'payment', operation: 'record' };
		expect(issuesV2({ ...record, paymentMethod: '={{ $json.method }}' })).toEqual([]);
		expect(shownV2({ ...record, paymentMethod: 'fromColumn' })).toEqual(expect.arrayContaining(['paymentMethodColumn', 'checkNumber', 'cardLast4']));
		expect(issuesV2({ ...record, paymentMethod: 'CHECK' })).toEqual(['Parameter "Check Number" is required.']);
	});

	it('Department is a dropdown in Patient Search and Get too', () => {
		const departments = v2.properties.flatMap((property) => [property, ...((property.options as Array<{ name: string; type?: string; typeOptions?: object; required?: boolean }>) ?? [])]).filter((property) => property.name === 'departmentId');
		expect(departments.length).toBeGreaterThanOrEqual(4);
		// Optional ones list "Any Department" for their empty default (dropdowns.test.ts).
		for (const department of departments) {
			expect(department).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: department.required ? 'getDepartments' : 'getDepartmentsOrAny' } });
		}
	});
});

describe('version 3', () => {
	const issuesV3 = (values: INodeParameters) => issuesWithDefaults(3, values);
	const sheet = {
		resource: 'payment',
		operation: 'record',
		patientId: { __rl: true, mode: 'id', value: '={{ $json.patient }}' },
		departmentId: { __rl: true, mode: 'id', value: '={{ $json.department }}' },
		paymentMethod: 'fromColumn',
		paymentMethodColumn: '={{ $json.method }}',
		amount: '={{ $json.amount }}',
	};

	it('a sheet mapped column by column, what each amount pays included, starts without a "required" block', () => {
		expect(issuesV3(sheet)).toEqual([]);
		expect(issuesV3({ ...sheet, amountFor: '={{ $json.pays }}' })).toEqual([]);
	});

	it('a new node asks for the patient, the department and the amount before it runs, and not for an amount paying claims', () => {
		expect(issuesV3({ resource: 'payment', operation: 'record' })).toEqual([
			'Parameter "Patient" is required.',
			'Parameter "Department" is required.',
			'Parameter "Amount" is required.',
		]);
		expect(issuesV3({ ...sheet, amount: '', amountFor: 'claims' })).toEqual([]);
	});
});
