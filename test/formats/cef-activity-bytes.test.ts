/**
 * The WebAssembly path for CEF activities (formats/cef-activity-bytes.ts,
 * formats/wasm/cef-activities.c) against the general path (JSON.parse, normalize, the CEF
 * formatter: engine/piece-format.ts's formatRecords), byte for byte: on the simulator's pages,
 * on generated records written as raw JSON text (duplicate keys, escaped keys, odd types,
 * hostile strings, every kind of client IP, random white space) and on pieces with random
 * bytes changed. Whenever the module takes a piece, JSON.parse must accept the same text as an
 * array of objects and the general path must give the same messages, counts and times.
 *
 * `npm run fuzz` runs many more cases (FUZZ_RUNS, FUZZ_SEED), as in injection-fuzz.test.ts.
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import fc from 'fast-check';
import type {ApiRecord} from '../../source/cloud/types.ts';
import type {AgentConfig} from '../../source/config/schema.ts';
import {formatRecords} from '../../source/engine/piece-format.ts';
import {createRecordFormatter, createRecordTranscoder} from '../../source/engine/record-formatter.ts';
import {createActivityBytesTranscoder} from '../../source/formats/cef-activity-bytes.ts';
import {sourceSha256} from '../../source/formats/wasm/cef-activities-wasm.ts';
import type {TimeFormat} from '../../source/formats/syslog-header.ts';
import {createSimulator} from '../../source/simulate/simulator.ts';
import {call, fakeClock} from '../simulate/helpers.ts';

const fuzzing = process.env.FUZZ_RUNS !== undefined && process.env.FUZZ_RUNS !== '';
const runs = fuzzing ? Number(process.env.FUZZ_RUNS) : 400;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (fuzzing ? Date.now() % 2_147_483_647 : 0x0C_EF_B1);
const parameters: fc.Parameters<unknown> = {numRuns: runs, seed, endOnFailure: !fuzzing};

interface Settings {
	url: string;
	timeFormat: TimeFormat;
	includePri: boolean;
	includeSystemName: boolean;
	systemName: string;
}

const defaults: Settings = {url: 'https://contoso.portal.cloudappsecurity.com', timeFormat: 'rfc5424', includePri: false, includeSystemName: false, systemName: 'host-1'};

function paths(settings: Settings) {
	const config = {name: 'test', url: settings.url, format: 'cef', cef: {timeFormat: settings.timeFormat, includePri: settings.includePri, includeSystemName: settings.includeSystemName}} as unknown as AgentConfig;
	const format = createRecordFormatter(config, 'activities', {systemName: settings.systemName, now: () => 0});
	const transcode = createRecordTranscoder(config, 'activities', {systemName: settings.systemName}, format);
	assert.ok(transcode, 'CEF activities have the bytes path');
	return {format, transcode};
}

/** Both paths over `text` (records separated by commas); the bytes path's answer or undefined. */
function compare(text: Buffer, settings: Settings, path = paths(settings), tally?: {records: number; plain: number}): 'taken' | 'declined' {
	const piece = path.transcode(text, 0, text.length);
	if (!piece) {
		return 'declined';
	}

	if (tally) {
		tally.records += piece.records;
		tally.plain += piece.plain;
	}

	// The module took the piece: JSON.parse must take it too, as an array of objects.
	let records: unknown;
	try {
		records = JSON.parse('[' + text.toString('utf8') + ']');
	} catch (error) {
		assert.fail(`the bytes path took a piece JSON.parse rejects (${(error as Error).message}): ${JSON.stringify(text.toString('latin1').slice(0, 300))}`);
	}

	assert.ok(Array.isArray(records) && records.every(record => typeof record === 'object' && record !== null && !Array.isArray(record)), 'every element is an object');
	const expected = formatRecords(records as ApiRecord[], path.format);
	assert.equal(piece.records, (records as unknown[]).length, 'records');
	// Bytes, not text: decoding both would hide bytes the module copied that a decoder replaces.
	assert.equal(Buffer.from(piece.run).toString('latin1'), Buffer.from(expected.run as string, 'utf8').toString('latin1'), 'messages');
	assert.equal(piece.count, expected.count, 'count');
	assert.equal(piece.newestTime, expected.newestTime, 'newest time');
	assert.equal(piece.newestCreated, expected.newestCreated, 'newest created');
	assert.deepEqual(piece.bad, expected.bad, 'bad records');
	assert.deepEqual(piece.failed, expected.failed, 'failed records');
	return 'taken';
}

