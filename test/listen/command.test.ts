import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {PassThrough} from 'node:stream';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {listenFlags, runListen, type ListenFlags} from '../../source/listen/command.ts';
import type {Receiver} from '../../source/listen/receiver.ts';
import {createRelpSink} from '../../source/transports/relp.ts';
import {createTcpSink} from '../../source/transports/tcp.ts';
import {createUdpSink} from '../../source/transports/udp.ts';
import {testCertificates} from '../helpers/certificates.ts';
import {waitFor} from '../helpers/wait.ts';

function capture() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	return {stream, text: () => text};
}

/** Run the listener in-process until `body` finishes; returns stdout, stderr and the exit code. */
async function listen(flags: ListenFlags, body: (port: number, stdout: () => string) => Promise<void>, countIntervalMs?: number) {
	const stdout = capture();
	const stderr = capture();
	const controller = new AbortController();
	const ready = Promise.withResolvers<readonly Receiver[]>();
	const running = runListen({port: 0, ...flags}, {stdout: stdout.stream, stderr: stderr.stream, signal: controller.signal, handleSignals: false, onListening: ready.resolve, countIntervalMs});
	running.catch(ready.reject);
	const receivers = await ready.promise;
	try {
		await body(receivers[0].port, stdout.text);
	} finally {
		controller.abort();
	}
	const code = await running;
	return {code, stdout: stdout.text(), stderr: stderr.text()};
}

const until = async (check: () => boolean) => waitFor('the listener\'s output', check, {intervalMs: 5});

const cef = '2017-11-22T17:50:04.000Z CEF:0|MCAS|SIEM_Agent|0.111.85|EVENT_CATEGORY_LOGOUT|Log out|0|externalId=1 msg=Log out suser=admin@contoso.com cs1=https://x/#/a?id\\=eq(1,)';

test('prints each message on one line; both protocols on the same port; a total at the end', async () => {
	const result = await listen({}, async (port, stdout) => {
		const tcp = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port, framing: 'octet-counting'});
		const udp = createUdpSink({protocol: 'udp', host: '127.0.0.1', port});
		await tcp.send(['over tcp', 'second']);
		await until(() => stdout().includes('second\n'));
		await udp.send(['over udp']);
		await until(() => stdout().includes('over udp\n'));
		await tcp.close();
		await udp.close();
	});
	assert.equal(result.code, 0);
	assert.equal(result.stdout, 'over tcp\nsecond\nover udp\n');
	assert.match(result.stderr, /Listening for syslog on tcp and udp 127\.0\.0\.1:\d+/);
	assert.match(result.stderr, /Received 3 messages \(tcp 2, udp 1\)\.\n$/);
});

test('--parse prints one JSON object per CEF message, unescaped; other lines as {raw}', async () => {
	const result = await listen({protocol: 'udp', parse: true}, async (port, stdout) => {
		const udp = createUdpSink({protocol: 'udp', host: '127.0.0.1', port});
		await udp.send([cef]);
		await until(() => stdout().split('\n').length > 1);
		await udp.send(['not cef']);
		await until(() => stdout().split('\n').length > 2);
		await udp.close();
	});
	const [first, second] = result.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
	assert.deepEqual(first, {
		format: 'cef',
		syslogHeader: '2017-11-22T17:50:04.000Z',
		version: '0',
		deviceVendor: 'MCAS',
		deviceProduct: 'SIEM_Agent',
		deviceVersion: '0.111.85',
		signatureId: 'EVENT_CATEGORY_LOGOUT',
		name: 'Log out',
		severity: '0',
		extension: {externalId: '1', msg: 'Log out', suser: 'admin@contoso.com', cs1: 'https://x/#/a?id=eq(1,)'},
	});
	assert.deepEqual(second, {raw: 'not cef'});
	assert.match(result.stderr, /Received 2 messages\.\n$/);
});

test('--parse detects the format per message: CEF, LEEF and JSON in RFC 5424 on one connection', async () => {
	const leef = '<134>2017-11-22T17:50:04.000Z agent01 LEEF:2.0|Microsoft|Defender for Cloud Apps|0.1.0|EVENT_CATEGORY_LOGOUT|^|devTime=2017-11-22 17:50:04.000 +0000^sev=1^cat=Log out^usrName=CONTOSO\\alice';
	const json = '<134>1 2017-11-22T17:50:04.000Z agent01 siem-agent - activity - {"type":"activity","event":{"name":"Log out"},"record":{"_id":"1","description":"Log\\nout"}}';
	const result = await listen({protocol: 'tcp', parse: true}, async (port, stdout) => {
		const tcp = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port, framing: 'octet-counting'});
		await tcp.send([leef, cef, json]);
		await until(() => stdout().split('\n').length > 3);
		await tcp.close();
	});
	const [first, second, third] = result.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
	assert.deepEqual(first, {
		format: 'leef',
		syslogHeader: '<134>2017-11-22T17:50:04.000Z agent01',
		version: '2.0',
		vendor: 'Microsoft',
		product: 'Defender for Cloud Apps',
		productVersion: '0.1.0',
		eventId: 'EVENT_CATEGORY_LOGOUT',
		delimiter: '^',
		attributes: {devTime: '2017-11-22 17:50:04.000 +0000', sev: '1', cat: 'Log out', usrName: 'CONTOSO\\alice'},
	});
	assert.equal(second.format, 'cef');
	assert.deepEqual(third, {
		format: 'json',
		pri: 134,
		facility: 16,
		severity: 6,
		version: 1,
		timestamp: '2017-11-22T17:50:04.000Z',
		hostname: 'agent01',
		appName: 'siem-agent',
		procId: '-',
		msgId: 'activity',
		structuredData: '-',
		message: {type: 'activity', event: {name: 'Log out'}, record: {_id: '1', description: 'Log\nout'}},
	});
});

