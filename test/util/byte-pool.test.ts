import assert from 'node:assert/strict';
import {test} from 'node:test';
import {MessageBatch} from '../../source/transports/batch.ts';
import {ReplayWindow} from '../../source/transports/replay-window.ts';
import {ByteBuffer, BytePool} from '../../source/util/byte-pool.ts';

test('a ByteBuffer grows as bytes and strings are appended, keeping what it had', () => {
	const buffer = new ByteBuffer(4);
	buffer.append(Buffer.from('ab'));
	assert.equal(buffer.appendString('cdé🚀'), 8);
	buffer.appendByte(0x0a);
	assert.equal(buffer.view().toString(), 'abcdé🚀\n');
	assert.ok(buffer.capacity >= buffer.length);
	buffer.reset();
	assert.equal(buffer.length, 0);
});

test('a pool hands released buffers out again, and keeps no more than asked', () => {
	const pool = new BytePool(1, 16);
	const a = pool.acquire();
	const b = pool.acquire();
	a.appendString('x'.repeat(100));
	pool.release(a);
	pool.release(b);
	const again = pool.acquire();
	assert.equal(again, a, 'the released buffer comes back');
	assert.equal(again.length, 0, 'empty');
	assert.ok(again.capacity >= 100, 'with the memory it had grown to');
	assert.notEqual(pool.acquire(), b, 'only one free buffer was kept');
});

test('a large buffer that held little is not kept, so memory shrinks back after a backfill', () => {
	const pool = new BytePool(2, 16);
	const big = pool.acquire();
	big.appendString('x'.repeat(1000));
	pool.release(big);
	const again = pool.acquire();
	assert.equal(again, big, 'a full page: kept for the next one');
	again.appendString('small');
	pool.release(again);
	assert.notEqual(pool.acquire(), big, 'a small page in a big buffer: the buffer goes');
});

test('a released batch cannot be used; its bytes go to the next batch', () => {
	const pool = new BytePool(2, 16);
	const first = new MessageBatch(pool);
	first.push(['one', 'two']);
	const view = first.data();
	first.release();
	assert.throws(() => first.data(), /after release/);
	const second = new MessageBatch(pool);
	second.push(['three']);
	assert.equal(second.data().toString(), 'three\n');
	assert.equal(view.buffer, second.data().buffer, 'same memory');
});

test('the replay window keeps copies: a batch reused after add() does not change what is replayed', () => {
	const pool = new BytePool(1, 16);
	const window = new ReplayWindow(1024);
	const batch = new MessageBatch(pool);
	batch.push(['kept-1', 'kept-2']);
	window.add(batch.data(), batch.count);
	batch.release();
	const next = new MessageBatch(pool);
	next.push(['overwritten']);
	assert.equal(Buffer.concat(window.buffers()).toString(), 'kept-1\nkept-2\n');
	assert.equal(window.messages, 2);
});
