import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {createCloudClient} from '../../source/cloud/client.ts';
import type {ClientEvent} from '../../source/cloud/types.ts';
import {json, page, startApiServer, type ApiServer} from './api-server.ts';
import {makeCertificates, type TestCertificates} from './certificates.ts';
import {freePort, startTinyproxy, type Tinyproxy} from '../helpers/tinyproxy.ts';

const token = 'proxy-test-token-SECRET';
const password = 'pa55-SECRET';

describe('through tinyproxy', () => {
	let api: ApiServer;
	let tlsApi: ApiServer;
	let certificates: TestCertificates;
	let proxy: Tinyproxy;
	let authProxy: Tinyproxy;

	before(async () => {
		certificates = makeCertificates();
		api = await startApiServer((_request, response) => {
			json(response, 200, page([{_id: 'via-proxy'}]));
		});
		tlsApi = await startApiServer((_request, response) => {
			json(response, 200, page([{_id: 'tunnelled'}]));
		}, certificates);
		proxy = await startTinyproxy();
		authProxy = await startTinyproxy({basicAuth: {user: 'alice', password}});
	});

	after(async () => {
		await Promise.all([api?.close(), tlsApi?.close(), proxy?.close(), authProxy?.close()]);
	});

	test('an http request goes through the proxy (ADDRESS:PORT form)', async () => {
		const client = createCloudClient({url: api.url, token, proxy: `127.0.0.1:${proxy.port}`, requestsPerMinute: 0});
		const result = await client.query('alerts', {limit: 1});
		await client.close();
		assert.deepEqual(result.data, [{_id: 'via-proxy'}]);
		const request = api.requests.at(-1)!;
		assert.match(String(request.headers.via), /tinyproxy/);
		assert.equal(request.headers.authorization, `Token ${token}`);
	});

	test('an https request is tunnelled with CONNECT and verified with the given CA', async () => {
		const client = createCloudClient({url: tlsApi.url, token, proxy: `http://127.0.0.1:${proxy.port}`, ca: certificates.ca, requestsPerMinute: 0});
		const result = await client.query('activities', {});
		await client.close();
		assert.deepEqual(result.data, [{_id: 'tunnelled'}]);
		assert.match(proxy.log(), new RegExp(`CONNECT.*127\\.0\\.0\\.1:${tlsApi.port}`, 'i'));
	});

	test('proxy credentials in the URL are sent to the proxy, not to the service', async () => {
		const client = createCloudClient({url: api.url, token, proxy: `http://alice:${password}@127.0.0.1:${authProxy.port}`, requestsPerMinute: 0});
		const result = await client.query('alerts', {});
		await client.close();
		assert.deepEqual(result.data, [{_id: 'via-proxy'}]);
		const request = api.requests.at(-1)!;
		assert.match(String(request.headers.via), /tinyproxy/);
		assert.equal(request.headers['proxy-authorization'], undefined);
	});

	const refusals = [
		['no credentials, http: 407 from the proxy', () => api.url, ''],
		['no credentials, https: CONNECT answered 407', () => tlsApi.url, ''],
		['wrong credentials, https: CONNECT refused', () => tlsApi.url, `alice:wrong-${password}@`],
	] as const;
	for (const [name, url, credentials] of refusals) {
		test(`proxy authentication failure is PROXY_ERROR at once (${name})`, async () => {
			const events: ClientEvent[] = [];
			const before = api.requests.length + tlsApi.requests.length;
			const client = createCloudClient({
				url: url(),
				token,
				proxy: `http://${credentials}127.0.0.1:${authProxy.port}`,
				ca: certificates.ca,
				requestsPerMinute: 0,
				backoffBaseMs: 1,
				onEvent: event => events.push(event),
			});
			await assert.rejects(client.query('alerts', {}), error => {
				const {code, message, retryable} = error as {code: string; message: string; retryable: boolean};
				assert.equal(code, 'PROXY_ERROR');
				assert.equal(retryable, false);
				assert.match(message, /40[17]/);
				assert.ok(!JSON.stringify({message, error}).includes(password), message);
				assert.ok(!message.includes(token), message);
				return true;
			});
			await client.close();
			assert.equal(events.filter(event => event.type === 'retry').length, 0);
			assert.equal(api.requests.length + tlsApi.requests.length, before);
		});
	}

	test('an unreachable proxy is PROXY_ERROR after the retries', async () => {
		const port = await freePort();
		const client = createCloudClient({url: api.url, token, proxy: `http://alice:${password}@127.0.0.1:${port}`, requestsPerMinute: 0, maxRetries: 1, backoffBaseMs: 1});
		await assert.rejects(client.query('alerts', {}), error => {
			const {code, message} = error as {code: string; message: string};
			assert.equal(code, 'PROXY_ERROR');
			assert.match(message, new RegExp(`http://alice:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
			assert.ok(!message.includes(password));
			return true;
		});
		await client.close();
	});
});
