import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {frameBatch} from '../../source/transports/framing.ts';
import {ReplayWindow} from '../../source/transports/replay-window.ts';

const add = (window: ReplayWindow, messages: string[], framing: 'lf' | 'octet-counting' = 'lf') => {
	const {data, count, ends} = frameBatch(messages, framing);
	window.add(data, count, ends);
};
const contents = (window: ReplayWindow) => Buffer.concat(window.buffers()).toString('utf8');

test('keeps the most recent messages within the byte limit, cut on message boundaries', () => {
	const window = new ReplayWindow(10);
	add(window, ['aaa', 'bbb']);
	assert.equal(contents(window), 'aaa\nbbb\n');
	add(window, ['ccc']);
	// 12 bytes > 10: the oldest whole message goes, never part of one.
	assert.equal(contents(window), 'bbb\nccc\n');
	assert.equal(window.messages, 2);
	assert.equal(window.bytes, 8);
	add(window, ['0123456789ab']);
	assert.equal(contents(window), '');
	assert.equal(window.bytes, 0);
	assert.equal(window.messages, 0);
});

test('a batch larger than the window keeps its tail', () => {
	const window = new ReplayWindow(13);
	add(window, ['one', 'two', 'three', 'four'], 'octet-counting');
	assert.equal(contents(window), '5 three4 four');
	assert.equal(window.messages, 2);
});

test('size 0 disables the window; clear() empties it', () => {
	const off = new ReplayWindow(0);
	add(off, ['x']);
	assert.equal(off.messages, 0);
	const window = new ReplayWindow(100);
	add(window, ['x', 'y']);
	window.clear();
	assert.deepEqual(window.buffers(), []);
	assert.equal(window.bytes, 0);
});

test('any sequence of batches keeps exactly the newest whole messages that fit (a model of the window)', () => {
	fc.assert(fc.property(
		fc.integer({min: 1, max: 64}),
		fc.constantFrom<'lf' | 'octet-counting'>('lf', 'octet-counting'),
		fc.array(fc.array(fc.string({unit: fc.constantFrom('a', 'b', ' ', 'é', '\u{1F600}'), maxLength: 12}), {minLength: 1, maxLength: 6}), {maxLength: 12}),
		(limit, framing, batches) => {
			const window = new ReplayWindow(limit);
			let kept: Buffer[] = [];
			for (const batch of batches) {
				add(window, batch, framing);
				kept.push(...batch.map(message => frameBatch([message], framing).data));
				let size = kept.reduce((sum, frame) => sum + frame.length, 0);
				while (size > limit) {
					size -= kept.shift()!.length;
				}

				assert.equal(contents(window), Buffer.concat(kept).toString('utf8'));
				assert.equal(window.messages, kept.length);
				assert.equal(window.bytes, size);
			}

			window.clear();
			kept = [];
			add(window, ['after clear'], framing);
			const frame = frameBatch(['after clear'], framing).data;
			assert.equal(contents(window), frame.length <= limit ? frame.toString('utf8') : '');
		},
	), {numRuns: 1000});
});
