import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {createCloudClient} from '../../source/cloud/client.ts';
import {createRateLimiter, sharedRateLimiter} from '../../source/cloud/rate-limiter.ts';
import type {ClientEvent} from '../../source/cloud/types.ts';
import {json, page, startApiServer, type ApiServer} from './api-server.ts';

function clock(start = 1_000_000) {
	let now = start;
	return {
		now: () => now,
		advance(ms: number) {
			now += ms;
		},
	};
}

test('allows the burst, then refills at (rate − burst) a minute', () => {
	const time = clock();
	const limiter = createRateLimiter({requestsPerMinute: 33, burst: 3, now: time.now});
	assert.deepEqual([1, 2, 3, 4].map(() => limiter.tryAcquire()), [true, true, true, false]);
	assert.equal(limiter.delay(), 2000);
	time.advance(1999);
	assert.equal(limiter.tryAcquire(), false);
	time.advance(1);
	assert.equal(limiter.tryAcquire(), true);
	time.advance(60_000);
	// The bucket never holds more than the burst.
	assert.deepEqual([1, 2, 3, 4].map(() => limiter.tryAcquire()), [true, true, true, false]);
});

test('never more than requestsPerMinute in any rolling minute, however it is asked', () => {
	for (const [requestsPerMinute, burst] of [[30, undefined], [30, 5], [30, 30], [10, 3], [2, 1]] as const) {
		const time = clock();
		const limiter = createRateLimiter({requestsPerMinute, burst, now: time.now});
		const sent: number[] = [];
		// Ask as fast as possible for ten minutes, with an idle spell in the middle to refill the bucket.
		for (let t = 0; t < 600_000; t += 50) {
			if ((t < 200_000 || t > 320_000) && limiter.tryAcquire()) {
				sent.push(t);
			}
			time.advance(50);
		}
		let most = 0;
		for (let i = 0, j = 0; i < sent.length; i++) {
			while (sent[i]! - sent[j]! >= 60_000) {
				j++;
			}
			most = Math.max(most, i - j + 1);
		}
		assert.ok(most <= requestsPerMinute, `${most} requests in one minute with ${requestsPerMinute}/min, burst ${burst}`);
		assert.ok(most >= requestsPerMinute - 1, `the budget is used (${most} of ${requestsPerMinute})`);
	}
});

test('defaults to 30 a minute with a burst of 2 (both data types polling at once)', () => {
	const limiter = createRateLimiter();
	assert.equal(limiter.requestsPerMinute, 30);
	assert.equal(limiter.burst, 2);
});

test('0 requests per minute turns it off', () => {
	const limiter = createRateLimiter({requestsPerMinute: 0});
	for (let index = 0; index < 1000; index++) {
		assert.equal(limiter.tryAcquire(), true);
	}
});

test('pause holds every request, then allows one and refills from there', () => {
	const time = clock();
	const limiter = createRateLimiter({requestsPerMinute: 65, burst: 5, now: time.now});
	limiter.pause(10_000);
	assert.equal(limiter.tryAcquire(), false);
	assert.equal(limiter.delay(), 10_000);
	time.advance(10_000);
	assert.equal(limiter.tryAcquire(), true);
	assert.equal(limiter.tryAcquire(), false);
	time.advance(1000);
	assert.equal(limiter.tryAcquire(), true);
});

test('acquire queues callers in order and an abort gives the reservation back', async () => {
	const limiter = createRateLimiter({requestsPerMinute: 1, burst: 1});
	assert.equal(await limiter.acquire(), 0);
	const waits: number[] = [];
	const controller = new AbortController();
	const pending = limiter.acquire({signal: controller.signal, onWait: ms => waits.push(ms)});
	assert.equal(waits.length, 1);
	assert.ok(waits[0] > 59_000 && waits[0] <= 60_000);
	controller.abort(new Error('stop'));
	await assert.rejects(pending, {message: 'stop'});
	assert.ok(limiter.delay() > 59_000);
});

test('sharedRateLimiter returns one limiter per tenant origin', () => {
	const a = sharedRateLimiter('https://contoso.portal.cloudappsecurity.com/');
	const b = sharedRateLimiter('https://CONTOSO.portal.cloudappsecurity.com');
	const c = sharedRateLimiter('https://fabrikam.portal.cloudappsecurity.com');
	assert.equal(a, b);
	assert.notEqual(a, c);
});

let server: ApiServer | undefined;
after(async () => server?.close());

test('clients sharing a limiter send only the burst, the rest wait', async () => {
	server = await startApiServer((_request, response) => {
		json(response, 200, page());
	});
	const limiter = createRateLimiter({requestsPerMinute: 1, burst: 2});
	const events: ClientEvent[] = [];
	const options = {url: server.url, token: 'limiter-test-token', limiter, onEvent: (event: ClientEvent) => events.push(event)};
	const alerts = createCloudClient(options);
	const activities = createCloudClient(options);
	const controller = new AbortController();
	const {signal} = controller;
	const queries = [
		alerts.query('alerts', {}, {signal}),
		activities.query('activities', {}, {signal}),
		alerts.query('alerts', {}, {signal}),
		activities.query('activities', {}, {signal}),
	];
	const settled = queries.map(async query => query.then(() => 'sent', () => 'aborted'));
	assert.deepEqual(await Promise.all(settled.slice(0, 2)), ['sent', 'sent']);
	// The two others announced their wait before sleeping; nothing else may have been sent.
	assert.deepEqual(events.filter(event => event.type === 'throttled').map(event => event.type === 'throttled' && event.source), ['local', 'local']);
	assert.equal(server.requests.length, 2);
	controller.abort();
	assert.deepEqual(await Promise.all(settled), ['sent', 'sent', 'aborted', 'aborted']);
	assert.equal(server.requests.length, 2);
	await Promise.all([alerts.close(), activities.close()]);
});
