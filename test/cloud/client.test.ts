import assert from 'node:assert/strict';
import net from 'node:net';
import {after, describe, test} from 'node:test';
import {checkToken, createCloudClient, type CloudClientOptions} from '../../source/cloud/client.ts';
import {createRateLimiter} from '../../source/cloud/rate-limiter.ts';
import type {ClientEvent} from '../../source/cloud/types.ts';
import {json, page, startApiServer, type ApiServer, type Handler} from './api-server.ts';

const token = 'tok-0123456789abcdef-SECRET';
const servers: ApiServer[] = [];

after(async () => {
	await Promise.all(servers.map(async server => server.close()));
});

async function serve(handler: Handler): Promise<ApiServer> {
	const server = await startApiServer(handler);
	servers.push(server);
	return server;
}

/** A client with tiny backoffs, collecting its events. */
function client(url: string, options: Partial<CloudClientOptions> = {}) {
	const events: ClientEvent[] = [];
	const instance = createCloudClient({
		url,
		token,
		requestsPerMinute: 0,
		backoffBaseMs: 1,
		backoffMaxMs: 5,
		maxRetries: 3,
		onEvent(event) {
			events.push(event);
		},
		...options,
	});
	return {client: instance, events};
}

async function rejection(promise: Promise<unknown>): Promise<{code?: string; message: string; retryable?: boolean}> {
	try {
		await promise;
	} catch (error) {
		return error as {code?: string; message: string};
	}

	assert.fail('expected a rejection');
}

function assertNoToken(value: unknown): void {
	assert.ok(!JSON.stringify(value).includes(token), 'the token leaked');
	assert.ok(!String((value as Error)?.message ?? '').includes(token), 'the token leaked into a message');
}

