import assert from 'node:assert/strict';
import {test} from 'node:test';
import {exampleHeader, headerTime} from '../../../source/ui/wizard/example-header.ts';

const time = Date.UTC(2017, 0, 2, 16, 38, 38, 383);

test('header time in each format (SPEC §1)', () => {
	assert.equal(headerTime(time, 'rfc5424'), '2017-01-02T16:38:38.383Z');
	assert.equal(headerTime(time, 'rfc3164'), 'Jan 02 16:38:38');
	assert.equal(headerTime(time, 'rfc3164-year'), 'Jan 02 2017 16:38:38');
});

test('example header follows PRI and system name', () => {
	for (const [includePri, includeSystemName, expected] of [
		[false, false, '2017-01-02T16:38:38.383Z CEF:0|MCAS|SIEM_Agent|...'],
		[true, false, '<132>2017-01-02T16:38:38.383Z CEF:0|MCAS|SIEM_Agent|...'],
		[false, true, '2017-01-02T16:38:38.383Z myhost CEF:0|MCAS|SIEM_Agent|...'],
		[true, true, '<132>2017-01-02T16:38:38.383Z myhost CEF:0|MCAS|SIEM_Agent|...'],
	] as const) {
		assert.equal(exampleHeader({timeFormat: 'rfc5424', includePri, includeSystemName}), expected);
	}

	assert.equal(exampleHeader({timeFormat: 'rfc3164', includePri: true, includeSystemName: true}, 'siem01'), '<132>Jan 02 16:38:38 siem01 CEF:0|MCAS|SIEM_Agent|...');
});
