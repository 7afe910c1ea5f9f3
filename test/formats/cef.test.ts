import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createCefFormatter} from '../../source/formats/cef.ts';
import {normalizeActivity, normalizeAlert, type NormalizedEvent} from '../../source/formats/normalize.ts';
import {parseCef} from './cef-parser.ts';
import {samplePortalUrl, sampleActivities, sampleAlerts} from './sample-records.ts';

const ctx = {portalUrl: samplePortalUrl};
const activity = normalizeActivity(sampleActivities[0], ctx);
const alert = normalizeAlert(sampleAlerts[0], ctx);
const activityTail = 'CEF:0|MCAS|SIEM_Agent|2.0.0|EVENT_CATEGORY_LOGOUT|Log out|0|externalId=1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0 rt=1511373004000 start=1511373004000 end=1511373004000 msg=Log out suser=admin@contoso.com destinationServiceName=ServiceNow dvc=13.82.149.151 requestClientApplication= cs1Label=portalURL cs1=https://contoso.portal.cloudappsecurity.com/#/audits?activity.id\\=eq(1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0,) cs2Label=uniqueServiceAppIds cs2=APPID_SERVICENOW cs3Label=targetObjects cs3=admin@contoso.com,admin@contoso.com,admin@contoso.com cs4Label=policyIDs cs4= c6a1Label="Device IPv6 Address" c6a1=';

const optionCases: Array<[string, Parameters<typeof createCefFormatter>[0], string]> = [
	['defaults', {agentVersion: '2.0.0'}, '2017-11-22T17:50:04.000Z ' + activityTail],
	['PRI (local0, informational)', {agentVersion: '2.0.0', includePri: true}, '<134>2017-11-22T17:50:04.000Z ' + activityTail],
	['PRI, facility 13', {agentVersion: '2.0.0', includePri: true, facility: 13}, '<110>2017-11-22T17:50:04.000Z ' + activityTail],
	['system name', {agentVersion: '2.0.0', includeSystemName: true, systemName: 'siem-agent-01'}, '2017-11-22T17:50:04.000Z siem-agent-01 ' + activityTail],
	['RFC 3164 with PRI and system name', {agentVersion: '2.0.0', timeFormat: 'rfc3164', includePri: true, includeSystemName: true, systemName: 'h1'}, '<134>Nov 22 17:50:04 h1 ' + activityTail],
	['RFC 3164 with year', {agentVersion: '2.0.0', timeFormat: 'rfc3164-year'}, 'Nov 22 2017 17:50:04 ' + activityTail],
];

for (const [label, options, expected] of optionCases) {
	test('activity line with ' + label, () => {
		assert.equal(createCefFormatter(options)(activity), expected);
	});
}

test('alert PRI follows the alert severity', () => {
	const format = createCefFormatter({agentVersion: '0.102.17', includePri: true});
	assert.match(format(alert), /^<133>2017-07-15T20:42:30\.531Z CEF:0\|MCAS\|SIEM_Agent\|0\.102\.17\|ALERT_CABINET_EVENT_MATCH_AUDIT\|myPolicy\|3\|externalId=/);
	assert.match(format({...alert, syslogSeverity: 3}), /^<131>/);
});

test('an event without a time: empty rt/start/end, header time from the passed-in clock', () => {
	const event: NormalizedEvent = {...activity, time: undefined};
	const withClock = createCefFormatter({agentVersion: '1', now: () => Date.UTC(2025, 5, 1, 12, 0, 0, 7)})(event);
	assert.ok(withClock.startsWith('2025-06-01T12:00:00.007Z CEF:0|'), withClock);
	assert.ok(withClock.includes(' rt= start= end= msg=Log out '), withClock);
	const alertLine = createCefFormatter({agentVersion: '1'})({...alert, time: undefined});
	assert.ok(alertLine.startsWith('1970-01-01T00:00:00.000Z CEF:0|'), alertLine);
	assert.ok(alertLine.includes('|externalId=596a7e360c204203a335a3fb start= end= msg='), alertLine);
});

test('header fields are escaped, severity is clamped to 0-10', () => {
	const format = createCefFormatter({agentVersion: '1|2\\3'});
	const line = format({...activity, signatureId: 'A|B', name: 'x\\y\r\nz', severity: 11});
	assert.ok(line.includes(' CEF:0|MCAS|SIEM_Agent|1\\|2\\\\3|A\\|B|x\\\\y  z|10|externalId='), line);
	const severities: Array<[number, string]> = [[-1, '0'], [Number.NaN, '0'], [4.7, '4'], [10, '10'], [0, '0']];
	for (const [severity, text] of severities) {
		assert.equal(parseCef(format({...activity, severity})).severity, text);
	}
});

test('event content cannot add a line, a header field or an extension key', () => {
	const format = createCefFormatter({agentVersion: '1'});
	const hostile = 'x cs1=forged\nCEF:0|forged|x|y|z|w|10|cs2=evil\r\n\u2028';
	const line = format({...activity, msg: hostile, suser: hostile, name: hostile, cs4: ' c6a1=::1'});
	assert.doesNotMatch(line, /[\r\n\u2028\u2029]/);
	const parsed = parseCef(line);
	assert.equal(parsed.name, 'x cs1=forged CEF:0|forged|x|y|z|w|10|cs2=evil   ');
	assert.equal(parsed.extension.get('msg'), 'x cs1=forged\nCEF:0|forged|x|y|z|w|10|cs2=evil\r\n ');
	assert.equal(parsed.extension.get('suser'), parsed.extension.get('msg'));
	assert.equal(parsed.extension.get('cs1'), activity.cs1);
	assert.equal(parsed.extension.get('cs2'), 'APPID_SERVICENOW');
	assert.equal(parsed.extension.get('cs4'), ' c6a1=::1');
	assert.equal(parsed.extension.get('c6a1'), '');
	assert.deepEqual([...parsed.extension.keys()], ['externalId', 'rt', 'start', 'end', 'msg', 'suser', 'destinationServiceName', 'dvc', 'requestClientApplication', 'cs1Label', 'cs1', 'cs2Label', 'cs2', 'cs3Label', 'cs3', 'cs4Label', 'cs4', 'c6a1Label', 'c6a1']);
});
