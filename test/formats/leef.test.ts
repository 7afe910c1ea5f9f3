import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createLeefFormatter, createLeefRecordFormatter, leefSeverity} from '../../source/formats/leef.ts';
import {escapeLeefValue, parseLeefDelimiter} from '../../source/formats/leef-escape.ts';
import {normalizeActivity, normalizeAlert, type NormalizedEvent} from '../../source/formats/normalize.ts';
import {parseLeef} from './leef-parser.ts';
import {samplePortalUrl, sampleActivities, sampleAlerts} from './sample-records.ts';

const ctx = {portalUrl: samplePortalUrl};
const activity = normalizeActivity(sampleActivities[0], ctx);
const alert = normalizeAlert(sampleAlerts[0], ctx);

const activityAttributes = [
	'devTime=2017-11-22 17:50:04.000 +0000',
	'devTimeFormat=yyyy-MM-dd HH:mm:ss.SSS Z',
	'sev=1',
	'cat=Log out',
	'usrName=admin@contoso.com',
	'src=13.82.149.151',
	'externalId=1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0',
	'description=Log out',
	'app=ServiceNow',
	'resource=admin@contoso.com,admin@contoso.com,admin@contoso.com',
	'uniqueServiceAppIds=APPID_SERVICENOW',
	'portalURL=https://contoso.portal.cloudappsecurity.com/#/audits?activity.id=eq(1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0,)',
];

test('activity: syslog header, LEEF 2.0 header naming the tab delimiter, tab-separated attributes', () => {
	const line = createLeefFormatter({agentVersion: '2.0.0'})(activity);
	assert.equal(line, '2017-11-22T17:50:04.000Z LEEF:2.0|Microsoft|Defender for Cloud Apps|2.0.0|EVENT_CATEGORY_LOGOUT|x09|' + activityAttributes.join('\t'));
});

test('alert: severity, related audits, policy ids; PRI and system name as for CEF', () => {
	const line = createLeefFormatter({agentVersion: '0.1.0', includePri: true, includeSystemName: true, systemName: 'agent-01', timeFormat: 'rfc3164'})(alert);
	assert.equal(line, '<133>Jul 15 20:42:30 agent-01 LEEF:2.0|Microsoft|Defender for Cloud Apps|0.1.0|ALERT_CABINET_EVENT_MATCH_AUDIT|x09|' + [
		'devTime=2017-07-15 20:42:30.531 +0000',
		'devTimeFormat=yyyy-MM-dd HH:mm:ss.SSS Z',
		'sev=3',
		'cat=myPolicy',
		'alertSeverity=low',
		'usrName=admin@box-contoso.com',
		'externalId=596a7e360c204203a335a3fb',
		'description=Activity policy \'\'myPolicy\'\' was triggered by \'\'admin@box-contoso.com\'\'',
		'app=Box',
		'relatedAudits=1500151288183_acc891bf-33e1-424b-a021-0d4370789660',
		'policy=59f0ab82f797fa0681e9b1c7',
		'uniqueServiceAppIds=APPID_BOX',
		'portalURL=https://cloud-app-security.com/#/alerts/596a7e360c204203a335a3fb',
	].join('\t'));
});

test('a custom delimiter is named in the header and replaces tab between attributes', () => {
	const line = createLeefFormatter({agentVersion: '1', delimiter: '^'})(activity);
	assert.ok(line.includes('|EVENT_CATEGORY_LOGOUT|^|' + activityAttributes.join('^')), line);
	const pipe = createLeefFormatter({agentVersion: '1', delimiter: 'x7c'})(activity);
	assert.ok(pipe.includes('|EVENT_CATEGORY_LOGOUT|x7C|devTime='), pipe);
	assert.equal(parseLeef(pipe).attributes.get('cat'), 'Log out');
});

test('delimiter settings: tab spellings, hex, and characters that cannot separate attributes', () => {
	for (const tab of [undefined, '\t', 'tab', '\\t', 'x09', '0x09']) {
		assert.deepEqual(parseLeefDelimiter(tab), {char: '\t', field: 'x09'});
	}

	assert.deepEqual(parseLeefDelimiter('^'), {char: '^', field: '^'});
	assert.deepEqual(parseLeefDelimiter('0x5E'), {char: '^', field: '^'});
	assert.deepEqual(parseLeefDelimiter('|'), {char: '|', field: 'x7C'});
	for (const bad of ['', ' ', 'a', '7', '=', '\\', '^^', '\n', '\u0000', 'é', 'x20', 'x3d']) {
		assert.throws(() => parseLeefDelimiter(bad), {code: 'CONFIG_ERROR'}, JSON.stringify(bad));
	}

	assert.throws(() => createLeefFormatter({agentVersion: '1', delimiter: '='}), {code: 'CONFIG_ERROR'});
});

