/** The HTTP endpoint on a real socket (port 0). */
import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, describe, it} from 'node:test';
import type {EngineSnapshot} from '../../source/engine/protocol.ts';
import {startMetricsServer, type MetricsServer} from '../../source/metrics/server.ts';
import {agent, busy, now, snapshot} from './fixtures.ts';

describe('metrics server', () => {
	let current: EngineSnapshot | undefined;
	let server: MetricsServer;

	before(async () => {
		server = await startMetricsServer({host: '127.0.0.1', port: 0, getSnapshot: () => current, now: () => now, defaultMetrics: false});
	});

	after(async () => {
		await server.close();
	});

	it('binds the port it was given (0: a free one) and reports it', () => {
		assert.equal(server.host, '127.0.0.1');
		assert.ok(server.port > 0);
		assert.equal(server.url, `http://127.0.0.1:${server.port}`);
	});

	it('GET /metrics: Prometheus text from the current snapshot', async () => {
		current = busy();
		const response = await fetch(`${server.url}/metrics`);
		assert.equal(response.status, 200);
		assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
		const text = await response.text();
		assert.match(text, /^siem_agent_events_sent_total\{agent="soc",data_type="activities"\} 200000$/m);
		assert.match(text, /^siem_agent_siem_connected\{agent="lab"\} 0$/m);
	});

	it('GET /healthz: 200 ok, then 503 with reasons', async () => {
		current = snapshot([agent()]);
		let response = await fetch(`${server.url}/healthz`);
		assert.equal(response.status, 200);
		assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
		assert.deepEqual(await response.json(), {status: 'ok'});

		current = busy();
		response = await fetch(`${server.url}/healthz`);
		assert.equal(response.status, 503);
		const body = await response.json() as {status: string; agents: Array<{agent: string; reason?: string}>};
		assert.equal(body.status, 'unavailable');
		assert.match(body.agents.find((a) => a.agent === 'lab')?.reason ?? '', /syslog server 10\.0\.0\.9:6514/);
	});

	it('HEAD works, other methods get 405, other paths 404', async () => {
		current = snapshot([agent()]);
		const head = await fetch(`${server.url}/healthz`, {method: 'HEAD'});
		assert.equal(head.status, 200);
		assert.equal(await head.text(), '');
		const post = await fetch(`${server.url}/metrics`, {method: 'POST'});
		assert.equal(post.status, 405);
		assert.equal(post.headers.get('allow'), 'GET, HEAD');
		await post.body?.cancel();
		const missing = await fetch(`${server.url}/nope`);
		assert.equal(missing.status, 404);
		await missing.body?.cancel();
	});

	it('a port in use: CONFIG_ERROR that says so', async () => {
		await assert.rejects(startMetricsServer({host: '127.0.0.1', port: server.port, getSnapshot: () => current}), (error: Error & {code?: string}) => {
			assert.equal(error.code, 'CONFIG_ERROR');
			assert.equal(error.message, `--metrics 127.0.0.1:${server.port}: cannot listen: the port is already in use (EADDRINUSE)`);
			return true;
		});
	});

	it('close() does not wait for idle keep-alive connections', async () => {
		const other = await startMetricsServer({host: '127.0.0.1', port: 0, getSnapshot: () => current, defaultMetrics: false});
		const socket = net.connect(other.port, '127.0.0.1');
		await new Promise((resolve) => socket.once('connect', resolve));
		socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
		await new Promise((resolve) => socket.once('data', resolve));
		const closed = new Promise((resolve) => socket.once('close', resolve));
		await other.close();
		await closed;
	});
});
