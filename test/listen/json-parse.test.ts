import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createJsonFormatter, jsonEventOf} from '../../source/formats/json.ts';
import {normalizeRecord} from '../../source/formats/normalize.ts';
import {parseJson5424} from '../../source/listen/json-parse.ts';
import {samplePortalUrl, sampleRecords} from '../formats/sample-records.ts';

test('parses what the JSON formatter writes: header fields, and the record exactly as the API sent it', () => {
	for (const includeSystemName of [false, true]) {
		const format = createJsonFormatter({includeSystemName, systemName: 'agent01'});
		for (const {dataType, record} of sampleRecords) {
			const event = normalizeRecord(dataType, record, {portalUrl: samplePortalUrl});
			const parsed = parseJson5424(format(event, record))!;
			assert.ok(parsed, dataType);
			const kind = dataType === 'alerts' ? 'alert' : 'activity';
			assert.equal(parsed.pri, (16 * 8) + event.syslogSeverity);
			assert.equal(parsed.facility, 16);
			assert.equal(parsed.severity, event.syslogSeverity);
			assert.equal(parsed.version, 1);
			assert.equal(parsed.timestamp, new Date(event.time!).toISOString());
			assert.equal(parsed.hostname, includeSystemName ? 'agent01' : '-');
			assert.equal(parsed.appName, 'siem-agent');
			assert.equal(parsed.procId, '-');
			assert.equal(parsed.msgId, kind);
			assert.equal(parsed.structuredData, '-');
			assert.deepEqual(parsed.message, {type: kind, event: jsonEventOf(event), record});
		}
	}
});

test('structured data, a byte-order mark and a line ending are taken as RFC 5424 allows', () => {
	const line = '<165>1 2003-10-11T22:14:15.003Z mymachine evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="App] \\"lication"][x@1 a="b"] \uFEFF{"a":1}\r\n';
	assert.deepEqual(parseJson5424(line), {
		pri: 165,
		facility: 20,
		severity: 5,
		version: 1,
		timestamp: '2003-10-11T22:14:15.003Z',
		hostname: 'mymachine',
		appName: 'evntslog',
		procId: '-',
		msgId: 'ID47',
		structuredData: '[exampleSDID@32473 iut="3" eventSource="App] \\"lication"][x@1 a="b"]',
		message: {a: 1},
	});
});

test('not JSON in RFC 5424: undefined', () => {
	for (const line of [
		'<132>1 2017-01-02T16:38:38.383Z host app - alert - {"type":"alert","event":{"name":"cut',
		'<132>1 2017-01-02T16:38:38.383Z host app - alert - [1,2]',
		'<132>1 2017-01-02T16:38:38.383Z host app - alert - null',
		'<132>1 2017-01-02T16:38:38.383Z host app - alert - plain text',
		'<132>1 2017-01-02T16:38:38.383Z host app - alert - CEF:0|MCAS|SIEM_Agent|1|s|n|3|a=1',
		'<132>2017-01-02T16:38:38.383Z CEF:0|MCAS|SIEM_Agent|1|s|n|3|a=1',
		'<132>2 2017-01-02T16:38:38.383Z host app - alert - {"a":1}',
		'<132>1 2017-01-02T16:38:38.383Z host app - alert [unterminated {"a":1}',
		'{"a":1}',
	]) {
		assert.equal(parseJson5424(line), undefined, line);
	}
});