describe('query', () => {
	test('posts JSON with the token to /api/v1/<type>/ and returns the page', async () => {
		const server = await serve((_request, response) => {
			json(response, 200, {data: [{_id: 'a'}, 7, null, {_id: 'b'}], hasNext: 'true', total: 2, nextQueryFilters: {date: {gte: 1}}});
		});
		const {client: api, events} = client(`${server.url}/`);
		const body = {filters: {date: {gte: 1}}, sortField: 'date', sortDirection: 'asc' as const, limit: 100};
		const result = await api.query('activities', body);
		await api.close();

		assert.deepEqual(result, {data: [{_id: 'a'}, {_id: 'b'}], hasNext: true, total: 2, nextQueryFilters: {date: {gte: 1}}, dropped: 2});
		const [request] = server.requests;
		assert.equal(request.method, 'POST');
		assert.equal(request.url, '/api/v1/activities/');
		assert.equal(request.headers.authorization, `Token ${token}`);
		assert.equal(request.headers.accept, 'application/json');
		assert.equal(request.headers['content-type'], 'application/json');
		assert.deepEqual(JSON.parse(request.body), body);
		assert.deepEqual(events.map(event => [event.type, 'status' in event ? event.status : undefined]), [['request', 200]]);
	});

	test('keeps a path prefix of the portal URL and works without a trailing slash', async () => {
		const server = await serve((_request, response) => {
			json(response, 200, page());
		});
		const {client: api} = client(`${server.url}/tenant`);
		await api.query('alerts', {limit: 1});
		await api.close();
		assert.equal(server.requests[0].url, '/tenant/api/v1/alerts/');
	});

	test('reuses one keep-alive connection for consecutive queries', async () => {
		const server = await serve((_request, response) => {
			json(response, 200, page([{_id: 'x'}]));
		});
		const {client: api} = client(server.url);
		for (let index = 0; index < 3; index++) {
			await api.query('alerts', {skip: index * 100});
		}

		await api.close();
		assert.deepEqual(server.requests.map(request => request.socket), [1, 1, 1]);
	});

	for (const status of [401, 403]) {
		test(`HTTP ${status} is INVALID_TOKEN at once, without retry`, async () => {
			const server = await serve((_request, response) => {
				json(response, status, {detail: 'Invalid token'});
			});
			const {client: api, events} = client(server.url);
			const error = await rejection(api.query('alerts', {}));
			await api.close();
			assert.equal(error.code, 'INVALID_TOKEN');
			assert.equal(server.requests.length, 1);
			assert.ok(!events.some(event => event.type === 'retry'));
			assertNoToken(error);
		});
	}

	test('HTTP 500 then success is retried and reported', async () => {
		const server = await serve((_request, response, index) => {
			if (index === 0) {
				json(response, 500, {error: 'boom'});
			} else {
				json(response, 200, page([{_id: 'ok'}]));
			}
		});
		const {client: api, events} = client(server.url);
		const result = await api.query('alerts', {});
		await api.close();
		assert.deepEqual(result.data, [{_id: 'ok'}]);
		assert.equal(server.requests.length, 2);
		const retries = events.filter(event => event.type === 'retry');
		assert.equal(retries.length, 1);
		assert.deepEqual({...retries[0], delayMs: 0, message: undefined}, {type: 'retry', dataType: 'alerts', attempt: 1, delayMs: 0, code: 'API_SERVER_ERROR', message: undefined});
		assert.match(String(retries[0]!.type === 'retry' && retries[0]!.message), /HTTP 500/);
	});

	test('a retry announces when it will go, the request budget included', async () => {
		const server = await serve((_request, response) => {
			json(response, 500, {error: 'boom'});
		});
		const stop = new AbortController();
		const events: ClientEvent[] = [];
		// One request every 30 s: the retry waits for the budget, not for its 1 ms backoff.
		const api = createCloudClient({url: server.url, token, limiter: createRateLimiter({requestsPerMinute: 3, burst: 1}), backoffBaseMs: 1, backoffMaxMs: 5, onEvent(event) {
			events.push(event);
			if (event.type === 'retry') {
				stop.abort();
			}
		}});
		await assert.rejects(api.query('alerts', {}, {signal: stop.signal}));
		await api.close();
		const retry = events.find(event => event.type === 'retry');
		assert.ok(retry?.type === 'retry' && retry.delayMs > 25_000 && retry.delayMs <= 30_000, JSON.stringify(retry));
	});

	test('persistent HTTP 503 ends in API_SERVER_ERROR after maxRetries', async () => {
		const server = await serve((_request, response) => {
			json(response, 503, {error: 'maintenance'});
		});
		const {client: api} = client(server.url, {maxRetries: 2});
		const error = await rejection(api.query('alerts', {}));
		await api.close();
		assert.equal(error.code, 'API_SERVER_ERROR');
		assert.match(error.message, /503.*maintenance/);
		assert.equal(server.requests.length, 3);
	});

	test('HTTP 429 with Retry-After: 1 waits, succeeds, and does not count as a failure', async () => {
		const server = await serve((_request, response, index) => {
			if (index === 0) {
				json(response, 429, {error: 'Too many requests'}, {'retry-after': '1'});
			} else {
				json(response, 200, page([{_id: 'late'}]));
			}
		});
		const {client: api, events} = client(server.url, {maxRetries: 0});
		const result = await api.query('activities', {});
		await api.close();
		assert.deepEqual(result.data, [{_id: 'late'}]);
		assert.equal(server.requests.length, 2);
		assert.deepEqual(events.filter(event => event.type === 'throttled'), [{type: 'throttled', dataType: 'activities', waitMs: 1000, source: 'server'}]);
		assert.ok(!events.some(event => event.type === 'retry'));
	});

	test('repeated HTTP 429 without Retry-After backs off, growing, and never gives up by itself', async () => {
		const server = await serve((_request, response, index) => {
			if (index < 4) {
				json(response, 429, {});
			} else {
				json(response, 200, page());
			}
		});
		const {client: api, events} = client(server.url, {maxRetries: 0, throttleBaseMs: 2});
		await api.query('alerts', {});
		await api.close();
		const waits = events.flatMap(event => event.type === 'throttled' ? [event.waitMs] : []);
		assert.deepEqual(waits, [2, 4, 8, 16]);
	});

	test('a malformed body then a good one is retried', async () => {
		const server = await serve((_request, response, index) => {
			if (index === 0) {
				json(response, 200, '{"data": [');
			} else {
				json(response, 200, page([{_id: 'fine'}]));
			}
		});
		const {client: api, events} = client(server.url);
		const result = await api.query('alerts', {});
		await api.close();
		assert.deepEqual(result.data, [{_id: 'fine'}]);
		assert.deepEqual(events.flatMap(event => event.type === 'retry' ? [event.code] : []), ['MALFORMED_RESPONSE']);
	});

	test('a persistently malformed body ends in MALFORMED_RESPONSE', async () => {
		const server = await serve((_request, response) => {
			json(response, 200, {data: 'nope', hasNext: false});
		});
		const {client: api} = client(server.url, {maxRetries: 2});
		const error = await rejection(api.query('alerts', {}));
		await api.close();
		assert.equal(error.code, 'MALFORMED_RESPONSE');
		assert.match(error.message, /"data" is not an array/);
		assert.equal(server.requests.length, 3);
	});

	test('a server that never answers ends in API_TIMEOUT after the retries', async () => {
		const server = await serve(() => {
			// Never answer.
		});
		const {client: api, events} = client(server.url, {timeoutMs: 50, maxRetries: 2});
		const error = await rejection(api.query('alerts', {}));
		await api.close();
		assert.equal(error.code, 'API_TIMEOUT');
		assert.equal(server.requests.length, 3);
		assert.deepEqual(events.flatMap(event => event.type === 'retry' ? [event.code] : []), ['API_TIMEOUT', 'API_TIMEOUT']);
	});

	test('other 4xx are API_REQUEST_REJECTED with the server message, token redacted', async () => {
		const server = await serve((request, response) => {
			json(response, 400, {detail: `Invalid filter "severity" (auth ${String(request.headers.authorization)})`});
		});
		const {client: api, events} = client(server.url);
		const error = await rejection(api.query('alerts', {filters: {severity: {eq: 'x'}}}));
		await api.close();
		assert.equal(error.code, 'API_REQUEST_REJECTED');
		assert.match(error.message, /HTTP 400: Invalid filter "severity" \(auth Token \*\*\*\)/);
		assert.equal(server.requests.length, 1);
		assertNoToken(error);
		assertNoToken(events);
	});

	test('a refused connection ends in API_CONNECTION_ERROR', async () => {
		const port = await closedPort();
		const {client: api} = client(`http://127.0.0.1:${port}`, {maxRetries: 1});
		const error = await rejection(api.query('alerts', {}));
		await api.close();
		assert.equal(error.code, 'API_CONNECTION_ERROR');
		assert.match(error.message, /ECONNREFUSED/);
		assertNoToken(error);
	});
});

