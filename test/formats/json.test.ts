import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createJsonFormatter, createJsonRecordFormatter, escapeJsonText} from '../../source/formats/json.ts';
import {normalizeAlert} from '../../source/formats/normalize.ts';
import {parse5424} from './json-5424-parser.ts';
import {samplePortalUrl, sampleActivities, sampleAlerts} from './sample-records.ts';

const ctx = {portalUrl: samplePortalUrl};

test('alert: RFC 5424 header, then the normalized event and the record as they came', () => {
	const format = createJsonRecordFormatter({dataType: 'alerts', ...ctx});
	const {message} = format(sampleAlerts[0]);
	const head = '<133>1 2017-07-15T20:42:30.531Z - siem-agent - alert - ';
	assert.ok(message.startsWith(head), message);
	assert.equal(message, head + JSON.stringify({
		type: 'alert',
		event: {
			signatureId: 'ALERT_CABINET_EVENT_MATCH_AUDIT',
			name: 'myPolicy',
			severity: 3,
			alertSeverity: 'low',
			externalId: '596a7e360c204203a335a3fb',
			rt: 1_500_151_350_531,
			msg: 'Activity policy \'\'myPolicy\'\' was triggered by \'\'admin@box-contoso.com\'\'',
			suser: 'admin@box-contoso.com',
			destinationServiceName: 'Box',
			src: '',
			deviceIPv6Address: '',
			riskScore: null,
			portalURL: 'https://cloud-app-security.com/#/alerts/596a7e360c204203a335a3fb',
			uniqueServiceAppIds: 'APPID_BOX',
			relatedAudits: '1500151288183_acc891bf-33e1-424b-a021-0d4370789660',
			policyIDs: '59f0ab82f797fa0681e9b1c7',
		},
		record: sampleAlerts[0],
	}));
});

test('activity: MSGID activity, system name as HOSTNAME, record round-trips exactly', () => {
	const format = createJsonRecordFormatter({dataType: 'activities', ...ctx, includeSystemName: true, systemName: 'agent 01|x'});
	const parsed = parse5424(format(sampleActivities[0]).message);
	assert.deepEqual(
		[parsed.pri, parsed.version, parsed.timestamp, parsed.hostname, parsed.appName, parsed.procId, parsed.msgId, parsed.structuredData],
		[134, 1, '2017-11-22T17:50:04.000Z', 'agent_01_x', 'siem-agent', '-', 'activity', '-'],
	);
	const json = parsed.json as {type: string; event: Record<string, unknown>; record: unknown};
	assert.equal(json.type, 'activity');
	assert.deepEqual(json.record, sampleActivities[0]);
	assert.equal(json.event.dvc, '13.82.149.151');
	assert.equal(json.event.targetObjects, 'admin@contoso.com,admin@contoso.com,admin@contoso.com');
});

test('the message stays one line of printable text; every character survives', () => {
	const nasty = 'a\r\nb\u0000c\u0085d\u2028e\u2029f\u007Fg\uD800h"\\i\tj';
	const record = {_id: nasty, timestamp: 0, [nasty]: [nasty]};
	const line = createJsonRecordFormatter({dataType: 'activities', ...ctx})(record).message;
	assert.doesNotMatch(line, /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/);
	assert.ok(line.isWellFormed());
	assert.ok(line.includes('\\u2028') && line.includes('\\u0085') && line.includes('\\ud800'), line);
	const json = parse5424(line).json as {event: {externalId: string}; record: unknown};
	assert.deepEqual(json.record, record);
	assert.equal(json.event.externalId, nasty);
});

test('escapeJsonText leaves clean JSON alone and keeps it valid', () => {
	const clean = JSON.stringify({a: 'b'});
	assert.equal(escapeJsonText(clean), clean);
	const escaped = escapeJsonText(JSON.stringify('\u2028\u009F\u007F'));
	assert.equal(escaped, '"\\u2028\\u009f\\u007f"');
	assert.equal(JSON.parse(escaped), '\u2028\u009F\u007F');
});

test('an event without a time: rt null, TIMESTAMP from the clock; timeFormat and includePri do not apply', () => {
	const event = {...normalizeAlert(sampleAlerts[0], ctx), time: undefined};
	const line = createJsonFormatter({now: () => Date.UTC(2025, 5, 1, 12, 0, 0, 7)})(event, {});
	const parsed = parse5424(line);
	assert.equal(parsed.timestamp, '2025-06-01T12:00:00.007Z');
	assert.equal((parsed.json as {event: {rt: unknown}}).event.rt, null);
});

test('a record JSON cannot encode is written as null and noted', () => {
	const event = normalizeAlert(sampleAlerts[0], ctx);
	const cyclic: Record<string, unknown> = {};
	cyclic.self = cyclic;
	const line = createJsonFormatter()(event, cyclic);
	assert.equal((parse5424(line).json as {record: unknown}).record, null);
	assert.ok(event.problems.includes('record cannot be written as JSON'));
	assert.throws(() => createJsonFormatter({facility: 24}), {code: 'CONFIG_ERROR'});
});
