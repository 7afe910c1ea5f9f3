import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cell, formatAgo, formatBytes, formatCount, formatDuration, formatLag, formatRate, formatWindow, pipelineLabel, sparkline, statusLabel, truncate, typesLabel} from '../../source/ui/format.ts';
import {defaultDataTypes} from '../../source/config/schema.ts';

const now = Date.UTC(2024, 4, 1, 12, 0, 0);

test('status labels are worded as the original portal', () => {
	assert.equal(statusLabel('created'), 'Created');
	assert.equal(statusLabel('connected'), 'Connected');
	assert.equal(statusLabel('connection-error'), 'Connection error');
	assert.equal(statusLabel('disconnected'), 'Disconnected');
});

test('pipeline states read as words', () => {
	assert.equal(pipelineLabel('backfill'), 'backfilling');
	assert.equal(pipelineLabel('waiting-for-siem'), 'waiting for SIEM');
	assert.equal(pipelineLabel('disabled'), 'off');
});

test('the Type column lists the enabled data types', () => {
	assert.equal(typesLabel({dataTypes: defaultDataTypes()}), 'Alerts, Activities');
	assert.equal(typesLabel({dataTypes: defaultDataTypes(['activities'])}), 'Activities');
	assert.equal(typesLabel({dataTypes: defaultDataTypes([])}), 'none');
});

test('counts and rates are compact', () => {
	for (const [value, text] of [
		[0, '0'], [7, '7'], [0.44, '0.4'], [999, '999'], [1000, '1k'], [1234, '1.2k'], [12_345, '12k'],
		[999_999, '999k'], [3_456_789, '3.4M'], [1_100_000_000, '1.1G'], [-5, '0'], [Number.NaN, '0'],
	] as const) {
		assert.equal(formatCount(value), text, `formatCount(${value})`);
	}

	assert.equal(formatRate(1234), '1.2k/s');
	assert.equal(formatRate(0.4), '0.4/s');
	assert.equal(formatRate(0), '0/s');
	assert.equal(formatBytes(512), '512 B');
	assert.equal(formatBytes(3_400_000), '3.4 MB');
});

test('durations keep at most two units and stop at a gap', () => {
	for (const [ms, text] of [
		[0, '0 s'], [999, '0 s'], [45_000, '45 s'], [200_000, '3 min 20 s'], [180_000, '3 min'],
		[7_500_000, '2 h 5 min'], [7_205_000, '2 h'], [273_600_000, '3 d 4 h'], [-10, '0 s'],
	] as const) {
		assert.equal(formatDuration(ms), text, `formatDuration(${ms})`);
	}

	assert.equal(formatDuration(200_000, 1), '3 min');
});

test('relative times and lag', () => {
	assert.equal(formatAgo(undefined, now), 'never');
	assert.equal(formatAgo(now - 400, now), 'just now');
	assert.equal(formatAgo(now - 12_000, now), '12 s ago');
	assert.equal(formatAgo(now - 3 * 3_600_000 - 1000, now), '3 h ago');
	assert.equal(formatAgo(now - 13 * 86_400_000, now), '13 d ago');
	assert.equal(formatLag(undefined, now), '–');
	assert.equal(formatLag(now - 200_000, now), '3 min 20 s');
	// A clock a little behind the newest event is no lag, not a negative one.
	assert.equal(formatLag(now + 5000, now), '0 s');
});

test('sparkline shows the newest values scaled to their maximum', () => {
	assert.equal(sparkline([0, 0, 0], 3), '▁▁▁');
	assert.equal(sparkline([1, 2, 4, 8], 4), '▂▃▅█');
	assert.equal(sparkline([100, 0, 7], 2), '▁█');
	assert.equal(sparkline([], 5), '');
	assert.equal(sparkline(Array.from({length: 60}, () => 1), 20).length, 20);
});

test('checkpoint windows in UTC, with the date only when it is not today', () => {
	const cursor = {from: Date.UTC(2024, 4, 1, 11, 59, 0), to: Date.UTC(2024, 4, 1, 11, 59, 50)};
	assert.equal(formatWindow(cursor), '2024-05-01 11:59:00 → 11:59:50 UTC');
	assert.equal(formatWindow(cursor, now), '11:59:00 → 11:59:50 UTC');
	assert.equal(formatWindow({from: Date.UTC(2024, 3, 29, 12), to: Date.UTC(2024, 3, 30, 0)}, now), '2024-04-29 12:00:00 → 2024-04-30 00:00:00 UTC');
});

test('truncate and cell', () => {
	assert.equal(truncate('abcdef', 4), 'abc…');
	assert.equal(truncate('abc', 4), 'abc');
	assert.equal(truncate('abc', 0), '');
	assert.equal(cell('ab', 4), 'ab  ');
	assert.equal(cell('abcdef', 4), 'abc…');
});
