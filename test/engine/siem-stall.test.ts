/**
 * A syslog server that keeps the connection open but stops reading (a hung rsyslog queue)
 * never makes a send fail: without a watch it would look healthy for ever. It is reported once
 * a batch has waited `siemStallMs`, /healthz turns 503, and once it reads again the agent says
 * so and nothing was lost.
 */
import assert from 'node:assert/strict';
import {createServer, type Server, type Socket} from 'node:net';
import type {AddressInfo} from 'node:net';
import {after, before, it} from 'node:test';
import {applyFlags} from '../../source/config/resolve.ts';
import type {AgentConfig} from '../../source/config/schema.ts';
import {AgentRunner} from '../../source/engine/agent.ts';
import {CheckpointStore} from '../../source/engine/checkpoints.ts';
import {Engine} from '../../source/engine/engine.ts';
import type {LogEntry} from '../../source/engine/protocol.ts';
import {healthOf} from '../../source/metrics/health.ts';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {messageCount} from '../../source/transports/batch.ts';
import type {Sink, SinkStatus} from '../../source/transports/types.ts';
import {tempDirectory} from '../helpers/daemon.ts';
import {waitFor} from '../helpers/wait.ts';

let simulator: Simulator;
let siem: Server;
let connection: Socket | undefined;
let received = 0;

before(async () => {
	simulator = await createSimulator({seed: 17, historyActivities: 30_000, historyAlerts: 0, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0});
	// A receiver that accepts and then reads nothing until told to.
	siem = createServer(socket => {
		connection = socket;
		socket.pause();
		socket.on('data', chunk => {
			for (const byte of chunk) {
				if (byte === 0x0A) {
					received++;
				}
			}
		});
	});
	await new Promise<void>(resolve => {
		siem.listen(0, '127.0.0.1', resolve);
	});
});

after(async () => {
	connection?.destroy();
	await new Promise(resolve => {
		siem?.close(resolve);
	});
	await simulator?.close();
});

it('reports a syslog server that stops reading, and that it reads again; nothing is lost', async () => {
	const {port} = siem.address() as AddressInfo;
	const agent = applyFlags(undefined, {url: simulator.url, token: simulator.token, syslog: `127.0.0.1:${port}`, dataTypes: 'activities', requestsPerMinute: 0, settle: 0}) as AgentConfig;
	const logs: LogEntry[] = [];
	const engine = new Engine({agents: [agent], stateDirectory: await tempDirectory(), systemName: 'test', siemStallMs: 500}, {log: entry => logs.push(entry), fatal: () => undefined});
	engine.start();
	try {
		const stalled = await waitFor('the stall to be reported', () => logs.find(entry => entry.code === 'DATA_SERVER_STALLED'));
		assert.match(stalled.msg, /has taken no data for 1 s although the connection is open; pulling waits/);
		const snapshot = engine.snapshot();
		assert.equal(snapshot.agents[0]!.sink.lastErrorCode, 'DATA_SERVER_STALLED');
		assert.equal(snapshot.agents[0]!.sink.state, 'connected', 'the connection itself is fine');
		const health = healthOf(snapshot, snapshot.time);
		assert.equal(health.statusCode, 503);
		assert.match(JSON.stringify(health.body), /is not taking data \(DATA_SERVER_STALLED\)/);

		connection!.resume();
		await waitFor('the agent to say it reads again', () => logs.find(entry => entry.code === 'CONNECTED' && /reads again after \d+ s; resuming/.test(entry.msg)));
		// Everything the backfill window holds arrives, once.
		await waitFor('the backfill to be delivered', () => engine.snapshot().agents[0]!.dataTypes.find(entry => entry.dataType === 'activities' && entry.state === 'live'), {timeoutMs: 60_000});
		const sent = engine.snapshot().agents[0]!.dataTypes.find(entry => entry.dataType === 'activities')!.sent;
		assert.ok(sent > 10_000, `a backfill that fills the socket buffers (${sent})`);
		await waitFor('every activity to arrive', () => received >= sent);
		assert.equal(received, sent);
		assert.equal(engine.snapshot().agents[0]!.sink.stalledSince, undefined);
	} finally {
		await engine.stop();
	}
});


it('times progress, not the whole send: a SIEM that takes a page slowly but steadily is not stalled', async () => {
	// A sink whose every send takes 1.5 s (five stall periods) while its bytes keep moving, like
	// a slow receiver over a thin link; then one whose bytes stop moving half way.
	const slowSink = (moving: boolean): Sink => {
		const status: SinkStatus = {state: 'connected', messagesSent: 0, bytesSent: 0, truncated: 0, progress: 0};
		return {
			async send(messages) {
				const count = messageCount(messages);
				const mover = setInterval(() => {
					if (moving || status.progress! < 5) {
						status.progress!++;
					}
				}, 50);
				await new Promise(resolve => setTimeout(resolve, 1500));
				clearInterval(mover);
				status.messagesSent += count;
			},
			status: () => ({...status}),
			async close() {},
		};
	};

	for (const moving of [true, false]) {
		const logs: LogEntry[] = [];
		const agent = applyFlags(undefined, {url: simulator.url, token: simulator.token, syslog: '127.0.0.1:9', dataTypes: 'activities', requestsPerMinute: 0, settle: 0}) as AgentConfig;
		const runner = new AgentRunner(agent, {checkpoints: new CheckpointStore(await tempDirectory()), systemName: 'test', siemStallMs: 300, log: entry => logs.push(entry), now: Date.now, createSink: () => slowSink(moving)});
		runner.start();
		try {
			await waitFor('two pages delivered', () => (runner.snapshot().dataTypes.find(entry => entry.dataType === 'activities')?.sent ?? 0) >= 10_000, {timeoutMs: 30_000});
			const stalled = logs.filter(entry => entry.code === 'DATA_SERVER_STALLED');
			if (moving) {
				assert.deepEqual(stalled.map(entry => entry.msg), [], 'slow but moving is not stalled');
			} else {
				assert.ok(stalled.length > 0, 'bytes that stop moving are reported');
				assert.ok(logs.some(entry => entry.code === 'CONNECTED' && /reads again/.test(entry.msg)), 'and the end of it');
			}
		} finally {
			await runner.stop();
		}
	}
});
