import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createLeefFormatter} from '../../source/formats/leef.ts';
import {normalizeRecord} from '../../source/formats/normalize.ts';
import {leefDelimiterOf, parseLeef, parseLeefAttributes} from '../../source/listen/leef-parse.ts';
import {samplePortalUrl, sampleRecords} from '../formats/sample-records.ts';

const options = {agentVersion: '0.1.0', includePri: true, includeSystemName: true, systemName: 'agent01'};

test('parses what the LEEF formatter writes, with tab, ^ and | as delimiter', () => {
	for (const delimiter of ['\t', '^', '|']) {
		const format = createLeefFormatter({...options, delimiter});
		for (const {dataType, record} of sampleRecords) {
			const event = normalizeRecord(dataType, record, {portalUrl: samplePortalUrl});
			const parsed = parseLeef(format(event))!;
			assert.ok(parsed, `${delimiter} ${dataType}`);
			assert.match(parsed.syslogHeader, /^<\d+>\d{4}-\d\d-\d\dT\S+Z agent01$/);
			assert.equal(parsed.version, '2.0');
			assert.equal(parsed.vendor, 'Microsoft');
			assert.equal(parsed.product, 'Defender for Cloud Apps');
			assert.equal(parsed.productVersion, '0.1.0');
			assert.equal(parsed.eventId, event.signatureId);
			assert.equal(parsed.delimiter, delimiter);
			assert.equal(parsed.attributes.externalId, event.externalId);
			assert.equal(parsed.attributes.cat, event.name);
			assert.equal(parsed.attributes.portalURL, event.cs1);
			assert.equal(parsed.attributes.devTimeFormat, 'yyyy-MM-dd HH:mm:ss.SSS Z');
		}
	}
});

test('an exact line: header escapes undone, values verbatim (= and \\ included)', () => {
	const line = '<134>Jan 02 16:38:38 host LEEF:2.0|Micro\\|soft|Pro\\\\duct|1.0|EVENT_X|^|devTime=2017-01-02 16:38:38.383 +0000^usrName=CONTOSO\\alice^url=https://x/?a=b^sev=1\r\n';
	const parsed = parseLeef(line)!;
	assert.deepEqual({...parsed, attributes: {...parsed.attributes}}, {
		syslogHeader: '<134>Jan 02 16:38:38 host',
		version: '2.0',
		vendor: 'Micro|soft',
		product: 'Pro\\duct',
		productVersion: '1.0',
		eventId: 'EVENT_X',
		delimiter: '^',
		attributes: {devTime: '2017-01-02 16:38:38.383 +0000', usrName: 'CONTOSO\\alice', url: 'https://x/?a=b', sev: '1'},
	});
});

test('LEEF 1.0 and LEEF 2.0 without a delimiter field use tab; an empty field is tab too', () => {
	for (const line of [
		'LEEF:1.0|V|P|1|ID|src=10.0.0.1\tusrName=alice',
		'LEEF:2.0|V|P|1|ID|src=10.0.0.1\tusrName=alice',
		'LEEF:2.0|V|P|1|ID||src=10.0.0.1\tusrName=alice',
		'LEEF:2.0|V|P|1|ID|x09|src=10.0.0.1\tusrName=alice',
		'LEEF:2.0|V|P|1|ID|0x09|src=10.0.0.1\tusrName=alice',
	]) {
		const parsed = parseLeef(line)!;
		assert.equal(parsed.delimiter, '\t', line);
		assert.deepEqual({...parsed.attributes}, {src: '10.0.0.1', usrName: 'alice'}, line);
	}
});

test('delimiter fields', () => {
	assert.equal(leefDelimiterOf('^'), '^');
	assert.equal(leefDelimiterOf('x5E'), '^');
	assert.equal(leefDelimiterOf('0x7C'), '|');
	assert.equal(leefDelimiterOf('x09'), '\t');
	assert.equal(leefDelimiterOf('a'), undefined);
	assert.equal(leefDelimiterOf('src=1'), undefined);
});

test('attributes: a piece without = stays with its value; __proto__ is an ordinary key; repeats keep the last', () => {
	const attributes = parseLeefAttributes('msg=a^b^__proto__=x^k=1^k=2', '^');
	assert.equal(Object.getPrototypeOf(attributes), null);
	assert.deepEqual({...attributes}, {msg: 'a^b', ['__proto__']: 'x', k: '2'});
});

test('not LEEF: undefined', () => {
	assert.equal(parseLeef('just a syslog line'), undefined);
	assert.equal(parseLeef('LEEF:2.0|V|P|1'), undefined);
	assert.equal(parseLeef('LEEF:3.0|V|P|1|ID|^|a=1'), undefined);
	assert.equal(parseLeef('CEF:0|MCAS|SIEM_Agent|1|sig|name|3|a=1'), undefined);
});
