import assert from 'node:assert/strict';
import {it} from 'node:test';
import {RateMeter} from '../../source/engine/rate-meter.ts';

it('averages complete buckets and forgets old ones', () => {
	const meter = new RateMeter(1000, 11, 0);
	for (let t = 0; t < 10_000; t += 1000) {
		meter.add(100, t);
	}
	assert.equal(meter.perSecond(10_000), 100);
	assert.equal(meter.buckets(10_500).at(-1), 0);
	assert.equal(meter.perSecond(60_000), 0);
	meter.add(5, 60_000);
	assert.deepEqual(meter.buckets(60_000).slice(-2), [0, 5]);
});
