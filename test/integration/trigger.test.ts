/**
 * The athenahealth Trigger's poll(), run through n8n-core's real PollContext the way n8n 2.41 runs a tick (static
 * data saved only when a poll hands items on), against the simulator's changed-appointments feed.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { EngineWorkflow, TestEngine } from '../harness/engine';
import { APPOINTMENT_WITH_COPAY, APPOINTMENT_WITHOUT_COPAY, appointmentIdsOf, DEPARTMENT_MAIN, seedAppointment } from '../simulator';
import { CREDENTIAL_ID, useStack } from './stack';

const TRIGGER = 'athenahealth Trigger';

function triggerWorkflow(parameters: INodeParameters = {}, id = 'trigger-test'): EngineWorkflow {
	return {
		id,
		nodes: [
			{
				id: 'trigger-node',
				name: TRIGGER,
				type: 'n8n-nodes-athenahealth.athenahealthTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { events: ['checkIn'], ...parameters },
				credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } },
			},
		],
		connections: {},
	};
}

const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => `${item.json.event} ${item.json.appointmentId}`);

describe('athenahealth Trigger: poll()', () => {
	const stack = useStack();
	let workflowCounter = 0;
	let workflow: EngineWorkflow;
	beforeEach(() => {
		// The node remembers per process, per workflow, that it checked the subscription: a new workflow id per test.
		workflow = triggerWorkflow({}, `trigger-test-${++workflowCounter}`);
	});

	async function activate(engine = stack().engine, wf = workflow) {
		const first = await engine.poll(wf, { activation: 'activate' });
		expect(first.error).toBeUndefined();
		return first;
	}

	test('activating subscribes the chosen events; each check-in is emitted once, across polls', async () => {
		const { engine, simulator } = stack();
		const first = await activate();
		expect(first.outcome).toBe('nothing');
		const posts = simulator.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/appointments/changed/subscription'));
		expect(posts).toHaveLength(1);

		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		simulator.appointments.act('checkin', APPOINTMENT_WITHOUT_COPAY);
		const second = await engine.poll(workflow);
		expect(second.outcome).toBe('emitted');
		expect(ids(second.items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`, `Check-In ${APPOINTMENT_WITHOUT_COPAY}`]);
		const item = second.items[0].json;
		expect(item).toMatchObject({
			event: 'Check-In',
			athenaEvent: 'CheckIn',
			appointmentId: APPOINTMENT_WITH_COPAY,
			patientId: '1',
			departmentId: seedAppointment(APPOINTMENT_WITH_COPAY)?.departmentid,
			status: 'checked in',
		});
		expect(item.changedAt).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
		expect(item).not.toHaveProperty('expectedCopay');
		// The execution n8n starts carries the same items.
		expect(second.execution?.outputOf(TRIGGER).map((entry) => entry.json.appointmentId)).toEqual([APPOINTMENT_WITH_COPAY, APPOINTMENT_WITHOUT_COPAY]);

		// The next polls re-read the processed window (they see those messages again) but emit nothing twice.
		expect((await engine.poll(workflow)).outcome).toBe('nothing');
		simulator.appointments.act('checkin', appointmentIdsOf(3)[0]);
		const third = await engine.poll(workflow);
		expect(ids(third.items)).toEqual([`Check-In ${appointmentIdsOf(3)[0]}`]);
		expect((await engine.poll(workflow)).outcome).toBe('nothing');
		const windowReads = simulator.requests().filter((request) => request.path.endsWith('/appointments/changed') && request.query.showprocessedstartdatetime);
		expect(windowReads.length).toBeGreaterThanOrEqual(2);
	});

	test('only the chosen events; a later change to a checked-in appointment is an update, not a second check-in', async () => {
		const { engine, simulator } = stack();
		workflow = triggerWorkflow({ events: ['checkIn', 'checkOut', 'cancelled', 'updated'] }, workflow.id);
		await activate();
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		simulator.appointments.act('cancel', APPOINTMENT_WITHOUT_COPAY, { reason: 'PATIENT CANCELLED' });
		const first = await engine.poll(workflow);
		expect(ids(first.items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`, `Cancelled ${APPOINTMENT_WITHOUT_COPAY}`]);
		expect(first.items[1].json.cancelReason).toBe('PATIENT CANCELLED');

		simulator.advanceTime(2);
		simulator.appointments.act('update', APPOINTMENT_WITH_COPAY);
		simulator.advanceTime(2);
		simulator.appointments.act('checkout', APPOINTMENT_WITH_COPAY);
		const second = await engine.poll(workflow);
		expect(ids(second.items)).toEqual([`Updated ${APPOINTMENT_WITH_COPAY}`, `Check-Out ${APPOINTMENT_WITH_COPAY}`]);
	});

	test('open-slot events (no patient) are not emitted', async () => {
		const { engine, simulator } = stack();
		workflow = triggerWorkflow({ events: ['checkIn', 'scheduled', 'updated'] }, workflow.id);
		await activate();
		// A subscription without an event name takes all nine defaults, AddAppointmentSlot among them.
		expect(simulator.appointments.openSlot(DEPARTMENT_MAIN).messages).toBe(0);
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		await engine.poll(workflow);
		// Subscribe AddAppointmentSlot as another app would, then make a slot appear.
		const feedBefore = simulator.appointments.feed().length;
		simulator.appointments.subscribeEvents(['AddAppointmentSlot']);
		expect(simulator.appointments.openSlot(DEPARTMENT_MAIN).messages).toBe(1);
		expect(simulator.appointments.feed().length).toBe(feedBefore + 1);
		expect((await engine.poll(workflow)).outcome).toBe('nothing');
	});

	test('department filter', async () => {
		const { engine, simulator } = stack();
		const department = String(seedAppointment(APPOINTMENT_WITH_COPAY)?.departmentid);
		const other = [...Array(40).keys()].map((p) => appointmentIdsOf(p + 1)[0]).find((id) => seedAppointment(id)?.departmentid !== department)!;
		workflow = triggerWorkflow({ departmentIds: [department] }, workflow.id);
		await activate();
		simulator.appointments.act('checkin', other);
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		const polled = await engine.poll(workflow);
		expect(ids(polled.items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`]);
		const reads = simulator.requests().filter((request) => request.path.endsWith('/appointments/changed'));
		expect(reads.every((request) => request.query.departmentid === department)).toBe(true);
	});

	test('Include Copay adds the copay figures as Appointment → Get normalises them', async () => {
		const { engine, simulator } = stack();
		workflow = triggerWorkflow({ includeCopay: true }, workflow.id);
		await activate();
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		const polled = await engine.poll(workflow);
		const get = await stack().run({ resource: 'appointment', operation: 'get', appointmentId: APPOINTMENT_WITH_COPAY });
		const fromGet = get.json[0];
		expect(fromGet.expectedCopay).toBeDefined();
		for (const field of ['expectedCopay', 'collectedForAppointment', 'collectedForOther', 'insuranceCopay', 'copayDue']) {
			expect(polled.items[0].json[field]).toEqual(fromGet[field]);
		}
		expect(polled.items[0].json.expectedCopay).toMatch(/^\d+\.\d{2}$/);
	});

	/** n8n restarted: a new process (the node's in-process memory is gone), the same database (static data, credentials). */
	async function restarted(engine: TestEngine): Promise<TestEngine> {
		jest.resetModules();
		const { TestEngine: FreshEngine, loadPackageNodeTypes } = await import('../harness/engine');
		const types = loadPackageNodeTypes();
		const fresh = new FreshEngine({
			nodeTypes: types.nodeTypes,
			credentialTypes: types.credentialTypes,
			credentials: [{ id: CREDENTIAL_ID, name: 'athena simulator', type: 'athenahealthOAuth2Api', data: engine.storedCredential(CREDENTIAL_ID) }],
		});
		fresh.setStaticData(workflow.id!, engine.staticDataOf(workflow.id!));
		return fresh;
	}

	test('n8n restarts between polls: a new engine with the saved static data emits each event once', async () => {
		const { engine, simulator } = stack();
		await activate();
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		expect(ids((await engine.poll(workflow)).items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`]);

		// n8n is down; meanwhile two more patients check in. athena keeps the messages unprocessed.
		simulator.appointments.act('checkin', APPOINTMENT_WITHOUT_COPAY);
		simulator.appointments.act('checkin', appointmentIdsOf(3)[0]);
		const fresh = await restarted(engine);
		const afterRestart = await fresh.poll(workflow, { activation: 'init' });
		expect(ids(afterRestart.items)).toEqual([`Check-In ${APPOINTMENT_WITHOUT_COPAY}`, `Check-In ${appointmentIdsOf(3)[0]}`]);
		expect((await fresh.poll(workflow)).outcome).toBe('nothing');
	});

	test('a poll that fails after reading the feed loses nothing: the next poll reads those messages again', async () => {
		const { engine, simulator } = stack();
		workflow = triggerWorkflow({ includeCopay: true }, workflow.id);
		await activate();
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		expect((await engine.poll(workflow)).outcome).toBe('emitted');

		simulator.appointments.act('checkin', APPOINTMENT_WITHOUT_COPAY);
		// The feed read succeeds (athena marks the message processed), then the copay look-up fails for good.
		simulator.addFaults({ kind: '500-before', method: 'GET', path: '^/appointments/\\d+$', count: 4 });
		const failed = await engine.poll(workflow);
		expect(failed.outcome).toBe('error');
		expect(failed.error?.message).toMatch(/athena/i);
		expect(simulator.appointments.feed().find((message) => message.appointmentid === APPOINTMENT_WITHOUT_COPAY)?.processedAt).not.toBeNull();

		const recovered = await engine.poll(workflow);
		expect(ids(recovered.items)).toEqual([`Check-In ${APPOINTMENT_WITHOUT_COPAY}`]);
		expect((await engine.poll(workflow)).outcome).toBe('nothing');
	}, 30000);

	test('a failure before the first event was ever saved is recovered too (in the same process)', async () => {
		const { engine, simulator } = stack();
		workflow = triggerWorkflow({ includeCopay: true }, workflow.id);
		await activate();
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		simulator.addFaults({ kind: '500-before', method: 'GET', path: '^/appointments/\\d+$', count: 4 });
		expect((await engine.poll(workflow)).outcome).toBe('error');
		expect(ids((await engine.poll(workflow)).items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`]);
	}, 30000);

	test('the execution started by the events fails: the events are not emitted again (n8n keeps the failed execution)', async () => {
		const { engine, simulator } = stack();
		const failing: EngineWorkflow = {
			...workflow,
			nodes: [
				...workflow.nodes,
				{
					id: 'athena-get',
					name: 'Get Appointment',
					type: 'n8n-nodes-athenahealth.athenahealth',
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'appointment', operation: 'get', appointmentId: '999999999' },
					credentials: { athenahealthOAuth2Api: { id: CREDENTIAL_ID, name: 'athena simulator' } },
				},
			],
			connections: { [TRIGGER]: { main: [[{ node: 'Get Appointment', type: 'main', index: 0 }]] } },
		};
		await activate(engine, failing);
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		const polled = await engine.poll(failing);
		expect(polled.outcome).toBe('emitted');
		expect(polled.execution?.status).toBe('error');
		expect((await engine.poll(failing)).outcome).toBe('nothing');
	});

	test('no subscription: the Trigger subscribes, waits while athena applies it, then reads; explained when it never applies', async () => {
		const { engine, simulator } = stack();
		simulator.appointments.applyDelaySeconds = 15 * 60;
		const first = await engine.poll(workflow, { activation: 'activate' });
		// Activation does not fail while athena applies the new subscription.
		expect(first.outcome).toBe('nothing');
		expect(first.error).toBeUndefined();
		const feedReads = () => simulator.requests().filter((request) => request.path.endsWith('/appointments/changed'));
		expect(feedReads().at(-1)?.status).toBe(403);

		// "Fetch test event" meanwhile explains the 403 and the delay.
		const test = await engine.poll(workflow, { mode: 'manual' });
		expect(test.outcome).toBe('error');
		expect(test.error?.message).toBe('athena: Changed messages require setup (subscription) that has not been done.');
		expect((test.error as { description?: string }).description).toMatch(/minutes.*10-15/);

		// Applied after 15 minutes: events from then on arrive.
		simulator.advanceTime(15 * 60 + 1);
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		const later = await engine.poll(workflow);
		expect(ids(later.items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`]);
	});

	const subscriptionPosts = () =>
		stack()
			.simulator.requests()
			.filter((request) => request.method === 'POST' && request.path.endsWith('/appointments/changed/subscription'));

	test('athena reports the subscription PARTIAL (another app\'s events and the Trigger\'s): read per event, nothing posted again, at a restart either', async () => {
		const { engine, simulator } = stack();
		simulator.appointments.subscribeEvents(['CheckOut', 'CancelAppointment']);
		await activate();
		expect(subscriptionPosts().map((request) => request.status)).toEqual([200]);
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		expect(ids((await engine.poll(workflow)).items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`]);

		const fresh = await restarted(engine);
		expect((await fresh.poll(workflow, { activation: 'init' })).outcome).toBe('nothing');
		expect((await fresh.poll(workflow)).outcome).toBe('nothing');
		expect(subscriptionPosts()).toHaveLength(1);
	});

	test.each([
		['lists the event as soon as it is asked for (PARTIAL beside another app\'s)', true],
		['lists it only once applied', false],
	])('while athena applies the subscription and refuses reads (403), the event is posted once, not per poll or per n8n start: athena %s', async (_how, listsPending) => {
		const { engine, simulator } = stack();
		simulator.appointments.subscribeEvents(['CheckOut']);
		simulator.appointments.applyDelaySeconds = 15 * 60;
		simulator.appointments.listsPendingEvents = listsPending;
		const durable = { durableCursors: true };
		expect((await engine.poll(workflow, { activation: 'activate', ...durable })).outcome).toBe('nothing');
		// Reads are refused until athena applies a subscription (CheckOut's, asked just before, takes as long).
		for (let poll = 0; poll < 3; poll++) expect((await engine.poll(workflow, durable)).error).toBeUndefined();
		expect(subscriptionPosts()).toHaveLength(1);
		expect(engine.staticDataOf(workflow.id!)).toMatchObject({ [`node:${TRIGGER}`]: { subscription: { asked: { CheckIn: expect.any(Number) } } } });

		const fresh = await restarted(engine);
		expect((await fresh.poll(workflow, { activation: 'init', ...durable })).error).toBeUndefined();
		expect((await fresh.poll(workflow, durable)).error).toBeUndefined();
		expect(subscriptionPosts()).toHaveLength(1);

		simulator.advanceTime(15 * 60 + 1);
		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		expect(ids((await fresh.poll(workflow, durable)).items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`]);
		expect(subscriptionPosts()).toHaveLength(1);
	});

	test('no subscription that athena never applies: after 30 minutes the poll fails with the explanation', async () => {
		const { engine, simulator } = stack();
		simulator.appointments.applyDelaySeconds = 24 * 60 * 60;
		expect((await engine.poll(workflow, { activation: 'activate' })).outcome).toBe('nothing');
		const realNow = Date.now;
		try {
			Date.now = () => realNow() + 31 * 60 * 1000;
			const polled = await engine.poll(workflow);
			expect(polled.outcome).toBe('error');
			expect((polled.error as { description?: string }).description).toMatch(/more than 30 minutes/);
		} finally {
			Date.now = realNow;
		}
	});

	test('"Fetch test event" returns the latest real event without consuming the feed', async () => {
		const { engine, simulator } = stack();
		await activate();
		const none = await engine.poll(workflow, { mode: 'manual' });
		expect(none.outcome).toBe('error');
		expect(none.error?.message).toBe("No Check-In event in athena's feed in the last 24 hours");

		simulator.appointments.act('checkin', APPOINTMENT_WITH_COPAY);
		simulator.advanceTime(1);
		simulator.appointments.act('checkin', APPOINTMENT_WITHOUT_COPAY);
		const test = await engine.poll(workflow, { mode: 'manual' });
		expect(ids(test.items)).toEqual([`Check-In ${APPOINTMENT_WITHOUT_COPAY}`]);
		expect(simulator.appointments.feed().every((message) => message.processedAt === null)).toBe(true);

		// The active workflow still gets both.
		const active = await engine.poll(workflow);
		expect(ids(active.items)).toEqual([`Check-In ${APPOINTMENT_WITH_COPAY}`, `Check-In ${APPOINTMENT_WITHOUT_COPAY}`]);
	});
});
