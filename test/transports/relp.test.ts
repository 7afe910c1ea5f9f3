import assert from 'node:assert/strict';
import {createServer, type AddressInfo, type Socket} from 'node:net';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {createRelpSink, type RelpSinkOptions} from '../../source/transports/relp.ts';
import {RelpParser, type RelpFrame} from '../../source/transports/relp-frame.ts';
import type {RelpConfig, Sink} from '../../source/transports/types.ts';
import {waitFor} from '../helpers/wait.ts';

const makeMessages = (count: number, from = 0) => Array.from({length: count}, (_, i) => `CEF:0|MCAS|SIEM_Agent|1|X|Y|0|externalId=${from + i} msg=é€🚀`);

interface Connection {
	socket: Socket;
	reply(txnr: number, data: string): void;
}

/** How the fake receiver answers a frame; return false to answer nothing (hold the ack). */
type Behaviour = (frame: RelpFrame, connection: Connection, server: FakeRelp) => boolean | void;

interface FakeRelp {
	port: number;
	/** Every syslog message received, with the connection number, in order (resends included). */
	received: Array<{message: string; connection: number}>;
	/** Messages answered 200 OK. */
	acked: string[];
	connections: number;
	/** Most syslog commands seen unanswered at once. */
	maxUnanswered: number;
	held: Array<() => void>;
	close(): Promise<void>;
}

const openAnswer = '200 OK\nrelp_version=0\nrelp_software=fake\ncommands=syslog';

/** A RELP receiver written for these tests, so each misbehaviour can be staged. */
async function startFakeRelp(behaviour: Behaviour = () => undefined): Promise<FakeRelp> {
	const sockets = new Set<Socket>();
	const server = createServer(socket => {
		sockets.add(socket);
		const number = ++fake.connections;
		const parser = new RelpParser();
		let unanswered = 0;
		const connection: Connection = {
			socket,
			reply(txnr, data) {
				if (socket.writable) {
					socket.write(`${txnr} rsp ${Buffer.byteLength(data)} ${data}\n`);
				}
			},
		};
		socket.on('error', () => undefined);
		socket.on('close', () => sockets.delete(socket));
		socket.on('data', (chunk: Buffer) => {
			for (const frame of parser.push(chunk)) {
				// A crashed receiver reads nothing more.
				if (socket.destroyed) {
					break;
				}
				if (frame.command === 'syslog') {
					fake.received.push({message: frame.data.toString(), connection: number});
					unanswered++;
					fake.maxUnanswered = Math.max(fake.maxUnanswered, unanswered);
				}
				const answer = () => {
					// A crashed or closing receiver answers nothing more.
					if (!socket.writable) {
						return;
					}
					if (frame.command === 'syslog') {
						unanswered--;
						fake.acked.push(frame.data.toString());
					}
					connection.reply(frame.txnr, frame.command === 'open' ? openAnswer : '200 OK');
					if (frame.command === 'close') {
						socket.end();
					}
				};
				const result = behaviour(frame, connection, fake);
				if (result === false) {
					fake.held.push(answer);
				} else if (result !== true) {
					answer();
				}
			}
		});
	});
	const fake: FakeRelp = {
		port: 0,
		received: [],
		acked: [],
		connections: 0,
		maxUnanswered: 0,
		held: [],
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}
			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	fake.port = (server.address() as AddressInfo).port;
	return fake;
}

function sinkFor(fake: FakeRelp, config: Partial<RelpConfig> = {}, options: RelpSinkOptions = {}): Sink {
	return createRelpSink({protocol: 'relp', host: '127.0.0.1', port: fake.port, ...config}, {backoff: {initialMs: 5, maxMs: 20}, ...options});
}

/** What the engine does: on rejection wait and retry the same batch. */
async function sendWithRetry(sink: Sink, batch: readonly string[], codes: string[]): Promise<void> {
	for (;;) {
		try {
			await sink.send(batch);
			return;
		} catch (error) {
			codes.push((error as {code: string}).code);
			await delay(10);
		}
	}
}