describe('abort', () => {
	test('an in-flight request rejects with the signal reason', async () => {
		const server = await serve(() => {
			// Never answer.
		});
		const {client: api} = client(server.url);
		const controller = new AbortController();
		const pending = api.query('alerts', {}, {signal: controller.signal});
		await server.waitForRequests(1);
		const reason = new Error('shutting down');
		controller.abort(reason);
		await assert.rejects(pending, error => error === reason);
		await api.close();
	});

	test('a backoff wait rejects at once', async () => {
		const server = await serve((_request, response) => {
			json(response, 500, {});
		});
		const {client: api, events} = client(server.url, {backoffBaseMs: 600_000, backoffMaxMs: 600_000});
		const controller = new AbortController();
		const pending = api.query('alerts', {}, {signal: controller.signal});
		await server.waitForRequests(1);
		while (!events.some(event => event.type === 'retry')) {
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}

		controller.abort();
		await assert.rejects(pending, {name: 'AbortError'});
		await api.close();
	});

	test('close() ends pending queries', async () => {
		const server = await serve(() => {
			// Never answer.
		});
		const {client: api} = client(server.url);
		const pending = api.query('alerts', {});
		await server.waitForRequests(1);
		await Promise.all([api.close(), assert.rejects(pending, {name: 'AbortError'})]);
	});
});

describe('options', () => {
	test('are validated up front, without echoing secrets', () => {
		assert.throws(() => createCloudClient({url: 'ftp://x', token}), {code: 'CONFIG_ERROR'});
		assert.throws(() => createCloudClient({url: 'not a url', token}), {code: 'CONFIG_ERROR'});
		assert.throws(() => createCloudClient({url: 'https://x', token: '  '}), {code: 'INVALID_TOKEN'});
		assert.throws(() => createCloudClient({url: 'https://x', token: `${token}\r\nx: y`}), error => {
			assertNoToken(error);
			return (error as {code: string}).code === 'INVALID_TOKEN';
		});
		assert.throws(() => createCloudClient({url: 'https://x', token, proxy: 'http://me:hunter2@proxy:99999'}), error => {
			const {code, message} = error as {code: string; message: string};
			assert.equal(code, 'INVALID_PROXY_ADDRESS');
			assert.ok(!message.includes('hunter2'));
			assert.match(message, /me:\*\*\*@proxy:99999/);
			return true;
		});
	});
});

describe('checkToken', () => {
	test('sends one limit-1 query and reports the total', async () => {
		const server = await serve((_request, response) => {
			json(response, 200, {data: [{_id: 'a'}], hasNext: true, total: 42});
		});
		const result = await checkToken({url: server.url, token});
		assert.equal(result.total, 42);
		assert.equal(typeof result.ms, 'number');
		assert.equal(server.requests[0].url, '/api/v1/alerts/');
		assert.deepEqual(JSON.parse(server.requests[0].body), {limit: 1});
	});

	test('rejects a bad token with INVALID_TOKEN', async () => {
		const server = await serve((_request, response) => {
			json(response, 401, {});
		});
		await assert.rejects(checkToken({url: server.url, token}), {code: 'INVALID_TOKEN'});
	});
});

async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	await new Promise<void>(resolve => {
		server.close(() => {
			resolve();
		});
	});
	return port;
}
