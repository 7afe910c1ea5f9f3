/**
 * What goes wrong in the field, with real parts: a wrong token, a malformed proxy, a SIEM that
 * is down or restarts mid-stream, an API that sends garbage, an agent killed mid-stream.
 */
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import {after, before, describe, it} from 'node:test';
import {applyFlags} from '../../source/config/resolve.ts';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {day, expectedIds, fastPolling, hasAll, idsOf} from '../helpers/events.ts';
import {freePort, Rsyslog} from '../helpers/rsyslog.ts';

describe('daemon start-up errors', () => {
	let simulator: Simulator;
	before(async () => {
		simulator = await createSimulator({seed: 3, historyActivities: 50, historyAlerts: 5});
	});
	after(async () => simulator?.close());

	it('exits 3 on a wrong token, says what to do, and never prints the token', async () => {
		const state = await tempDirectory();
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', 'wrong-token-123456', '--syslog', '127.0.0.1:9', '--stateDirectory', state, ...fastPolling]);
		const {code} = await daemon.exited;
		assert.equal(code, 3, daemon.stderr);
		const line = daemon.logs.find((l) => l.code === 'INVALID_TOKEN');
		assert.ok(line, daemon.stderr);
		assert.match(line.msg, /regenerate/i);
		assert.equal(daemon.stderr.includes('wrong-token-123456'), false);
	});

	it('exits 2 on a malformed proxy address, naming it without its password', async () => {
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1:9', '--proxy', 'http://user:s3cretpass@proxy host:80']);
		const {code} = await daemon.exited;
		assert.equal(code, 2, daemon.stderr);
		assert.ok(daemon.codes().includes('INVALID_PROXY_ADDRESS'), daemon.stderr);
		assert.match(daemon.stderr, /proxy host/);
		assert.equal(daemon.stderr.includes('s3cretpass'), false);
	});

	it('a start-up error goes to the log file too when --logsDirectory is given', async () => {
		const logs = `${await tempDirectory()}/logs`;
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1:9', '--proxy', 'http://user:s3cretpass@proxy host:80', '--logsDirectory', logs]);
		assert.equal((await daemon.exited).code, 2, daemon.stderr);
		const file = await readFile(`${logs}/siem-agent.log`, 'utf8');
		assert.match(file, /"code":"INVALID_PROXY_ADDRESS"/);
		assert.equal(file.includes('s3cretpass'), false);
	});

	it('exits 2 with usage help when nothing to run is given', async () => {
		const daemon = new DaemonProcess(['--daemon', '--config', `${await tempDirectory()}/none.json`]);
		const {code} = await daemon.exited;
		assert.equal(code, 2);
		assert.match(daemon.stderr, /--url, --token and --syslog/);
	});

	it('refuses a second agent on the same state directory, which would resend what the first delivered', async () => {
		const state = await tempDirectory();
		const args = ['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1:9', '--stateDirectory', state, ...fastPolling];
		const first = new DaemonProcess(args);
		try {
			await first.waitForLog((line) => line.code === 'STARTED');
			const second = new DaemonProcess(args);
			assert.equal((await second.exited).code, 2, second.stderr);
			assert.match(second.stderr, new RegExp(`in use by another siem-agent \\(pid ${first.child.pid}\\)`));
		} finally {
			assert.equal(await first.stop(), 0);
		}
		// A lock left behind by a killed agent does not block the next one.
		const killed = new DaemonProcess(args);
		await killed.waitForLog((line) => line.code === 'STARTED');
		await killed.stop('SIGKILL');
		const next = new DaemonProcess(args);
		await next.waitForLog((line) => line.code === 'STARTED');
		assert.equal(await next.stop(), 0);
	});

	it('gives up with exit 4 when the service keeps refusing the query (a filter it does not know)', async () => {
		const directory = await tempDirectory();
		const file = `${directory}/config.json`;
		const agent = applyFlags(undefined, {name: 'bad-filter', url: simulator.url, token: simulator.token, syslog: '127.0.0.1:9', dataTypes: 'alerts', pollInterval: 1, requestsPerMinute: 0});
		agent.dataTypes.alerts.filters = {'no.such.field': {eq: [1]}};
		await writeFile(file, JSON.stringify({agents: [agent]}), {mode: 0o600});
		const daemon = new DaemonProcess(['--daemon', '--config', file, '--stateDirectory', `${directory}/state`]);
		const {code} = await daemon.exited;
		assert.equal(code, 4, daemon.stderr.slice(-2000));
		assert.ok(daemon.codes().includes('API_REQUEST_REJECTED'));
		assert.ok(daemon.codes().includes('TOO_MANY_CRITICAL_ERRORS'));
	});

	it('exits 2 on a bad port and on an unknown protocol', async () => {
		for (const args of [['--syslog', '127.0.0.1:70000'], ['--syslog', '127.0.0.1:514', '--protocol', 'carrier-pigeon']]) {
			const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, ...args]);
			assert.equal((await daemon.exited).code, 2, daemon.stderr);
		}
	});
});