test('the embedded module was built from the C source in the tree (node scripts/build-wasm.ts)', () => {
	const source = readFileSync(new URL('../../source/formats/wasm/cef-activities.c', import.meta.url));
	assert.equal(createHash('sha256').update(source).digest('hex'), sourceSha256, 'cef-activities.c changed: run node scripts/build-wasm.ts (needs clang and lld) and commit the generated file');
});

test('the simulator\'s pages: every record takes the bytes path and comes out as the general path makes it, in every header setting', async () => {
	const clock = fakeClock();
	const sim = await createSimulator({seed: 7, now: clock.now, historyActivities: 0, backlogActivities: 3000, liveActivitiesPerSecond: 0, throttle: 0});
	try {
		const answer = await call(sim, 'activities', {isScan: true, limit: 3000, sortField: 'created', sortDirection: 'asc'});
		assert.equal(answer.status, 200);
		const body = Buffer.from(answer.text, 'utf8');
		const start = body.indexOf('"data":[') + 8;
		const end = body.lastIndexOf(']');
		const data = body.subarray(start, end);
		for (const settings of [
			defaults,
			{...defaults, timeFormat: 'rfc3164', includePri: true, includeSystemName: true, url: 'https://contoso.portal.cloudappsecurity.com/'},
			{...defaults, timeFormat: 'rfc3164-year', includeSystemName: true, systemName: 'bad|host name=', url: 'https://a=b.example/'},
		] satisfies Settings[]) {
			const path = paths(settings);
			assert.equal(compare(data, settings, path), 'taken');
			// Every record is plain: none went through the general formatter.
			const piece = path.transcode(data, 0, data.length)!;
			assert.equal(piece.records, 3000);
			assert.equal(piece.plain, 3000);
		}
	} finally {
		await sim.close();
	}
});

