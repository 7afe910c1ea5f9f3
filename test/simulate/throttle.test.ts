import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createSimulator} from '../../source/simulate/simulator.ts';
import {call, fakeClock} from './helpers.ts';

const small = {historyActivities: 20, historyAlerts: 5, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0};

test('past 30 requests a minute the answer is 429 with Retry-After and a JSON body', async () => {
	const clock = fakeClock();
	const sim = await createSimulator({...small, now: clock.now});
	try {
		for (let n = 0; n < 30; n++) {
			clock.advance(1000);
			assert.equal((await call(sim, n % 2 ? 'alerts' : 'activities', {limit: 1})).status, 200, `request ${n + 1}`);
		}

		const throttled = await call(sim, 'activities', {limit: 1});
		assert.equal(throttled.status, 429);
		// The first of the 30 requests was 30 s ago: it leaves the one-minute window in 31 s.
		assert.equal(throttled.headers.get('retry-after'), '31');
		assert.match(throttled.body.detail, /throttled/);
		assert.equal(sim.stats().throttled, 1);
		assert.equal(sim.stats().byRoute.activities['429'], 1);

		clock.advance(31_000);
		assert.equal((await call(sim, 'alerts', {limit: 1})).status, 200);
		assert.equal((await call(sim, 'alerts', {limit: 1})).status, 429, 'only one slot was freed');
	} finally {
		await sim.close();
	}
});

test('requests with a wrong token do not spend the budget', async () => {
	const clock = fakeClock();
	const sim = await createSimulator({...small, now: clock.now, throttle: 2});
	try {
		for (let n = 0; n < 5; n++) {
			assert.equal((await call(sim, 'alerts', {}, {token: 'nope'})).status, 401);
		}

		assert.equal((await call(sim, 'alerts', {})).status, 200);
		assert.equal((await call(sim, 'alerts', {})).status, 200);
		assert.equal((await call(sim, 'alerts', {})).status, 429);
	} finally {
		await sim.close();
	}
});

test('the throttle can be lifted at run time, in process and over HTTP', async () => {
	const clock = fakeClock();
	const sim = await createSimulator({...small, now: clock.now, throttle: 1});
	try {
		assert.equal((await call(sim, 'alerts', {})).status, 200);
		assert.equal((await call(sim, 'alerts', {})).status, 429);
		sim.setThrottle(0);
		for (let n = 0; n < 40; n++) {
			assert.equal((await call(sim, 'alerts', {})).status, 200);
		}

		sim.setThrottle(1);
		assert.equal((await call(sim, 'alerts', {})).status, 429);
		const lifted = await call(sim, '/_sim/faults', {throttle: 0}, {token: null});
		assert.equal(lifted.status, 200);
		assert.equal(lifted.body.throttle, 0);
		assert.equal((await call(sim, 'alerts', {})).status, 200);
		assert.equal(sim.stats().throttlePerMinute, 0);
	} finally {
		await sim.close();
	}
});

test('throttle 0 in the options means no limit', async () => {
	const sim = await createSimulator({...small, throttle: 0});
	try {
		const answers = await Promise.all(Array.from({length: 60}, async () => call(sim, 'activities', {limit: 1})));
		assert.ok(answers.every(answer => answer.status === 200));
	} finally {
		await sim.close();
	}
});