test('--count prints only counts per interval', async () => {
	const result = await listen({protocol: 'tcp', count: true}, async (port, stdout) => {
		const tcp = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port, framing: 'lf'});
		await tcp.send(['a', 'b', 'c']);
		await until(() => /\b3 total/.test(stdout()));
		await tcp.close();
	}, 20);
	assert.doesNotMatch(result.stdout, /^[abc]$/m);
	assert.match(result.stdout, /^\d{4}-\d\d-\d\dT\S+Z \d+ messages\/s, 3 total$/m);
	assert.doesNotMatch(result.stderr, /connection from/);
	assert.match(result.stderr, /Received 3 messages\./);
});

test('a message with a raw line break (UDP) still prints on one line', async () => {
	const result = await listen({protocol: 'udp'}, async (port, stdout) => {
		const socket = createSocket('udp4');
		socket.send('a\nb', port, '127.0.0.1');
		await until(() => stdout() !== '');
		socket.close();
	});
	assert.equal(result.stdout, 'a\\nb\n');
});

test('bad flags and a busy port are usage errors naming the value', async () => {
	await assert.rejects(runListen({protocol: 'sctp'}, {handleSignals: false}), (error: {code: string; message: string}) => {
		assert.equal(error.code, 'USAGE_ERROR');
		assert.match(error.message, /"sctp"/);
		return true;
	});
	await assert.rejects(runListen({port: 70_000}, {handleSignals: false}), {code: 'USAGE_ERROR', message: /70000/});
	await listen({protocol: 'tcp'}, async port => {
		await assert.rejects(runListen({port, protocol: 'tcp'}, {handleSignals: false, stderr: new PassThrough()}), (error: {code: string; message: string}) => {
			assert.equal(error.code, 'USAGE_ERROR');
			assert.ok(error.message.includes(`127.0.0.1:${port}`), error.message);
			assert.match(error.message, /in use/);
			return true;
		});
	});
});

test('listenFlags describes every flag with its default', () => {
	assert.deepEqual(listenFlags.map(flag => [flag.name, flag.default]), [['port', 5514], ['host', '127.0.0.1'], ['protocol', 'both'], ['parse', false], ['count', false]]);
	for (const flag of listenFlags) {
		assert.ok(flag.help.length > 10);
	}
});

test('SIGTERM stops a real listener process, which prints the total and exits 0', {timeout: 20_000}, async () => {
	const script = `
		import {runListen} from ${JSON.stringify(fileURLToPath(new URL('../../source/listen/command.ts', import.meta.url)))};
		process.exitCode = await runListen({port: 0, protocol: 'tcp'}, {onListening: ([r]) => process.stdout.write('PORT ' + r.port + '\\n')});
	`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	await until(() => /PORT \d+\n/.test(stdout) || child.exitCode !== null);
	const port = Number(/PORT (\d+)/.exec(stdout)?.[1]);
	assert.ok(port > 0, stderr);
	const sink = createTcpSink({protocol: 'tcp', host: '127.0.0.1', port, framing: 'lf'});
	await sink.send(['hello']);
	await until(() => stdout.includes('hello\n'));
	await sink.close();
	child.kill('SIGTERM');
	const [code] = await once(child, 'exit');
	assert.equal(code, 0);
	assert.match(stderr, /Received 1 message\.\n$/);
});

test('--protocol relp with --cert and --key: RELP over TLS, each message printed and acknowledged', async () => {
	const certificates = testCertificates();
	const result = await listen({protocol: 'relp', cert: certificates.server.cert, key: certificates.server.key, parse: true}, async (port, stdout) => {
		const sink = createRelpSink({protocol: 'relp', host: '127.0.0.1', port, tls: {ca: certificates.ca}});
		await sink.send([cef]);
		await until(() => stdout().includes('"externalId":"1"'));
		await sink.close();
	});
	assert.equal(result.code, 0);
	assert.match(result.stderr, /Listening for syslog on relp over TLS 127\.0\.0\.1:\d+/);
	assert.match(result.stderr, /Received 1 message\./);
});

test('--protocol tls: certificate and key are required, readable, and a pair; they belong to tls and relp only', async () => {
	const certificates = testCertificates();
	const cases: Array<[ListenFlags, RegExp]> = [
		[{protocol: 'tls'}, /--protocol tls needs both --cert FILE and --key FILE/],
		[{protocol: 'tls', cert: certificates.server.cert}, /needs both --cert FILE and --key FILE/],
		[{protocol: 'tls', cert: '/nonexistent/server.pem', key: certificates.server.key}, /Cannot read --cert \/nonexistent\/server\.pem: no such file/],
		[{protocol: 'tls', cert: certificates.server.cert, key: certificates.client.key}, /are not a PEM certificate chain and its private key/],
		[{protocol: 'udp', cert: certificates.server.cert, key: certificates.server.key}, /--cert and --key are for --protocol tls or relp/],
		[{protocol: 'smtp'}, /use tcp, udp, both, tls or relp/],
	];
	for (const [flags, message] of cases) {
		await assert.rejects(runListen({port: 0, ...flags}, {handleSignals: false}), (error: {code?: string; message?: string}) => error.code === 'USAGE_ERROR' && message.test(error.message ?? ''), JSON.stringify(flags));
	}
});
