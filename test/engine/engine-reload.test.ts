/**
 * Editing an agent restarts its runner from its checkpoints; its totals (and so the dashboard
 * and the Prometheus counters) carry on from where they were instead of starting at 0.
 */
import assert from 'node:assert/strict';
import {after, before, it} from 'node:test';
import {applyFlags} from '../../source/config/resolve.ts';
import type {AgentConfig} from '../../source/config/schema.ts';
import {CheckpointStore} from '../../source/engine/checkpoints.ts';
import {Engine, withTotals} from '../../source/engine/engine.ts';
import type {AgentSnapshot, EngineConfig} from '../../source/engine/protocol.ts';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {tempDirectory} from '../helpers/daemon.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';
import {waitFor} from '../helpers/wait.ts';

let simulator: Simulator;
let siem: Collector;

before(async () => {
	simulator = await createSimulator({seed: 5, historyActivities: 300, historyAlerts: 0, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0});
	siem = await startCollector('tcp');
});

after(async () => {
	await siem?.close();
	await simulator?.close();
});

/** An engine with one activities agent, once its backfill is delivered and it is caught up. */
async function backfilled(name: string) {
	const agent = applyFlags(undefined, {name, url: simulator.url, token: simulator.token, syslog: `127.0.0.1:${siem.port}`, dataTypes: 'activities', pollInterval: 1, requestsPerMinute: 0, settle: 0}) as AgentConfig;
	const config: EngineConfig = {agents: [agent], stateDirectory: await tempDirectory('siem-reload-'), systemName: 'h'};
	const engine = new Engine(config, {log: () => undefined, fatal: () => undefined});
	engine.start();
	const before = await waitFor('the backfill to be delivered', () => {
		const activities = engine.snapshot().agents[0]?.dataTypes.find((entry) => entry.dataType === 'activities');
		// Caught up: the backfill is delivered and nothing new arrives (no live activities).
		return activities && activities.state === 'live' && activities.sent > 0 ? activities : undefined;
	}).catch(async (error: unknown) => {
		await engine.stop();
		throw error;
	});
	return {agent, config, engine, before};
}

it('keeps an edited agent\'s totals across the restart of its runner', async () => {
	const {agent, config, engine, before} = await backfilled('default');
	try {
		const sinkBefore = engine.snapshot().agents[0]!.sink.messagesSent;
		// A changed setting (the format's time stamps) restarts the runner.
		await engine.reload({...config, agents: [{...agent, cef: {...agent.cef, timeFormat: 'rfc3164'}}]});
		const after = engine.snapshot().agents[0]!;
		const activities = after.dataTypes.find((entry) => entry.dataType === 'activities')!;
		assert.equal(activities.sent, before.sent, 'nothing new was read, nothing was counted twice');
		assert.equal(activities.read, before.read);
		assert.equal(after.sink.messagesSent, sinkBefore);
		assert.ok((after.api.requests['200'] ?? 0) > 0);
	} finally {
		await engine.stop();
	}
});

it('a renamed agent goes on from its old name\'s checkpoints and totals instead of backfilling again', async () => {
	const {agent, config, engine, before} = await backfilled('before');
	try {
		const received = siem.messages.length;
		await engine.reload({...config, agents: [{...agent, name: 'after'}], renamed: {after: 'before'}});
		await waitFor('the renamed agent to run', () => engine.snapshot().agents[0]?.dataTypes.find((entry) => entry.dataType === 'activities' && entry.state === 'live'));
		const after = engine.snapshot().agents[0]!;
		assert.equal(after.name, 'after');
		assert.equal(after.dataTypes.find((entry) => entry.dataType === 'activities')!.sent, before.sent, 'totals carried over, nothing read again');
		assert.equal(siem.messages.length, received, 'no record was sent twice');
		const store = new CheckpointStore(config.stateDirectory);
		assert.ok(await store.load('after', 'activities'));
		assert.equal(await store.load('before', 'activities'), undefined);
	} finally {
		await engine.stop();
	}
});

it('an agent renamed while it was not running (refused settings, say) keeps its checkpoints too', async () => {
	const {agent, config, engine} = await backfilled('running');
	try {
		const store = new CheckpointStore(config.stateDirectory);
		const cursor = {from: 1, to: 2, next: {resume: 'here'}};
		await store.save('was-broken', 'activities', cursor);
		await engine.reload({...config, agents: [agent, {...agent, name: 'fixed', paused: true}], renamed: {fixed: 'was-broken'}});
		assert.deepEqual(await store.load('fixed', 'activities'), cursor);
		assert.equal(await store.load('was-broken', 'activities'), undefined);
	} finally {
		await engine.stop();
	}
});

it('adds counters, keeps the new runner\'s states and rates', () => {
	const snapshot = (sent: number, state: AgentSnapshot['sink']['state']): AgentSnapshot => ({
		name: 'a', paused: false, status: 'connected',
		api: {state: 'connected', requests: {'200': sent, ...(sent > 5 ? {'429': 1} : {})}, throttledMs: 100},
		sink: {target: 't', protocol: 'tcp', state, messagesSent: sent, bytesSent: sent * 10, truncated: 0, replayed: 1},
		dataTypes: [{dataType: 'activities', enabled: true, state: 'live', read: sent, sent, badRecords: 1, rate: sent, history: [sent], dropped: 0}],
		errors: [],
	});
	const total = withTotals(snapshot(3, 'connecting'), snapshot(10, 'connected'));
	assert.deepEqual(total.api.requests, {'200': 13, '429': 1});
	assert.equal(total.api.throttledMs, 200);
	assert.equal(total.sink.messagesSent, 13);
	assert.equal(total.sink.bytesSent, 130);
	assert.equal(total.sink.replayed, 2);
	assert.equal(total.sink.state, 'connecting', 'the state is the new runner\'s');
	assert.equal(total.dataTypes[0]!.sent, 13);
	assert.equal(total.dataTypes[0]!.badRecords, 2);
	assert.equal(total.dataTypes[0]!.rate, 3, 'rates are not added');
	assert.equal(withTotals(snapshot(3, 'connected'), undefined).sink.messagesSent, 3);
});

it('a restarted runner that has not connected yet keeps the agent\'s last connection', () => {
	const fresh: AgentSnapshot = {
		name: 'a', paused: false, status: 'created',
		api: {state: 'error', requests: {'401': 1}, throttledMs: 0, lastErrorCode: 'INVALID_TOKEN'},
		sink: {target: 't', protocol: 'tcp', state: 'connected', messagesSent: 0, bytesSent: 0, truncated: 0},
		dataTypes: [], errors: [],
	};
	const before: AgentSnapshot = {...fresh, status: 'connected', lastConnectionAt: 1_000, api: {state: 'connected', requests: {'200': 4}, throttledMs: 0}};
	const total = withTotals(fresh, before);
	assert.equal(total.lastConnectionAt, 1_000);
	assert.equal(total.status, 'created', 'a refused new token is not "Connected"');
	assert.equal(total.api.state, 'error', 'the API state is the new runner\'s');
	const starting = withTotals({...fresh, api: {state: 'unknown', requests: {}, throttledMs: 0}}, before);
	assert.equal(starting.status, 'connected', 'not connected yet, but the agent has been');
	assert.equal(withTotals({...fresh, api: {state: 'unknown', requests: {}, throttledMs: 0}}, {...before, lastConnectionAt: undefined, status: 'created'}).status, 'created');
});
