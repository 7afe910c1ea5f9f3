import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {fakeClock, ids, page, scanAll} from './helpers.ts';

const hour = 3_600_000;
const backlog = 1_000_000;
const clock = fakeClock();
let sim: Simulator;
before(async () => {
	sim = await createSimulator({seed: 5, now: clock.now, historyActivities: 0, backlogActivities: backlog, liveActivitiesPerSecond: 0, throttle: 0});
});
after(async () => sim.close());

test('a million-record backlog is there, within the history window', async () => {
	assert.equal(sim.countActivitiesCreatedBetween(0, Number.MAX_SAFE_INTEGER), backlog);
	assert.equal(sim.countActivitiesCreatedBetween(sim.startedAt - (72 * hour), sim.startedAt), backlog);
	const p = await page(sim, 'activities', {isScan: true, limit: 5000, sortField: 'created', sortDirection: 'asc'});
	assert.equal(p.total, backlog);
	assert.equal(p.data.length, 5000);
	assert.ok(p.data[0].created >= sim.startedAt - (72 * hour));
	assert.equal(sim.stats().visible.activities, backlog);
});

test('a filtered scan walks all million records and returns each match once', async () => {
	const filters = {service: {eq: [33_626]}, 'device.type': {eq: ['TABLET']}};
	const {records, totals} = await scanAll(sim, {limit: 5000, sortField: 'created', sortDirection: 'asc', filters});
	assert.ok(records.length > 5000, String(records.length));
	assert.equal(new Set(ids(records)).size, records.length);
	assert.ok(records.every(r => r.appId === 33_626 && r.device.type === 'TABLET'));
	assert.ok(totals.every(total => total === records.length));
	assert.ok(records[0].created < sim.startedAt - (70 * hour) && records.at(-1).created > sim.startedAt - (2 * hour));
});

test('a scan of a created window of the backlog matches the ground truth exactly', async () => {
	const from = sim.startedAt - (30 * hour);
	const to = from + (2 * hour);
	const {records} = await scanAll(sim, {limit: 5000, sortField: 'created', sortDirection: 'desc', filters: {created: {gte: from, lt: to}}});
	assert.equal(records.length, sim.countActivitiesCreatedBetween(from, to));
	assert.deepEqual(ids(records).reverse(), ids(sim.activitiesCreatedBetween(from, to)));
});
