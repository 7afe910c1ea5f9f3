/**
 * A configured agent and engine snapshots to feed the dashboard.
 */
import {defaultDataTypes, type AgentConfig} from '../../source/config/schema.ts';
import type {AgentSnapshot, DataTypeSnapshot, EngineSnapshot} from '../../source/engine/protocol.ts';

export const now = Date.UTC(2024, 4, 1, 12, 0, 0);

export function agentConfig(name: string, overrides: Partial<AgentConfig> = {}): AgentConfig {
	return {
		name,
		url: 'https://contoso.portal.cloudappsecurity.com',
		token: `secret-token-of-${name}-0123456789`,
		format: 'cef',
		cef: {timeFormat: 'rfc5424', includePri: false, includeSystemName: false},
		syslog: {protocol: 'tcp', host: '10.0.0.5', port: 514, framing: 'lf'},
		dataTypes: defaultDataTypes(),
		pollIntervalSeconds: 10,
		requestsPerMinute: 30,
		settleSeconds: 5,
		paused: false,
		...overrides,
	};
}

export function dataTypeSnapshot(dataType: DataTypeSnapshot['dataType'], overrides: Partial<DataTypeSnapshot> = {}): DataTypeSnapshot {
	return {
		dataType,
		enabled: true,
		state: 'live',
		read: 12_345,
		sent: 12_340,
		badRecords: 0,
		rate: 1234,
		history: Array.from({length: 60}, (_, index) => index),
		cursor: {from: Date.UTC(2024, 4, 1, 11, 59, 0), to: Date.UTC(2024, 4, 1, 11, 59, 50)},
		checkpointSavedAt: now - 3000,
		newestEventTime: now - 200_000,
		...overrides,
	};
}

export function agentSnapshot(name: string, overrides: Partial<AgentSnapshot> = {}): AgentSnapshot {
	return {
		name,
		paused: false,
		status: 'connected',
		lastConnectionAt: now - 12_000,
		api: {state: 'connected', requests: {'200': 40}, throttledMs: 0},
		sink: {target: '10.0.0.5:514', protocol: 'tcp', state: 'connected', messagesSent: 12_340, bytesSent: 3_400_000, truncated: 0},
		dataTypes: [dataTypeSnapshot('alerts'), dataTypeSnapshot('activities')],
		errors: [],
		...overrides,
	};
}

export function snapshot(...agents: AgentSnapshot[]): EngineSnapshot {
	return {time: now, agents};
}
