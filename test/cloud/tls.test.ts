import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {createCloudClient} from '../../source/cloud/client.ts';
import type {ClientEvent} from '../../source/cloud/types.ts';
import {json, page, startApiServer, type ApiServer} from './api-server.ts';
import {makeCertificates, type TestCertificates} from './certificates.ts';

let certificates: TestCertificates;
let server: ApiServer;

before(async () => {
	certificates = makeCertificates();
	server = await startApiServer((_request, response) => {
		json(response, 200, page([{_id: 'secure'}]));
	}, certificates);
});

after(async () => server?.close());

test('a certificate from an unknown CA is TLS_ERROR, without retries', async () => {
	const events: ClientEvent[] = [];
	const client = createCloudClient({url: server.url, token: 'tls-test-token', requestsPerMinute: 0, backoffBaseMs: 1, onEvent: event => events.push(event)});
	await assert.rejects(client.query('alerts', {}), error => {
		const {code, message, detail} = error as {code: string; message: string; detail: {cause: string}};
		assert.equal(code, 'TLS_ERROR');
		assert.match(detail.cause, /SELF_SIGNED|UNABLE_TO_VERIFY/);
		assert.match(message, /certificate/);
		return true;
	});
	await client.close();
	assert.equal(server.requests.length, 0);
	assert.equal(events.length, 0);
});

test('the same server is trusted when its CA is given', async () => {
	const client = createCloudClient({url: `${server.url}/`, token: 'tls-test-token', requestsPerMinute: 0, ca: certificates.ca});
	const result = await client.query('alerts', {});
	await client.close();
	assert.deepEqual(result.data, [{_id: 'secure'}]);
});

test('a certificate for another host name is TLS_ERROR even with its CA', async () => {
	const other = makeCertificates('wrongName');
	const otherServer = await startApiServer((_request, response) => {
		json(response, 200, page());
	}, other);
	try {
		const client = createCloudClient({url: otherServer.url, token: 'tls-test-token', requestsPerMinute: 0, ca: other.ca});
		await assert.rejects(client.query('alerts', {}), {code: 'TLS_ERROR', detail: {target: `${otherServer.url}/api/v1/alerts/`, cause: 'ERR_TLS_CERT_ALTNAME_INVALID'}});
		await client.close();
		assert.equal(otherServer.requests.length, 0);
	} finally {
		await otherServer.close();
	}
});