// Records as raw JSON text, so keys can repeat, be spelled with escapes, and values can be
// anything JSON allows.
const ws = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n ', '  ');
const plainText = fc.string({unit: fc.integer({min: 0x20, max: 0x7E}).map(c => String.fromCharCode(c)), maxLength: 24});
/** Printable ASCII that JSON writes without escapes (no quote, no backslash), `=` and `|` included. */
const cleanText = fc.string({unit: fc.integer({min: 0x20, max: 0x7E}).filter(c => c !== 0x22 && c !== 0x5C).map(c => String.fromCharCode(c)), maxLength: 24});
const hostilePieces = ['=', '|', '\\', '"', ' ', ':', '\n', '\r', '\t', '\u0000', '\u001F', '\u007F', '\u0080', '\u0085', '\u009F', '\u00A0', 'é', 'São Paulo', '日本', '😀', '\u2028', '\u2029', '\uD800', '\uDFFF', '\uFEFF', '\u3000', ' cs1=x', '|0|'];
const hostileText = fc.array(fc.oneof(plainText, fc.constantFrom(...hostilePieces)), {maxLength: 5}).map(parts => parts.join(''));
/** Mostly values the module writes itself (printable ASCII, a little non-ASCII), often ones it leaves alone. */
const text = fc.oneof({weight: 3, arbitrary: cleanText}, {weight: 1, arbitrary: fc.tuple(cleanText, fc.constantFrom(...hostilePieces), cleanText).map(parts => parts.join(''))}, {weight: 1, arbitrary: hostileText});
/** A string as JSON, now and then with every character escaped (`\u0041`) or `/` as `\/`. */
const stringJson = (value: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(value, fc.integer({min: 0, max: 9})).map(([s, how]) => {
	if (how === 0) {
		return '"' + [...s].map(c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('') + '"';
	}

	return how === 1 ? JSON.stringify(s).replaceAll('/', '\\/') : JSON.stringify(s);
});
const numberJson = fc.oneof(
	fc.integer({min: 0, max: 4e12}).map(String),
	fc.constantFrom('0', '-0', '-1', '1.5', '1e3', '1E+2', '0.0', '253402300799999', '253402300800000', '999999999999999', '1000000000000000', '12345678901234567890', '-5e-3'),
);
const scalarJson = fc.oneof(stringJson(text), numberJson, fc.constantFrom('null', 'true', 'false'));
const anyJson: fc.Arbitrary<string> = fc.letrec<{value: string}>(tie => ({
	value: fc.oneof({depthSize: 'small', withCrossShrink: true},
		scalarJson,
		fc.array(tie('value'), {maxLength: 3}).map(values => '[' + values.join(',') + ']'),
		fc.array(fc.tuple(stringJson(text), tie('value')), {maxLength: 3}).map(entries => '{' + entries.map(([k, v]) => k + ':' + v).join(',') + '}'),
	),
})).value;
const ipText = fc.oneof(
	fc.ipV4(), fc.ipV6(), fc.ipV4Extended(),
	fc.constantFrom('', ' ', ' 10.0.0.1 ', '10.0.0.256', '01.2.3.4', '1.2.3', '1.2.3.4.5', '::', '::1', '1::', 'fe80::1%eth0', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '1::2:3:4:5:6:7:8', '::1:2:3:4:5:6:7:8', '1::2:3:4:5:6:7', 'a:b:c:d:e:f:0:1', 'ABCD::EF01', '0000::', ':1', '1:', '1:::2', '12345::', 'g::1', 'localhost', ' 2001:db8::1 '),
	hostileText,
);

type Entry = [key: string, value: string];
/** A key as JSON text: the name, now and then spelled with an escape (which is still the name). */
const key = (name: string): fc.Arbitrary<string> => fc.integer({min: 0, max: 19}).map(how => how === 0 ? '"\\u' + name.charCodeAt(0).toString(16).padStart(4, '0') + JSON.stringify(name).slice(2) : JSON.stringify(name));
const entry = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Entry> => fc.tuple(key(name), value);
/** Usually the expected type, sometimes null or anything. */
const typed = (expected: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof({weight: 8, arbitrary: expected}, {weight: 1, arbitrary: fc.constant('null')}, {weight: 1, arbitrary: anyJson});
const objectJson = (entries: fc.Arbitrary<Entry[]>): fc.Arbitrary<string> => fc.tuple(entries, ws).map(([list, space]) => '{' + space + list.map(([k, v]) => k + space + ':' + v).join(',' + space) + '}');
/** Some of the entries, shuffled, one of them now and then twice, plus other keys. */
const someOf = (entries: Array<fc.Arbitrary<Entry>>): fc.Arbitrary<Entry[]> => fc.tuple(
	fc.subarray(entries, {minLength: 0}).chain((chosen): fc.Arbitrary<Entry[]> => chosen.length === 0 ? fc.constant<Entry[]>([]) : fc.tuple(...chosen).map(list => [...list] as Entry[])),
	fc.array(fc.tuple(stringJson(plainText), anyJson), {maxLength: 2}),
	fc.integer({min: 0, max: 9}),
).chain(([list, others, twice]) => {
	const all: Entry[] = [...list, ...others];
	if (twice === 0 && list.length > 0) {
		all.push(list[0]!);
	}

	return fc.shuffledSubarray(all, {minLength: all.length, maxLength: all.length});
});

/** Any mix of the mapped fields with any values; the three a message needs are there, usually well typed. */
const recordJson: fc.Arbitrary<string> = fc.tuple(
	someOf([
		entry('created', typed(numberJson)),
		entry('description', typed(stringJson(text))),
		entry('appName', typed(stringJson(text))),
		entry('appId', typed(fc.oneof(fc.constantFrom('11161', '14509', '10489', '28375', '15600', '0'), numberJson))),
		entry('user', typed(objectJson(someOf([entry('userName', typed(stringJson(text)))])))),
		entry('device', typed(objectJson(someOf([entry('clientIP', typed(stringJson(ipText))), entry('userAgent', typed(stringJson(text)))])))),
		entry('mainInfo', typed(objectJson(someOf([
			entry('prettyOperationName', typed(stringJson(text))),
			entry('eventObjects', typed(fc.array(typed(objectJson(someOf([entry('name', typed(stringJson(text))), entry('id', anyJson)]))), {maxLength: 4}).map(items => '[' + items.join(',') + ']'))),
		])))),
		entry('policies', typed(fc.array(typed(stringJson(text)), {maxLength: 3}).map(items => '[' + items.join(',') + ']'))),
	]),
	entry('_id', typed(stringJson(text))),
	entry('timestamp', typed(numberJson)),
	entry('eventTypeName', typed(stringJson(text))),
).chain(([others, ...required]) => objectJson(fc.shuffledSubarray([...others, ...required], {minLength: others.length + 3, maxLength: others.length + 3})));

/** Records the module writes itself, mostly: printable ASCII values (with `=` and `|`), the expected types. */
const plainRecordJson: fc.Arbitrary<string> = fc.record({
	_id: cleanText.map(s => 'id-' + s),
	timestamp: fc.integer({min: 0, max: 4e12}),
	created: fc.integer({min: 0, max: 4e12}),
	eventTypeName: cleanText,
	description: cleanText,
	appName: cleanText,
	appId: fc.integer({min: 0, max: 40_000}),
	user: fc.record({userName: cleanText}),
	device: fc.record({clientIP: fc.oneof(fc.ipV4(), fc.ipV6()), userAgent: cleanText}),
	mainInfo: fc.record({prettyOperationName: fc.oneof(cleanText, fc.constant('')), eventObjects: fc.array(fc.record({name: cleanText}), {maxLength: 3})}),
	policies: fc.array(cleanText, {maxLength: 3}),
}, {requiredKeys: ['_id', 'timestamp', 'eventTypeName']}).map(record => JSON.stringify(record));

const piece = fc.tuple(fc.array(fc.oneof({weight: 2, arbitrary: recordJson}, {weight: 3, arbitrary: plainRecordJson}), {minLength: 1, maxLength: 6}), ws, ws).map(([records, before, after]) => before + records.join(after + ',' + before) + after);
const settings: fc.Arbitrary<Settings> = fc.record({
	url: fc.constantFrom('https://contoso.portal.cloudappsecurity.com', 'https://contoso.portal.cloudappsecurity.com/', 'https://x.example/a=b|c'),
	timeFormat: fc.constantFrom<TimeFormat>('rfc5424', 'rfc3164', 'rfc3164-year'),
	includePri: fc.boolean(),
	includeSystemName: fc.boolean(),
	systemName: fc.oneof(fc.constant('host-1'), hostileText),
});

test('generated records as raw JSON: the bytes path takes every valid piece and matches the general path', () => {
	const tally = {records: 0, plain: 0};
	fc.assert(fc.property(piece, settings, (text, s) => {
		assert.equal(compare(Buffer.from(text, 'utf8'), s, paths(s), tally), 'taken', 'a valid piece of objects is never declined');
	}), parameters);
	// Both paths are exercised, or the property proved little.
	assert.ok(tally.plain > tally.records / 4 && tally.plain < tally.records * 0.9, `${tally.plain} of ${tally.records} records plain`);
});

test('pieces with bytes changed: whatever the bytes path takes, JSON.parse takes too and formats the same', () => {
	let taken = 0;
	let declined = 0;
	const mutation = fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.integer({min: 0, max: 255}));
	fc.assert(fc.property(piece, fc.array(mutation, {minLength: 1, maxLength: 3}), (text, mutations) => {
		let bytes = Buffer.from(text, 'utf8');
		for (const [at, how, byte] of mutations) {
			const i = at % (bytes.length + 1);
			bytes = how === 'delete' ? Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)])
				: how === 'insert' ? Buffer.concat([bytes.subarray(0, i), Buffer.of(byte), bytes.subarray(i)])
					: Buffer.concat([bytes.subarray(0, i), Buffer.of(byte), bytes.subarray(i + 1)]);
		}

		if (compare(bytes, defaults) === 'taken') {
			taken++;
		} else {
			declined++;
		}
	}), parameters);
	// Both outcomes happen, or the property proved little.
	assert.ok(taken > 0 && declined > 0, `taken ${taken}, declined ${declined}`);
});