describe('daemon under failures', () => {
	let simulator: Simulator;
	before(async () => {
		simulator = await createSimulator({seed: 11, historyActivities: 3000, historyAlerts: 30, liveActivitiesPerSecond: 50, throttle: 0});
	});
	after(async () => simulator?.close());

	it('stops pulling while the SIEM is unreachable and resumes without loss when it comes up', async () => {
		const port = await freePort();
		const state = await tempDirectory();
		const started = Date.now();
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${port}`, '--framing', 'octet-counting', '--stateDirectory', state, ...fastPolling]);
		await daemon.waitForLog((line) => line.code === 'DATA_SERVER_CONNECTION_ERROR');
		const requestsWhileDown = simulator.stats().requests;
		await new Promise((resolve) => setTimeout(resolve, 2000));
		// Pulling stopped: at most the page in flight and one prefetched page per data type.
		const more = simulator.stats().requests - requestsWhileDown;
		assert.ok(more <= 4, `the agent kept pulling while the SIEM was down (${more} more requests)`);

		const rsyslog = await Rsyslog.start('tcp-octet', port);
		try {
			await daemon.waitForLog((line) => line.code === 'CONNECTED' && /syslog/.test(line.msg), 30_000);
			const cut = Date.now();
			const expected = expectedIds(simulator, started - 2 * day + 1000, cut);
			await rsyslog.waitFor(hasAll(expected), 60_000, 'everything after the SIEM came up');
			assert.equal(await daemon.stop(), 0);
		} finally {
			await rsyslog.stop();
		}
	});

	it('loses nothing when rsyslog restarts mid-stream', async () => {
		const rsyslog = await Rsyslog.start('tcp-lf');
		const state = await tempDirectory();
		const started = Date.now();
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${rsyslog.port}`, '--stateDirectory', state, ...fastPolling]);
		try {
			await rsyslog.waitFor((lines) => lines.length > 500, 30_000, 'the first events');
			await rsyslog.stop();
			await daemon.waitForLog((line) => line.code === 'DATA_SERVER_SEND_ERROR' || line.code === 'DATA_SERVER_CONNECTION_ERROR', 30_000);
			await new Promise((resolve) => setTimeout(resolve, 1000));
			await rsyslog.restart();
			await daemon.waitForLog((line) => line.code === 'CONNECTED' && /syslog/.test(line.msg), 30_000);
			const cut = Date.now();
			const expected = expectedIds(simulator, started - 2 * day + 1000, cut);
			await rsyslog.waitFor(hasAll(expected), 60_000, 'every event across the rsyslog restart');
			assert.equal(await daemon.stop(), 0);
		} finally {
			await rsyslog.stop();
		}
	});

	it('logs malformed API bodies and server errors, keeps going, and loses nothing', async () => {
		const rsyslog = await Rsyslog.start('tcp-octet');
		const state = await tempDirectory();
		const started = Date.now();
		simulator.setFaults({malformedRate: 0.3, errorRate: 0.2});
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${rsyslog.port}`, '--framing', 'octet-counting', '--stateDirectory', state, ...fastPolling]);
		try {
			await daemon.waitForLog((line) => line.code === 'MALFORMED_RESPONSE', 30_000);
			await daemon.waitForLog((line) => line.code === 'API_SERVER_ERROR', 30_000);
			simulator.setFaults({malformedRate: 0, errorRate: 0});
			const cut = Date.now();
			const expected = expectedIds(simulator, started - 2 * day + 1000, cut);
			await rsyslog.waitFor(hasAll(expected), 90_000, 'every event despite the faults');
			assert.equal(daemon.child.exitCode, null, 'the daemon is still running');
			assert.equal(await daemon.stop(), 0);
		} finally {
			simulator.setFaults({malformedRate: 0, errorRate: 0});
			await rsyslog.stop();
		}
	});

	it('after a kill -9 mid-stream, at most the batch in flight is sent again', async () => {
		const rsyslog = await Rsyslog.start('tcp-octet');
		const state = await tempDirectory();
		const started = Date.now();
		const args = ['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${rsyslog.port}`, '--framing', 'octet-counting', '--stateDirectory', state, ...fastPolling];
		const first = new DaemonProcess(args);
		try {
			await rsyslog.waitFor((lines) => lines.length > 100, 30_000, 'the first events');
			await first.stop('SIGKILL');
			const second = new DaemonProcess(args);
			const cut = Date.now() + 1000;
			await new Promise((resolve) => setTimeout(resolve, 1000));
			const expected = expectedIds(simulator, started - 2 * day + 1000, cut);
			const lines = await rsyslog.waitFor(hasAll(expected), 60_000, 'everything after the kill');
			assert.equal(await second.stop(), 0);
			const all = idsOf(lines);
			const repeated = all.length - new Set(all).size;
			// One scan page is the largest batch (5000 records).
			assert.ok(repeated <= 5000, `${repeated} events repeated`);
		} finally {
			await rsyslog.stop();
		}
	});
});
