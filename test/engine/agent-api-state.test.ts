/**
 * The API is failing from its first failed call on, not only once the client has given up on
 * its retries: the dashboard, /healthz and the status thresholds all read this state.
 */
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, it} from 'node:test';
import {applyFlags} from '../../source/config/resolve.ts';
import type {AgentConfig} from '../../source/config/schema.ts';
import {Engine} from '../../source/engine/engine.ts';
import {tempDirectory} from '../helpers/daemon.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';
import {waitFor} from '../helpers/wait.ts';

let api: Server;
let siem: Collector;
let requests = 0;

before(async () => {
	// An API that is down behind its load balancer: every call is a 503.
	api = createServer((_request, response) => {
		requests++;
		response.writeHead(503, {'content-type': 'text/plain'}).end('Service Unavailable');
	});
	await new Promise<void>(resolve => {
		api.listen(0, '127.0.0.1', resolve);
	});
	siem = await startCollector('tcp');
});

after(async () => {
	await siem?.close();
	await new Promise(resolve => {
		api?.close(resolve);
	});
});

it('shows the API as failing while the client is still retrying, even while a retry waits for the request budget', async () => {
	const {port} = api.address() as AddressInfo;
	const agent = applyFlags(undefined, {url: `http://127.0.0.1:${port}`, token: 'token-0123456789', syslog: `127.0.0.1:${siem.port}`, dataTypes: 'activities', requestsPerMinute: 30}) as AgentConfig;
	const engine = new Engine({agents: [agent], stateDirectory: await tempDirectory(), systemName: 'test'}, {log: () => undefined, fatal: () => undefined});
	engine.start();
	try {
		const failing = await waitFor('the first retry', () => {
			const snapshot = engine.snapshot().agents[0]!;
			return requests > 0 && snapshot.api.state !== 'unknown' ? snapshot : undefined;
		});
		assert.equal(failing.api.state, 'error');
		assert.equal(failing.api.lastErrorCode, 'API_SERVER_ERROR');
		assert.equal(failing.dataTypes.find(entry => entry.dataType === 'activities')!.state, 'backfill', 'the pipeline itself has not heard of it yet');
	} finally {
		await engine.stop();
	}
});

it('retries of both data types are one notification per data type, counted, not one per attempt', async () => {
	const {port} = api.address() as AddressInfo;
	const agent = applyFlags(undefined, {url: `http://127.0.0.1:${port}`, token: 'token-0123456789', syslog: `127.0.0.1:${siem.port}`, requestsPerMinute: 0}) as AgentConfig;
	const engine = new Engine({agents: [agent], stateDirectory: await tempDirectory(), systemName: 'test'}, {log: () => undefined, fatal: () => undefined});
	engine.start();
	try {
		const errors = await waitFor('a second attempt of each data type', () => {
			const {errors} = engine.snapshot().agents[0]!;
			return errors.filter(error => error.count >= 2).length >= 2 ? errors : undefined;
		});
		assert.deepEqual(errors.map(error => `${error.code} ${error.dataType}`).sort(), ['API_SERVER_ERROR activities', 'API_SERVER_ERROR alerts']);
	} finally {
		await engine.stop();
	}
});

it('a paused agent says so when it starts, instead of saying nothing', async () => {
	const {port} = api.address() as AddressInfo;
	const agent = {...applyFlags(undefined, {url: `http://127.0.0.1:${port}`, token: 'token-0123456789', syslog: `127.0.0.1:${siem.port}`}), paused: true} as AgentConfig;
	const logs: string[] = [];
	const before = requests;
	const engine = new Engine({agents: [agent], stateDirectory: await tempDirectory(), systemName: 'test'}, {log: entry => logs.push(`${entry.code} ${entry.msg}`), fatal: () => undefined});
	engine.start();
	try {
		assert.ok(logs.some(line => /^STOPPED agent paused \("paused": true in its settings, or p in the dashboard\): it pulls nothing until resumed/.test(line)), logs.join('\n'));
		assert.equal(requests, before, 'and asks the API nothing');
	} finally {
		await engine.stop();
	}
});