test('text that is not JSON is declined (JSON.parse then rejects it too), every kind of mistake', () => {
	const invalid = [
		'{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"\\u12g4"}', '{"a":"x\ny"}', '{"a":"x\u0000y"}', '{"a":"x\ty"}', '{"a":"unterminated}',
		'{"a":tru}', '{"a":nul}', '{"a":falsey}', '{"a":01}', '{"a":1.}', '{"a":-}', '{"a":.5}', '{"a":+1}', '{"a":1e}', '{"a":1e+}', '{"a":NaN}', '{"a":Infinity}',
		'{"a":1}{"b":2}', '{"a":1},', ',{"a":1}', '{"a":1},,{"b":2}', '{"a":1,}', '{,"a":1}', '{"a" 1}', '{"a":}', "{'a':1}", '{a:1}',
		'{"a":[1,]}', '{"a":[,1]}', '{"a":[1 2]}', '{"a":{"b":1}', '{"a":1}}', '{"a":true false}', '{"_id":"x","timestamp":1,"eventTypeName":"t"',
		'{"a":trux}', '{"a":nulx}', '{"a":fals3}',
		// The same mistakes inside records the module would write itself (no JSON.parse after it to catch them).
		...['"\\x"', '"\\u12g4"', 'trux', 'nulx', 'fals3', '01', '1.', '-', '[1,]', '{"b":1,}', '"a\tb"'].map(value => `{"_id":"x","timestamp":1,"eventTypeName":"t","other":${value}}`),
	];
	for (const text of invalid) {
		assert.throws(() => JSON.parse('[' + text + ']'), SyntaxError, `the case itself is not JSON: ${text}`);
		assert.equal(compare(Buffer.from(text), defaults), 'declined', text);
	}

	// JSON, but not a list of objects: the page reader's own parse decides what to do with it.
	for (const text of ['[1]', '"x"', '1', 'null', '{"a":1},[2]', '{"a":1},null', '', ' ']) {
		assert.equal(compare(Buffer.from(text), defaults), 'declined', text);
	}
});

