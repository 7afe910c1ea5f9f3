import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createSimulator} from '../../source/simulate/simulator.ts';
import {call} from './helpers.ts';

const small = {historyActivities: 300, historyAlerts: 20, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0};

function isValidPage(text: string): boolean {
	try {
		const body = JSON.parse(text) as {data?: unknown; hasNext?: unknown};
		return Array.isArray(body.data) && typeof body.hasNext === 'boolean';
	} catch {
		return false;
	}
}

test('errorRate 1 answers every API request with 500 or 503', async () => {
	const sim = await createSimulator({...small, faults: {errorRate: 1}});
	try {
		const statuses = new Set<number>();
		for (let n = 0; n < 20; n++) {
			const answer = await call(sim, n % 2 ? 'alerts' : 'activities', {});
			assert.ok(answer.status === 500 || answer.status === 503, String(answer.status));
			if (answer.status === 503) {
				assert.equal(answer.headers.get('retry-after'), '1');
			}

			statuses.add(answer.status);
		}

		assert.deepEqual([...statuses].sort(), [500, 503]);
		assert.equal(sim.stats().injected.errors, 20);
		sim.setFaults({errorRate: 0});
		assert.equal((await call(sim, 'alerts', {})).status, 200);
	} finally {
		await sim.close();
	}
});

test('malformedRate 1 answers 200 with bodies that are not valid pages, of every kind', async () => {
	const sim = await createSimulator({...small, faults: {malformedRate: 1}});
	try {
		const kinds = new Set<string>();
		for (let n = 0; n < 30; n++) {
			const answer = await call(sim, 'activities', {isScan: true, limit: 500});
			assert.equal(answer.status, 200);
			assert.ok(!isValidPage(answer.text), answer.text.slice(0, 80));
			kinds.add(answer.text === '' ? 'empty' : answer.text.startsWith('<') ? 'html' : answer.text.startsWith('{"data":[') ? 'truncated' : 'shape');
		}

		assert.deepEqual([...kinds].sort(), ['empty', 'html', 'shape', 'truncated']);
		assert.equal(sim.stats().injected.malformed, 30);
		assert.equal(sim.stats().recordsServed.activities, 0);
	} finally {
		await sim.close();
	}
});

test('a fraction of faults leaves the other answers intact', async () => {
	const sim = await createSimulator({...small, faults: {errorRate: 0.25, malformedRate: 0.25}});
	try {
		let good = 0;
		for (let n = 0; n < 40; n++) {
			const answer = await call(sim, 'alerts', {});
			if (answer.status === 200 && isValidPage(answer.text)) {
				good++;
				assert.equal(answer.body.data.length, 20);
			}
		}

		assert.ok(good > 5 && good < 35, String(good));
	} finally {
		await sim.close();
	}
});

test('a hung request is never answered, and close() still ends it', async () => {
	const sim = await createSimulator({...small, faults: {hang: true}});
	const pending = fetch(`${sim.url}/api/v1/alerts/`, {method: 'POST', headers: {authorization: `Token ${sim.token}`}, body: '{}'});
	const outcome = pending.then(() => 'answered', () => 'failed');
	for (let n = 0; n < 100 && sim.stats().injected.hung === 0; n++) {
		await new Promise(resolve => setTimeout(resolve, 10));
	}

	assert.equal(sim.stats().injected.hung, 1);
	assert.equal(sim.stats().byRoute.alerts.hung, 1);
	await sim.close();
	assert.equal(await outcome, 'failed');
});

test('faults switch at run time over HTTP, and bad settings are refused', async () => {
	const sim = await createSimulator(small);
	try {
		const set = await call(sim, '/_sim/faults', {errorRate: 1, latencyMs: 5}, {token: null});
		assert.equal(set.status, 200);
		assert.deepEqual(set.body, {errorRate: 1, latencyMs: 5, malformedRate: 0, hang: false, throttle: 0});
		assert.equal((await call(sim, 'alerts', {})).status >= 500, true);
		await call(sim, '/_sim/faults', {errorRate: 0, latencyMs: 0}, {token: null});
		assert.equal((await call(sim, 'alerts', {})).status, 200);
		for (const bad of [{errorRate: 2}, {hang: 'yes'}, {latencyMs: -1}, {nonsense: 1}, [1]]) {
			assert.equal((await call(sim, '/_sim/faults', bad, {token: null})).status, 400, JSON.stringify(bad));
		}

		assert.throws(() => sim.setFaults({errorRate: -0.5}), {code: 'CONFIG_ERROR'});
	} finally {
		await sim.close();
	}
});

test('latency delays answers but keeps them correct', async () => {
	const sim = await createSimulator({...small, faults: {latencyMs: 20}});
	try {
		const answer = await call(sim, 'activities', {limit: 3});
		assert.equal(answer.status, 200);
		assert.equal(answer.body.data.length, 3);
	} finally {
		await sim.close();
	}
});
