/**
 * The daemon with a config file: several agents in one process (each to its own SIEM), flags
 * over the file, and edits to the file applied to the running agents without a restart.
 */
import assert from 'node:assert/strict';
import {chmod, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {after, before, it} from 'node:test';
import {applyFlags} from '../../source/config/resolve.ts';
import type {AgentConfig, FileConfig} from '../../source/config/schema.ts';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';

let simulator: Simulator;
let alertsSiem: Collector;
let activitiesSiem: Collector;

before(async () => {
	simulator = await createSimulator({seed: 21, historyActivities: 400, historyAlerts: 30, liveActivitiesPerSecond: 20, liveAlertsPerMinute: 120, throttle: 0});
	alertsSiem = await startCollector('tcp');
	activitiesSiem = await startCollector('udp');
});

after(async () => {
	await alertsSiem?.close();
	await activitiesSiem?.close();
	await simulator?.close();
});

function agent(name: string, siem: Collector, dataTypes: string): AgentConfig {
	return {
		...applyFlags(undefined, {
			name, url: simulator.url, token: simulator.token, syslog: `127.0.0.1:${siem.port}`, protocol: siem.protocol,
			dataTypes, pollInterval: 1, requestsPerMinute: 0, settle: 0,
		}),
		...(siem.protocol === 'tcp' ? {syslog: {protocol: 'tcp', host: '127.0.0.1', port: siem.port, framing: 'octet-counting'}} : {}),
	} as AgentConfig;
}

it('runs several agents from one file and applies edits to the file without a restart', async () => {
	const directory = await tempDirectory('siem-config-');
	const file = path.join(directory, 'agents.json');
	const config: FileConfig = {agents: [agent('alerts-to-a', alertsSiem, 'alerts'), agent('activities-to-b', activitiesSiem, 'activities')]};
	await writeFile(file, JSON.stringify(config), {mode: 0o600});
	const daemon = new DaemonProcess(['--daemon', '--config', file, '--stateDirectory', path.join(directory, 'state')]);
	try {
		await alertsSiem.waitUntil((m) => m.length >= 20, 20_000);
		await activitiesSiem.waitUntil((m) => m.length >= 200, 20_000);
		assert.ok(alertsSiem.messages.every((m) => m.includes('|ALERT_')), 'only alerts on the alerts SIEM');
		assert.ok(activitiesSiem.messages.every((m) => m.includes('|EVENT_CATEGORY_')), 'only activities on the activities SIEM');
		// The service log starts with the build and the files it uses.
		assert.equal(daemon.logs[0]?.code, 'STARTING');
		assert.match(daemon.logs[0]!.msg, new RegExp(`^siem-agent \\d+\\.\\d+\\.\\d+ \\(Node \\d+\\.\\d+\\.\\d+, pid \\d+\\) starting 2 agents \\(alerts-to-a, activities-to-b\\); config ${file.replaceAll('.', '\\.')}, state `));

		// Edit the file: the activities agent now sends alerts too.
		const edited = structuredClone(config);
		edited.agents[1]!.dataTypes.alerts.enabled = true;
		await writeFile(file, JSON.stringify(edited));
		await daemon.waitForLog((line) => line.code === 'RELOADED', 10_000);
		await activitiesSiem.waitUntil((m) => m.some((line) => line.includes('|ALERT_')), 20_000);

		// SIGHUP reloads too.
		daemon.child.kill('SIGHUP');
		await daemon.waitForLog((line) => line.code === 'RELOADED' && /SIGHUP/.test(line.msg), 10_000);

		// A value that does not validate (a typo, a string for a switch) is refused as a whole:
		// the running agents go on as they were.
		for (const [change, expected] of [
			[(broken: FileConfig) => Object.assign(broken.agents[0]!, {format: 'jsn'}), /format is "jsn"; use one of cef, leef, json/],
			[(broken: FileConfig) => Object.assign(broken.agents[1]!, {paused: 'false'}), /paused is "false"; use true or false/],
			[(broken: FileConfig) => Object.assign(broken.agents[1]!, {pollIntervalSeconds: -5}), /pollIntervalSeconds is -5; use a number of at least 1/],
		] as const) {
			const broken = structuredClone(edited);
			change(broken);
			const before = daemon.logs.length;
			await writeFile(file, JSON.stringify(broken));
			const refused = await daemon.waitForLog((line) => line.code === 'CONFIG_ERROR' && daemon.logs.indexOf(line) >= before, 10_000);
			assert.match(refused.msg, /reload refused, keeping the running configuration/);
			assert.match(refused.msg, expected);
		}
		const count = activitiesSiem.messages.length;
		await activitiesSiem.waitUntil((m) => m.length > count + 20, 20_000);
		assert.ok(!daemon.logs.some((line) => line.code === 'RELOADED' && /config file changed/.test(line.msg) && daemon.logs.indexOf(line) > daemon.logs.findIndex((l) => /reload refused/.test(l.msg))), 'nothing refused was applied');
	} finally {
		// Ctrl-C is as graceful as SIGTERM (a dependency's signal hook once made it exit 130 at once).
		assert.equal(await daemon.stop('SIGINT'), 0, daemon.stderr.slice(-2000));
	}
	assert.equal(daemon.logs.filter((line) => line.code === 'RELOADED' && /SIGHUP/.test(line.msg)).length, 1, 'one SIGHUP, one reload');
	assert.equal(daemon.logs.at(-1)?.code, 'STOPPED');
	const states = await Promise.all(['alerts-to-a.alerts', 'activities-to-b.activities', 'activities-to-b.alerts'].map(async (stem) => stat(path.join(directory, 'state', `${stem}.checkpoint.json`))));
	assert.equal(states.length, 3, 'each agent and data type has its own checkpoint');
	assert.equal((await readFile(file, 'utf8')).includes(simulator.token), true, 'the config file keeps the token (and only it does)');
});

it('refuses a broken config file with exit 2 and names the file', async () => {
	const directory = await tempDirectory('siem-config-');
	const file = path.join(directory, 'broken.json');
	await writeFile(file, '{"agents": [');
	const daemon = new DaemonProcess(['--daemon', '--config', file]);
	assert.equal((await daemon.exited).code, 2, daemon.stderr);
	assert.match(daemon.stderr, /broken\.json/);
});

it('warns when the config file that holds a token is readable by every user', async () => {
	const directory = await tempDirectory('siem-config-');
	const file = path.join(directory, 'agents.json');
	await writeFile(file, JSON.stringify({agents: [agent('exposed', alertsSiem, 'alerts')]}), {mode: 0o644});
	await chmod(file, 0o644);
	const daemon = new DaemonProcess(['--daemon', '--config', file, '--stateDirectory', path.join(directory, 'state')]);
	try {
		const line = await daemon.waitForLog((entry) => entry.code === 'CONFIG_FILE_EXPOSED', 10_000);
		assert.match(line.msg, /\(mode 0644\) is readable by every user on this machine — .*chmod 600/);
	} finally {
		assert.equal(await daemon.stop(), 0);
	}
	await chmod(file, 0o600);
	const quiet = new DaemonProcess(['--daemon', '--config', file, '--stateDirectory', path.join(directory, 'state')]);
	try {
		await quiet.waitForLog((entry) => entry.code === 'STARTED' && entry.agent === 'exposed', 10_000);
		assert.ok(!quiet.codes().includes('CONFIG_FILE_EXPOSED'));
	} finally {
		assert.equal(await quiet.stop(), 0);
	}
});

it('says the config file does not exist, or holds no agents, rather than that nothing is configured', async () => {
	const directory = await tempDirectory('siem-config-');
	const missing = path.join(directory, 'typo.json');
	const absent = new DaemonProcess(['--daemon', '--config', missing]);
	assert.equal((await absent.exited).code, 2, absent.stderr);
	assert.match(absent.stderr, new RegExp(`the config file ${missing.replaceAll('.', '\\.')} does not exist`));
	const empty = path.join(directory, 'empty.json');
	await writeFile(empty, '{"agent": []}', {mode: 0o600});
	const none = new DaemonProcess(['--daemon', '--config', empty]);
	assert.equal((await none.exited).code, 2, none.stderr);
	assert.match(none.stderr, /empty\.json has no agents \(they go in its \\"agents\\" list\)/);
});

it('a state or logs directory it cannot create is a configuration error that names the flag (exit 2)', {timeout: 60_000}, async () => {
	const directory = await tempDirectory('siem-config-');
	const blocker = path.join(directory, 'a-file');
	await writeFile(blocker, 'not a directory');
	for (const [flag, what] of [['--stateDirectory', 'state'], ['--logsDirectory', 'logs']] as const) {
		const other = flag === '--logsDirectory' ? ['--stateDirectory', path.join(directory, 'state')] : [];
		const daemon = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1:9', '--config', path.join(directory, 'none.json'), ...other, flag, path.join(blocker, 'dir')]);
		assert.equal((await daemon.exited).code, 2, daemon.stderr);
		assert.match(daemon.stderr, new RegExp(`${flag}: cannot create the ${what} directory .*a-file/dir: a file of that name is in the way`));
	}
	// Node's own recursive mkdir spins for ever under /proc; ours answers.
	const proc = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1:9', '--config', path.join(directory, 'none.json'), '--stateDirectory', '/proc/siem-agent-test/state']);
	assert.equal((await proc.exited).code, 2, proc.stderr);
	assert.match(proc.stderr, /--stateDirectory: cannot create the state directory \/proc\/siem-agent-test\/state: the system allows no directory there/);
});

it('names settings it does not know (a typo) at start-up instead of ignoring them in silence', async () => {
	const directory = await tempDirectory('siem-config-');
	const file = path.join(directory, 'typo.json');
	const typo = {...agent('typo', activitiesSiem, 'activities'), formt: 'leef'};
	await writeFile(file, JSON.stringify({agents: [typo]}), {mode: 0o600});
	const daemon = new DaemonProcess(['--daemon', '--config', file, '--stateDirectory', path.join(directory, 'state')]);
	try {
		const warning = await daemon.waitForLog((line) => line.code === 'CONFIG_UNKNOWN_SETTING', 10_000);
		assert.equal(warning.level, 'warn');
		assert.match(warning.msg, /typo\.json: agents\[0\]\.formt is not a setting siem-agent knows; ignored — .*check the spelling/);
	} finally {
		assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
	}
});

it('a SIGTERM that comes while the daemon is starting stops it cleanly (a service stopped right after its start)', async () => {
	const directory = await tempDirectory('siem-config-');
	const file = path.join(directory, 'config.json');
	await writeFile(file, JSON.stringify({agents: [agent('early-stop', activitiesSiem, 'activities')]}), {mode: 0o600});
	// Each round sends the signal as soon as the first log line is out, while start-up goes on.
	for (let round = 0; round < 5; round++) {
		const daemon = new DaemonProcess(['--daemon', '--config', file, '--stateDirectory', path.join(directory, `state-${round}`)]);
		await daemon.waitForLog((line) => line.code === 'STARTING', 10_000);
		assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
		assert.ok(daemon.codes().includes('STOPPING'), daemon.stderr.slice(-2000));
	}
});