test('edge cases, one by one: each client IP form, repeated keys, big numbers, raw UTF-8 of every kind, Unicode white space', () => {
	const base = {_id: 'id-1', timestamp: 1_700_000_000_123, created: 1_700_000_000_456, eventTypeName: 'EVENT_CATEGORY_LOGIN', description: 'Log on: user', appName: 'Office 365', appId: 11_161, user: {userName: 'a@b.c'}, device: {clientIP: '10.0.0.1', userAgent: 'ua'}, mainInfo: {prettyOperationName: 'Log on', eventObjects: [{name: 'n1'}, {name: 'n2'}]}, policies: ['p1']};
	const cases: Array<string | Buffer> = [];
	const ips = ['', ' ', '10.0.0.1', ' 10.0.0.1 ', '0.0.0.0', '255.255.255.255', '256.0.0.1', '10.0.0.01', '1.2.3', '1.2.3.4.5', '1..2.3', '::', '::1', '1::', '1::2:3:4:5:6:7', '1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:8', 'ABCD:ef01::', '1:2:3:4:5:6:7::8', '1::2:3:4:5:6:7:8', '::1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:::2', ':1', '1:', '12345::', 'g::1', '::ffff:1.2.3.4', 'fe80::1%eth0', 'a'.repeat(65), '1.2.3.4 5'];
	for (const clientIP of ips) {
		cases.push(JSON.stringify({...base, device: {clientIP, userAgent: 'ua'}}));
	}

	// Repeated keys: JSON.parse keeps the last one.
	const fields = ['_id', 'timestamp', 'created', 'eventTypeName', 'description', 'appName', 'appId', 'user', 'device', 'mainInfo', 'policies'];
	for (const field of fields) {
		const again = field === 'timestamp' || field === 'created' || field === 'appId' ? '42' : field === 'user' ? '{"userName":"other"}' : field === 'device' ? '{"clientIP":"::1"}' : field === 'mainInfo' ? '{"prettyOperationName":"Other"}' : field === 'policies' ? '["p9"]' : '"other"';
		cases.push(JSON.stringify(base).slice(0, -1) + `,"${field}":${again}}`);
	}

	cases.push('{"_id":"x","timestamp":1,"eventTypeName":"t","user":{"userName":"a","userName":"b"}}', '{"_id":"x","timestamp":1,"eventTypeName":"t","device":{"clientIP":"1.1.1.1","clientIP":"2.2.2.2"}}', '{"_id":"x","timestamp":1,"eventTypeName":"t","mainInfo":{"eventObjects":[{"name":"a","name":"b"}],"prettyOperationName":"p","prettyOperationName":"q"}}', '{"\\u005fid":"y","_id":"x","timestamp":1,"eventTypeName":"t"}');
	for (const container of ['user', 'device', 'mainInfo']) {
		cases.push(JSON.stringify(base).slice(0, -1) + `,"${container}":{}}`, JSON.stringify(base).slice(0, -1) + `,"${container}":null}`);
	}

	for (const value of ['0', '253402300799999', '253402300800000', '999999999999999', '1000000000000000', '9007199254740993', '12345678901234567890', '-1', '1.0', '1e3']) {
		cases.push(`{"_id":"x","timestamp":${value},"eventTypeName":"t"}`, `{"_id":"x","timestamp":1,"created":${value},"eventTypeName":"t"}`, `{"_id":"x","timestamp":1,"appId":${value},"eventTypeName":"t"}`);
	}

	// Raw bytes in a value: well-formed UTF-8 the module copies, and what a decoder turns into U+FFFD.
	const record = (bytes: number[]): Buffer => Buffer.concat([Buffer.from('{"_id":"x","timestamp":1,"eventTypeName":"t","appName":"a'), Buffer.from(bytes), Buffer.from('b"}')]);
	for (const bytes of [[0xC2, 0xA0], [0xC2, 0x80], [0xC2, 0x9F], [0xE2, 0x82, 0xAC], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBB, 0xBF], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x82], [0xC2], [0xF0, 0x9F, 0x98]]) {
		cases.push(record(bytes));
	}

	// The name from the description: up to its colon, trimmed as String.prototype.trim trims.
	for (const description of ['\u00A0Log on: x', '\u3000a:b', 'a\u2003:', ' \uFEFFa :', ' a = b | c : d', ':', '', '   ']) {
		cases.push(`{"_id":"x","timestamp":1,"eventTypeName":"t","description":"${description}"}`);
	}

	for (const text of cases) {
		assert.equal(compare(Buffer.isBuffer(text) ? text : Buffer.from(text), defaults), 'taken', String(text));
	}
});

