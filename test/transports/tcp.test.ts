import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {test} from 'node:test';
import {setImmediate as yieldToIo, setTimeout as delay} from 'node:timers/promises';
import {createTcpSink, type TcpSinkEvent} from '../../source/transports/tcp.ts';
import type {Framing, Sink} from '../../source/transports/types.ts';
import {startCollector} from '../helpers/receiver.ts';
import {freePort} from '../helpers/ports.ts';

const makeMessages = (count: number, from = 0, pad = 0) =>
	Array.from({length: count}, (_, i) => `2024-01-02T03:04:05.000Z CEF:0|MCAS|SIEM_Agent|1|X|Y|0|externalId=${from + i} msg=é€🚀${'x'.repeat(pad)}`);

const idOf = (message: string) => Number(/externalId=(\d+)/.exec(message)![1]);

/** What the engine does: on rejection wait and retry the same batch; never pull more meanwhile. */
async function sendWithRetry(sink: Sink, batch: readonly string[], codes: string[]): Promise<void> {
	for (;;) {
		try {
			await sink.send(batch);
			return;
		} catch (error) {
			codes.push((error as {code: string}).code);
			await delay(20);
		}
	}
}


for (const framing of ['lf', 'octet-counting'] as Framing[]) {
	test(`${framing}: 10,000 messages arrive exactly once, in order`, async () => {
		const collector = await startCollector('tcp');
		const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing});
		try {
			const all = makeMessages(10_000);
			for (let i = 0; i < all.length; i += 500) {
				await sink.send(all.slice(i, i + 500));
			}
			await collector.waitFor(all.length);
			assert.deepEqual(collector.messages, all);
			const status = sink.status();
			assert.equal(status.state, 'connected');
			assert.equal(status.messagesSent, 10_000);
			assert.equal(status.bytesSent, all.reduce((sum, message) => {
				const size = Buffer.byteLength(message);
				return sum + size + (framing === 'lf' ? 1 : String(size).length + 1);
			}, 0));
			assert.equal(status.replayed, 0);
			assert.equal(collector.connections, 1);
		} finally {
			await sink.close();
			await collector.close();
		}
	});
}

test('a raw line break inside a message never splits it', async () => {
	const collector = await startCollector('tcp');
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing: 'lf'});
	try {
		await sink.send(['one\ntwo\r\nthree', 'four']);
		assert.deepEqual(await collector.waitFor(2), ['one two  three', 'four']);
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('connection refused rejects with DATA_SERVER_CONNECTION_ERROR naming host:port, then the retry succeeds once the receiver is up', async () => {
	const port = await freePort();
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port, framing: 'lf'}, {backoff: {initialMs: 20, maxMs: 100}});
	const collector = {current: undefined as Awaited<ReturnType<typeof startCollector>> | undefined};
	try {
		await assert.rejects(sink.send(['hello']), (error: {code: string; message: string}) => {
			assert.equal(error.code, 'DATA_SERVER_CONNECTION_ERROR');
			assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
			assert.match(error.message, /ECONNREFUSED/);
			return true;
		});
		const status = sink.status();
		assert.equal(status.state, 'down');
		assert.equal(status.lastErrorCode, 'DATA_SERVER_CONNECTION_ERROR');
		assert.equal(status.messagesSent, 0);

		collector.current = await startCollector('tcp', port);
		const codes: string[] = [];
		await sendWithRetry(sink, ['hello'], codes);
		assert.deepEqual(await collector.current.waitFor(1), ['hello']);
		assert.ok(codes.every(code => code === 'DATA_SERVER_CONNECTION_ERROR'));
		assert.equal(sink.status().state, 'connected');
	} finally {
		await sink.close();
		await collector.current?.close();
	}
});

test('an unknown host rejects with DATA_SERVER_CONNECTION_ERROR', async () => {
	const sink = createTcpSink({protocol: 'tcp', host: 'no-such-host.invalid', port: 514, framing: 'lf'}, {connectTimeoutMs: 5000});
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

test('receiver restarted mid-stream: with the engine retry loop nothing is lost, order holds, duplicates stay within the replay window', async () => {
	const collector = await startCollector('tcp');
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing: 'lf'}, {backoff: {initialMs: 10, maxMs: 50}});
	const total = 20_000;
	const batchSize = 200;
	const all = makeMessages(total, 0, 100);
	const codes: string[] = [];
	try {
		const restarted = collector.waitFor(5000).then(async () => {
			await collector.stop();
			await delay(100);
			await collector.restart();
		});
		for (let i = 0; i < total; i += batchSize) {
			await sendWithRetry(sink, all.slice(i, i + batchSize), codes);
			// The engine does I/O between batches (polling, formatting); so does this loop.
			await yieldToIo();
		}
		await restarted;
		await collector.waitUntil(messages => messages.at(-1) === all.at(-1));

		const ids = collector.messages.map(message => idOf(message));
		const seen = new Set<number>();
		const firstSeen: number[] = [];
		for (const id of ids) {
			if (!seen.has(id)) {
				seen.add(id);
				firstSeen.push(id);
			}
		}
		assert.equal(seen.size, total, 'every message arrived');
		assert.deepEqual(firstSeen, all.map((_, i) => i), 'in order');
		assert.ok(codes.length > 0, 'the sender saw the receiver go away');
		assert.ok(codes.every(code => code === 'DATA_SERVER_CONNECTION_ERROR' || code === 'DATA_SERVER_SEND_ERROR'), codes.join());
		const status = sink.status();
		const duplicates = ids.length - total;
		// Duplicates come from the replay window and from retried batches that were partly written.
		assert.ok(duplicates <= status.replayed! + codes.length * batchSize, `${duplicates} duplicates, ${status.replayed} replayed`);
		const smallest = Buffer.byteLength(all[0]) + 1;
		assert.ok(status.replayed! * smallest <= (collector.connections - 1) * 1024 * 1024, 'each reconnect replays at most the window');
		assert.ok(collector.connections >= 2);
	} finally {
		await sink.close();
		await collector.close();
	}
});

