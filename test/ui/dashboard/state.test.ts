import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildRows, initialState, reduce, selectedName} from '../../../source/ui/dashboard/state.ts';
import {createSnapshotStore} from '../../../source/ui/snapshot-store.ts';
import {agentConfig, agentSnapshot, now, snapshot} from '../fixtures.ts';

test('rows follow the config order and take status from the snapshot', () => {
	const agents = [agentConfig('b'), agentConfig('a', {paused: true})];
	const rows = buildRows(agents, snapshot(agentSnapshot('a', {status: 'disconnected', errors: [{time: now, code: 'AGENT_DISCONNECTED', message: '', count: 2}]})));
	assert.deepEqual(rows.map(row => [row.name, row.status, row.paused, row.notifications]), [['b', 'created', false, 0], ['a', 'disconnected', true, 1]]);
});

test('selection moves within the rows and falls back to the first', () => {
	const names = ['a', 'b', 'c'];
	let state = initialState(undefined, now);
	assert.equal(selectedName(state, names), 'a');
	state = reduce(state, {type: 'move', delta: 1, names});
	state = reduce(state, {type: 'move', delta: 5, names});
	assert.equal(selectedName(state, names), 'c');
	state = reduce(state, {type: 'move', delta: -1, names});
	assert.equal(selectedName(state, names), 'b');
	assert.equal(selectedName(state, ['a', 'c']), 'a');
});

test('a snapshot replaces the previous one and stamps the time', () => {
	const first = reduce(initialState(undefined, 0), {type: 'snapshot', snapshot: snapshot(agentSnapshot('a')), now});
	assert.equal(first.now, now);
	assert.equal(first.snapshot?.agents[0].name, 'a');
	const mode = reduce(first, {type: 'mode', mode: {kind: 'confirm-delete', name: 'a'}});
	assert.deepEqual(mode.mode, {kind: 'confirm-delete', name: 'a'});
	assert.equal(mode.snapshot, first.snapshot);
});

test('the snapshot store hands the newest snapshot to late listeners', () => {
	const store = createSnapshotStore();
	const seen: number[] = [];
	store.push({time: 1, agents: []});
	const stop = store.listen(value => seen.push(value.time));
	store.push({time: 2, agents: []});
	stop();
	store.push({time: 3, agents: []});
	assert.deepEqual(seen, [2]);
	assert.equal(store.get()?.time, 3);
});
