import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {createSyslogHeader, formatSyslogTime, sanitizeSystemName, syslogPri, type SyslogHeaderOptions, type TimeFormat} from '../../source/formats/syslog-header.ts';

const t = Date.UTC(2017, 0, 2, 16, 38, 38, 383);

const timeCases: Array<[number, TimeFormat, string]> = [
	[t, 'rfc5424', '2017-01-02T16:38:38.383Z'],
	[t, 'rfc3164', 'Jan 02 16:38:38'],
	[t, 'rfc3164-year', 'Jan 02 2017 16:38:38'],
	[0, 'rfc5424', '1970-01-01T00:00:00.000Z'],
	[Date.UTC(2024, 11, 31, 23, 59, 59, 5), 'rfc5424', '2024-12-31T23:59:59.005Z'],
	[Date.UTC(2024, 11, 31, 23, 59, 59, 50), 'rfc5424', '2024-12-31T23:59:59.050Z'],
	[Date.UTC(2024, 11, 31, 23, 59, 59, 999), 'rfc3164', 'Dec 31 23:59:59'],
	[Date.UTC(2024, 1, 29, 9, 5, 7), 'rfc3164-year', 'Feb 29 2024 09:05:07'],
	[1_511_373_004_000, 'rfc5424', '2017-11-22T17:50:04.000Z'],
	[1_500_151_350_531.9, 'rfc5424', '2017-07-15T20:42:30.531Z'],
	[Number.NaN, 'rfc5424', '1970-01-01T00:00:00.000Z'],
	[-5, 'rfc3164', 'Jan 01 00:00:00'],
	[Number.POSITIVE_INFINITY, 'rfc5424', '9999-12-31T23:59:59.999Z'],
	[1e20, 'rfc3164-year', 'Dec 31 9999 23:59:59'],
];

for (const [ms, format, expected] of timeCases) {
	test('formatSyslogTime(' + ms + ', ' + format + ') is ' + expected, () => {
		assert.equal(formatSyslogTime(ms, format), expected);
	});
}

test('formatSyslogTime defaults to RFC 5424', () => {
	assert.equal(formatSyslogTime(t), '2017-01-02T16:38:38.383Z');
});

const headerCases: Array<[SyslogHeaderOptions, number, string]> = [
	[{}, 6, '2017-01-02T16:38:38.383Z '],
	[{includePri: true}, 6, '<134>2017-01-02T16:38:38.383Z '],
	[{includePri: true}, 3, '<131>2017-01-02T16:38:38.383Z '],
	[{includePri: true, facility: 4}, 4, '<36>2017-01-02T16:38:38.383Z '],
	[{includePri: true, facility: 0}, 0, '<0>2017-01-02T16:38:38.383Z '],
	[{includePri: true, facility: 23}, 7, '<191>2017-01-02T16:38:38.383Z '],
	[{includePri: true}, 99, '<135>2017-01-02T16:38:38.383Z '],
	[{includePri: true}, -1, '<128>2017-01-02T16:38:38.383Z '],
	[{includePri: true}, Number.NaN, '<134>2017-01-02T16:38:38.383Z '],
	[{includePri: false, facility: 4}, 2, '2017-01-02T16:38:38.383Z '],
	[{includeSystemName: true, systemName: 'LAB-EUW-ARCTEST'}, 6, '2017-01-02T16:38:38.383Z LAB-EUW-ARCTEST '],
	[{includeSystemName: false, systemName: 'ignored'}, 6, '2017-01-02T16:38:38.383Z '],
	[{includeSystemName: true}, 6, '2017-01-02T16:38:38.383Z - '],
	[{includeSystemName: true, systemName: 'my host\nCEF:0|x'}, 6, '2017-01-02T16:38:38.383Z my_host_CEF:0_x '],
	[{includePri: true, includeSystemName: true, systemName: 'siem.example.org', timeFormat: 'rfc3164'}, 5, '<133>Jan 02 16:38:38 siem.example.org '],
	[{includePri: true, includeSystemName: true, systemName: 'h', timeFormat: 'rfc3164-year'}, 6, '<134>Jan 02 2017 16:38:38 h '],
];

for (const [options, severity, expected] of headerCases) {
	test('header ' + JSON.stringify(options) + ' severity ' + severity + ' is ' + JSON.stringify(expected), () => {
		assert.equal(createSyslogHeader(options)(t, severity), expected);
	});
}

test('the cached second does not leak between times', () => {
	const header = createSyslogHeader();
	assert.equal(header(t, 6), '2017-01-02T16:38:38.383Z ');
	assert.equal(header(t + 1, 6), '2017-01-02T16:38:38.384Z ');
	assert.equal(header(t + 617, 6), '2017-01-02T16:38:39.000Z ');
	assert.equal(header(t - 384, 6), '2017-01-02T16:38:37.999Z ');
	assert.equal(header(t, 6), '2017-01-02T16:38:38.383Z ');
});

/** The expected header time from Date's own ISO text, independent of the header's tables and day cache. */
function reference(ms: number, format: TimeFormat): string {
	const iso = new Date(Math.min(Math.max(Number.isNaN(ms) ? 0 : ms, 0), 253_402_300_799_999)).toISOString();
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	const [year, month, day, clock] = [iso.slice(0, 4), months[Number(iso.slice(5, 7)) - 1], iso.slice(8, 10), iso.slice(11, 19)];
	if (format === 'rfc5424') {
		return iso;
	}

	return format === 'rfc3164' ? `${month} ${day} ${clock}` : `${month} ${day} ${year} ${clock}`;
}

test('any sequence of times gets the same text as Date gives (day cache, clock and millisecond tables)', () => {
	const times = fc.oneof(
		fc.integer({min: 0, max: 253_402_300_799_999}),
		// Around midnights and the ends of the range, where the day cache turns over.
		fc.tuple(fc.integer({min: 0, max: 2_932_896}), fc.integer({min: -2000, max: 2000})).map(([day, offset]) => (day * 86_400_000) + offset),
		fc.constantFrom(Number.NaN, -1, Number.POSITIVE_INFINITY, 1_500_151_350_531.9),
	);
	fc.assert(fc.property(fc.constantFrom<TimeFormat>('rfc5424', 'rfc3164', 'rfc3164-year'), fc.array(times, {minLength: 1, maxLength: 20}), (format, sequence) => {
		const header = createSyslogHeader({timeFormat: format});
		for (const ms of sequence) {
			assert.equal(header(ms, 6), reference(Math.trunc(ms), format) + ' ', `time ${ms}`);
		}
	}), {numRuns: 2000});
});

test('invalid options throw CONFIG_ERROR', () => {
	for (const options of [{timeFormat: 'iso' as TimeFormat}, {facility: 24}, {facility: -1}, {facility: 1.5}, {facility: Number.NaN}]) {
		assert.throws(() => createSyslogHeader(options), {code: 'CONFIG_ERROR'});
	}
});

test('syslogPri and sanitizeSystemName', () => {
	assert.equal(syslogPri(16, 6), '<134>');
	assert.equal(syslogPri(1, 5), '<13>');
	assert.equal(sanitizeSystemName(''), '-');
	assert.equal(sanitizeSystemName('héllo wörld\t'), 'h_llo_w_rld_');
	assert.equal(sanitizeSystemName('LAB-EUW-ARCTEST'), 'LAB-EUW-ARCTEST');
});
