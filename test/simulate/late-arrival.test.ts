import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createSimulator} from '../../source/simulate/simulator.ts';
import {fakeClock, ids, page, scanAll} from './helpers.ts';

const minute = 60_000;
const hour = 60 * minute;

test('live activities stay invisible until created <= now, and late ones happened hours earlier', async () => {
	const clock = fakeClock();
	const sim = await createSimulator({seed: 9, now: clock.now, historyActivities: 200, liveActivitiesPerSecond: 1, lateArrivalFraction: 0.3, throttle: 0});
	try {
		const t0 = sim.startedAt;
		assert.equal((await scanAll(sim, {limit: 5000})).records.length, 200);

		clock.advance(10 * minute);
		const t1 = clock.now();
		const atT1 = (await scanAll(sim, {limit: 5000, sortField: 'created', sortDirection: 'asc'})).records;
		assert.ok(atT1.length > 700 && atT1.length <= 800);
		assert.ok(atT1.every(r => r.created <= t1));

		clock.advance(10 * minute);
		const t2 = clock.now();
		const atT2 = (await scanAll(sim, {limit: 5000, sortField: 'created', sortDirection: 'asc'})).records;
		assert.deepEqual(ids(atT2.slice(0, atT1.length)), ids(atT1), 'records never disappear or move');
		const arrived = atT2.slice(atT1.length);
		assert.ok(arrived.every(r => r.created > t1 && r.created <= t2));

		// Late arrivals: stored after t1 although they happened before t1, even before t0.
		const late = arrived.filter(r => r.created - r.timestamp >= hour);
		assert.ok(late.length > 100);
		assert.ok(late.every(r => r.timestamp < t1 && r.created - r.timestamp <= 6 * hour + 1000));
		assert.ok(late.some(r => r.timestamp < t0));

		// Reading by timestamp alone misses them: a date window read at t1 did not contain them.
		const window = {date: {gte: t0 - (7 * hour), lt: t1}};
		const before = await page(sim, 'activities', {filters: window, isScan: true, limit: 5000});
		clock.advance(-10 * minute);
		const earlier = await page(sim, 'activities', {filters: window, isScan: true, limit: 5000});
		assert.ok(before.total > earlier.total);
		assert.ok(late.every(r => !ids(earlier.data).includes(r._id)));
	} finally {
		await sim.close();
	}
});

test('an activity becomes visible exactly when the clock reaches its created time', async () => {
	const clock = fakeClock();
	const sim = await createSimulator({seed: 4, now: clock.now, historyActivities: 0, historyAlerts: 0, liveActivitiesPerSecond: 0.2, throttle: 0});
	try {
		clock.advance(60_000);
		const [first] = sim.activitiesCreatedBetween(0, Number.MAX_SAFE_INTEGER);
		const created = first.created as number;

		clock.advance(created - clock.now() - 1);
		assert.equal(sim.countActivitiesCreatedBetween(0, Number.MAX_SAFE_INTEGER), 0);
		assert.equal((await page(sim, 'activities', {})).total, 0);
		clock.advance(1);
		const p = await page(sim, 'activities', {});
		assert.deepEqual(ids(p.data), [first._id]);
	} finally {
		await sim.close();
	}
});

test('live alerts appear at the configured rate and refer to activities that exist', async () => {
	const clock = fakeClock();
	const sim = await createSimulator({seed: 2, now: clock.now, historyAlerts: 10, liveAlertsPerMinute: 6, throttle: 0});
	try {
		assert.equal(sim.countAlertsBetween(0, Number.MAX_SAFE_INTEGER), 10);
		clock.advance(10 * minute);
		const alerts = sim.alertsBetween(sim.startedAt, clock.now() + 1);
		assert.ok(alerts.length >= 59 && alerts.length <= 61);
		const known = new Set(ids(sim.activitiesCreatedBetween(0, Number.MAX_SAFE_INTEGER)));
		for (const alert of alerts) {
			assert.ok((alert.audits as string[]).every(id => known.has(id)));
		}
	} finally {
		await sim.close();
	}
});
