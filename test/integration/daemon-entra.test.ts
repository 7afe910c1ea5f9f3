/**
 * The daemon signing in as an Entra ID app, with real parts: the simulator as tenant and as
 * authority (short-lived tokens, so they are renewed during the run), the secret from
 * SIEM_AGENT_CLIENT_SECRET, Debian's rsyslog receiving, and the log file checked for secrets.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {after, before, describe, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {day, expectedIds, fastPolling, hasAll} from '../helpers/events.ts';
import {Rsyslog} from '../helpers/rsyslog.ts';
import {waitFor} from '../helpers/wait.ts';

const secret = 'Entra~Secret.Value-0123456789';
const app = {tenantId: 'contoso.onmicrosoft.com', clientId: '0b6c7d3e-1111-4222-8333-944455556666', clientSecret: secret};

describe('daemon with an Entra ID app', () => {
	let simulator: Simulator;
	before(async () => {
		// Tokens live 4 s: renewed after 2 s, so a run of a few seconds renews several.
		simulator = await createSimulator({seed: 21, historyActivities: 300, historyAlerts: 10, liveActivitiesPerSecond: 20, throttle: 0, entra: app, tokenLifetimeSeconds: 4});
	});
	after(async () => simulator?.close());

	const appFlags = () => ['--tenant-id', app.tenantId, '--client-id', app.clientId, '--authority', simulator.url];

	it('forwards everything with Bearer tokens it renews before they expire; the secret appears nowhere', async () => {
		const rsyslog = await Rsyslog.start('tcp-lf');
		const directory = await tempDirectory();
		const started = Date.now();
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, ...appFlags(), '--syslog', `127.0.0.1:${rsyslog.port}`, '--stateDirectory', `${directory}/state`, '--logsDirectory', `${directory}/logs`, '--metrics', '127.0.0.1:0', ...fastPolling], {SIEM_AGENT_CLIENT_SECRET: secret});
		try {
			await rsyslog.waitFor(hasAll(expectedIds(simulator, started - (2 * day) + 1000, started)), 60_000, 'the backfill');
			const issuedAfterBackfill = simulator.stats().tokensIssued;
			assert.ok(daemon.logs.some(line => line.code === 'CONNECTED' && line.msg.endsWith(`as Entra ID app ${app.clientId}`)), daemon.stderr);
			// Live events keep flowing across token renewals (two at least; however long a loaded
			// machine takes to get there, never a fixed sleep).
			await waitFor('two token renewals', () => simulator.stats().tokensIssued >= issuedAfterBackfill + 2, {timeoutMs: 60_000});
			const cut = Date.now() - 2000;
			await rsyslog.waitFor(hasAll(expectedIds(simulator, started - (2 * day) + 1000, cut)), 30_000, 'live events after renewals');
			// Prometheus counts the token requests the agent made, as the simulator saw them.
			const metricsUrl = String(daemon.logs.find(line => typeof line.metrics === 'string')?.metrics);
			const text = await (await fetch(`${metricsUrl}/metrics`)).text();
			const counted = Number(/^siem_agent_entra_token_requests_total\{agent="default",status="200"\} (\d+)$/m.exec(text)?.[1]);
			// Snapshots are taken once a second, so the counter may trail the simulator by a little.
			assert.ok(counted >= 2 && counted <= simulator.stats().tokensIssued, `${counted} token requests counted, ${simulator.stats().tokensIssued} issued`);
			assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
		} finally {
			// A failed assertion above must not leave the daemon running (the test file would never end).
			if (daemon.child.exitCode === null) {
				await daemon.stop('SIGKILL');
			}

			await rsyslog.stop();
		}

		assert.deepEqual(daemon.logs.filter(line => line.level !== 'info').map(line => line.code), [], daemon.stderr.slice(-2000));
		const logFile = await readFile(`${directory}/logs/siem-agent.log`, 'utf8');
		for (const text of [daemon.stderr, logFile]) {
			assert.ok(!text.includes(secret), 'client secret in the logs');
			assert.ok(!text.includes('sim-jwt.'), 'an access token in the logs');
		}
	});

	it('exits 3 when Entra ID refuses the secret, quoting its reason and saying what to check', async () => {
		const state = await tempDirectory();
		const wrong = 'Wrong~Secret.Value-9876543210';
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, ...appFlags(), '--client-secret', wrong, '--syslog', '127.0.0.1:9', '--stateDirectory', state, ...fastPolling]);
		const {code} = await daemon.exited;
		assert.equal(code, 3, daemon.stderr);
		const line = daemon.logs.find(entry => entry.code === 'INVALID_APP_CREDENTIALS');
		assert.ok(line, daemon.stderr);
		assert.match(line.msg, /AADSTS7000215: Invalid client secret provided/);
		assert.match(line.msg, /client secret \(its Value, not its Secret ID/);
		assert.ok(!daemon.stderr.includes(wrong));
	});

	it('signs in with a certificate file instead of the secret', async () => {
		const directory = await tempDirectory();
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'app.key', '-out', 'app.pem', '-days', '30', '-subj', '/CN=siem-agent app'], {cwd: directory, stdio: 'ignore'});
		const certSim = await createSimulator({seed: 22, historyActivities: 10, historyAlerts: 5, liveActivitiesPerSecond: 0, throttle: 0, entra: {...app, certificate: readFileSync(`${directory}/app.pem`, 'utf8')}});
		const rsyslog = await Rsyslog.start('tcp-lf');
		const started = Date.now();
		const daemon = new DaemonProcess(['--daemon', '--url', certSim.url, '--tenant-id', app.tenantId, '--client-id', app.clientId, '--authority', certSim.url, '--client-certificate', `${directory}/app.pem`, '--client-key', `${directory}/app.key`, '--syslog', `127.0.0.1:${rsyslog.port}`, '--stateDirectory', `${directory}/state`, ...fastPolling]);
		try {
			await rsyslog.waitFor(hasAll(expectedIds(certSim, started - (2 * day) + 1000, started)), 30_000, 'the backfill');
			assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
			assert.ok(certSim.stats().tokensIssued >= 1);
		} finally {
			if (daemon.child.exitCode === null) {
				await daemon.stop('SIGKILL');
			}

			await rsyslog.stop();
			await certSim.close();
		}
	});

	it('exits 2 naming the setting when the app is incomplete or given together with a token', async () => {
		for (const [args, message] of [
			[['--tenant-id', app.tenantId, '--client-secret', secret], /--client-id: .*no application \(client\) ID/],
			[['--tenant-id', app.tenantId, '--client-id', app.clientId], /--client-secret: .*neither a client secret nor a certificate/],
			[[...appFlags(), '--client-certificate', '/nonexistent/app.pem'], /certificate file \\"\/nonexistent\/app\.pem\\" cannot be read: no such file/],
			[[...appFlags(), '--client-secret', secret, '--token', simulator.token], /--token: give either an API token .* or an Entra ID app/],
		] as const) {
			const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, ...args, '--syslog', '127.0.0.1:9', '--stateDirectory', await tempDirectory()]);
			assert.equal((await daemon.exited).code, 2, daemon.stderr);
			assert.match(daemon.stderr, message);
			assert.ok(!daemon.stderr.includes(secret));
		}
	});
});
