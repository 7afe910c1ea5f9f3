import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {createServer as createTcpServer, type AddressInfo, type Server} from 'node:net';
import path from 'node:path';
import {test} from 'node:test';
import tls from 'node:tls';
import {catalogue} from '../../source/errors.ts';
import {createTlsSink} from '../../source/transports/tls.ts';
import type {TlsConfig} from '../../source/transports/types.ts';
import {testCertificates} from '../helpers/certificates.ts';

const certificates = testCertificates();

async function listen(server: Server): Promise<number> {
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return (server.address() as AddressInfo).port;
}

/** Start a TLS server presenting `pair`, try one send with `settings`, return the rejection. */
async function failure(pair: {certPem: string; keyPem: string}, settings: Partial<TlsConfig>, host = '127.0.0.1'): Promise<{code: string; message: string}> {
	const server = tls.createServer({cert: pair.certPem, key: pair.keyPem}, socket => {
		socket.on('error', () => undefined);
	});
	server.on('tlsClientError', () => undefined);
	const port = await listen(server);
	const sink = createTlsSink({protocol: 'tls', host, port, ...settings});
	try {
		await sink.send(['must not arrive']);
		assert.fail('the send resolved');
	} catch (error) {
		const {code, message} = error as {code: string; message: string};
		assert.equal(sink.status().state, 'down');
		assert.equal(sink.status().lastErrorCode, code);
		assert.match(message, new RegExp(`${host.replaceAll('.', '\\.')}:${port}`), 'the message names the server');
		return {code, message};
	} finally {
		await sink.close();
		await new Promise(resolve => {
			server.close(resolve);
		});
	}
}

test('a self-signed server certificate is TLS_UNKNOWN_CA', async () => {
	const {code, message} = await failure(certificates.selfSigned, {ca: certificates.ca});
	assert.equal(code, 'TLS_UNKNOWN_CA');
	assert.match(message, /--ca/);
});

test('a certificate from a private CA, checked against the system store, is TLS_UNKNOWN_CA', async () => {
	const {code, message} = await failure(certificates.server, {});
	assert.equal(code, 'TLS_UNKNOWN_CA');
	// Node's advice to run Node.js with --use-system-ca means nothing in a single executable.
	assert.doesNotMatch(message, /use-system-ca|Node\.js/);
	assert.match(message, /--ca/);
});

test('a certificate from another CA than --ca is TLS_UNKNOWN_CA', async () => {
	assert.equal((await failure(certificates.server, {ca: certificates.otherCa})).code, 'TLS_UNKNOWN_CA');
});

test('an expired certificate is TLS_CERT_EXPIRED', async () => {
	const {code, message} = await failure(certificates.expired, {ca: certificates.ca});
	assert.equal(code, 'TLS_CERT_EXPIRED');
	assert.match(message, /expired/);
});

test('a certificate for another name is TLS_NAME_MISMATCH, for an IP address and for a host name', async () => {
	assert.equal((await failure(certificates.wrongName, {ca: certificates.ca})).code, 'TLS_NAME_MISMATCH');
	assert.equal((await failure(certificates.wrongName, {ca: certificates.ca}, 'localhost')).code, 'TLS_NAME_MISMATCH');
	assert.equal((await failure(certificates.server, {ca: certificates.ca, serverName: 'siem.example.com'})).code, 'TLS_NAME_MISMATCH');
});

test('a server that does not speak TLS is TLS_HANDSHAKE_FAILED', async () => {
	// Answers like a plain-text service, then hangs up.
	const server = createTcpServer(socket => {
		socket.on('error', () => undefined);
		// Read, so the client's FIN is seen and server.close() can finish.
		socket.resume();
		socket.end('220 not TLS at all\r\n');
	});
	const port = await listen(server);
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port, ca: certificates.ca});
	try {
		await assert.rejects(sink.send(['x']), {code: 'TLS_HANDSHAKE_FAILED'});
	} finally {
		await sink.close();
		await new Promise(resolve => {
			server.close(resolve);
		});
	}
});

test('a server that never answers the handshake is TLS_HANDSHAKE_FAILED after the connect timeout', async () => {
	const sockets: Array<{destroy(): void}> = [];
	const server = createTcpServer(socket => {
		socket.on('error', () => undefined);
		sockets.push(socket);
	});
	const port = await listen(server);
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port, ca: certificates.ca}, {connectTimeoutMs: 200});
	try {
		await assert.rejects(sink.send(['x']), (error: {code: string; message: string}) => {
			assert.equal(error.code, 'TLS_HANDSHAKE_FAILED');
			assert.match(error.message, /timed out/);
			return true;
		});
	} finally {
		await sink.close();
		for (const socket of sockets) {
			socket.destroy();
		}
		await new Promise(resolve => {
			server.close(resolve);
		});
	}
});

test('each TLS code has its own remediation in the catalogue', () => {
	const codes = ['TLS_UNKNOWN_CA', 'TLS_CERT_EXPIRED', 'TLS_NAME_MISMATCH', 'TLS_HANDSHAKE_FAILED'] as const;
	const remediations = new Set(codes.map(code => catalogue[code].remediation));
	assert.equal(remediations.size, codes.length);
	assert.match(catalogue.TLS_UNKNOWN_CA.remediation, /--ca/);
	assert.match(catalogue.TLS_CERT_EXPIRED.remediation, /clock/);
	assert.match(catalogue.TLS_HANDSHAKE_FAILED.remediation, /--cert/);
	assert.ok(catalogue.TLS_ERROR, 'the API client\'s TLS_ERROR stays');
});

test('certificate files are read when the sink is created: a bad one is CONFIG_ERROR naming it', () => {
	const missing = path.join(certificates.directory, 'no-such-ca.pem');
	assert.throws(() => createTlsSink({protocol: 'tls', host: '127.0.0.1', port: 6514, ca: missing}), (error: {code: string; message: string}) => {
		assert.equal(error.code, 'CONFIG_ERROR');
		assert.match(error.message, /--ca/);
		assert.ok(error.message.includes(missing));
		assert.match(error.message, /no such file/);
		return true;
	});
	const notPem = path.join(certificates.directory, 'not-pem.txt');
	writeFileSync(notPem, 'hello\n');
	assert.throws(() => createTlsSink({protocol: 'tls', host: '127.0.0.1', port: 6514, ca: notPem}), {code: 'CONFIG_ERROR', message: /not-pem\.txt.*PEM/});
	assert.throws(() => createTlsSink({protocol: 'tls', host: '127.0.0.1', port: 6514, cert: certificates.client.cert}), {code: 'CONFIG_ERROR', message: /--cert FILE and --key FILE/});
	// A key that belongs to another certificate.
	assert.throws(() => createTlsSink({protocol: 'tls', host: '127.0.0.1', port: 6514, cert: certificates.client.cert, key: certificates.server.key}), {code: 'CONFIG_ERROR', message: /--cert/});
	assert.throws(() => createTlsSink({protocol: 'tls', host: '127.0.0.1', port: 6514, cert: certificates.client.cert, key: missing}), {code: 'CONFIG_ERROR', message: /--key/});
});