test('RELP: every message is acknowledged once; the window bounds what is unanswered', async () => {
	const fake = await startFakeRelp();
	const sink = sinkFor(fake, {window: 16});
	try {
		const all = makeMessages(3000);
		for (let i = 0; i < all.length; i += 500) {
			await sink.send(all.slice(i, i + 500));
		}
		assert.deepEqual(fake.received.map(entry => entry.message), all);
		assert.ok(fake.maxUnanswered <= 16, `${fake.maxUnanswered} unanswered at once`);
		assert.equal(sink.status().messagesSent, 3000);
		assert.equal(sink.status().replayed, 0);
		assert.equal(fake.connections, 1);
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: send resolves only when the last message of the batch is acknowledged', async () => {
	const fake = await startFakeRelp(frame => frame.command === 'syslog' ? false : undefined);
	const sink = sinkFor(fake);
	try {
		let resolved = false;
		const sent = sink.send(makeMessages(5)).then(() => {
			resolved = true;
		});
		await waitFor('the five messages', () => fake.held.length === 5, {timeoutMs: 10_000, intervalMs: 5});
		for (const answer of fake.held.splice(0, 4)) {
			answer();
		}
		await delay(50);
		assert.equal(resolved, false, 'four of five acknowledged is not delivered');
		fake.held.splice(0, 1)[0]();
		await sent;
		assert.equal(sink.status().messagesSent, 5);
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: connection lost mid-batch: the retry resends only what was not acknowledged, so no acknowledged message is repeated', async () => {
	let dropped = false;
	const fake = await startFakeRelp((frame, connection, server) => {
		// Take 250 messages, acknowledge the first 200, then crash with 50 unanswered.
		if (frame.command === 'syslog' && !dropped && server.received.length > 200) {
			if (server.received.length === 250) {
				dropped = true;
				connection.socket.destroy();
			}
			return true;
		}
		return undefined;
	});
	const sink = sinkFor(fake, {window: 64});
	const codes: string[] = [];
	try {
		const all = makeMessages(1000);
		for (let i = 0; i < all.length; i += 500) {
			await sendWithRetry(sink, all.slice(i, i + 500), codes);
		}
		assert.deepEqual(codes, ['DATA_SERVER_SEND_ERROR']);
		assert.deepEqual(fake.acked, all, 'each message acknowledged exactly once, in order');
		const counts = new Map<string, number>();
		for (const {message} of fake.received) {
			counts.set(message, (counts.get(message) ?? 0) + 1);
		}
		const repeated = [...counts].filter(([, count]) => count > 1).map(([message]) => message);
		// Only the 50 the receiver took without answering come again, never an acknowledged one.
		assert.deepEqual(repeated, all.slice(200, 250));
		// The sender had its whole window (64) unanswered, so it sends all 64 again.
		assert.equal(sink.status().replayed, 64);
		assert.equal(fake.connections, 2);
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: rsp 500 rejects with RELP_ERROR and the server\'s text; the retry sends only the refused message', async () => {
	let refusals = 0;
	const fake = await startFakeRelp((frame, connection) => {
		if (frame.command === 'syslog' && frame.data.toString().endsWith('externalId=3 msg=é€🚀') && refusals++ === 0) {
			connection.reply(frame.txnr, '500 queue full');
			return true;
		}
		return undefined;
	});
	const sink = sinkFor(fake);
	try {
		const batch = makeMessages(10);
		await assert.rejects(sink.send(batch), (error: {code: string; message: string}) => {
			assert.equal(error.code, 'RELP_ERROR');
			assert.match(error.message, /500 queue full/);
			return true;
		});
		assert.equal(sink.status().lastErrorCode, 'RELP_ERROR');
		await sink.send(batch);
		assert.equal(sink.status().state, 'connected');
		assert.equal(sink.status().lastErrorCode, undefined);
		assert.deepEqual(fake.acked.toSorted(), batch.toSorted());
		assert.equal(fake.received.length, 11);
		assert.equal(fake.connections, 1, 'a refusal does not cost the session');
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: serverclose mid-batch ends the session; the retry on a new one completes the batch', async () => {
	let closed = false;
	const fake = await startFakeRelp((frame, connection, server) => {
		if (frame.command === 'syslog' && !closed && server.received.length === 20) {
			closed = true;
			connection.socket.end('0 serverclose 0\n');
			return true;
		}
		return undefined;
	});
	const sink = sinkFor(fake);
	const codes: string[] = [];
	try {
		const batch = makeMessages(100);
		await sendWithRetry(sink, batch, codes);
		assert.equal(codes.length, 1);
		assert.deepEqual(fake.acked, batch);
		assert.equal(fake.connections, 2);
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: a malformed frame from the receiver is RELP_ERROR; the sink reconnects', async () => {
	let broken: Socket | undefined;
	const fake = await startFakeRelp((frame, connection) => {
		if (frame.command === 'syslog' && (!broken || broken === connection.socket)) {
			if (!broken) {
				connection.socket.write('this is not relp\n');
			}
			broken = connection.socket;
			return true;
		}
		return undefined;
	});
	const sink = sinkFor(fake);
	const codes: string[] = [];
	try {
		await sendWithRetry(sink, ['one', 'two'], codes);
		assert.deepEqual(codes, ['RELP_ERROR']);
		assert.deepEqual(fake.acked, ['one', 'two']);
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: an answer for the wrong txnr is RELP_ERROR', async () => {
	const fake = await startFakeRelp((frame, connection) => {
		if (frame.command === 'syslog') {
			connection.reply(frame.txnr + 1, '200 OK');
			return true;
		}
		return undefined;
	});
	const sink = sinkFor(fake);
	try {
		await assert.rejects(sink.send(['x']), {code: 'RELP_ERROR', message: /rsp/});
		assert.equal(sink.status().messagesSent, 0);
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: an open refused, or without the syslog command, is RELP_ERROR', async () => {
	for (const answer of ['500 go away', '200 OK\nrelp_version=0\ncommands=eventlog', '200 OK\ncommands=syslog']) {
		const fake = await startFakeRelp((frame, connection) => {
			if (frame.command === 'open') {
				connection.reply(frame.txnr, answer);
				return true;
			}
			return undefined;
		});
		const sink = sinkFor(fake);
		try {
			await assert.rejects(sink.send(['x']), {code: 'RELP_ERROR'}, answer);
			assert.equal(sink.status().lastErrorCode, 'RELP_ERROR');
			assert.equal(fake.received.length, 0);
		} finally {
			await sink.close();
			await fake.close();
		}
	}
});

test('RELP: a port that does not answer open (plain syslog) is RELP_ERROR after the connect timeout', async () => {
	const fake = await startFakeRelp(() => true);
	const sink = sinkFor(fake, {}, {connectTimeoutMs: 100});
	try {
		await assert.rejects(sink.send(['x']), {code: 'RELP_ERROR', message: /no answer to RELP open/});
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: a receiver that stops answering is given up after ackTimeoutMs, and the batch completes on reconnect', async () => {
	let silent: Socket | undefined;
	const fake = await startFakeRelp((frame, connection) => {
		if (frame.command === 'syslog' && (!silent || silent === connection.socket)) {
			silent = connection.socket;
			return true;
		}
		return undefined;
	});
	const sink = sinkFor(fake, {}, {ackTimeoutMs: 100});
	const codes: string[] = [];
	try {
		await sendWithRetry(sink, ['a', 'b'], codes);
		assert.deepEqual(codes, ['DATA_SERVER_SEND_ERROR']);
		assert.deepEqual(fake.acked.toSorted(), ['a', 'b']);
	} finally {
		await sink.close();
		await fake.close();
	}
});

test('RELP: connection refused is DATA_SERVER_CONNECTION_ERROR; close() sends close and waits for the answer', async () => {
	const fake = await startFakeRelp();
	const {port} = fake;
	await fake.close();
	const refused = createRelpSink({protocol: 'relp', host: '127.0.0.1', port});
	await assert.rejects(refused.send(['x']), {code: 'DATA_SERVER_CONNECTION_ERROR'});
	await refused.close();

	const frames: string[] = [];
	const live = await startFakeRelp(frame => {
		frames.push(frame.command);
	});
	const sink = sinkFor(live);
	await sink.send(['x']);
	await sink.close();
	assert.deepEqual(frames, ['open', 'syslog', 'close']);
	await assert.rejects(sink.send(['y']), {code: 'DATA_SERVER_SEND_ERROR'});
	await live.close();
});
