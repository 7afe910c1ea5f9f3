import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {healthOf, staleSnapshotMs} from '../../source/metrics/health.ts';
import {agent, busy, dataType, now, snapshot} from './fixtures.ts';

describe('health verdict', () => {
	it('200 {"status":"ok"} when every agent reaches its API and its SIEM', () => {
		assert.deepEqual(healthOf(snapshot([agent(), agent({name: 'b', api: {state: 'throttled', requests: {}, throttledMs: 5000}})]), now), {statusCode: 200, body: {status: 'ok'}});
	});

	it('503 with a reason per agent when a SIEM is down', () => {
		const health = healthOf(busy(), now);
		assert.equal(health.statusCode, 503);
		assert.deepEqual(health.body, {
			status: 'unavailable',
			agents: [
				{agent: 'soc', status: 'ok', api: 'connected', siem: 'connected'},
				{agent: 'lab', status: 'unhealthy', api: 'throttled', siem: 'down', reason: 'syslog server 10.0.0.9:6514 is not taking data (DATA_SERVER_CONNECTION_ERROR)'},
			],
		});
	});

	it('503 while the API fails, naming the code', () => {
		const health = healthOf(snapshot([agent({api: {state: 'error', requests: {'500': 3}, throttledMs: 0, lastErrorCode: 'API_SERVER_ERROR'}})]), now);
		assert.equal(health.statusCode, 503);
		assert.equal((health.body as {agents: Array<{reason?: string}>}).agents[0].reason, 'the API is failing (API_SERVER_ERROR)');
	});

	it('503 before the first API answer; a syslog connection not yet needed is no failure', () => {
		const starting = agent({api: {state: 'unknown', requests: {}, throttledMs: 0}, lastConnectionAt: undefined, sink: {...agent().sink, state: 'connecting', connectedAt: undefined}});
		assert.equal((healthOf(snapshot([starting]), now).body as {agents: Array<{reason?: string}>}).agents[0].reason, 'no answer from the API yet');
		const idle = agent({sink: {...agent().sink, state: 'connecting', connectedAt: undefined}});
		assert.equal(healthOf(snapshot([idle]), now).statusCode, 200);
	});

	it('a reconnect after a failure, or a pipeline waiting for the SIEM, is unhealthy', () => {
		const reconnecting = agent({sink: {...agent().sink, state: 'connecting', lastErrorCode: 'DATA_SERVER_SEND_ERROR'}});
		assert.equal(healthOf(snapshot([reconnecting]), now).statusCode, 503);
		const waiting = agent({dataTypes: [dataType({state: 'waiting-for-siem'})]});
		assert.equal(healthOf(snapshot([waiting]), now).statusCode, 503);
	});

	it('a paused agent does not count against health', () => {
		const paused = agent({paused: true, api: {state: 'unknown', requests: {}, throttledMs: 0}, sink: {...agent().sink, state: 'down', lastErrorCode: 'X'}});
		assert.deepEqual(healthOf(snapshot([agent(), paused]), now), {statusCode: 200, body: {status: 'ok'}});
	});

	it('503 without a snapshot, without agents, or when the engine stopped reporting', () => {
		assert.deepEqual(healthOf(undefined, now), {statusCode: 503, body: {status: 'starting', reason: 'the engine has not reported yet'}});
		assert.deepEqual(healthOf(snapshot([]), now), {statusCode: 503, body: {status: 'unavailable', reason: 'no agent is running'}});
		assert.deepEqual(healthOf(snapshot([agent()], now - staleSnapshotMs - 5000), now), {statusCode: 503, body: {status: 'unavailable', reason: 'the engine has not reported for 20 s'}});
	});
});
