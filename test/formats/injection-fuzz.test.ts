/**
 * Injection-proof output, property-based (fast-check): events and API records whose strings
 * hold every class of hostile content — each format's delimiters, backslashes, CR/LF, NUL and
 * other C0/C1 controls, lone surrogates, very long values, forged `CEF:`/`LEEF:`/syslog headers,
 * `key=` sequences, tabs — become, in every format, exactly one message (no raw CR, LF or NUL)
 * that an independent strict parser reads back to exactly the original values, modulo the
 * documented changes (docs/formats.md; expected-fields.ts).
 *
 * `npm test` runs a fixed seed and a few hundred cases per property; `npm run fuzz` runs many
 * more: FUZZ_RUNS (default 20000 in `npm run fuzz`) and FUZZ_SEED (default: random, printed
 * on failure with the path to replay it).
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import type {ApiRecord, DataType} from '../../source/cloud/types.ts';
import {createCefFormatter, createCefRecordFormatter} from '../../source/formats/cef.ts';
import {createJsonFormatter, createJsonRecordFormatter} from '../../source/formats/json.ts';
import {createLeefFormatter, createLeefRecordFormatter} from '../../source/formats/leef.ts';
import {alertSeverities, normalizeRecord, type NormalizedEvent} from '../../source/formats/normalize.ts';
import {formatSyslogTime, type TimeFormat} from '../../source/formats/syslog-header.ts';
import {parseCef} from './cef-parser.ts';
import {expectedCefExtension, expectedJsonEvent, expectedLeefAttributes, expectedSyslogPrefix, headerText} from './expected-fields.ts';
import {parse5424} from './json-5424-parser.ts';
import {parseLeef} from './leef-parser.ts';

const fuzzing = process.env.FUZZ_RUNS !== undefined && process.env.FUZZ_RUNS !== '';
const runs = fuzzing ? Number(process.env.FUZZ_RUNS) : 500;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (fuzzing ? Date.now() % 2_147_483_647 : 0x5E_1A_6E);
const parameters: fc.Parameters<unknown> = {numRuns: runs, seed, endOnFailure: !fuzzing};

const pieces = [
	'\\', '\\\\', '|', '\\|', '=', '\\=', ' =', '^', '~', '\t', '\r', '\n', '\r\n', '\n\r', '\0', '\u0001', '\u0007', '\u001B[31m',
	'\u007F', '\u0080', '\u0085', '\u009B', '\u009F', '\u00A0', '\u2028', '\u2029', '\uFEFF', '\uFFFD', '\uD800', '\uDBFF', '\uDC00', '\uDFFF',
	'😀', 'é', '日本', '"', '\'', '{', '}', '[', ']', ',', ':', '\\u0000', '\\n', '#011', 'x09', '0x5E',
	' cs1=forged', ' suser=root', ' msg=', 'externalId=evil', '\tsev=10', '\tusrName=root', '^usrName=root', '|src=6.6.6.6', '=\\',
	'CEF:0|MCAS|SIEM_Agent|0.1|FORGED|Forged|10|src=6.6.6.6', 'LEEF:2.0|Microsoft|Defender for Cloud Apps|0.1|FORGED|x09|sev=10',
	'LEEF:1.0|x|y|z|w|', '\n<13>1 2020-01-01T00:00:00.000Z forged siem-agent - alert - {"type":"alert"}', '<134>Jan 02 16:38:38 host ',
	'"},"record":{"forged":true}}', '${jndi:ldap://x}', '%n%s', 'admin@contoso.com', '13.82.149.151', '2001:db8::1',
];

const codeUnit = fc.integer({min: 0, max: 0xFF_FF}).map(c => String.fromCharCode(c));
const control = fc.integer({min: 0, max: 0x9F}).filter(c => c < 0x20 || c >= 0x7F).map(c => String.fromCharCode(c));
const piece = fc.oneof(
	{weight: 6, arbitrary: fc.constantFrom(...pieces)},
	{weight: 2, arbitrary: codeUnit},
	{weight: 2, arbitrary: control},
	{weight: 2, arbitrary: fc.string({unit: 'binary', maxLength: 8})},
	{weight: 2, arbitrary: fc.string({maxLength: 8})},
);
const shortHostile = fc.array(piece, {maxLength: 10}).map(parts => parts.join(''));
/** Mostly short; now and then a very long value (tens of KB). */
const hostile = fc.oneof(
	{weight: 30, arbitrary: shortHostile},
	{weight: 1, arbitrary: fc.tuple(shortHostile, fc.integer({min: 500, max: 4000})).map(([text, n]) => (text || 'x\r\n|=\\').repeat(n).slice(0, 60_000))},
);
const maybeHostile = fc.oneof({weight: 1, arbitrary: fc.constant('')}, {weight: 4, arbitrary: hostile});
const time = fc.oneof({weight: 1, arbitrary: fc.constant(undefined)}, {weight: 8, arbitrary: fc.integer({min: 0, max: 4e12})}, {weight: 1, arbitrary: fc.integer({min: -1e13, max: 3e14})});

