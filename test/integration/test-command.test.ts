/**
 * `siem-agent test`: one test message to the syslog server and one cheap API call, with a
 * verdict a person can act on and an exit code a script can use.
 */
import assert from 'node:assert/strict';
import {after, before, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {freePort} from '../helpers/rsyslog.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';

let simulator: Simulator;
let collector: Collector;

before(async () => {
	simulator = await createSimulator({seed: 2, historyActivities: 10, historyAlerts: 2});
	collector = await startCollector('tcp');
});

after(async () => {
	await collector?.close();
	await simulator?.close();
});

it('sends one test message and checks the token', async () => {
	const config = `${await tempDirectory()}/none.json`;
	const run = new DaemonProcess(['test', '--config', config, '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${collector.port}`]);
	assert.equal((await run.exited).code, 0, run.stdout + run.stderr);
	assert.match(run.stdout, /✓ default: syslog 127\.0\.0\.1:\d+\/tcp: test message sent/);
	assert.match(run.stdout, /✓ default: API .*token accepted/);
	const [message] = await collector.waitFor(1);
	assert.match(message!, /CEF:0\|MCAS\|SIEM_Agent\|[^|]+\|SIEM_AGENT_TEST\|siem-agent test message\|/);
});

it('sends the test message in the agent\'s own format', async () => {
	const config = `${await tempDirectory()}/none.json`;
	const before = collector.messages.length;
	const run = new DaemonProcess(['test', '--config', config, '--format', 'leef', '--syslog', `127.0.0.1:${collector.port}`]);
	assert.equal((await run.exited).code, 0, run.stdout + run.stderr);
	const messages = await collector.waitFor(before + 1);
	assert.match(messages.at(-1)!, /LEEF:2\.0\|Microsoft\|Defender for Cloud Apps\|[^|]+\|SIEM_AGENT_TEST\|/);
});

it('says what is wrong, with the remediation, and exits non-zero', async () => {
	const config = `${await tempDirectory()}/none.json`;
	const run = new DaemonProcess(['test', '--config', config, '--url', simulator.url, '--token', 'not-the-token', '--syslog', `127.0.0.1:${await freePort()}`]);
	assert.equal((await run.exited).code, 3);
	assert.match(run.stdout, /✗ default: syslog .*connection refused/);
	assert.match(run.stdout, /regenerate/);
	assert.equal(run.stdout.includes('not-the-token'), false);
});

it('checks an Entra ID app the same way, and names what Entra ID refused', async () => {
	const config = `${await tempDirectory()}/none.json`;
	const app = ['--tenant-id', 'sim-tenant', '--client-id', 'sim-client', '--authority', simulator.url];
	const good = new DaemonProcess(['test', '--config', config, '--url', simulator.url, ...app, '--client-secret', 'sim-secret', '--syslog', `127.0.0.1:${collector.port}`]);
	assert.equal((await good.exited).code, 0, good.stdout + good.stderr);
	assert.match(good.stdout, /✓ default: API .*Entra ID app accepted/);
	const bad = new DaemonProcess(['test', '--config', config, '--url', simulator.url, ...app, '--syslog', `127.0.0.1:${collector.port}`], {SIEM_AGENT_CLIENT_SECRET: 'not-the-secret'});
	assert.equal((await bad.exited).code, 3, bad.stdout + bad.stderr);
	assert.match(bad.stdout, /✗ default: API: Entra ID did not issue a token .*AADSTS7000215/);
	assert.match(bad.stdout, /its Value, not its Secret ID/);
	assert.equal(bad.stdout.includes('not-the-secret'), false);
});

it('a bad SIEM_AGENT_* value is a configuration error (exit 2) naming the variable', async () => {
	const run = new DaemonProcess(['test', '--config', `${await tempDirectory()}/none.json`, '--syslog', `127.0.0.1:${collector.port}`], {SIEM_AGENT_INCLUDE_PRI: 'maybe'});
	assert.equal((await run.exited).code, 2, run.stdout + run.stderr);
	assert.match(run.stderr, /SIEM_AGENT_INCLUDE_PRI: "maybe" is not true or false/);
});
