import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {call, fakeClock, ids, listAll, page} from './helpers.ts';

const clock = fakeClock();
let sim: Simulator;
let allActivities: any[];
let allAlerts: any[];
before(async () => {
	sim = await createSimulator({seed: 7, now: clock.now, historyActivities: 450, historyAlerts: 230, lateArrivalFraction: 0.2, throttle: 0});
	allActivities = sim.activitiesCreatedBetween(0, Number.MAX_SAFE_INTEGER);
	allAlerts = sim.alertsBetween(0, Number.MAX_SAFE_INTEGER);
});
after(async () => sim.close());

function sortedIds(records: any[], field: string, direction: 'asc' | 'desc'): string[] {
	// Ties keep creation order (ascending) or its reverse (descending), like the server.
	const indexed = records.map((record, index) => ({record, index}));
	indexed.sort((a, b) => (a.record[field] - b.record[field]) || (a.index - b.index));
	if (direction === 'desc') {
		indexed.reverse();
	}

	return indexed.map(x => x.record._id);
}

test('ground truth holds every history record, in created order', () => {
	assert.equal(allActivities.length, 450);
	assert.equal(allAlerts.length, 230);
	assert.deepEqual(ids(allActivities), sortedIds(allActivities, 'created', 'asc'));
	assert.equal(new Set(ids(allActivities)).size, 450);
});

test('skip/limit pages of activities follow each sort field and direction', async () => {
	for (const [sortField, key] of [['created', 'created'], ['date', 'timestamp']] as const) {
		for (const sortDirection of ['asc', 'desc'] as const) {
			const records = await listAll(sim, 'activities', {sortField, sortDirection}, 100);
			assert.deepEqual(ids(records), sortedIds(allActivities, key, sortDirection), `${sortField} ${sortDirection}`);
		}
	}
});

test('late arrivals make date order differ from created order', () => {
	assert.notDeepEqual(sortedIds(allActivities, 'timestamp', 'asc'), sortedIds(allActivities, 'created', 'asc'));
});

test('alerts page by date and by severity', async () => {
	assert.deepEqual(ids(await listAll(sim, 'alerts', {sortField: 'date', sortDirection: 'asc'}, 100)), sortedIds(allAlerts, 'timestamp', 'asc'));
	assert.deepEqual(ids(await listAll(sim, 'alerts', {sortField: 'date', sortDirection: 'desc'}, 37)), sortedIds(allAlerts, 'timestamp', 'desc'));
	const bySeverity = await listAll(sim, 'alerts', {sortField: 'severity', sortDirection: 'desc'}, 100);
	assert.deepEqual(ids(bySeverity), sortedIds(allAlerts, 'severityValue', 'desc'));
	assert.equal(bySeverity[0].severityValue, 3);
});

test('the default is 100 records, newest first by date', async () => {
	const p = await page(sim, 'activities', {});
	assert.equal(p.data.length, 100);
	assert.equal(p.hasNext, true);
	assert.equal(p.total, 450);
	assert.deepEqual(ids(p.data), sortedIds(allActivities, 'timestamp', 'desc').slice(0, 100));
});

test('hasNext is false on the last page and total counts every match', async () => {
	const last = await page(sim, 'activities', {skip: 400, limit: 100});
	assert.equal(last.data.length, 50);
	assert.equal(last.hasNext, false);
	const exact = await page(sim, 'activities', {skip: 350, limit: 100});
	assert.equal(exact.data.length, 100);
	assert.equal(exact.hasNext, false);
	const beyond = await page(sim, 'activities', {skip: 1000});
	assert.deepEqual(beyond.data, []);
	assert.equal(beyond.hasNext, false);
	assert.equal(beyond.total, 450);
});

test('alerts answer max and moreThanTotal', async () => {
	const p = await page(sim, 'alerts', {limit: 5});
	assert.equal(p.total, 230);
	assert.equal(typeof p.max, 'number');
	assert.equal(p.moreThanTotal, false);
	assert.equal(p.nextQueryFilters, undefined);
});

test('page sizes and sort settings outside the API are refused with 400', async () => {
	const refused = [
		['activities', {limit: 101}],
		['alerts', {limit: 500}],
		['activities', {limit: 0}],
		['activities', {skip: -1}],
		['activities', {limit: 2.5}],
		['activities', {sortField: 'severity'}],
		['alerts', {sortField: 'created'}],
		['alerts', {sortDirection: 'up'}],
		['alerts', {isScan: true, limit: 500}],
		['activities', 'not an object'],
	] as const;
	for (const [route, body] of refused) {
		const answer = await call(sim, route, body);
		assert.equal(answer.status, 400, JSON.stringify(body));
		assert.equal(typeof answer.body.detail, 'string');
	}
});
