import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createCefFormatter} from '../../source/formats/cef.ts';
import {createJsonFormatter} from '../../source/formats/json.ts';
import {createLeefFormatter} from '../../source/formats/leef.ts';
import {normalizeRecord} from '../../source/formats/normalize.ts';
import {parseMessage} from '../../source/listen/parse-message.ts';
import {samplePortalUrl, sampleRecords} from '../formats/sample-records.ts';

const header = {agentVersion: '0.1.0', includePri: true, includeSystemName: true, systemName: 'agent01'};

test('each message is detected by itself: CEF, LEEF, JSON in RFC 5424', () => {
	const cef = createCefFormatter(header);
	const leef = createLeefFormatter({...header, delimiter: '^'});
	const json = createJsonFormatter(header);
	for (const {dataType, record} of sampleRecords) {
		const event = normalizeRecord(dataType, record, {portalUrl: samplePortalUrl});
		const asCef = parseMessage(cef(event));
		assert.ok('format' in asCef && asCef.format === 'cef');
		assert.equal(asCef.signatureId, event.signatureId);
		assert.match(asCef.syslogHeader, /^<\d+>\S+ agent01$/);
		const asLeef = parseMessage(leef(event));
		assert.ok('format' in asLeef && asLeef.format === 'leef');
		assert.equal(asLeef.eventId, event.signatureId);
		assert.equal(asLeef.attributes.externalId, event.externalId);
		const asJson = parseMessage(json(event, record));
		assert.ok('format' in asJson && asJson.format === 'json');
		assert.deepEqual(asJson.message.record, record);
	}
});

test('the first marker wins, so a marker inside a value of another format cannot take over', () => {
	const cefInLeef = parseMessage('2017-01-02T16:38:38.383Z LEEF:2.0|Microsoft|Defender for Cloud Apps|0.1.0|X|^|description=see CEF:0|a|b|c|d|e|f|k=v');
	assert.ok('format' in cefInLeef && cefInLeef.format === 'leef');
	assert.equal(cefInLeef.attributes.description, 'see CEF:0|a|b|c|d|e|f|k=v');
	const leefInCef = parseMessage('2017-01-02T16:38:38.383Z CEF:0|MCAS|SIEM_Agent|0.1.0|X|n|3|msg=see LEEF:2.0|a|b|c|d|^|k=v');
	assert.ok('format' in leefInCef && leefInCef.format === 'cef');
	assert.equal(leefInCef.extension.msg, 'see LEEF:2.0|a|b|c|d|^|k=v');
	const cefInJson = parseMessage('<132>1 2017-01-02T16:38:38.383Z - siem-agent - alert - {"type":"alert","event":{"msg":"x CEF:0|a|b|c|d|e|f|k=v"}}');
	assert.ok('format' in cefInJson && cefInJson.format === 'json');
	assert.deepEqual(cefInJson.message, {type: 'alert', event: {msg: 'x CEF:0|a|b|c|d|e|f|k=v'}});
});

test('CEF after an RFC 5424 header, or glued to a tag, is still CEF; anything else is {raw}', () => {
	const inRfc5424 = parseMessage('<134>1 2017-01-02T16:38:38.383Z host app - - - CEF:0|MCAS|SIEM_Agent|1|s|n|0|a=1');
	assert.ok('format' in inRfc5424 && inRfc5424.format === 'cef');
	assert.equal(inRfc5424.syslogHeader, '<134>1 2017-01-02T16:38:38.383Z host app - - -');
	const glued = parseMessage('<134>Jan 02 16:38:38 host app:CEF:0|MCAS|SIEM_Agent|1|s|n|0|a=1');
	assert.ok('format' in glued && glued.format === 'cef');
	assert.equal(glued.syslogHeader, '<134>Jan 02 16:38:38 host app:');
	assert.deepEqual(parseMessage('just a syslog line'), {raw: 'just a syslog line'});
	assert.deepEqual(parseMessage('CEF:0|too|few'), {raw: 'CEF:0|too|few'});
	assert.deepEqual(parseMessage('<132>1 2017-01-02T16:38:38.383Z - siem-agent - alert - {"cut'), {raw: '<132>1 2017-01-02T16:38:38.383Z - siem-agent - alert - {"cut'});
});
