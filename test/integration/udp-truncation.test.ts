/**
 * UDP has a size limit: a longer message is cut on a character boundary, counted, and said in
 * the log, never split into two datagrams or dropped without a word.
 */
import assert from 'node:assert/strict';
import {after, before, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {fastPolling} from '../helpers/events.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';

let simulator: Simulator;
let collector: Collector;

before(async () => {
	simulator = await createSimulator({seed: 4, historyActivities: 100, historyAlerts: 5, throttle: 0});
	collector = await startCollector('udp');
});

after(async () => {
	await collector?.close();
	await simulator?.close();
});

it('truncates over-long messages to --max-message-size, counts them and logs it', async () => {
	const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${collector.port}`, '--protocol', 'udp', '--max-message-size', '480', '--stateDirectory', await tempDirectory(), ...fastPolling]);
	try {
		const line = await daemon.waitForLog((entry) => entry.code === 'DATA_SERVER_MESSAGE_TRUNCATED', 20_000);
		assert.match(line.msg, /of 480 bytes/);
		await collector.waitFor(50, 10_000);
		assert.ok(collector.messages.every((message) => Buffer.byteLength(message) <= 480), 'no datagram is longer than the limit');
		assert.ok(collector.messages.every((message) => message.includes('CEF:0|MCAS|SIEM_Agent|')), 'each datagram is the start of one message, not a continuation');
	} finally {
		assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
	}
});