const eventArbitrary: fc.Arbitrary<NormalizedEvent> = fc.record({
	kind: fc.constantFrom('activity', 'alert'),
	signatureId: hostile,
	name: hostile,
	severity: fc.integer({min: 0, max: 10}),
	syslogSeverity: fc.integer({min: 0, max: 7}),
	alertSeverity: fc.option(fc.constantFrom(...alertSeverities), {nil: undefined}),
	externalId: maybeHostile,
	time,
	msg: maybeHostile,
	suser: maybeHostile,
	destinationServiceName: maybeHostile,
	dvc: maybeHostile,
	requestClientApplication: maybeHostile,
	src: maybeHostile,
	c6a1: maybeHostile,
	cs1: maybeHostile,
	cs2: maybeHostile,
	cs3: maybeHostile,
	cs4: maybeHostile,
	cn1: fc.oneof(maybeHostile, fc.double().map(String)),
	problems: fc.constant([]),
});

const headerOptions = fc.record({
	timeFormat: fc.constantFrom<TimeFormat>('rfc5424', 'rfc3164', 'rfc3164-year'),
	includePri: fc.boolean(),
	includeSystemName: fc.boolean(),
	// Hostile too, but without `CEF:`, which the test's CEF parser uses to find the header.
	systemName: hostile.map(text => text.replaceAll('CEF:', '')),
	agentVersion: hostile,
	now: fc.integer({min: 0, max: 4e12}),
	delimiter: fc.constantFrom('\t', '\t', '^', '|', '~', '#', 'x5E', '0x7C'),
});

function assertOneMessage(line: string): void {
	assert.doesNotMatch(line, /[\r\n\0\u2028\u2029]/, 'raw line break or NUL');
	assert.ok(line.isWellFormed(), 'lone surrogate');
}

test('CEF: hostile events become one message that parses back to the documented values', () => {
	fc.assert(fc.property(eventArbitrary, headerOptions, (event, o) => {
		const line = createCefFormatter({...o, now: () => o.now})(event);
		assertOneMessage(line);
		const parsed = parseCef(line);
		assert.equal(parsed.prefix, expectedSyslogPrefix(event, o));
		assert.deepEqual(
			[parsed.version, parsed.vendor, parsed.product, parsed.deviceVersion, parsed.signatureId, parsed.name, parsed.severity],
			['0', 'MCAS', 'SIEM_Agent', headerText(o.agentVersion), headerText(event.signatureId), headerText(event.name), String(event.severity)],
		);
		assert.deepEqual([...parsed.extension], expectedCefExtension(event));
	}), parameters);
});

test('LEEF: hostile events become one message that parses back to the documented values', () => {
	fc.assert(fc.property(eventArbitrary, headerOptions, (event, o) => {
		const line = createLeefFormatter({...o, now: () => o.now})(event);
		assertOneMessage(line);
		const parsed = parseLeef(line);
		const delimiter = o.delimiter.startsWith('0x') || o.delimiter.startsWith('x') ? String.fromCharCode(Number.parseInt(o.delimiter.slice(-2), 16)) : o.delimiter;
		assert.equal(parsed.prefix, expectedSyslogPrefix(event, o));
		assert.deepEqual(
			[parsed.vendor, parsed.product, parsed.productVersion, parsed.eventId, parsed.delimiter],
			['Microsoft', 'Defender for Cloud Apps', headerText(o.agentVersion), headerText(event.signatureId), delimiter],
		);
		assert.deepEqual([...parsed.attributes], expectedLeefAttributes(event, delimiter));
	}), parameters);
});

test('JSON: hostile events become one RFC 5424 message whose JSON holds exactly the values', () => {
	fc.assert(fc.property(eventArbitrary, headerOptions, (event, o) => {
		const line = createJsonFormatter({...o, now: () => o.now})(event, {description: event.msg});
		assertOneMessage(line);
		const parsed = parse5424(line);
		assert.equal(parsed.pri, 128 + event.syslogSeverity);
		assert.equal(parsed.timestamp, formatSyslogTime(event.time ?? o.now, 'rfc5424'));
		assert.equal(parsed.hostname, o.includeSystemName ? (o.systemName.replaceAll(/[^\u0021-\u007B\u007D\u007E]/g, '_') || '-').slice(0, 255) : '-');
		assert.deepEqual([parsed.appName, parsed.procId, parsed.msgId], ['siem-agent', '-', event.kind]);
		assert.deepEqual(parsed.json, {type: event.kind, event: expectedJsonEvent(event), record: {description: event.msg}});
	}), parameters);
});

// API records: the same hostile text in every field the normalizer reads, plus hostile extra
// keys and values that only the JSON format carries.
const ip = fc.oneof(fc.ipV4(), fc.ipV6(), hostile);
const jsonExtra = fc.dictionary(hostile, fc.oneof(hostile, fc.integer(), fc.boolean(), fc.constant(null), fc.array(hostile, {maxLength: 3})), {maxKeys: 4, noNullPrototype: true});

