import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {call, fakeClock, ids, page, scanAll} from './helpers.ts';

const hour = 3_600_000;
const clock = fakeClock();
let sim: Simulator;
before(async () => {
	sim = await createSimulator({seed: 11, now: clock.now, historyActivities: 5200, liveActivitiesPerSecond: 0.5, lateArrivalFraction: 0.1, throttle: 0});
});
after(async () => sim.close());

test('a scan covers every record of a created window exactly once, in every sort order', async () => {
	const from = sim.startedAt - (50 * hour);
	const to = sim.startedAt - (2 * hour);
	const expected = ids(sim.activitiesCreatedBetween(from, to)).sort();
	assert.ok(expected.length > 2000);
	for (const sort of [{sortField: 'created', sortDirection: 'asc'}, {sortField: 'created', sortDirection: 'desc'}, {sortField: 'date', sortDirection: 'asc'}, {sortField: 'date', sortDirection: 'desc'}, {}]) {
		const {records, pages, totals} = await scanAll(sim, {...sort, limit: 500, filters: {created: {gte: from, lt: to}}});
		const seen = ids(records);
		assert.equal(new Set(seen).size, seen.length, `no repeats (${JSON.stringify(sort)})`);
		assert.deepEqual([...seen].sort(), expected, JSON.stringify(sort));
		assert.equal(pages, Math.ceil(expected.length / 500));
		assert.ok(totals.every(total => total === expected.length));
	}
});

test('scan pages are in sort order across page boundaries', async () => {
	const {records} = await scanAll(sim, {sortField: 'date', sortDirection: 'asc', limit: 500});
	for (let k = 1; k < records.length; k++) {
		assert.ok(records[k - 1].timestamp <= records[k].timestamp);
	}

	assert.equal(records.length, 5200);
});

test('nextQueryFilters keeps the original filters and adds an opaque cursor', async () => {
	const filters = {service: {eq: [11_161, 14_509]}};
	const p = await page(sim, 'activities', {isScan: true, limit: 500, sortField: 'created', sortDirection: 'asc', filters});
	assert.equal(p.data.length, 500);
	assert.equal(p.hasNext, true);
	assert.deepEqual(p.nextQueryFilters.service, filters.service);
	assert.deepEqual(Object.keys(p.nextQueryFilters).sort(), ['_scanCursor', 'service']);
	assert.ok(p.data.every((r: any) => r.appId === 11_161 || r.appId === 14_509));
});

test('scan limits outside 500-5000, a forged cursor, a cursor of another sort and a cursor outside scan mode are refused', async () => {
	const first = await page(sim, 'activities', {isScan: true, limit: 500, sortField: 'created', sortDirection: 'asc'});
	const refused = [
		{isScan: true, limit: 499},
		{isScan: true, limit: 5001},
		{isScan: true, filters: {_scanCursor: {after: 'v1:created:asc:oops'}}, sortField: 'created', sortDirection: 'asc'},
		{isScan: true, filters: first.nextQueryFilters, sortField: 'date', sortDirection: 'asc'},
		{filters: first.nextQueryFilters, sortField: 'created', sortDirection: 'asc'},
	];
	for (const body of refused) {
		const answer = await call(sim, 'activities', body);
		assert.equal(answer.status, 400, JSON.stringify(body));
	}
});

test('the default scan page is 500 and 5000 is accepted', async () => {
	assert.equal((await page(sim, 'activities', {isScan: true})).data.length, 500);
	const big = await page(sim, 'activities', {isScan: true, limit: 5000});
	assert.equal(big.data.length, 5000);
	assert.equal(big.hasNext, true);
});

test('after hasNext turns false, the last nextQueryFilters picks up records that arrive later', async () => {
	const {records} = await scanAll(sim, {sortField: 'created', sortDirection: 'asc', limit: 5000});
	assert.equal(records.length, 5200);
	const last = await page(sim, 'activities', {isScan: true, limit: 5000, sortField: 'created', sortDirection: 'asc', filters: {}});
	const resume = (await page(sim, 'activities', {isScan: true, limit: 5000, sortField: 'created', sortDirection: 'asc', filters: last.nextQueryFilters}));
	assert.equal(resume.hasNext, false);
	assert.equal(resume.data.length, 200);
	clock.advance(60_000);
	const fresh = await page(sim, 'activities', {isScan: true, limit: 5000, sortField: 'created', sortDirection: 'asc', filters: resume.nextQueryFilters});
	assert.deepEqual(ids(fresh.data), ids(sim.activitiesCreatedBetween(sim.startedAt, clock.now() + 1)));
	assert.ok(fresh.data.length >= 25);
});
