import assert from 'node:assert/strict';
import {test} from 'node:test';
import {exampleHeader, exampleMessage, exampleNote, type ExampleSettings} from '../../../source/ui/wizard/example-header.ts';
import {version} from '../../../source/version.ts';

const cef: ExampleSettings = {format: 'cef', timeFormat: 'rfc5424', includePri: false, includeSystemName: false};

test('CEF example follows time format, PRI and system name (SPEC §1)', () => {
	for (const [settings, expected] of [
		[{}, '2017-01-02T16:38:38.383Z CEF:0|MCAS|SIEM_Agent|V|…'],
		[{includePri: true}, '<132>2017-01-02T16:38:38.383Z CEF:0|MCAS|SIEM_Agent|V|…'],
		[{includeSystemName: true}, '2017-01-02T16:38:38.383Z myhost CEF:0|MCAS|SIEM_Agent|V|…'],
		[{timeFormat: 'rfc3164', includePri: true, includeSystemName: true}, '<132>Jan 02 16:38:38 myhost CEF:0|MCAS|SIEM_Agent|V|…'],
		[{timeFormat: 'rfc3164-year'}, 'Jan 02 2017 16:38:38 CEF:0|MCAS|SIEM_Agent|V|…'],
	] as const) {
		assert.equal(exampleHeader({...cef, ...settings}), expected.replace('V', version));
	}

	assert.equal(exampleHeader({...cef, includeSystemName: true}, 'siem01'), `2017-01-02T16:38:38.383Z siem01 CEF:0|MCAS|SIEM_Agent|${version}|…`);
});

test('LEEF example names the delimiter in the header; a refused delimiter shows tab', () => {
	const leef: ExampleSettings = {...cef, format: 'leef', includePri: true};
	const product = `LEEF:2.0|Microsoft|Defender for Cloud Apps|${version}|…`;
	assert.equal(exampleHeader(leef), `<132>2017-01-02T16:38:38.383Z ${product}|x09|…`);
	assert.equal(exampleHeader({...leef, leefDelimiter: '^'}), `<132>2017-01-02T16:38:38.383Z ${product}|^|…`);
	assert.equal(exampleHeader({...leef, leefDelimiter: '|'}), `<132>2017-01-02T16:38:38.383Z ${product}|x7C|…`);
	assert.equal(exampleHeader({...leef, leefDelimiter: 'a'}), `<132>2017-01-02T16:38:38.383Z ${product}|x09|…`);
	assert.match(exampleMessage({...leef, leefDelimiter: '^'}), /\|\^\|devTime=2017-01-02 16:38:38\.383 \+0000\^devTimeFormat=/);
});

test('JSON example is RFC 5424: PRI and time always, HOSTNAME only with the system name', () => {
	const json: ExampleSettings = {...cef, format: 'json', timeFormat: 'rfc3164', includePri: false};
	assert.equal(exampleHeader(json), '<132>1 2017-01-02T16:38:38.383Z - siem-agent - alert - {"type":"alert",…}');
	assert.equal(exampleHeader({...json, includeSystemName: true}, 'siem01'), '<132>1 2017-01-02T16:38:38.383Z siem01 siem-agent - alert - {"type":"alert",…}');
	assert.match(exampleNote(json)!, /RFC 5424 always writes the PRI/);
});

test('the example is a cut of the real message, so it cannot drift from what is sent', () => {
	for (const format of ['cef', 'leef', 'json'] as const) {
		for (const includeSystemName of [false, true]) {
			const settings: ExampleSettings = {...cef, format, includePri: true, includeSystemName, leefDelimiter: '^'};
			const message = exampleMessage(settings);
			for (const part of exampleHeader(settings).split('…').filter(Boolean)) {
				assert.ok(message.includes(part), `${format}: "${part}" is not in ${message}`);
			}

			assert.ok(message.startsWith(exampleHeader(settings).split('…')[0]), format);
		}
	}
});

test('notes: LEEF with tab warns about rsyslog relays; CEF has none', () => {
	assert.match(exampleNote({...cef, format: 'leef', leefDelimiter: ''})!, /rsyslog turns a received tab into #011/);
	assert.match(exampleNote({...cef, format: 'leef', leefDelimiter: 'tab'})!, /#011/);
	assert.equal(exampleNote({...cef, format: 'leef', leefDelimiter: '^'}), undefined);
	assert.equal(exampleNote(cef), undefined);
});
