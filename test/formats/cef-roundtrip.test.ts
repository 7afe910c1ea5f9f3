/**
 * Random hostile values survive format → strict parse: every header field and extension value
 * comes back as it went in, modulo the documented changes (cef-escape.ts): CR/LF become spaces in
 * the header; tab, U+2028 and U+2029 become spaces; other C0, DEL and C1 controls are dropped;
 * lone surrogates become U+FFFD. Seeded, so every run checks the same 2000 cases.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createCefFormatter} from '../../source/formats/cef.ts';
import type {NormalizedEvent} from '../../source/formats/normalize.ts';
import {formatSyslogTime, type TimeFormat} from '../../source/formats/syslog-header.ts';
import {parseCef} from './cef-parser.ts';

/** mulberry32: a small, well-known 32-bit PRNG. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6D_2B_79_F5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const random = prng(0x5E_1A_6E);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const pieces = [
	'a', 'Z', '0', ' ', '  ', '\\', '|', '=', '\r', '\n', '\r\n', '\t', '\0', '\u0001', '\u001b', '\u007f',
	'\u0085', '\u009f', '\u00a0', 'é', '日本', '\u2028', '\u2029', '\ud800', '\udfff', '😀', '\ufeff', '"', '\'',
	' cs1=forged', '\nCEF:0|forged|x|y|z|w|10|', ' c6a1Label=', '\\=', '\\|', '\\n', '=\\', 'msg=', ' suser=root',
	'CEF:0|', '%n', '${jndi:x}', '<134>', 'admin@contoso.com',
];

function hostile(): string {
	let text = '';
	const count = Math.floor(random() * 12);
	for (let i = 0; i < count; i++) {
		text += random() < 0.15 ? String.fromCharCode(Math.floor(random() * 0x1_00_00)) : pick(pieces);
	}

	return text;
}

/** The documented transformation, written independently of cef-escape.ts. */
function expected(text: string, header: boolean): string {
	let out = text.toWellFormed();
	out = out.replaceAll(header ? /[\r\n\t\u2028\u2029]/g : /[\t\u2028\u2029]/g, ' ');
	return out.replaceAll(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
}

const timeFormats: TimeFormat[] = ['rfc5424', 'rfc3164', 'rfc3164-year'];
const stringFields = ['externalId', 'msg', 'suser', 'destinationServiceName', 'dvc', 'requestClientApplication', 'src', 'c6a1', 'cs1', 'cs2', 'cs3', 'cs4', 'cn1'] as const;

function randomEvent(): NormalizedEvent {
	const kind = random() < 0.5 ? 'activity' : 'alert';
	const event: NormalizedEvent = {
		kind,
		signatureId: hostile(),
		name: hostile(),
		severity: Math.floor(random() * 11),
		syslogSeverity: Math.floor(random() * 8),
		externalId: '',
		time: random() < 0.1 ? undefined : Math.floor(random() * 4e12),
		msg: '',
		suser: '',
		destinationServiceName: '',
		dvc: '',
		requestClientApplication: '',
		src: '',
		c6a1: '',
		cs1: '',
		cs2: '',
		cs3: '',
		cs4: '',
		cn1: '',
		problems: [],
	};
	for (const field of stringFields) {
		event[field] = random() < 0.2 ? '' : hostile();
	}

	return event;
}

function expectedExtension(event: NormalizedEvent): Array<[string, string]> {
	const t = event.time === undefined ? '' : String(event.time);
	const v = (value: string) => expected(value, false);
	if (event.kind === 'activity') {
		return [
			['externalId', v(event.externalId)], ['rt', t], ['start', t], ['end', t], ['msg', v(event.msg)],
			['suser', v(event.suser)], ['destinationServiceName', v(event.destinationServiceName)], ['dvc', v(event.dvc)],
			['requestClientApplication', v(event.requestClientApplication)], ['cs1Label', 'portalURL'], ['cs1', v(event.cs1)],
			['cs2Label', 'uniqueServiceAppIds'], ['cs2', v(event.cs2)], ['cs3Label', 'targetObjects'], ['cs3', v(event.cs3)],
			['cs4Label', 'policyIDs'], ['cs4', v(event.cs4)], ['c6a1Label', '"Device IPv6 Address"'], ['c6a1', v(event.c6a1)],
		];
	}

	const fields: Array<[string, string]> = [
		['externalId', v(event.externalId)], ['start', t], ['end', t], ['msg', v(event.msg)], ['suser', v(event.suser)],
		['destinationServiceName', v(event.destinationServiceName)], ['cn1Label', 'riskScore'], ['cn1', v(event.cn1)],
		['cs1Label', 'portalURL'], ['cs1', v(event.cs1)], ['cs2Label', 'uniqueServiceAppIds'], ['cs2', v(event.cs2)],
		['cs3Label', 'relatedAudits'], ['cs3', v(event.cs3)], ['cs4Label', 'policyIDs'], ['cs4', v(event.cs4)],
	];
	if (event.src !== '') {
		fields.push(['src', v(event.src)]);
	}

	if (event.c6a1 !== '') {
		fields.push(['c6a1Label', '"Device IPv6 Address"'], ['c6a1', v(event.c6a1)]);
	}

	return fields;
}

test('2000 random hostile events round-trip through format and a strict parser', () => {
	for (let n = 0; n < 2000; n++) {
		const timeFormat = pick(timeFormats);
		const includePri = random() < 0.5;
		const includeSystemName = random() < 0.5;
		// Hostile too, but without `CEF:`, which the test parser uses to find the header.
		const systemName = hostile().replaceAll('CEF:', '');
		const agentVersion = hostile();
		const now = Math.floor(random() * 4e12);
		const format = createCefFormatter({agentVersion, timeFormat, includePri, includeSystemName, systemName, now: () => now});
		const event = randomEvent();
		const line = format(event);
		const context = 'case ' + n + ': ' + JSON.stringify(line);

		assert.doesNotMatch(line, /[\r\n\u2028\u2029]/, context);
		assert.ok(line.isWellFormed(), context);
		const parsed = parseCef(line);
		const pri = includePri ? '<' + String(128 + event.syslogSeverity) + '>' : '';
		const host = includeSystemName ? ' ' + (systemName.replaceAll(/[^\u0021-\u007b\u007d\u007e]/g, '_') || '-') : '';
		assert.equal(parsed.prefix, pri + formatSyslogTime(event.time ?? now, timeFormat) + host + ' ', context);
		assert.deepEqual(
			[parsed.version, parsed.vendor, parsed.product, parsed.deviceVersion, parsed.signatureId, parsed.name, parsed.severity],
			['0', 'MCAS', 'SIEM_Agent', expected(agentVersion, true), expected(event.signatureId, true), expected(event.name, true), String(event.severity)],
			context,
		);
		assert.deepEqual([...parsed.extension], expectedExtension(event), context);
	}
});
