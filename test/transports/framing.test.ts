import assert from 'node:assert/strict';
import {test} from 'node:test';
import {MessageBatch} from '../../source/transports/batch.ts';
import {Deframer, frameBatch, frameLf, frameOctetCounting, stripLineBreaks, utf8Boundary} from '../../source/transports/framing.ts';

const samples = [
	'<14>1 2017-11-22T17:50:04.000Z host CEF:0|MCAS|SIEM_Agent|0.111.85|EVENT_CATEGORY_LOGOUT|Log out|0|msg=Log out',
	'2017-11-22T17:50:04.000Z CEF:0|MCAS|SIEM_Agent|1|X|Y|0|suser=josé@contoso.com msg=日本語のテキスト 🚀',
	'123',
	'42',
	'Jan 02 16:38:38 plain',
];

test('frameLf appends LF and never lets a raw line break through', () => {
	assert.equal(frameLf('abc'), 'abc\n');
	assert.equal(frameLf('a\nb\r\nc\r'), 'a b  c \n');
	assert.equal(stripLineBreaks('clean'), 'clean');
});

test('frameOctetCounting counts UTF-8 bytes, not characters', () => {
	assert.equal(frameOctetCounting('abc'), '3 abc');
	assert.equal(frameOctetCounting('é'), '2 é');
	assert.equal(frameOctetCounting('🚀'), '4 🚀');
	assert.equal(frameOctetCounting(''), '0 ');
	assert.equal(frameOctetCounting('a\nb'), '3 a b');
});

test('frameBatch builds one buffer equal to the framed messages, with message end offsets', () => {
	for (const framing of ['lf', 'octet-counting'] as const) {
		const frame = framing === 'lf' ? frameLf : frameOctetCounting;
		for (const input of [samples, MessageBatch.of(samples)]) {
			const {data, count, ends} = frameBatch(input, framing);
			assert.equal(data.toString('utf8'), samples.map(frame).join(''));
			assert.equal(count, samples.length);
			// LF framing: every LF ends a message, so no offsets are needed.
			const offsets = ends ?? [...data.entries()].filter(([, byte]) => byte === 0x0a).map(([index]) => index + 1);
			assert.equal(offsets.length, samples.length);
			let start = 0;
			for (const [i, end] of offsets.entries()) {
				assert.equal(data.toString('utf8', start, end), frame(samples[i]));
				start = end;
			}
			assert.equal(start, data.length);
		}
	}
});

test('a MessageBatch keeps order across runs, and a line break inside a message becomes a space', () => {
	const batch = new MessageBatch();
	batch.push(['a', 'b\nc', 'd\r']);
	batch.push([]);
	batch.push(['e', '', 'f']);
	assert.equal(batch.count, 6);
	assert.deepEqual(batch.messages(), ['a', 'b c', 'd ', 'e', '', 'f']);
	assert.equal(batch.messages(), batch.messages(), 'the same array each time: a retried RELP batch is recognised');
	assert.equal(frameBatch(batch, 'lf').data.toString(), 'a\nb c\nd \ne\n\nf\n');
	assert.equal(frameBatch(batch, 'octet-counting').data.toString(), '1 a3 b c2 d 1 e0 1 f');
});

function deframeAll(chunks: Uint8Array[], end = false): string[] {
	const deframer = new Deframer();
	const out = chunks.flatMap(chunk => deframer.push(chunk));
	return end ? [...out, ...deframer.end()] : out;
}

test('deframer round-trips both framings with the stream split at every position', () => {
	for (const framing of ['lf', 'octet-counting'] as const) {
		const {data} = frameBatch(samples, framing);
		assert.deepEqual(deframeAll([data]), samples, `${framing}, one chunk`);
		for (let cut = 0; cut <= data.length; cut++) {
			assert.deepEqual(deframeAll([data.subarray(0, cut), data.subarray(cut)]), samples, `${framing}, cut at ${cut}`);
		}
	}
});

test('deframer copes with one byte at a time and with mixed framings in one stream', () => {
	const mixed = Buffer.concat([frameBatch(samples.slice(0, 2), 'lf').data, frameBatch(samples, 'octet-counting').data, frameBatch(samples.slice(2), 'lf').data]);
	const expected = [...samples.slice(0, 2), ...samples, ...samples.slice(2)];
	const bytes = [...mixed].map(byte => Uint8Array.of(byte));
	assert.deepEqual(deframeAll(bytes), expected);
	for (let cut = 0; cut <= mixed.length; cut += 7) {
		assert.deepEqual(deframeAll([mixed.subarray(0, cut), mixed.subarray(cut, cut + 3), mixed.subarray(cut + 3)]), expected);
	}
});

test('deframer: CRLF, empty lines, a last line without LF, and digits that are not a count', () => {
	assert.deepEqual(deframeAll([Buffer.from('a\r\n\n\r\nb\n')]), ['a', 'b']);
	assert.deepEqual(deframeAll([Buffer.from('a\nlast')]), ['a']);
	assert.deepEqual(deframeAll([Buffer.from('a\nlast')], true), ['a', 'last']);
	assert.deepEqual(deframeAll([Buffer.from('2017-11-22T17:50:04.000Z x\n12345\n')]), ['2017-11-22T17:50:04.000Z x', '12345']);
	assert.deepEqual(deframeAll([Buffer.from('0 3 abc')]), ['', 'abc']);
	// The one ambiguity of RFC 6587 auto-detection: an LF-framed line starting "<digits> ".
	assert.deepEqual(deframeAll([Buffer.from('5 abcdefg\n')]), ['abcde', 'fg']);
});

test('deframer does not hold a chunk the caller may reuse', () => {
	const deframer = new Deframer();
	const chunk = Buffer.from('partial');
	assert.deepEqual(deframer.push(chunk), []);
	chunk.fill(0x78);
	assert.deepEqual(deframer.push(Buffer.from(' line\n')), ['partial line']);
});

test('deframer emits an over-long line in pieces rather than buffering it without bound', () => {
	const deframer = new Deframer({maxFrameBytes: 10});
	const out = [...deframer.push(Buffer.from('ééééééé')), ...deframer.push(Buffer.from('é\n'))];
	// 10 bytes hold 5 two-byte characters; never half of one.
	assert.deepEqual(out, ['ééééé', 'ééé']);
	assert.equal(deframer.pendingBytes, 0);
});

test('utf8Boundary never cuts inside a character', () => {
	const bytes = Buffer.from('a€🚀');
	assert.equal(utf8Boundary(bytes, 1), 1);
	assert.equal(utf8Boundary(bytes, 2), 1);
	assert.equal(utf8Boundary(bytes, 3), 1);
	assert.equal(utf8Boundary(bytes, 4), 4);
	assert.equal(utf8Boundary(bytes, 7), 4);
	assert.equal(utf8Boundary(bytes, 8), 8);
	assert.equal(utf8Boundary(bytes, 100), 8);
});
