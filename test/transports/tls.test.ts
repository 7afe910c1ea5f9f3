import assert from 'node:assert/strict';
import {waitFor} from '../helpers/wait.ts';
import type {AddressInfo} from 'node:net';
import {test} from 'node:test';
import tls from 'node:tls';
import {Deframer} from '../../source/transports/framing.ts';
import {createSink} from '../../source/transports/index.ts';
import {createTlsSink} from '../../source/transports/tls.ts';
import type {Sink} from '../../source/transports/types.ts';
import {testCertificates} from '../helpers/certificates.ts';

const certificates = testCertificates();

const makeMessages = (count: number, from = 0) =>
	Array.from({length: count}, (_, i) => `2024-01-02T03:04:05.000Z CEF:0|MCAS|SIEM_Agent|1|X|Y|0|externalId=${from + i} msg=é€🚀`);

/** A node:tls syslog receiver: octet-counted frames collected in order, peers recorded. */
async function startTlsCollector(options: tls.TlsOptions) {
	const sockets = new Set<tls.TLSSocket>();
	const messages: string[] = [];
	const peers: Array<string | undefined> = [];
	const server = tls.createServer(options, socket => {
		sockets.add(socket);
		const peer = socket.getPeerCertificate();
		peers.push(peer && 'subject' in peer ? [peer.subject?.CN].flat()[0] : undefined);
		const deframer = new Deframer();
		socket.on('data', (chunk: Buffer) => {
			messages.push(...deframer.push(chunk));
		});
		socket.on('error', () => undefined);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		port: (server.address() as AddressInfo).port,
		messages,
		peers,
		async waitFor(count: number, timeoutMs = 10_000) {
			return waitFor(`${count} messages`, () => messages.length >= count && messages, {timeoutMs, intervalMs: 10, detail: () => `have ${messages.length}`});
		},
		/** Drop every connection, as a crashing receiver would; keep listening. */
		dropConnections() {
			for (const socket of sockets) {
				socket.destroy();
			}
		},
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}
			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}

const serverOptions = {cert: certificates.server.certPem, key: certificates.server.keyPem};

test('TLS: 5,000 messages arrive exactly once, in order, octet-counted', async () => {
	const collector = await startTlsCollector(serverOptions);
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: collector.port, ca: certificates.ca});
	try {
		const all = makeMessages(5000);
		for (let i = 0; i < all.length; i += 500) {
			await sink.send(all.slice(i, i + 500));
		}
		assert.deepEqual(await collector.waitFor(all.length), all);
		const status = sink.status();
		assert.equal(status.state, 'connected');
		assert.equal(status.messagesSent, 5000);
		assert.equal(status.bytesSent, all.reduce((sum, message) => sum + Buffer.byteLength(message) + String(Buffer.byteLength(message)).length + 1, 0));
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('TLS: the host name is checked (localhost), and serverName overrides it', async () => {
	const collector = await startTlsCollector(serverOptions);
	const byName = createSink({protocol: 'tls', host: 'localhost', port: collector.port, ca: certificates.ca});
	const byServerName = createSink({protocol: 'tls', host: '127.0.0.1', port: collector.port, ca: certificates.ca, serverName: 'localhost'});
	try {
		await byName.send(['by name']);
		await byServerName.send(['by serverName']);
		assert.deepEqual((await collector.waitFor(2)).toSorted(), ['by name', 'by serverName']);
	} finally {
		await byName.close();
		await byServerName.close();
		await collector.close();
	}
});

test('TLS: TLS 1.2 servers are accepted by default, refused with minVersion TLSv1.3', async () => {
	const collector = await startTlsCollector({...serverOptions, maxVersion: 'TLSv1.2'});
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: collector.port, ca: certificates.ca});
	const strict = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: collector.port, ca: certificates.ca, minVersion: 'TLSv1.3'});
	try {
		await sink.send(['over TLS 1.2']);
		assert.deepEqual(await collector.waitFor(1), ['over TLS 1.2']);
		await assert.rejects(strict.send(['never']), {code: 'TLS_HANDSHAKE_FAILED'});
	} finally {
		await sink.close();
		await strict.close();
		await collector.close();
	}
});

for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
	test(`mutual TLS (${maxVersion}): the client certificate is presented; without one the server's refusal is TLS_HANDSHAKE_FAILED and no batch is taken`, async () => {
		const collector = await startTlsCollector({...serverOptions, maxVersion, ca: certificates.caPem, requestCert: true, rejectUnauthorized: true});
		const withCert = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: collector.port, ca: certificates.ca, cert: certificates.client.cert, key: certificates.client.key});
		const without = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: collector.port, ca: certificates.ca}, {backoff: {initialMs: 10, maxMs: 20}});
		try {
			await withCert.send(['with a client certificate']);
			assert.deepEqual(await collector.waitFor(1), ['with a client certificate']);
			assert.deepEqual(collector.peers, ['siem-agent test client']);
			// Every attempt is refused: none resolves, so the engine would keep the batch.
			for (let attempt = 0; attempt < 3; attempt++) {
				await assert.rejects(without.send(['without one']), (error: {code: string; message: string}) => {
					assert.equal(error.code, 'TLS_HANDSHAKE_FAILED');
					assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${collector.port}`));
					assert.match(error.message, /--cert/);
					return true;
				});
				await new Promise(resolve => setTimeout(resolve, 25));
			}
			assert.equal(without.status().messagesSent, 0);
			assert.equal(without.status().lastErrorCode, 'TLS_HANDSHAKE_FAILED');
			assert.deepEqual(collector.messages, ['with a client certificate']);
		} finally {
			await withCert.close();
			await without.close();
			await collector.close();
		}
	});
}

test('TLS: receiver connections dropped mid-stream: with the engine retry loop nothing is lost', async () => {
	const collector = await startTlsCollector(serverOptions);
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: collector.port, ca: certificates.ca}, {backoff: {initialMs: 10, maxMs: 50}});
	const all = makeMessages(4000);
	const codes: string[] = [];
	try {
		for (let i = 0; i < all.length; i += 100) {
			if (i === 2000) {
				collector.dropConnections();
			}
			for (;;) {
				try {
					await sink.send(all.slice(i, i + 100));
					break;
				} catch (error) {
					codes.push((error as {code: string}).code);
					await new Promise(resolve => setTimeout(resolve, 10));
				}
			}
		}
		await collector.waitFor(all.length);
		await waitFor('every message', () => all.every(message => collector.messages.includes(message)), {timeoutMs: 10_000, intervalMs: 10});
		assert.ok(codes.every(code => code === 'DATA_SERVER_SEND_ERROR' || code === 'DATA_SERVER_CONNECTION_ERROR'), codes.join());
	} finally {
		await sink.close();
		await collector.close();
	}
});

test('TLS: connection refused is DATA_SERVER_CONNECTION_ERROR, not a TLS code', async () => {
	const collector = await startTlsCollector(serverOptions);
	const {port} = collector;
	await collector.close();
	const sink: Sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port, ca: certificates.ca});
	try {
		await assert.rejects(sink.send(['x']), {code: 'DATA_SERVER_CONNECTION_ERROR'});
	} finally {
		await sink.close();
	}
});
