/**
 * The headless agent end to end with real parts: the simulator on a port, the daemon as a
 * child process (engine in its worker thread), and Debian's rsyslog receiving. Every event in
 * the two-day window arrives exactly once; a clean restart neither loses nor repeats.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {day, duplicates, expectedIds, fastPolling, hasAll, idsOf} from '../helpers/events.ts';
import {Rsyslog, type RsyslogInput} from '../helpers/rsyslog.ts';
import {parseCef} from '../formats/cef-parser.ts';

function daemonArgs(simulator: Simulator, rsyslog: Rsyslog, state: string, extra: string[] = []): string[] {
	const protocol = rsyslog.input === 'udp' ? 'udp' : 'tcp';
	const framing = rsyslog.input === 'tcp-octet' ? ['--framing', 'octet-counting'] : [];
	return [
		'--daemon', '--url', simulator.url, '--token', simulator.token,
		'--syslog', `127.0.0.1:${rsyslog.port}`, '--protocol', protocol, ...framing,
		'--stateDirectory', state, ...fastPolling, ...extra,
	];
}

for (const input of ['tcp-lf', 'tcp-octet', 'udp'] as const satisfies readonly RsyslogInput[]) {
	describe(`daemon → rsyslog over ${input}`, () => {
		let simulator: Simulator;
		let rsyslog: Rsyslog;

		before(async () => {
			// A fifth of the records carry hostile text (CR/LF, pipes, `=`, backslashes, forged CEF headers).
			simulator = await createSimulator({seed: 7, historyActivities: 2500, historyAlerts: 40, liveActivitiesPerSecond: 20, liveAlertsPerMinute: 30, lateArrivalFraction: 0.1, hostileFraction: 0.2, throttle: 0});
			rsyslog = await Rsyslog.start(input);
		});

		after(async () => {
			await rsyslog?.stop();
			await simulator?.close();
		});

		it('backfills two days, then live events, each exactly once, and a restart continues without loss or repeats', async () => {
			const state = await tempDirectory();
			const startedBefore = Date.now();
			const first = new DaemonProcess(daemonArgs(simulator, rsyslog, state));
			await first.waitForLog((line) => line.code === 'STARTED');
			const startedAfter = Date.now();

			// Everything from the two-day horizon to a moment after start must arrive.
			const cut1 = Date.now() + 1500;
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const wanted1 = expectedIds(simulator, startedAfter - 2 * day, cut1);
			assert.ok(wanted1.length > 1000, `the simulator should have a real backlog, has ${wanted1.length}`);
			await rsyslog.waitFor(hasAll(wanted1), 60_000, 'the backfill');

			assert.equal(await first.stop(), 0, first.stderr.slice(-2000));
			assert.ok(first.codes().includes('STOPPED'));

			const tooOld = new Set(expectedIds(simulator, 0, startedBefore - 2 * day));
			assert.ok(tooOld.size > 0, 'the simulator should have history older than two days');

			// Events keep coming while the agent is down; the next run picks them up.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const second = new DaemonProcess(daemonArgs(simulator, rsyslog, state));
			await second.waitForLog((line) => line.code === 'STARTED');
			const cut2 = Date.now() + 1500;
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const wanted2 = expectedIds(simulator, startedAfter - 2 * day, cut2);
			const lines = await rsyslog.waitFor(hasAll(wanted2), 60_000, 'events after the restart');
			assert.equal(await second.stop(), 0, second.stderr.slice(-2000));
			assert.equal(second.codes().includes('BACKFILL'), false, 'a restart resumes, it does not backfill again');

			const ids = idsOf(lines);
			if (input !== 'udp') {
				assert.deepEqual(duplicates(ids), [], 'no event is sent twice across a clean restart');
			}
			assert.deepEqual(ids.filter((id) => tooOld.has(id)), [], 'nothing older than the two-day window');
			// Late arrivals (timestamp hours before created) are among what arrived.
			const late = simulator.activitiesCreatedBetween(startedAfter - 2 * day, cut2).filter((r) => Number(r.created) - Number(r.timestamp) > 60 * 60 * 1000);
			assert.ok(late.length > 0);
			const have = new Set(ids);
			assert.ok(late.every((r) => have.has(String(r._id))), 'late arrivals are delivered');
			// Hostile text never splits a message or forges a field: every line received is one strict
			// CEF message whose externalId is a real record's.
			const known = new Set(expectedIds(simulator, 0, Date.now()));
			for (const line of lines) {
				const parsed = parseCef(line);
				assert.ok(known.has(parsed.extension.get('externalId') ?? ''), `a line with an unknown or forged externalId: ${line.slice(0, 300)}`);
			}
			assert.ok(lines.some((line) => line.includes('\\n') || line.includes('\\=')), 'hostile records were among those delivered');
			// Each line is a CEF line in the original layout.
			const sample = lines.find((line) => line.includes('EVENT_CATEGORY_'))!;
			assert.match(sample, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z CEF:0\|MCAS\|SIEM_Agent\|[^|]+\|EVENT_CATEGORY_\w+\|[^|]*\|0\|externalId=/);
		});
	});
}
