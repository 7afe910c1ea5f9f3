/** Fixed engine snapshots for the metrics and health tests. */
import type {AgentSnapshot, DataTypeSnapshot, EngineSnapshot} from '../../source/engine/protocol.ts';

/** 2030-01-01T00:00:00Z: every time in the fixtures is relative to it. */
export const now = Date.UTC(2030, 0, 1);

export function dataType(overrides: Partial<DataTypeSnapshot> = {}): DataTypeSnapshot {
	return {
		dataType: 'activities', enabled: true, state: 'live', read: 0, sent: 0, badRecords: 0, rate: 0, history: [],
		...overrides,
	};
}

export function agent(overrides: Partial<AgentSnapshot> = {}): AgentSnapshot {
	return {
		name: 'default',
		paused: false,
		status: 'connected',
		lastConnectionAt: now - 2000,
		api: {state: 'connected', requests: {}, throttledMs: 0},
		sink: {target: '127.0.0.1:514', protocol: 'tcp', state: 'connected', connectedAt: now - 60_000, messagesSent: 0, bytesSent: 0, truncated: 0},
		dataTypes: [dataType({dataType: 'alerts'}), dataType({dataType: 'activities'})],
		errors: [],
		...overrides,
	};
}

export function snapshot(agents: AgentSnapshot[], time = now - 100): EngineSnapshot {
	return {time, agents};
}

/** Two agents mid-run: "soc" healthy and busy, "lab" with its SIEM down and alerts disabled. */
export function busy(): EngineSnapshot {
	return snapshot([
		agent({
			name: 'soc',
			api: {state: 'connected', requests: {'200': 41, '429': 2}, throttledMs: 12_500},
			sink: {target: 'siem.example.com:514', protocol: 'tcp', state: 'connected', connectedAt: now - 60_000, messagesSent: 200_120, bytesSent: 190_000_000, truncated: 0, replayed: 3},
			dataTypes: [
				dataType({dataType: 'alerts', state: 'live', read: 120, sent: 120, badRecords: 1, rate: 0.5, checkpointSavedAt: now - 4000, newestEventTime: now - 90_000, lastPollAt: now - 3000, backlog: 0, inFlight: 0, dropped: 0}),
				dataType({dataType: 'activities', state: 'backfill', read: 205_000, sent: 200_000, badRecords: 7, rate: 81_234.5, checkpointSavedAt: now - 1500, newestEventTime: now - 3_600_000, lastPollAt: now - 200, backlog: 795_000, inFlight: 5000, dropped: 2}),
			],
		}),
		agent({
			name: 'lab',
			status: 'connected',
			api: {state: 'throttled', requests: {'200': 3}, throttledMs: 0},
			sink: {target: '10.0.0.9:6514', protocol: 'udp', state: 'down', messagesSent: 10, bytesSent: 9000, truncated: 4, lastErrorCode: 'DATA_SERVER_CONNECTION_ERROR'},
			dataTypes: [
				dataType({dataType: 'alerts', enabled: false, state: 'disabled'}),
				dataType({dataType: 'activities', state: 'waiting-for-siem', read: 15, sent: 10, inFlight: 5}),
			],
		}),
	]);
}
