import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {advance, nextWindow, pageLimit, queryFor, scanLimit, startCursor, windowDone} from '../../source/engine/cursor.ts';

const day = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const options = {now, backfillMs: 2 * day, settleMs: 5000};

describe('startCursor', () => {
	it('backfills exactly two days on first start', () => {
		const {cursor, reason} = startCursor(undefined, options);
		assert.equal(reason, 'first-start');
		assert.deepEqual(cursor, {from: now - 2 * day, to: now - 2 * day});
		assert.deepEqual(nextWindow(cursor, options), {from: now - 2 * day, to: now - 5000});
	});

	it('resumes a recent checkpoint where it stopped, mid-window included', () => {
		const saved = {from: now - day, to: now - 1000, next: {cursor: 'abc'}};
		assert.deepEqual(startCursor(saved, options), {cursor: saved, reason: 'resume'});
		const done = {from: now - 3 * day, to: now - 60_000};
		assert.deepEqual(startCursor(done, options), {cursor: done, reason: 'resume'});
	});

	it('falls back to the last two days after a longer gap', () => {
		const saved = {from: now - 5 * day, to: now - 3 * day};
		const {cursor, reason} = startCursor(saved, options);
		assert.equal(reason, 'gap');
		assert.deepEqual(cursor, {from: now - 2 * day, to: now - 2 * day});
	});
});

describe('nextWindow', () => {
	it('waits when nothing new is settled', () => {
		assert.equal(nextWindow({from: 0, to: now - 5000}, options), undefined);
		assert.equal(nextWindow({from: 0, to: now}, options), undefined);
	});
});

describe('queryFor and advance', () => {
	it('reads activities by created in scan mode and resumes with nextQueryFilters verbatim', () => {
		const cursor = {from: 100, to: 200};
		const body = queryFor('activities', cursor, {service: {eq: [11161]}});
		assert.deepEqual(body, {filters: {service: {eq: [11161]}, created: {gte: 100, lt: 200}}, sortField: 'created', sortDirection: 'asc', isScan: true, limit: scanLimit});
		const next = {opaque: [1, 2]};
		const after = advance('activities', cursor, {data: [{}, {}], hasNext: true, nextQueryFilters: next});
		assert.deepEqual(after, {from: 100, to: 200, next});
		assert.equal(windowDone(after), false);
		assert.deepEqual(queryFor('activities', after, {service: {eq: [1]}}), {filters: next, sortField: 'created', sortDirection: 'asc', isScan: true, limit: scanLimit});
		const end = advance('activities', after, {data: [{}], hasNext: false});
		assert.deepEqual(end, {from: 100, to: 200});
		assert.equal(windowDone(end), true);
	});

	it('pages alerts by date with skip/limit', () => {
		let cursor: {from: number; to: number; skip?: number} = {from: 100, to: 200};
		assert.deepEqual(queryFor('alerts', cursor, {}), {filters: {date: {gte: 100, lt: 200}}, sortField: 'date', sortDirection: 'asc', skip: 0, limit: pageLimit});
		cursor = advance('alerts', cursor, {data: Array.from({length: 100}, () => ({})), hasNext: true});
		assert.equal(cursor.skip, 100);
		assert.equal(queryFor('alerts', cursor, {}).skip, 100);
		cursor = advance('alerts', cursor, {data: [{}], hasNext: false});
		assert.deepEqual(cursor, {from: 100, to: 200});
	});

	it('refuses a scan page that says "more" without a way to get it', () => {
		assert.throws(() => advance('activities', {from: 1, to: 2}, {data: [], hasNext: true}), /nextQueryFilters/);
	});
});
