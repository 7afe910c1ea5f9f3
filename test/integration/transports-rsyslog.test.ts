/**
 * The daemon end to end over the secure transports: the simulator, the real CLI as a child
 * process and Debian's rsyslog receiving over TLS (imtcp with the GnuTLS driver, certificates
 * made with openssl) and over RELP (imrelp), the latter restarted mid-stream. Every event
 * arrives exactly once.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {testCertificates} from '../helpers/certificates.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {day, duplicates, expectedIds, fastPolling, hasAll, idsOf} from '../helpers/events.ts';
import {Rsyslog} from '../helpers/rsyslog.ts';
import {parseCef} from '../formats/cef-parser.ts';

/** Waits until every event from the two-day horizon to now is in rsyslog's file; returns the lines. */
async function waitForEverything(simulator: Simulator, rsyslog: Rsyslog, startedAt: number, what: string): Promise<string[]> {
	const wanted = expectedIds(simulator, startedAt - 2 * day + 1000, Date.now());
	assert.ok(wanted.length > 500, `the simulator should have a backlog, has ${wanted.length}`);
	return rsyslog.waitFor(hasAll(wanted), 40_000, what);
}

/** Hostile text (a fifth of the records) never splits a message or forges a field. */
function assertIntact(lines: string[]): void {
	for (const line of lines) {
		assert.ok(/^[a-f\d]{24}$|^\d+_[\da-f-]{36}$/.test(parseCef(line).extension.get('externalId') ?? ''), `a broken or forged line: ${line.slice(0, 300)}`);
	}
	assert.ok(lines.some((line) => line.includes('\\n') || line.includes('\\=')), 'hostile records were among those delivered');
}

describe('daemon → rsyslog over the secure transports', () => {
	const certificates = testCertificates();
	let simulator: Simulator;

	before(async () => {
		simulator = await createSimulator({seed: 17, historyActivities: 8000, historyAlerts: 20, liveActivitiesPerSecond: 20, hostileFraction: 0.2, throttle: 0});
	});
	after(async () => simulator?.close());

	it('--protocol tls --ca FILE: every event exactly once over a verified TLS connection', async () => {
		const rsyslog = await Rsyslog.start('tls', undefined, {tls: {ca: certificates.ca, cert: certificates.server.cert, key: certificates.server.key}});
		const state = await tempDirectory();
		const started = Date.now();
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${rsyslog.port}`, '--protocol', 'tls', '--ca', certificates.ca, '--stateDirectory', state, ...fastPolling]);
		try {
			await daemon.waitForLog((line) => line.code === 'STARTED');
			await new Promise((resolve) => setTimeout(resolve, 1000));
			await waitForEverything(simulator, rsyslog, started, 'every event over TLS');
			assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
			const received = await rsyslog.messages();
			assert.deepEqual(duplicates(idsOf(received)), []);
			assertIntact(received);
			assert.equal(daemon.logs.some((line) => line.level === 'error'), false, daemon.stderr.slice(-2000));
		} finally {
			await daemon.stop();
			await rsyslog.stop();
		}
	});

	it('--protocol relp: every event exactly once, across an rsyslog restart mid-stream', async () => {
		const rsyslog = await Rsyslog.start('relp');
		const state = await tempDirectory();
		const started = Date.now();
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${rsyslog.port}`, '--protocol', 'relp', '--stateDirectory', state, ...fastPolling]);
		try {
			await rsyslog.waitFor((lines) => lines.length > 300, 30_000, 'the first events');
			await rsyslog.stop();
			await daemon.waitForLog((line) => /^DATA_SERVER_|^RELP_ERROR$/.test(line.code), 30_000);
			await new Promise((resolve) => setTimeout(resolve, 500));
			await rsyslog.restart();
			await daemon.waitForLog((line) => line.code === 'CONNECTED' && /syslog/.test(line.msg), 30_000);
			await waitForEverything(simulator, rsyslog, started, 'every event across the restart');
			assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
			const lines = await rsyslog.messages();
			const twice = duplicates(idsOf(lines));
			assertIntact(lines);
			assert.deepEqual(twice, [], `RELP: no duplicate even across a receiver restart; at lines ${twice.slice(0, 3).map((id) => idsOf(lines).indexOf(id)).join()}… of ${lines.length}\n${daemon.stderr.slice(-3000)}`);
		} finally {
			await daemon.stop();
			await rsyslog.stop();
		}
	});

	it('a certificate the agent does not trust is logged as TLS_UNKNOWN_CA; a missing --ca file stops start-up (exit 2) naming it', async () => {
		const rsyslog = await Rsyslog.start('tls', undefined, {tls: {ca: certificates.ca, cert: certificates.server.cert, key: certificates.server.key}});
		const untrusting = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${rsyslog.port}`, '--protocol', 'tls', '--ca', certificates.otherCa, '--stateDirectory', await tempDirectory(), ...fastPolling]);
		try {
			const line = await untrusting.waitForLog((entry) => entry.code === 'TLS_UNKNOWN_CA', 30_000);
			assert.match(line.msg, /--ca/);
			assert.deepEqual(await rsyslog.messages(), []);
		} finally {
			await untrusting.stop();
			await rsyslog.stop();
		}

		const missing = path.join(certificates.directory, 'missing-ca.pem');
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1', '--protocol', 'tls', '--ca', missing, '--stateDirectory', await tempDirectory()]);
		const {code} = await daemon.exited;
		assert.equal(code, 2, daemon.stderr);
		assert.ok(daemon.codes().includes('CONFIG_ERROR'), daemon.stderr);
		assert.ok(daemon.stderr.includes(missing), daemon.stderr);
	});
});