test('nesting deeper than the module follows is declined, not guessed (JSON.parse then decides)', () => {
	const deep = '{"_id":"a","timestamp":1,"eventTypeName":"t","x":' + '['.repeat(80) + ']'.repeat(80) + '}';
	assert.equal(compare(Buffer.from(deep), defaults), 'declined');
	const shallow = '{"_id":"a","timestamp":1,"eventTypeName":"t","x":' + '['.repeat(40) + ']'.repeat(40) + '}';
	assert.equal(compare(Buffer.from(shallow), defaults), 'taken');
});

test('large pieces: a record of 3.5 MB among small ones is exact (and its large instance is dropped after); a piece over 4 MB goes to JSON.parse; later pieces still take the bytes path', () => {
	const path = paths(defaults);
	const big = (size: number) => JSON.stringify({_id: 'big', timestamp: 1, eventTypeName: 't', description: 'a=b|c '.repeat(size / 6), device: {clientIP: '10.0.0.1'}});
	const small = Array.from({length: 1000}, (_, n) => JSON.stringify({_id: `id-${n}`, timestamp: n, eventTypeName: 'x', description: 'é\u2028', policies: ['p1', '', 'p2']}));
	assert.equal(compare(Buffer.from([big(3_500_000), ...small].join(',')), defaults, path), 'taken');
	assert.equal(compare(Buffer.from([big(2_500_000), big(2_500_000)].join(',')), defaults, path), 'declined');
	// Many records that are not plain, each a mark: the marks and the output grow, and the next piece is as usual.
	assert.equal(compare(Buffer.from(Array.from({length: 150_000}, () => '{}').join(',')), defaults, path), 'taken');
	assert.equal(compare(Buffer.from('{"_id":"a","timestamp":1,"eventTypeName":"t"}'), defaults, path), 'taken');
});

