/**
 * `--proxy` carries every API call: the daemon reads the simulator through a real tinyproxy,
 * with and without credentials, and neither the token nor the proxy password reaches the logs.
 */
import assert from 'node:assert/strict';
import {after, before, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';
import {startTinyproxy} from '../helpers/tinyproxy.ts';

let simulator: Simulator;
let collector: Collector;

before(async () => {
	simulator = await createSimulator({seed: 9, historyActivities: 300, historyAlerts: 10, token: 'proxy-test-token-42', throttle: 0});
	collector = await startCollector('tcp');
});

after(async () => {
	await collector?.close();
	await simulator?.close();
});

for (const auth of [undefined, {user: 'agent', password: 'pr0xy-pa55word'}]) {
	it(`reads the API through tinyproxy${auth ? ' with credentials' : ''}`, async () => {
		const proxy = await startTinyproxy(auth ? {basicAuth: auth} : {});
		try {
			const address = auth ? `http://${auth.user}:${auth.password}@127.0.0.1:${proxy.port}` : `127.0.0.1:${proxy.port}`;
			const expected = simulator.countActivitiesCreatedBetween(Date.now() - 2 * 24 * 3600 * 1000 + 60_000, Date.now()) + simulator.countAlertsBetween(Date.now() - 2 * 24 * 3600 * 1000 + 60_000, Date.now());
			const before = collector.messages.length;
			const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--proxy', address, '--syslog', `127.0.0.1:${collector.port}`, '--framing', 'octet-counting', '--stateDirectory', await tempDirectory(), '--poll-interval', '1', '--requests-per-minute', '0']);
			try {
				await collector.waitUntil((messages) => messages.length >= before + expected, 30_000);
			} finally {
				assert.equal(await daemon.stop(), 0, daemon.stderr);
			}
			assert.match(proxy.log(), new RegExp(`127\\.0\\.0\\.1:${simulator.port}`), 'the requests went through the proxy');
			assert.equal(daemon.stderr.includes(simulator.token), false, 'the token never reaches the logs');
			if (auth) {
				assert.equal(daemon.stderr.includes(auth.password), false, 'the proxy password never reaches the logs');
			}
		} finally {
			await proxy.close();
		}
	});
}

it('an Entra ID app gets its tokens through the proxy too', async () => {
	const proxy = await startTinyproxy({});
	try {
		const before = collector.messages.length;
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--tenant-id', 'sim-tenant', '--client-id', 'sim-client', '--client-secret', 'sim-secret', '--authority', simulator.url, '--proxy', `127.0.0.1:${proxy.port}`, '--syslog', `127.0.0.1:${collector.port}`, '--framing', 'octet-counting', '--stateDirectory', await tempDirectory(), '--poll-interval', '1', '--requests-per-minute', '0', '--data-types', 'alerts']);
		try {
			await collector.waitUntil((messages) => messages.length > before, 30_000);
		} finally {
			assert.equal(await daemon.stop(), 0, daemon.stderr);
		}
		assert.match(proxy.log(), /sim-tenant\/oauth2\/v2\.0\/token/, 'the token request went through the proxy');
		assert.equal(daemon.stderr.includes('sim-secret'), false);
	} finally {
		await proxy.close();
	}
});

it('an unreachable proxy is reported as a proxy error, and the agent keeps trying', async () => {
	const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--proxy', '127.0.0.1:9', '--syslog', `127.0.0.1:${collector.port}`, '--stateDirectory', await tempDirectory(), '--poll-interval', '1']);
	try {
		const line = await daemon.waitForLog((l) => l.code === 'PROXY_ERROR', 20_000);
		assert.match(line.msg, /127\.0\.0\.1:9/);
		assert.equal(daemon.child.exitCode, null);
	} finally {
		assert.equal(await daemon.stop(), 0);
	}
});
