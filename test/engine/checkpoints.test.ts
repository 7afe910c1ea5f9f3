import assert from 'node:assert/strict';
import {mkdtemp, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {CheckpointStore, checkpointPath} from '../../source/engine/checkpoints.ts';

describe('CheckpointStore', () => {
	it('reads nothing on first start, then what was saved, atomically and privately', async () => {
		const directory = path.join(await mkdtemp(path.join(os.tmpdir(), 'siem-cp-')), 'state');
		const store = new CheckpointStore(directory);
		assert.equal(await store.load('agent/1', 'activities'), undefined);
		await store.save('agent/1', 'activities', {from: 1, to: 2, next: {a: 1}});
		await store.save('agent/1', 'activities', {from: 1, to: 2, skip: 5});
		assert.deepEqual(await store.load('agent/1', 'activities'), {from: 1, to: 2, skip: 5});
		assert.equal(await store.load('agent/1', 'alerts'), undefined);
		const files = await readdir(directory);
		assert.deepEqual(files, ['agent%2f1.activities.checkpoint.json']);
		assert.equal((await stat(path.join(directory, files[0]!))).mode & 0o777, 0o600);
		const body = JSON.parse(await readFile(checkpointPath(directory, 'agent/1', 'activities'), 'utf8')) as {agent: string};
		assert.equal(body.agent, 'agent/1');
	});

	it('carries a renamed agent\'s checkpoints over to its new name', async () => {
		const directory = await mkdtemp(path.join(os.tmpdir(), 'siem-cp-'));
		const store = new CheckpointStore(directory);
		await store.save('old', 'activities', {from: 1, to: 2, next: {a: 1}});
		await store.save('old', 'alerts', {from: 3, to: 4, skip: 100});
		await store.carryOver('old', 'new');
		assert.deepEqual(await store.load('new', 'activities'), {from: 1, to: 2, next: {a: 1}});
		assert.deepEqual(await store.load('new', 'alerts'), {from: 3, to: 4, skip: 100});
		assert.equal(await store.load('old', 'activities'), undefined, 'moved, not copied');
		// A copy that leaves the old files (a service still holds them); a stale cursor under the
		// new name (renamed away from it earlier) gives way to the current one.
		await store.save('other', 'alerts', {from: 9, to: 10});
		await store.carryOver('new', 'other', {keep: true});
		assert.deepEqual(await store.load('other', 'alerts'), {from: 3, to: 4, skip: 100});
		assert.deepEqual(await store.load('other', 'activities'), {from: 1, to: 2, next: {a: 1}});
		assert.deepEqual(await store.load('new', 'activities'), {from: 1, to: 2, next: {a: 1}});
	});

	it('keeps different agent names apart', async () => {
		const directory = await mkdtemp(path.join(os.tmpdir(), 'siem-cp-'));
		assert.notEqual(checkpointPath(directory, 'a b', 'alerts'), checkpointPath(directory, 'a_b', 'alerts'));
	});

	it('reports a corrupt checkpoint instead of silently starting over', async () => {
		const directory = await mkdtemp(path.join(os.tmpdir(), 'siem-cp-'));
		await writeFile(checkpointPath(directory, 'x', 'alerts'), '{"cursor": ');
		const store = new CheckpointStore(directory);
		await assert.rejects(store.load('x', 'alerts'), {code: 'STATE_ERROR'});
	});
});