/** Resolve on the next sink event of `type`. */
function nextEvent(events: Array<{type: string}>, type: string, after = events.length) {
	return (async () => {
		while (!events.slice(after).some(event => event.type === type)) {
			await delay(5);
		}
	})();
}

test('when the server closes an idle connection, the sink notices, reconnects and replays the window', async () => {
	const collector = await startCollector('tcp');
	const events: TcpSinkEvent[] = [];
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing: 'octet-counting'}, {onEvent: event => events.push(event)});
	try {
		const first = makeMessages(5);
		await sink.send(first);
		await collector.waitFor(5);
		assert.deepEqual(events.map(event => event.type), ['connected']);
		// The server restarts while the agent is idle; no send is needed to notice or to replay.
		await collector.stop();
		await collector.restart();
		await collector.waitFor(10);
		assert.deepEqual(collector.messages, [...first, ...first]);
		assert.deepEqual(events.map(event => event.type), ['connected', 'disconnected', 'connected']);
		assert.equal(events[1].type === 'disconnected' && events[1].code, 'DATA_SERVER_SEND_ERROR');
		assert.equal(events[2].type === 'connected' && events[2].replayedMessages, 5);
		const second = makeMessages(3, 5);
		await sink.send(second);
		await collector.waitFor(13);
		assert.deepEqual(collector.messages.slice(10), second);
		const status = sink.status();
		assert.equal(status.state, 'connected');
		assert.equal(status.replayed, 5);
		assert.equal(status.messagesSent, 8);
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('the replay window is bounded by replayBytes, cut on message boundaries', async () => {
	const collector = await startCollector('tcp');
	const messages = makeMessages(10);
	const size = Buffer.byteLength(messages[0]) + 1;
	const events: TcpSinkEvent[] = [];
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing: 'lf'}, {replayBytes: size * 3 + 1, onEvent: event => events.push(event)});
	try {
		await sink.send(messages);
		await collector.waitFor(10);
		const reconnected = nextEvent(events, 'connected');
		await collector.stop();
		await collector.restart();
		await reconnected;
		await sink.send(['next']);
		await collector.waitUntil(received => received.at(-1) === 'next');
		assert.deepEqual(collector.messages, [...messages, ...messages.slice(7), 'next']);
		assert.equal(sink.status().replayed, 3);
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('while the server stays down the sink keeps trying in the background, and close() stops it', {timeout: 5000}, async () => {
	const collector = await startCollector('tcp');
	const events: TcpSinkEvent[] = [];
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing: 'lf'}, {backoff: {initialMs: 10, maxMs: 20}, onEvent: event => events.push(event)});
	await sink.send(['a']);
	await collector.waitFor(1);
	await collector.stop();
	while (sink.status().lastErrorCode !== 'DATA_SERVER_CONNECTION_ERROR') {
		await delay(5);
	}
	await sink.close();
	assert.equal(sink.status().state, 'down');
	assert.deepEqual(events.map(event => event.type), ['connected', 'disconnected']);
});

test('backpressure: send does not resolve while the receiver does not read, and does once it drains', async () => {
	const collector = await startCollector('tcp');
	collector.pause();
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing: 'lf'});
	try {
		// 16 MiB: more than a non-reading receiver's socket buffers accept on loopback.
		const batch = makeMessages(16 * 1024, 0, 950);
		let resolved = false;
		const sending = sink.send(batch).then(() => {
			resolved = true;
		});
		await delay(300);
		assert.equal(resolved, false);
		assert.equal(collector.messages.length, 0);
		assert.equal(sink.status().messagesSent, 0);
		collector.resume();
		await sending;
		await collector.waitFor(batch.length);
		assert.equal(collector.messages.length, batch.length);
		assert.equal(collector.messages.at(-1), batch.at(-1));
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('close() with nothing pending is quick and later sends reject', {timeout: 5000}, async () => {
	const collector = await startCollector('tcp');
	// Long close timeout: the test would time out if close() waited for it.
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: collector.port, framing: 'lf'}, {closeTimeoutMs: 60_000});
	try {
		await sink.send(['a']);
		await collector.waitFor(1);
		await sink.close();
		await sink.close();
		assert.equal(sink.status().state, 'down');
		await assert.rejects(sink.send(['b']), {code: 'DATA_SERVER_SEND_ERROR'});
	} finally {
		await collector.close();
	}
});

test('close() while waiting to reconnect rejects the pending send at once', {timeout: 5000}, async () => {
	const port = await freePort();
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port, framing: 'lf'}, {backoff: {initialMs: 60_000, jitter: 0}});
	await assert.rejects(sink.send(['a']), {code: 'DATA_SERVER_CONNECTION_ERROR'});
	const waiting = sink.send(['a']);
	const closing = sink.close();
	await assert.rejects(waiting, {code: 'DATA_SERVER_SEND_ERROR'});
	await closing;
});

test('close() never connects a sink that was never used', {timeout: 5000}, async () => {
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port: 9, framing: 'lf'});
	await sink.close();
	assert.equal(sink.status().messagesSent, 0);
});
