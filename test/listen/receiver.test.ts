import assert from 'node:assert/strict';
import {createSocket} from 'node:dgram';
import {connect} from 'node:net';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {createReceiver, type Peer} from '../../source/listen/receiver.ts';
import {MessageBatch} from '../../source/transports/batch.ts';
import {createRelpSink} from '../../source/transports/relp.ts';
import {createTlsSink} from '../../source/transports/tls.ts';
import {testCertificates} from '../helpers/certificates.ts';
import {waitFor} from '../helpers/wait.ts';

test('tcp: deframes LF and octet-counting from one stream, chunked anywhere; a last line without LF counts at a clean end', async () => {
	const receiver = await createReceiver({protocol: 'tcp'});
	const received: Array<[string, Peer]> = [];
	const events: string[] = [];
	receiver.on('message', (message, peer) => received.push([message, peer]));
	receiver.on('connection', () => events.push('connection'));
	const disconnected = new Promise<void>(resolve => {
		receiver.on('disconnect', () => {
			events.push('disconnect');
			resolve();
		});
	});
	try {
		const client = connect(receiver.port, '127.0.0.1');
		await new Promise(resolve => client.once('connect', resolve));
		const stream = Buffer.from('first\r\n8 séc ond3 abcthird\nlast');
		for (const byte of stream) {
			client.write(Uint8Array.of(byte));
			await delay(0);
		}
		client.end();
		await disconnected;
		assert.deepEqual(received.map(([message]) => message), ['first', 'séc ond', 'abc', 'third', 'last']);
		assert.equal(received[0][1].protocol, 'tcp');
		assert.equal(received[0][1].address, '127.0.0.1');
		assert.equal(received[0][1].port, client.localPort);
		assert.deepEqual(events, ['connection', 'disconnect']);
	} finally {
		await receiver.close();
	}
});

test('udp: one datagram is one message; a trailing line break is dropped', async () => {
	const receiver = await createReceiver({protocol: 'udp', host: '127.0.0.1', port: 0});
	const received: Array<[string, Peer]> = [];
	receiver.on('message', (message, peer) => received.push([message, peer]));
	const client = createSocket('udp4');
	try {
		for (const datagram of ['one', 'two\n', 'three\r\n', 'multi\nline']) {
			client.send(datagram, receiver.port, '127.0.0.1');
		}
		while (received.length < 4) {
			await delay(5);
		}
		assert.deepEqual(received.map(([message]) => message), ['one', 'two', 'three', 'multi\nline']);
		assert.equal(received[0][1].protocol, 'udp');
		assert.equal(received[0][1].address, '127.0.0.1');
	} finally {
		client.close();
		await receiver.close();
	}
});

test('close() drops connections without emitting a partial frame and frees the port', async () => {
	const receiver = await createReceiver({protocol: 'tcp'});
	const received: string[] = [];
	receiver.on('message', message => received.push(message));
	const client = connect(receiver.port, '127.0.0.1');
	client.on('error', () => undefined);
	const closed = new Promise(resolve => client.once('close', resolve));
	client.write('complete\npartial');
	while (received.length < 1) {
		await delay(5);
	}
	await receiver.close();
	await closed;
	assert.deepEqual(received, ['complete']);
	const again = await createReceiver({protocol: 'tcp', port: receiver.port});
	assert.equal(again.port, receiver.port);
	await again.close();
});

test('listening on a port in use rejects with EADDRINUSE', async () => {
	const receiver = await createReceiver({protocol: 'tcp'});
	try {
		await assert.rejects(createReceiver({protocol: 'tcp', port: receiver.port}), {code: 'EADDRINUSE'});
	} finally {
		await receiver.close();
	}
});

test('tls: the agent\'s TLS sink (certificate verified) delivers to the receiver; a client that does not trust it gets nothing through', async () => {
	const certificates = testCertificates();
	const receiver = await createReceiver({protocol: 'tls', tls: {cert: certificates.server.certPem, key: certificates.server.keyPem}});
	const received: Array<[string, Peer]> = [];
	receiver.on('message', (message, peer) => received.push([message, peer]));
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: receiver.port, ca: certificates.ca});
	const untrusting = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: receiver.port, ca: certificates.otherCa}, {connectTimeoutMs: 2000});
	try {
		await sink.send(['one', 'two é']);
		await sink.send(MessageBatch.of(['three']));
		await waitFor('three messages', () => received.length === 3, {timeoutMs: 5000, intervalMs: 10});
		assert.deepEqual(received.map(([message]) => message), ['one', 'two é', 'three']);
		assert.equal(received[0][1].protocol, 'tls');
		await assert.rejects(untrusting.send(['never']), (error: {code?: string}) => error.code === 'TLS_UNKNOWN_CA');
		assert.equal(received.length, 3);
	} finally {
		await Promise.all([sink.close(), untrusting.close()]);
		await receiver.close();
	}
});

for (const secure of [false, true]) {
	test(`relp${secure ? ' over TLS' : ''}: the agent's RELP sink gets every message acknowledged, in order, and closes cleanly`, async () => {
		const certificates = testCertificates();
		const receiver = await createReceiver({protocol: 'relp', tls: secure ? {cert: certificates.server.certPem, key: certificates.server.keyPem} : undefined});
		const received: string[] = [];
		receiver.on('message', message => received.push(message));
		const disconnected = new Promise<void>(resolve => receiver.once('disconnect', () => resolve()));
		const sink = createRelpSink({protocol: 'relp', host: '127.0.0.1', port: receiver.port, window: 4, tls: secure ? {ca: certificates.ca} : undefined});
		try {
			const messages = Array.from({length: 25}, (_, index) => `message ${index} ü`);
			// Resolves only once every message is acknowledged by the receiver.
			await sink.send(messages);
			assert.deepEqual(received, messages);
			assert.equal(sink.status().messagesSent, 25);
		} finally {
			await sink.close();
		}
		await disconnected;
		await receiver.close();
	});
}

test('relp: a client that does not speak RELP is disconnected', async () => {
	const receiver = await createReceiver({protocol: 'relp'});
	try {
		const client = connect(receiver.port, '127.0.0.1');
		const closed = new Promise(resolve => client.once('close', resolve));
		client.on('error', () => undefined);
		client.write('<14>this is plain syslog, not RELP\n');
		await closed;
	} finally {
		await receiver.close();
	}
});

test('tcp: a TLS client on the plain port is named and closed, not printed as garbage', async () => {
	const certificates = testCertificates();
	const receiver = await createReceiver({protocol: 'tcp', host: '127.0.0.1', port: 0});
	const received: string[] = [];
	const refused: string[] = [];
	receiver.on('message', message => received.push(message));
	receiver.on('refused', (reason: string) => refused.push(reason));
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: receiver.port, ca: certificates.ca}, {connectTimeoutMs: 2000});
	try {
		await assert.rejects(sink.send(['secret']));
		await waitFor('the refusal', () => refused.length > 0);
		assert.match(refused[0]!, /^127\.0\.0\.1:\d+ speaks TLS to this plain TCP port: it was closed \(receive TLS with --protocol tls/);
		assert.deepEqual(received, []);
	} finally {
		await sink.close();
		await receiver.close();
	}
});
