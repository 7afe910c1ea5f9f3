import assert from 'node:assert/strict';
import {test} from 'node:test';
import {backoffDelay, parseRetryAfter, throttleDelay} from '../../source/cloud/retry-policy.ts';

test('backoff doubles up to the maximum, with jitter in the upper half', () => {
	const low = () => 0;
	const high = () => 1;
	assert.deepEqual([1, 2, 3, 4, 8].map(n => backoffDelay(n, 1000, 5000, low)), [500, 1000, 2000, 2500, 2500]);
	assert.deepEqual([1, 2, 3, 4, 8].map(n => backoffDelay(n, 1000, 5000, high)), [1000, 2000, 4000, 5000, 5000]);
});

test('Retry-After as seconds or as an HTTP date', () => {
	const now = Date.parse('2026-01-02T10:00:00Z');
	assert.equal(parseRetryAfter('1', now), 1000);
	assert.equal(parseRetryAfter(' 120 ', now), 120_000);
	assert.equal(parseRetryAfter('0.5', now), 500);
	assert.equal(parseRetryAfter('Fri, 02 Jan 2026 10:00:30 GMT', now), 30_000);
	assert.equal(parseRetryAfter('Fri, 02 Jan 2026 09:00:00 GMT', now), 0);
	assert.equal(parseRetryAfter(['7', '9'], now), 7000);
	assert.equal(parseRetryAfter(undefined, now), undefined);
	assert.equal(parseRetryAfter('', now), undefined);
	assert.equal(parseRetryAfter('soon', now), undefined);
	assert.equal(parseRetryAfter('-5', now), undefined);
});

test('429 waits: Retry-After within bounds, else doubling from the base', () => {
	const options = {baseMs: 2000, minMs: 1000, maxMs: 60_000};
	assert.equal(throttleDelay(0, 1, options), 1000);
	assert.equal(throttleDelay(5000, 3, options), 5000);
	assert.equal(throttleDelay(3_600_000, 1, options), 60_000);
	assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(n => throttleDelay(undefined, n, options)), [2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
});
