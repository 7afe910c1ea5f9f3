/**
 * Byte-for-byte compatibility with Microsoft's sample CEF lines: each line's API record
 * (sample-records.ts), normalized and formatted with the line's agent version and options,
 * must reproduce the line exactly. SIEM_AGENT_FIXTURES overrides where the samples are read:
 * the fixtures directory, or the .txt file itself.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {createCefFormatter, createCefRecordFormatter} from '../../source/formats/cef.ts';
import {normalizeRecord} from '../../source/formats/normalize.ts';
import {parseCef} from './cef-parser.ts';
import {samplePortalUrl, sampleRecords} from './sample-records.ts';

const fixtureName = 'mcas-cef-samples.txt';
const override = process.env.SIEM_AGENT_FIXTURES;
const fixturePath = override
	? (override.endsWith('.txt') ? override : join(override, fixtureName))
	: new URL('../../../shared/fixtures/' + fixtureName, import.meta.url);
const lines = readFileSync(fixturePath, 'utf8').split('\n').filter(line => line.trim() !== '');

test('there is one sample record per fixture line', () => {
	assert.equal(lines.length, 12);
	assert.equal(sampleRecords.length, lines.length);
});

for (const [i, line] of lines.entries()) {
	const sample = sampleRecords[i];
	const agentVersion = /CEF:0\|MCAS\|SIEM_Agent\|([^|]*)\|/.exec(line)?.[1];

	test('sample line ' + (i + 1) + ' (' + sample.dataType + ') is reproduced byte for byte', () => {
		assert.ok(agentVersion, 'agent version in the line header');
		const format = createCefFormatter({
			agentVersion,
			includeSystemName: sample.systemName !== undefined,
			systemName: sample.systemName,
		});
		const event = normalizeRecord(sample.dataType, sample.record, {portalUrl: samplePortalUrl});
		assert.deepEqual(event.problems, []);
		assert.equal(format(event), line);
	});

	test('sample line ' + (i + 1) + ' parses with the strict parser', () => {
		const parsed = parseCef(line);
		assert.equal(parsed.vendor, 'MCAS');
		assert.equal(parsed.product, 'SIEM_Agent');
		assert.equal(parsed.extension.get('externalId'), sample.record._id);
	});
}

test('createCefRecordFormatter gives the same lines in one step', () => {
	for (const [i, sample] of sampleRecords.entries()) {
		if (sample.systemName !== undefined) {
			continue;
		}

		const agentVersion = /SIEM_Agent\|([^|]*)\|/.exec(lines[i])?.[1] ?? '';
		const format = createCefRecordFormatter({dataType: sample.dataType, portalUrl: samplePortalUrl + '/', agentVersion});
		const {message, event} = format(sample.record);
		assert.equal(message, lines[i]);
		assert.equal(event.externalId, sample.record._id);
	}
});
