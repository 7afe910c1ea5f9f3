/**
 * A pool of real CEF lines, formatted by the agent's own formatter from the simulator's
 * records, written to a file for the raw-ceiling and relay runs: the same bytes the agent
 * sends, without the API and the formatting.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import type {AgentConfig} from '../../source/config/schema.ts';
import {createRecordFormatter} from '../../source/engine/record-formatter.ts';
import {createSimulator} from '../../source/simulate/simulator.ts';

export interface CefPool {
	file: string;
	lines: number;
	/** Mean bytes per line, LF included. */
	meanBytes: number;
}

/** The agent's settings as the benchmarks run it (CEF, default header). */
export function benchAgentConfig(url: string, port: number): AgentConfig {
	return {
		name: 'default', url, token: 'sim-token', format: 'cef',
		cef: {timeFormat: 'rfc5424', includePri: false, includeSystemName: false},
		syslog: {protocol: 'tcp', host: '127.0.0.1', port, framing: 'lf'},
		dataTypes: {alerts: {enabled: false, filters: {}}, activities: {enabled: true, filters: {}}},
		pollIntervalSeconds: 1, requestsPerMinute: 0, settleSeconds: 0, paused: false,
	};
}

export async function buildCefPool(directory: string, lines: number, seed: number): Promise<CefPool> {
	const simulator = await createSimulator({seed, historyDays: 1, historyActivities: 0, historyAlerts: 0, backlogActivities: lines, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0});
	try {
		const records = simulator.activitiesCreatedBetween(0, simulator.startedAt + 1);
		const format = createRecordFormatter(benchAgentConfig(simulator.url, 514), 'activities', {systemName: 'bench', now: Date.now});
		const text = records.map((record) => format(record).line).join('\n') + '\n';
		const file = path.join(directory, 'cef-pool.txt');
		writeFileSync(file, text);
		return {file, lines: records.length, meanBytes: Buffer.byteLength(text) / records.length};
	} finally {
		await simulator.close();
	}
}
