import assert from 'node:assert/strict';
import {createSocket} from 'node:dgram';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {createUdpSink, truncateUtf8} from '../../source/transports/udp.ts';
import {startCollector} from '../helpers/receiver.ts';

/** A UDP port nothing listens on (for now). */
async function freeUdpPort(): Promise<number> {
	const socket = createSocket('udp4');
	await new Promise<void>(resolve => {
		socket.bind(0, '127.0.0.1', resolve);
	});
	const {port} = socket.address();
	await new Promise<void>(resolve => {
		socket.close(resolve);
	});
	return port;
}

test('one datagram per message, no framing', async () => {
	const collector = await startCollector('udp');
	const sink = createUdpSink({protocol: 'udp', host: '127.0.0.1', port: collector.port});
	try {
		const messages = Array.from({length: 100}, (_, i) => `<14>CEF:0|MCAS|SIEM_Agent|1|X|Y|0|externalId=${i} msg=é€🚀`);
		for (let i = 0; i < messages.length; i += 10) {
			await sink.send(messages.slice(i, i + 10));
			// Loopback drops datagrams the receiver has no room for; let it read.
			await collector.waitFor(i + 10);
		}
		assert.deepEqual(collector.messages, messages);
		const status = sink.status();
		assert.equal(status.state, 'connected');
		assert.equal(status.messagesSent, 100);
		assert.equal(status.bytesSent, messages.reduce((sum, message) => sum + Buffer.byteLength(message), 0));
		assert.equal(status.truncated, 0);
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('long messages are truncated on a character boundary and counted, never split or dropped', async () => {
	const collector = await startCollector('udp');
	const sink = createUdpSink({protocol: 'udp', host: '127.0.0.1', port: collector.port, maxMessageSize: 9});
	try {
		await sink.send(['abcdefgh€', 'ééééé', '🚀🚀🚀', 'short', 'line\nbreak']);
		assert.deepEqual(await collector.waitFor(5), ['abcdefgh', 'éééé', '🚀🚀', 'short', 'line brea']);
		assert.equal(sink.status().truncated, 4);
		assert.equal(sink.status().messagesSent, 5);
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('truncateUtf8 keeps whole characters within the byte limit', () => {
	const cases: Array<[string, number, string, boolean]> = [
		['abc', 3, 'abc', false],
		['abcd', 3, 'abc', true],
		['a€', 3, 'a', true],
		['a€', 4, 'a€', false],
		['🚀x', 3, '', true],
		['é', 2048, 'é', false],
	];
	for (const [message, max, expected, truncated] of cases) {
		const result = truncateUtf8(message, max);
		assert.equal(result.data.toString('utf8'), expected, `${message} / ${max}`);
		assert.equal(result.truncated, truncated);
		assert.ok(result.data.length <= max);
	}
});

test('the default maximum is 2048 bytes (RFC 5426)', async () => {
	const collector = await startCollector('udp');
	const sink = createUdpSink({protocol: 'udp', host: '127.0.0.1', port: collector.port});
	try {
		await sink.send(['x'.repeat(2048), 'y'.repeat(3000)]);
		const [first, second] = await collector.waitFor(2);
		assert.equal(first.length, 2048);
		assert.equal(second, 'y'.repeat(2048));
		assert.equal(sink.status().truncated, 1);
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('an invalid maximum message size is a CONFIG_ERROR', () => {
	for (const maxMessageSize of [0, -1, 1.5, 70_000]) {
		assert.throws(() => createUdpSink({protocol: 'udp', host: '127.0.0.1', port: 514, maxMessageSize}), (error: {code: string; message: string}) => {
			assert.equal(error.code, 'CONFIG_ERROR');
			assert.ok(error.message.includes(String(maxMessageSize)));
			return true;
		});
	}
});

test('port unreachable (ICMP) surfaces as DATA_SERVER_SEND_ERROR, and the retry succeeds once a receiver listens', {timeout: 10_000}, async () => {
	const port = await freeUdpPort();
	const sink = createUdpSink({protocol: 'udp', host: '127.0.0.1', port});
	const batch = Array.from({length: 5}, (_, i) => `message ${i}`);
	try {
		let code: string | undefined;
		let message = '';
		// The kernel reports the ICMP error on a send after the one that caused it.
		for (let attempt = 0; attempt < 50 && !code; attempt++) {
			await sink.send(batch).catch((error: {code: string; message: string}) => {
				code = error.code;
				message = error.message;
			});
		}
		assert.equal(code, 'DATA_SERVER_SEND_ERROR');
		assert.match(message, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
		assert.equal(sink.status().state, 'down');
		const collector = await startCollector('udp', port);
		try {
			for (;;) {
				try {
					await sink.send(batch);
					break;
				} catch {
					await delay(10);
				}
			}
			// A stale ICMP error may fail the first datagram of an attempt: duplicates, never loss.
			await collector.waitUntil(messages => messages.slice(-5).join() === batch.join());
			assert.equal(sink.status().state, 'connected');
		} finally {
			await collector.close();
		}
	} finally {
		await sink.close();
	}
});

test('an unknown host rejects with DATA_SERVER_CONNECTION_ERROR', async () => {
	const sink = createUdpSink({protocol: 'udp', host: 'no-such-host.invalid', port: 514});
	try {
		await assert.rejects(sink.send(['x']), (error: {code: string; message: string}) => {
			assert.equal(error.code, 'DATA_SERVER_CONNECTION_ERROR');
			assert.match(error.message, /no-such-host\.invalid:514/);
			return true;
		});
	} finally {
		await sink.close();
	}
});

test('close() is quick and later sends reject', {timeout: 5000}, async () => {
	const collector = await startCollector('udp');
	const sink = createUdpSink({protocol: 'udp', host: '127.0.0.1', port: collector.port}, {closeTimeoutMs: 60_000});
	await sink.send(['a']);
	await sink.close();
	await assert.rejects(sink.send(['b']), {code: 'DATA_SERVER_SEND_ERROR'});
	await collector.close();
	const unused = createUdpSink({protocol: 'udp', host: '127.0.0.1', port: 9});
	await unused.close();
});
