/**
 * An operator opens `siem-agent` over SSH on a server where the service already runs the
 * agents: the dashboard does not start a second engine on the same checkpoints; it says the
 * service runs them, shows the service's own figures (from its --metrics endpoint), and an edit
 * saved in the wizard is applied by the running service.
 */
import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, it} from 'node:test';
import {applyFlags} from '../../source/config/resolve.ts';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {cliPath, DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';
import {TmuxSession, turnAlertsOff} from '../helpers/tmux.ts';

let simulator: Simulator;
let collector: Collector;
let session: TmuxSession | undefined;

before(async () => {
	simulator = await createSimulator({seed: 13, historyActivities: 200, historyAlerts: 20, liveActivitiesPerSecond: 10, liveAlertsPerMinute: 120, throttle: 0});
	collector = await startCollector('tcp');
});

after(async () => {
	session?.kill();
	await collector?.close();
	await simulator?.close();
});

/** A config file with one agent for the simulator and the collector, in a fresh directory. */
async function agentFiles(prefix: string, flags: Parameters<typeof applyFlags>[1]) {
	const directory = await tempDirectory(prefix);
	const config = path.join(directory, 'config.json');
	const state = path.join(directory, 'state');
	const agent = applyFlags(undefined, {url: simulator.url, token: simulator.token, syslog: `127.0.0.1:${collector.port}`, pollInterval: 1, requestsPerMinute: 0, settle: 0, ...flags});
	await writeFile(config, JSON.stringify({agents: [agent]}), {mode: 0o600});
	return {directory, config, state};
}

it('edits the agents of a running service instead of running them twice', async () => {
	const {directory, config, state} = await agentFiles('siem-beside-', {name: 'prod', framing: 'octet-counting'});
	const service = new DaemonProcess(['--daemon', '--config', config, '--stateDirectory', state, '--metrics', '127.0.0.1:0']);
	try {
		await collector.waitUntil((messages) => messages.some((m) => m.includes('|ALERT_')), 20_000);
		session = new TmuxSession(`env NO_COLOR=1 HOME=${directory} ${process.execPath} ${cliPath} --config ${config} --stateDirectory ${state}`);
		await session.waitForText(`The siem-agent service (pid ${service.child.pid}) runs these agents`);
		// Its figures, read from the service's --metrics endpoint, fill the dashboard.
		await session.waitFor((screen) => /prod\s+Alerts, Activities\s+Connected/.test(screen) && /Activities\s+live/.test(screen), 20_000, 'the service\'s live figures');

		await turnAlertsOff(session, 'prod');
		await service.waitForLog((line) => line.code === 'RELOADED', 15_000);

		// The service follows: no more alerts after the edit.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const alertsAfterReload = collector.messages.filter((m) => m.includes('|ALERT_')).length;
		const total = collector.messages.length;
		await collector.waitUntil((messages) => messages.length > total + 10, 20_000);
		assert.equal(collector.messages.filter((m) => m.includes('|ALERT_')).length, alertsAfterReload, 'the running service stopped sending alerts');

		await session.key('q');
		await session.waitForExit();
		assert.equal(service.child.exitCode, null, 'quitting the dashboard leaves the service running');
	} finally {
		assert.equal(await service.stop(), 0, service.stderr.slice(-2000));
	}
});

it('a window opened while another still runs the agents takes over once that one has gone', async () => {
	const {directory, config, state} = await agentFiles('siem-takeover-', {name: 'ops', dataTypes: 'activities'});
	const command = `env NO_COLOR=1 HOME=${directory} ${process.execPath} ${cliPath} --config ${config} --stateDirectory ${state}`;
	const first = new TmuxSession(command);
	let second: TmuxSession | undefined;
	try {
		await first.waitFor((screen) => /Activities\s+live/.test(screen), 20_000, 'the first window running the agent');
		// An SSH session that dropped: the old window is still on its way out when the new one starts.
		second = new TmuxSession(command);
		await second.waitForText(/Another siem-agent window \(pid \d+\) runs these agents/);
		await first.key('q');
		await first.waitForExit();
		await second.waitFor((screen) => !screen.includes('Another siem-agent window') && /Activities\s+live/.test(screen), 20_000, 'the second window running the agent itself');
		const sent = collector.messages.length;
		await collector.waitUntil((messages) => messages.length > sent, 20_000);
		await second.key('q');
		await second.waitForExit();
	} finally {
		first.kill();
		second?.kill();
	}
});

it('a window beside a service that stops says so and leaves the state directory to the service', async () => {
	const {directory, config, state} = await agentFiles('siem-service-stops-', {name: 'svc', dataTypes: 'activities'});
	const service = new DaemonProcess(['--daemon', '--config', config, '--stateDirectory', state]);
	const window = new TmuxSession(`env NO_COLOR=1 HOME=${directory} ${process.execPath} ${cliPath} --config ${config} --stateDirectory ${state}`);
	let restarted: DaemonProcess | undefined;
	try {
		await window.waitForText(`The siem-agent service (pid ${service.child.pid}) runs these agents`);
		assert.equal(await service.stop(), 0, service.stderr.slice(-2000));
		await window.waitForText(`The siem-agent service (pid ${service.child.pid}) has stopped: nothing is being forwarded`);
		// The window did not take the directory: the service starts again (a restart, an upgrade).
		restarted = new DaemonProcess(['--daemon', '--config', config, '--stateDirectory', state]);
		await restarted.waitForLog((line) => line.code === 'STARTED', 15_000);
		await window.waitForText(`The siem-agent service (pid ${restarted.child.pid}) runs these agents`);
		await window.key('q');
		await window.waitForExit();
	} finally {
		window.kill();
		if (restarted) {
			assert.equal(await restarted.stop(), 0, restarted.stderr.slice(-2000));
		}
	}
});
