/**
 * The pipeline with in-memory stages around it: delivery drives the checkpoint, a bad record
 * is logged with its id and still forwarded, and a failing delivery keeps the cursor in place.
 */
import assert from 'node:assert/strict';
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {it} from 'node:test';
import type {ApiPage, QueryBody} from '../../source/cloud/types.ts';
import {readParsedPage} from '../helpers/pages.ts';
import {defaultDataTypes} from '../../source/config/schema.ts';
import {CheckpointStore} from '../../source/engine/checkpoints.ts';
import {Pipeline, type PipelineDeps} from '../../source/engine/pipeline.ts';
import {createRecordFormatter} from '../../source/engine/record-formatter.ts';
import {applyFlags} from '../../source/config/resolve.ts';

const now = Date.UTC(2026, 10, 25, 12);
/** A clock that moves a second on every reading, so new windows open without waiting. */
function movingClock(): () => number {
	let t = now;
	return () => (t += 1000);
}

async function setUp(pages: ApiPage[], overrides: Partial<PipelineDeps> = {}) {
	const store = new CheckpointStore(await mkdtemp(path.join(os.tmpdir(), 'siem-pipe-')));
	const agent = applyFlags(undefined, {url: 'https://contoso.portal.cloudappsecurity.com', token: 't0ken', syslog: '127.0.0.1'});
	const logs: Array<{code: string; msg: string}> = [];
	const delivered: string[][] = [];
	const bodies: QueryBody[] = [];
	const abort = new AbortController();
	const deps: PipelineDeps = {
		agent: 'a', dataType: 'activities', settings: defaultDataTypes().activities,
		options: {pollIntervalMs: 1000, settleMs: 0, backfillMs: 2 * 24 * 3600 * 1000},
		async read(_type, body, createReader) {
			bodies.push(body);
			const page = pages.shift();
			if (!page) {
				abort.abort(new Error('done'));
				return readParsedPage({data: [], hasNext: false}, createReader);
			}
			return readParsedPage(page, createReader);
		},
		async deliver(batch) {
			delivered.push([...batch.messages()]);
		},
		format: createRecordFormatter(agent, 'activities', {systemName: 'h', now: () => now}),
		checkpoints: store,
		log: (_level, code, msg) => logs.push({code, msg}),
		apiResult() {},
		now: movingClock(),
		...overrides,
	};
	return {deps, store, logs, delivered, bodies, abort, pipeline: new Pipeline(deps)};
}

it('forwards a bad record with what can be mapped and logs it with its id', async () => {
	const junk = [{_id: 'bad-1', timestamp: 'yesterday', user: 42, mainInfo: null, description: ['x']}, {_id: 'ok-1', timestamp: now - 1000, created: now - 900, eventTypeName: 'EVENT_CATEGORY_LOGIN', description: 'Log on'}];
	const {pipeline, abort, delivered, logs, store} = await setUp([{data: junk, hasNext: true, nextQueryFilters: {c: 1}}, {data: [], hasNext: false}]);
	await pipeline.run(abort.signal);
	assert.equal(delivered.flat().length, 2);
	assert.match(delivered[0]![0]!, /externalId=bad-1/);
	const bad = logs.find((l) => l.code === 'BAD_RECORD');
	assert.ok(bad);
	assert.match(bad.msg, /bad-1/);
	const saved = await store.load('a', 'activities');
	assert.equal(saved?.next, undefined, 'the window was read to its end');
	assert.equal(pipeline.snapshot().badRecords, 1);
});

it('keeps the checkpoint where it was when delivery never succeeds', async () => {
	const records = [{_id: 'r1', timestamp: now - 5000, created: now - 5000}];
	const abort = new AbortController();
	const {pipeline, store} = await setUp([{data: records, hasNext: true, nextQueryFilters: {c: 2}}], {
		async deliver(_lines, signal) {
			// The SIEM is down: the agent's delivery would retry until stopped.
			await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
		},
	});
	setTimeout(() => abort.abort(new Error('stop')), 200);
	await pipeline.run(abort.signal);
	assert.equal(await store.load('a', 'activities'), undefined, 'nothing delivered, nothing checkpointed');
});

it('resumes from the saved scan position', async () => {
	const {pipeline, abort, bodies, store} = await setUp([{data: [], hasNext: false}]);
	await store.save('a', 'activities', {from: now - 60_000, to: now - 1000, next: {resume: 'here'}});
	await pipeline.run(abort.signal);
	assert.deepEqual(bodies[0]!.filters, {resume: 'here'});
});
