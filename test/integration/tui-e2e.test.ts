/**
 * The real CLI in a pseudo-terminal (tmux), as an operator over SSH uses it: the wizard (with a
 * wrong token first), save, the dashboard showing events from the simulator arriving at the
 * receiver; then `e` turns alerts off and the running agent follows without a restart.
 */
import assert from 'node:assert/strict';
import {readdir, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {after, before, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {cliPath, tempDirectory} from '../helpers/daemon.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';
import {TmuxSession, turnAlertsOff} from '../helpers/tmux.ts';

let simulator: Simulator;
let collector: Collector;
let session: TmuxSession | undefined;

before(async () => {
	simulator = await createSimulator({seed: 5, historyActivities: 500, historyAlerts: 20, liveActivitiesPerSecond: 10, liveAlertsPerMinute: 120, throttle: 0});
	collector = await startCollector('tcp');
});

after(async () => {
	session?.kill();
	await collector?.close();
	await simulator?.close();
});

it('wizard → save → dashboard with events flowing; e edits the data types of the running agent', async () => {
	const directory = await tempDirectory('siem-tui-');
	const config = path.join(directory, 'config.json');
	session = new TmuxSession(`env NO_COLOR=1 HOME=${directory} ${process.execPath} ${cliPath} --config ${config}`);

	// Step 1: General.
	await session.waitForText('step 1 of 4: General');
	await session.key('Enter');
	await session.waitForText('Enter a name for the agent.');
	await session.type('lab agent');
	await session.key('Enter');
	// Step 2: Remote syslog, with a wrong port first.
	await session.waitForText('step 2 of 4: Remote syslog');
	await session.type('127.0.0.1');
	await session.key('Tab', 'BSpace', 'BSpace', 'BSpace');
	await session.type('99999');
	await session.key('Enter');
	await session.waitForText('The port must be a number from 1 to 65535');
	await session.key('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
	await session.type(String(collector.port));
	await session.key('Enter');
	// Step 3: Data types (both on by default).
	await session.waitForText('step 3 of 4: Data types');
	await session.key('Enter');
	// Step 4: Connection, with a wrong token first.
	await session.waitForText('step 4 of 4: Connection');
	await session.type(simulator.url);
	// Past "Sign in with" (API token, the default) to the token.
	await session.key('Tab');
	await session.key('Tab');
	await session.type('wrong-token-xyz');
	await session.key('Enter');
	const refused = await session.waitForText('Invalid token');
	assert.match(refused, /regenerate/);
	assert.equal(refused.includes('wrong-token-xyz'), false, 'the token is never on screen');
	for (let i = 0; i < 'wrong-token-xyz'.length; i++) {
		await session.key('BSpace');
	}
	await session.type(simulator.token);
	await session.key('Enter');

	// Dashboard: connected, events counted, and they really arrive at the receiver.
	await session.waitFor((screen) => /lab agent.*Connected/.test(screen) && /Activities\s+live/.test(screen), 30_000, 'the dashboard, connected and live');
	await collector.waitUntil((messages) => messages.some((m) => m.includes('EVENT_CATEGORY_')) && messages.some((m) => m.includes('ALERT_')), 30_000);
	assert.equal(session.screen().includes(simulator.token), false);
	assert.equal((await stat(config)).mode & 0o777, 0o600, 'the config file holding the token is private');

	// e: turn alerts off; the running agent follows.
	await turnAlertsOff(session, 'lab agent');
	await session.waitFor((screen) => /Alerts\s+off/.test(screen) && /lab agent\s+Activities\s/.test(screen), 20_000, 'alerts off in the dashboard');
	const saved = JSON.parse(await readFile(config, 'utf8')) as {agents: Array<{dataTypes: {alerts: {enabled: boolean}}}>};
	assert.equal(saved.agents[0]!.dataTypes.alerts.enabled, false);
	// No new alerts reach the receiver once the edit is applied.
	const count = collector.messages.length;
	await collector.waitUntil((messages) => messages.length > count + 20, 20_000);
	const alertsBefore = collector.messages.slice(0, count).filter((m) => m.includes('|ALERT_')).length;
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const alertsAfter = collector.messages.filter((m) => m.includes('|ALERT_')).length;
	assert.ok(alertsAfter - alertsBefore <= 2, `alerts kept coming after they were turned off (${alertsAfter - alertsBefore})`);

	// d asks first, then stops the agent and removes its checkpoints.
	const state = path.join(directory, 'state');
	assert.ok((await readdir(state)).some((file) => file.startsWith('lab%20agent.activities')), 'checkpoints were saved');
	await session.key('d');
	await session.waitForText('Delete agent "lab agent"?');
	await session.key('y');
	await session.waitFor((screen) => !screen.includes('lab agent'), 20_000, 'the agent gone from the dashboard');
	const left = await readdir(state);
	assert.deepEqual(left.filter((file) => file.includes('checkpoint')), [], 'its checkpoints are removed');

	await session.key('q');
	await session.waitForExit();
});
