/**
 * LEEF and JSON end to end: the simulator with hostile text in a third of its records, the
 * daemon (`--format leef` / `--format json`) as a child process, and Debian's rsyslog receiving
 * over TCP (octet-counting) and UDP. Every event in the window arrives (once, over TCP), and
 * every line parses back with the strict test parsers to exactly the values its API record
 * maps to (for JSON: the record itself, exactly).
 *
 * rsyslog writes a received tab as `#011` (its default `parser.escapeControlCharacterTab`), so
 * the tab-delimited case turns `#011` back into tabs before parsing; docs/formats.md tells
 * QRadar users behind an rsyslog relay to pick another delimiter, as the `^` case does.
 */
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import type {ApiRecord, DataType} from '../../source/cloud/types.ts';
import {normalizeRecord} from '../../source/formats/normalize.ts';
import {hostileStrings} from '../../source/simulate/catalog.ts';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {expectedJsonEvent, expectedLeefAttributes} from '../formats/expected-fields.ts';
import {parse5424} from '../formats/json-5424-parser.ts';
import {parseLeef} from '../formats/leef-parser.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {Rsyslog, type RsyslogInput} from '../helpers/rsyslog.ts';

const day = 24 * 60 * 60 * 1000;
/** The simulator's hostile strings as they appear inside a record's JSON. */
const hostileMarks = hostileStrings.map((text) => JSON.stringify(text).slice(1, -1));

interface Case {
	format: 'leef' | 'json';
	input: RsyslogInput;
	/** LEEF delimiter, set through the config file (there is no flag for it). */
	delimiter?: string;
}

const cases: Case[] = [
	{format: 'leef', input: 'tcp-octet'},
	{format: 'leef', input: 'udp', delimiter: '^'},
	{format: 'json', input: 'tcp-octet'},
	{format: 'json', input: 'udp'},
];

/** The daemon builds activity links from its --url (alerts carry their own URL). */
let simulatorUrl = '';

/** The id of a line, read with the strict parser of its format (which throws on anything malformed). */
function parseLine(format: Case['format'], line: string, delimiter = '\t'): {id: string; check: (dataType: DataType, record: ApiRecord) => void} {
	if (format === 'json') {
		const parsed = parse5424(line);
		const json = parsed.json as {type: string; event: Record<string, unknown>; record: ApiRecord};
		return {
			id: String(json.record._id),
			check(dataType, record) {
				const event = normalizeRecord(dataType, record, {portalUrl: simulatorUrl});
				assert.equal(parsed.msgId, event.kind);
				assert.deepEqual(json, {type: event.kind, event: expectedJsonEvent(event), record});
			},
		};
	}

	const parsed = parseLeef(line.replaceAll('#011', '\t'));
	return {
		id: parsed.attributes.get('externalId') ?? '',
		check(dataType, record) {
			const event = normalizeRecord(dataType, record, {portalUrl: simulatorUrl});
			assert.equal(parsed.delimiter, delimiter);
			assert.deepEqual([...parsed.attributes], expectedLeefAttributes(event, delimiter));
		},
	};
}

function recordsById(simulator: Simulator, from: number, to: number): Map<string, {dataType: DataType; record: ApiRecord}> {
	const map = new Map<string, {dataType: DataType; record: ApiRecord}>();
	for (const record of simulator.activitiesCreatedBetween(from, to)) {
		map.set(String(record._id), {dataType: 'activities', record});
	}

	for (const record of simulator.alertsBetween(from, to)) {
		map.set(String(record._id), {dataType: 'alerts', record});
	}

	return map;
}

async function configFile(directory: string, delimiter: string): Promise<string> {
	const file = path.join(directory, 'config.json');
	await writeFile(file, JSON.stringify({agents: [{
		name: 'default', url: '', token: '', format: 'leef', leef: {delimiter},
		cef: {timeFormat: 'rfc5424', includePri: false, includeSystemName: false},
		syslog: {protocol: 'tcp', host: '', port: 514, framing: 'lf'},
		dataTypes: {alerts: {enabled: true, filters: {}}, activities: {enabled: true, filters: {}}},
		pollIntervalSeconds: 10, requestsPerMinute: 30, settleSeconds: 5, paused: false,
	}]}));
	return file;
}

describe('LEEF and JSON with hostile records → rsyslog', () => {
	let simulator: Simulator;

	before(async () => {
		simulator = await createSimulator({seed: 11, historyActivities: 900, historyAlerts: 40, liveActivitiesPerSecond: 10, liveAlertsPerMinute: 30, hostileFraction: 0.3, throttle: 0});
		simulatorUrl = simulator.url;
	});

	after(async () => {
		await simulator?.close();
	});

	for (const {format, input, delimiter} of cases) {
		it(`${format}${delimiter ? ` (delimiter ${delimiter})` : ''} over ${input}: every event arrives and parses back exactly`, async () => {
			const rsyslog = await Rsyslog.start(input);
			try {
				const state = await tempDirectory();
				const args = [
					'--daemon', '--url', simulator.url, '--token', simulator.token, '--format', format,
					'--syslog', `127.0.0.1:${rsyslog.port}`, '--protocol', input === 'udp' ? 'udp' : 'tcp',
					...(input === 'tcp-octet' ? ['--framing', 'octet-counting'] : []),
					// JSON messages carry the whole record; keep them whole over UDP too.
					...(input === 'udp' ? ['--max-message-size', '60000'] : []),
					'--stateDirectory', state, '--poll-interval', '1', '--requests-per-minute', '0', '--settle', '0',
					...(delimiter ? ['--config', await configFile(state, delimiter)] : []),
				];
				const daemon = new DaemonProcess(args);
				await daemon.waitForLog((line) => line.code === 'STARTED');
				const startedAfter = Date.now();
				const cut = Date.now() + 1000;
				await new Promise((resolve) => setTimeout(resolve, 1000));
				const wanted = [...recordsById(simulator, startedAfter - (2 * day), cut).keys()];
				assert.ok(wanted.length > 300, `the simulator should have a real backlog, has ${wanted.length}`);
				const lines = await rsyslog.waitFor((all) => {
					const have = new Set(all.map((line) => parseLine(format, line, delimiter).id));
					return wanted.every((id) => have.has(id));
				}, 30_000, `every ${format} event`);
				assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));

				const known = recordsById(simulator, 0, Date.now() + day);
				const seen = new Set<string>();
				let hostile = 0;
				for (const line of lines) {
					const parsed = parseLine(format, line, delimiter);
					const source = known.get(parsed.id);
					assert.ok(source, `a line for an unknown id: ${line.slice(0, 200)}`);
					parsed.check(source.dataType, source.record);
					if (input !== 'udp') {
						assert.equal(seen.has(parsed.id), false, `${parsed.id} arrived twice`);
					}

					seen.add(parsed.id);
					const text = JSON.stringify(source.record);
					hostile += hostileMarks.some((mark) => text.includes(mark)) ? 1 : 0;
				}

				assert.ok(hostile > 50, `hostile records were among those checked (${hostile})`);
			} finally {
				await rsyslog.stop();
			}
		});
	}
});
