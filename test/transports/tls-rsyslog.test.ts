/**
 * The TLS sink against Debian's rsyslogd: imtcp with the GnuTLS stream driver
 * (rsyslog-gnutls), certificates made with openssl in the test.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createTlsSink} from '../../source/transports/tls.ts';
import {testCertificates} from '../helpers/certificates.ts';
import {Rsyslog} from '../helpers/rsyslog.ts';

const certificates = testCertificates();
const makeMessages = (count: number) => Array.from({length: count}, (_, i) => `2024-01-02T03:04:05.000Z host CEF:0|Microsoft|MCAS|1|EVENT|Café ☕|3|externalId=${i} msg=tls`);

test('TLS → rsyslog imtcp (gtls): 10,000 messages exactly once, certificate verified against --ca', async () => {
	const rsyslog = await Rsyslog.start('tls', undefined, {tls: {ca: certificates.ca, cert: certificates.server.cert, key: certificates.server.key}});
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: rsyslog.port, ca: certificates.ca});
	const untrusting = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: rsyslog.port, ca: certificates.otherCa});
	try {
		const all = makeMessages(10_000);
		for (let i = 0; i < all.length; i += 500) {
			await sink.send(all.slice(i, i + 500));
		}
		assert.deepEqual(await rsyslog.waitFor(lines => lines.length >= all.length, 30_000), all);
		await assert.rejects(untrusting.send(['never']), {code: 'TLS_UNKNOWN_CA'});
	} finally {
		await sink.close();
		await untrusting.close();
		await rsyslog.stop();
	}
});

test('TLS → rsyslog requiring a client certificate (x509/certvalid): delivered with --cert/--key, TLS_HANDSHAKE_FAILED without', async () => {
	const rsyslog = await Rsyslog.start('tls', undefined, {tls: {ca: certificates.ca, cert: certificates.server.cert, key: certificates.server.key, requireClientCert: true, client: certificates.client}});
	const sink = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: rsyslog.port, ca: certificates.ca, cert: certificates.client.cert, key: certificates.client.key});
	const anonymous = createTlsSink({protocol: 'tls', host: '127.0.0.1', port: rsyslog.port, ca: certificates.ca});
	try {
		await sink.send(['with a client certificate']);
		await rsyslog.waitFor(lines => lines.includes('with a client certificate'));
		await assert.rejects(anonymous.send(['without one']), {code: 'TLS_HANDSHAKE_FAILED'});
		assert.equal(anonymous.status().messagesSent, 0);
	} finally {
		await sink.close();
		await anonymous.close();
		await rsyslog.stop();
	}
});
