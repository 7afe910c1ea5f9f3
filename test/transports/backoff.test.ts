import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createBackoff, sleep} from '../../source/transports/backoff.ts';

test('backoff grows by the factor up to the maximum, and resets', () => {
	const backoff = createBackoff({initialMs: 100, maxMs: 1000, factor: 3, jitter: 0});
	assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()], [100, 300, 900, 1000, 1000]);
	assert.equal(backoff.attempts, 5);
	backoff.reset();
	assert.equal(backoff.next(), 100);
});

test('jitter takes up to its fraction off each delay', () => {
	assert.equal(createBackoff({initialMs: 1000, jitter: 0.5, random: () => 0}).next(), 1000);
	assert.equal(createBackoff({initialMs: 1000, jitter: 0.5, random: () => 0.999_999}).next(), 500);
	assert.equal(createBackoff({initialMs: 1000, jitter: 0.2, random: () => 0.5}).next(), 900);
});

test('sleep resolves, and rejects with the reason as soon as the signal aborts', async () => {
	await sleep(1);
	await sleep(0);
	const controller = new AbortController();
	const sleeping = sleep(60_000, controller.signal);
	controller.abort(new Error('stop'));
	await assert.rejects(sleeping, {message: 'stop'});
	await assert.rejects(sleep(10, controller.signal), {message: 'stop'});
});