test('values are verbatim except the delimiter, line breaks and controls', () => {
	assert.equal(escapeLeefValue('CONTOSO\\alice a=b |x|', 9), 'CONTOSO\\alice a=b |x|');
	assert.equal(escapeLeefValue('a\tusrName=root\r\nb\u2028c', 9), 'a usrName=root  b c');
	assert.equal(escapeLeefValue('x^sev=10', 0x5E), 'x sev=10');
	assert.equal(escapeLeefValue('\u0000a\u0007\u001B[31m\u007F\u0085b', 9), 'a[31mb');
	assert.equal(escapeLeefValue('\uD800x\uDFFF😀', 9), '\uFFFDx\uFFFD😀');
	const clean = 'nothing to change';
	assert.equal(escapeLeefValue(clean, 9), clean);
});

test('hostile text cannot add attributes or break the header', () => {
	const event: NormalizedEvent = {
		...activity,
		signatureId: 'X|FORGED|x09|sev=10',
		name: 'n\tsev=10',
		suser: 'root\tusrName=admin',
		msg: 'line one\nLEEF:2.0|Microsoft|Defender for Cloud Apps|1|FORGED|x09|sev=10',
	};
	const parsed = parseLeef(createLeefFormatter({agentVersion: 'v|1\\'})(event));
	assert.equal(parsed.productVersion, 'v|1\\');
	assert.equal(parsed.eventId, 'X|FORGED|x09|sev=10');
	assert.equal(parsed.attributes.get('sev'), '1');
	assert.equal(parsed.attributes.get('cat'), 'n sev=10');
	assert.equal(parsed.attributes.get('usrName'), 'root usrName=admin');
	assert.equal(parsed.attributes.get('description'), 'line one LEEF:2.0|Microsoft|Defender for Cloud Apps|1|FORGED|x09|sev=10');
});

test('an event without a time has no devTime; the header time comes from the clock', () => {
	const line = createLeefFormatter({agentVersion: '1', now: () => Date.UTC(2025, 5, 1, 12, 0, 0, 7)})({...activity, time: undefined});
	assert.ok(line.startsWith('2025-06-01T12:00:00.007Z LEEF:2.0|'), line);
	assert.ok(line.includes('|x09|sev=1\tcat=Log out\t'), line);
	assert.equal(parseLeef(line).attributes.has('devTime'), false);
});

test('devTime keeps the milliseconds across the per-second cache', () => {
	const format = createLeefFormatter({agentVersion: '1'});
	const base = Date.UTC(2024, 1, 29, 23, 59, 59, 0);
	assert.equal(parseLeef(format({...activity, time: base + 5})).attributes.get('devTime'), '2024-02-29 23:59:59.005 +0000');
	assert.equal(parseLeef(format({...activity, time: base + 999})).attributes.get('devTime'), '2024-02-29 23:59:59.999 +0000');
	assert.equal(parseLeef(format({...activity, time: base + 1000})).attributes.get('devTime'), '2024-03-01 00:00:00.000 +0000');
	assert.equal(parseLeef(format({...activity, time: -5})).attributes.get('devTime'), '1970-01-01 00:00:00.000 +0000');
});

test('sev: activities 1, alerts by severity', () => {
	assert.deepEqual(
		[leefSeverity('activity'), leefSeverity('alert', 'informational'), leefSeverity('alert', 'low'), leefSeverity('alert', 'medium'), leefSeverity('alert', 'high'), leefSeverity('alert')],
		[1, 2, 3, 6, 9, 5],
	);
});

test('alert IPs: IPv4 in src, IPv6 in srcIPv6; an IPv6 alone goes to src', () => {
	const format = createLeefFormatter({agentVersion: '1'});
	const both = parseLeef(format({...alert, src: '10.0.0.1', c6a1: '2001:db8::1'})).attributes;
	assert.deepEqual([both.get('src'), both.get('srcIPv6')], ['10.0.0.1', '2001:db8::1']);
	const v6 = parseLeef(format({...alert, c6a1: '2001:db8::1'})).attributes;
	assert.deepEqual([v6.get('src'), v6.has('srcIPv6')], ['2001:db8::1', false]);
	const activityV6 = parseLeef(format({...activity, dvc: '', c6a1: '2001:db8::2'})).attributes;
	assert.equal(activityV6.get('src'), '2001:db8::2');
});

test('record formatter: normalizes and formats', () => {
	const format = createLeefRecordFormatter({dataType: 'alerts', portalUrl: samplePortalUrl, agentVersion: '1'});
	const {message, event} = format(sampleAlerts[0]);
	assert.equal(event.externalId, '596a7e360c204203a335a3fb');
	assert.equal(parseLeef(message).attributes.get('externalId'), '596a7e360c204203a335a3fb');
});
