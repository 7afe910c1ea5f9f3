/**
 * The RELP sink against the real thing: Debian's rsyslogd with imrelp (rsyslog-relp), also
 * restarted mid-stream, and with imrelp's TLS (mutual, certificates made with openssl).
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {createSink} from '../../source/transports/index.ts';
import {createRelpSink} from '../../source/transports/relp.ts';
import type {Sink} from '../../source/transports/types.ts';
import {testCertificates} from '../helpers/certificates.ts';
import {Rsyslog} from '../helpers/rsyslog.ts';

const makeMessages = (count: number) => Array.from({length: count}, (_, i) => `2024-01-02T03:04:05.000Z host CEF:0|Microsoft|MCAS|1|EVENT|Café ☕|3|externalId=${i} msg=relp`);

/** What the engine does: on rejection wait and retry the same batch. */
async function sendWithRetry(sink: Sink, batch: readonly string[], codes: string[]): Promise<void> {
	for (;;) {
		try {
			await sink.send(batch);
			return;
		} catch (error) {
			codes.push((error as {code: string}).code);
			await delay(50);
		}
	}
}

/** Messages that arrived more than once, and those that never did. */
function compare(received: readonly string[], sent: readonly string[]): {duplicates: string[]; missing: string[]} {
	const counts = new Map<string, number>();
	for (const message of received) {
		counts.set(message, (counts.get(message) ?? 0) + 1);
	}
	return {
		duplicates: [...counts].filter(([, count]) => count > 1).map(([message]) => message),
		missing: sent.filter(message => !counts.has(message)),
	};
}

test('RELP → rsyslog imrelp: 10,000 messages exactly once, in order', async () => {
	const rsyslog = await Rsyslog.start('relp');
	const sink = createSink({protocol: 'relp', host: '127.0.0.1', port: rsyslog.port});
	try {
		const all = makeMessages(10_000);
		for (let i = 0; i < all.length; i += 500) {
			await sink.send(all.slice(i, i + 500));
		}
		// Acknowledged means rsyslog has it: nothing to wait for.
		assert.deepEqual(await rsyslog.messages(), all);
		assert.equal(sink.status().messagesSent, all.length);
	} finally {
		await sink.close();
		await rsyslog.stop();
	}
});

test('RELP → rsyslog restarted mid-stream: no loss and no duplicates', async () => {
	const rsyslog = await Rsyslog.start('relp');
	const sink = createRelpSink({protocol: 'relp', host: '127.0.0.1', port: rsyslog.port}, {backoff: {initialMs: 50, maxMs: 200}});
	const all = makeMessages(20_000);
	const codes: string[] = [];
	try {
		const restarted = rsyslog.waitFor(lines => lines.length >= 5000, 30_000, 'the first 5,000').then(async () => {
			await rsyslog.stop();
			await delay(300);
			await rsyslog.restart();
		});
		for (let i = 0; i < all.length; i += 200) {
			await sendWithRetry(sink, all.slice(i, i + 200), codes);
		}
		await restarted;
		const {duplicates, missing} = compare(await rsyslog.messages(), all);
		assert.deepEqual(missing, [], 'nothing lost');
		assert.deepEqual(duplicates, [], 'nothing twice');
		assert.ok(codes.length > 0, 'the sender saw the receiver go away');
		assert.ok(codes.every(code => ['DATA_SERVER_SEND_ERROR', 'DATA_SERVER_CONNECTION_ERROR', 'RELP_ERROR'].includes(code)), codes.join());
		assert.equal(sink.status().messagesSent, all.length);
	} finally {
		await sink.close();
		await rsyslog.stop();
	}
});

test('RELP over TLS → rsyslog imrelp tls="on" with a required client certificate: exactly once', async () => {
	const certificates = testCertificates();
	const rsyslog = await Rsyslog.start('relp-tls', undefined, {tls: {ca: certificates.ca, cert: certificates.server.cert, key: certificates.server.key, client: certificates.client}});
	const sink = createRelpSink({protocol: 'relp', host: '127.0.0.1', port: rsyslog.port, tls: {ca: certificates.ca, cert: certificates.client.cert, key: certificates.client.key}});
	const anonymous = createRelpSink({protocol: 'relp', host: '127.0.0.1', port: rsyslog.port, tls: {ca: certificates.ca}}, {connectTimeoutMs: 3000});
	try {
		const all = makeMessages(2000);
		for (let i = 0; i < all.length; i += 500) {
			await sink.send(all.slice(i, i + 500));
		}
		assert.deepEqual(await rsyslog.messages(), all);
		// Without a client certificate rsyslog refuses the session, and nothing is taken.
		await assert.rejects(anonymous.send(['refused']), {code: 'TLS_HANDSHAKE_FAILED'});
		assert.equal(anonymous.status().messagesSent, 0);
		assert.equal((await rsyslog.messages()).includes('refused'), false);
	} finally {
		await sink.close();
		await anonymous.close();
		await rsyslog.stop();
	}
});