const activityRecord: fc.Arbitrary<ApiRecord> = fc.record({
	_id: hostile,
	timestamp: fc.integer({min: 0, max: 4e12}),
	created: fc.integer({min: 0, max: 4e12}),
	eventTypeName: hostile,
	description: hostile,
	appName: hostile,
	appId: fc.oneof(fc.constantFrom(11_161, 14_509, 15_600), fc.integer({min: 1, max: 1e6})),
	user: fc.record({userName: hostile}, {noNullPrototype: true}),
	device: fc.record({clientIP: ip, userAgent: hostile}, {noNullPrototype: true}),
	mainInfo: fc.record({prettyOperationName: hostile, eventObjects: fc.array(fc.record({name: hostile, id: hostile}, {noNullPrototype: true}), {maxLength: 4})}, {noNullPrototype: true}),
	policies: fc.array(hostile, {maxLength: 3}),
	extra: jsonExtra,
}, {requiredKeys: ['_id', 'timestamp'], noNullPrototype: true});

const alertRecord: fc.Arbitrary<ApiRecord> = fc.record({
	_id: hostile,
	timestamp: fc.integer({min: 0, max: 4e12}),
	alertType: hostile,
	title: hostile,
	description: hostile,
	URL: hostile,
	audits: fc.array(hostile, {maxLength: 3}),
	threatScore: fc.integer({min: 0, max: 100}),
	severityValue: fc.integer({min: 0, max: 3}),
	entities: fc.array(fc.oneof(
		fc.record({type: fc.constant('account'), pa: hostile, id: hostile}, {noNullPrototype: true}),
		fc.record({type: fc.constant('service'), id: fc.integer({min: 1, max: 1e6}), label: hostile}, {noNullPrototype: true}),
		fc.record({type: fc.constant('policyRule'), id: hostile, label: hostile}, {noNullPrototype: true}),
		fc.record({type: fc.constant('ip'), id: ip}, {noNullPrototype: true}),
	), {maxLength: 6}),
	extra: jsonExtra,
}, {requiredKeys: ['_id', 'timestamp'], noNullPrototype: true});

const recordCase = fc.oneof(
	fc.record({dataType: fc.constant<DataType>('activities'), record: activityRecord}),
	fc.record({dataType: fc.constant<DataType>('alerts'), record: alertRecord}),
);

test('hostile API records: every format parses back; JSON carries the record exactly', () => {
	const portalUrl = 'https://contoso.portal.cloudappsecurity.com';
	const base = {portalUrl, agentVersion: '0.1.0', timeFormat: 'rfc5424' as const, includePri: true, includeSystemName: true, systemName: 'agent-host', now: () => 0};
	fc.assert(fc.property(recordCase, headerOptions, ({dataType, record}, o) => {
		const event = normalizeRecord(dataType, record, {portalUrl});
		const cef = createCefRecordFormatter({...base, dataType})(record).message;
		const leef = createLeefRecordFormatter({...base, dataType, delimiter: o.delimiter})(record).message;
		const json = createJsonRecordFormatter({...base, dataType})(record).message;
		for (const line of [cef, leef, json]) {
			assertOneMessage(line);
		}

		assert.deepEqual([...parseCef(cef).extension], expectedCefExtension(event));
		const parsedLeef = parseLeef(leef);
		assert.deepEqual([...parsedLeef.attributes], expectedLeefAttributes(event, parsedLeef.delimiter));
		const parsedJson = parse5424(json);
		assert.deepEqual(parsedJson.json, {type: event.kind, event: expectedJsonEvent(event), record});
	}), parameters);
});

test('a CEF formatter that has seen other records formats each one exactly as a fresh one does', () => {
	// The CEF formatter skips per-value escaping for clean events and reuses the escaped link
	// prefix across records; nothing may leak from one record into the next, whatever they hold.
	const base = {agentVersion: '0.1.0', timeFormat: 'rfc5424' as const, includePri: false, includeSystemName: false, systemName: 'h', now: () => 0};
	fc.assert(fc.property(fc.array(recordCase, {minLength: 2, maxLength: 8}), fc.constantFrom('https://contoso.portal.cloudappsecurity.com', 'https://a(b=c.example/', 'https://x.example/p=q('), (cases, portalUrl) => {
		const shared = {
			activities: createCefRecordFormatter({...base, portalUrl, dataType: 'activities'}),
			alerts: createCefRecordFormatter({...base, portalUrl, dataType: 'alerts'}),
		};
		for (const {dataType, record} of cases) {
			const fresh = createCefRecordFormatter({...base, portalUrl, dataType})(record).message;
			assert.equal(shared[dataType](record).message, fresh);
			const event = normalizeRecord(dataType, record, {portalUrl});
			assert.deepEqual([...parseCef(fresh).extension], expectedCefExtension(event));
		}
	}), parameters);
});