test('settings the syslog header refuses are refused here too (CONFIG_ERROR), as the general path refuses them', () => {
	const options = {agentVersion: '1', portalUrl: defaults.url, format: () => assert.fail('not called')};
	assert.throws(() => createActivityBytesTranscoder({...options, timeFormat: 'bogus' as TimeFormat}), {code: 'CONFIG_ERROR'});
	assert.throws(() => createActivityBytesTranscoder({...options, facility: 99}), {code: 'CONFIG_ERROR'});
	const withFacility = createActivityBytesTranscoder({...options, includePri: true, facility: 4, format: record => ({line: 'x', problems: [], id: String(record._id)})});
	const record = Buffer.from('{"_id":"a","timestamp":1,"eventTypeName":"t"}');
	const piece = withFacility.transcode(record, 0, record.length)!;
	assert.match(Buffer.from(piece.run).toString(), /^<38>1970-01-01T00:00:00\.001Z CEF:0\|/);
});

test('without WebAssembly (node --jitless) CEF activities take the general path: no bytes path, no failure', () => {
	const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
	Reflect.deleteProperty(globalThis, 'WebAssembly');
	try {
		const config = {name: 'test', url: defaults.url, format: 'cef', cef: {timeFormat: 'rfc5424'}} as unknown as AgentConfig;
		const format = createRecordFormatter(config, 'activities', {systemName: 'h', now: () => 0});
		assert.equal(createRecordTranscoder(config, 'activities', {systemName: 'h'}, format), undefined);
	} finally {
		Object.defineProperty(globalThis, 'WebAssembly', saved);
	}

	assert.ok(paths(defaults).transcode);
});

test('SIEM_AGENT_NO_TRANSCODER=1 turns the bytes path off; other formats and alerts never have one', () => {
	const config = (format: string) => ({name: 'test', url: defaults.url, format, cef: {timeFormat: 'rfc5424'}, leef: {}}) as unknown as AgentConfig;
	const format = createRecordFormatter(config('cef'), 'activities', {systemName: 'h', now: () => 0});
	process.env.SIEM_AGENT_NO_TRANSCODER = '1';
	try {
		assert.equal(createRecordTranscoder(config('cef'), 'activities', {systemName: 'h'}, format), undefined);
	} finally {
		delete process.env.SIEM_AGENT_NO_TRANSCODER;
	}

	assert.equal(createRecordTranscoder(config('cef'), 'alerts', {systemName: 'h'}, format), undefined);
	assert.equal(createRecordTranscoder(config('leef'), 'activities', {systemName: 'h'}, format), undefined);
	assert.equal(createRecordTranscoder(config('json'), 'activities', {systemName: 'h'}, format), undefined);
});
