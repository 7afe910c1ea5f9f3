/**
 * `siem-agent demo`: the whole product with nothing to set up. A simulated tenant and the
 * built-in receiver on free loopback ports, one agent wired to them in a temporary config (never
 * the user's), and the dashboard. Everything is removed on quit.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {AgentConfig} from './config/schema.ts';
import {defaultDataTypes, defaults} from './config/schema.ts';
import {saveAgent} from './config/store.ts';
import {runInteractive} from './interactive.ts';
import {createReceiver} from './listen/receiver.ts';
import {createSimulator} from './simulate/simulator.ts';

export async function runDemo(_flags: Record<string, unknown>): Promise<number> {
	const directory = await mkdtemp(path.join(os.tmpdir(), 'siem-agent-demo-'));
	const simulator = await createSimulator({seed: 1, liveActivitiesPerSecond: 25, liveAlertsPerMinute: 6, lateArrivalFraction: 0.05});
	const receiver = await createReceiver({protocol: 'tcp', host: '127.0.0.1', port: 0});
	try {
		const config = path.join(directory, 'config.json');
		const agent: AgentConfig = {
			name: 'demo',
			url: simulator.url,
			token: simulator.token,
			format: defaults.format,
			cef: {...defaults.cef},
			syslog: {protocol: 'tcp', host: '127.0.0.1', port: receiver.port, framing: 'octet-counting'},
			dataTypes: defaultDataTypes(),
			// Two data types polled every 5 s stay under the simulated tenant's 30 requests a minute.
			pollIntervalSeconds: 5,
			requestsPerMinute: defaults.requestsPerMinute,
			settleSeconds: 1,
			paused: false,
		};
		saveAgent(agent, {file: config});
		return await runInteractive({config, stateDirectory: path.join(directory, 'state'), logsDirectory: path.join(directory, 'logs')});
	} finally {
		await receiver.close();
		await simulator.close();
		await rm(directory, {recursive: true, force: true});
	}
}
