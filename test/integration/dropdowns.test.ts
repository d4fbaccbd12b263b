/**
 * The dropdowns the editor fills from athena (issue 23, items 4 and 5), asked for through n8n-core's real
 * LoadOptionsContext the way n8n 2.41's editor asks: with the node as the panel holds it at that moment.
 */
import type { INode, INodeParameters, INodeProperties } from 'n8n-workflow';

import { Athenahealth } from '../../nodes/Athenahealth/Athenahealth.node';
import { CREDENTIAL_ID, useStack } from './stack';

const stackOf = useStack();

const node = (parameters: INodeParameters, typeVersion = 3, withCredential = true): INode => ({
	id: 'athena-node',
	name: 'athenahealth',
	type: 'n8n-nodes-athenahealth.athenahealth',
	typeVersion,
	position: [0, 0],
	parameters,
	...(withCredential ? { credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } } } : {}),
});

const record = { resource: 'payment', operation: 'record' };
const DEPARTMENTS = ['150', '62', '82', '1', '21'];

describe('a dropdown asked for before the credential is attached (item 4)', () => {
	// Seen on n8n 2.41.1: a panel opened on a new node asks for its lists at once; when that request goes out before
	// the node holds its credential, n8n answered 500 "Node does not have any credentials set", and the editor, which
	// does not ask again while a request is in flight, kept "Error fetching options from athenahealth" until reopened.
	it('Payment Method lists what needs no athena call, and says nothing went wrong', async () => {
		const options = await stackOf().engine.loadOptions(node(record, 3, false), 'getPaymentMethods');
		expect(options.map((option) => option.value)).toEqual(['CASH', 'CHECK', 'fromColumn']);
		expect(stackOf().simulator.requests()).toHaveLength(0);
	});

	it('an optional Department lists "Any Department" and nothing else until the credential is there', async () => {
		const options = await stackOf().engine.loadOptions(node({ resource: 'patient', operation: 'search' }, 3, false), 'getDepartmentsOrAny');
		expect(options).toEqual([{ name: 'Any Department', value: '' }]);
	});

	it("version 3's Department on Record and Collect is a list that loads when it is opened, not when the panel opens", async () => {
		const v3 = new Athenahealth().getNodeType(3).description.properties;
		for (const operation of ['record', 'collect']) {
			const department = v3.find((property) => property.name === 'departmentId' && property.displayOptions?.show?.operation?.includes(operation));
			expect(department).toMatchObject({ type: 'resourceLocator', default: { mode: 'list', value: '' }, required: true });
			expect(department?.modes?.[0]).toMatchObject({ name: 'list', typeOptions: { searchListMethod: 'searchDepartments' } });
		}
		const listed = await stackOf().engine.listSearch(node(record), 'searchDepartments');
		expect(listed.results.map((result) => result.value)).toEqual(DEPARTMENTS);
		expect(listed.results[3]).toEqual({ name: 'Preview Family Medicine (1)', value: '1' });
		const typed = await stackOf().engine.listSearch(node(record), 'searchDepartments', 'cardio');
		expect(typed.results.map((result) => result.value)).toEqual(['62']);
	});

	it('with the credential, every list is whole', async () => {
		const methods = await stackOf().engine.loadOptions(node(record), 'getPaymentMethods');
		expect(methods.map((option) => option.value)).toEqual(['CASH', 'CHECK', 'AMEX', 'MC/VISA', 'DISCOVER', 'fromColumn']);
		const departments = await stackOf().engine.loadOptions(node(record, 2), 'getDepartments');
		expect(departments.map((option) => option.value)).toEqual(DEPARTMENTS);
	});
});

describe('an optional Department dropdown holds its empty default (item 5)', () => {
	// n8n's editor marks an options value that is not among the loaded options: "The value "" is not supported!".
	const optionalDepartments = [1, 2, 3].flatMap((version) => {
		const fields = (properties: INodeProperties[]): INodeProperties[] =>
			properties.flatMap((property) => [property, ...fields(((property.options ?? []) as INodeProperties[]).filter((option) => 'type' in option))]);
		return fields(new Athenahealth().getNodeType(version).description.properties)
			.filter((field) => field.type === 'options' && field.typeOptions?.loadOptionsMethod && /department/i.test(field.name) && !field.required)
			.map((field) => [version, field.displayName, field] as const);
	});

	it.each(optionalDepartments)('v%s %s', async (version, _, field) => {
		expect(field.default).toBe('');
		const options = await stackOf().engine.loadOptions(node({ resource: 'patient', operation: 'search' }, version), field.typeOptions!.loadOptionsMethod as string);
		expect(options.map((option) => option.value)).toEqual(['', ...DEPARTMENTS]);
		expect(options[0].name).toBe('Any Department');
	});

	it('covers the fields the person met: Patient → Search (v2, v3), Appointment → Get Many and Get', () => {
		expect(optionalDepartments.map(([version, name]) => `v${version} ${name}`)).toEqual(
			expect.arrayContaining([
				'v2 Department Name or ID',
				'v3 Department Name or ID',
				'v3 Department for Balance Name or ID',
				'v1 Department Name or ID (to List Appointments)',
			]),
		);
	});
});
