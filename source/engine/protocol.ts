/**
 * The one message protocol between the main thread and the engine worker. Plain objects
 * tagged with `type`; unknown messages are ignored on both sides. Only aggregates cross:
 * a snapshot a few times a second and log entries, never one message per event.
 */
import type {DataType} from '../cloud/types.ts';
import type {AgentConfig} from '../config/schema.ts';
import type {Code, Level, SerializedError} from '../errors.ts';
import type {SinkState} from '../transports/types.ts';

/** What the engine needs to run: agents plus where to keep state. */
export interface EngineConfig {
	agents: AgentConfig[];
	stateDirectory: string;
	/** System name used in syslog headers (passed in; the formatter never asks the OS). */
	systemName: string;
	/** Snapshot cadence in ms. @default 250 */
	statsIntervalMs?: number;
	/** A batch the syslog server has not taken for this long is reported as stalled (DATA_SERVER_STALLED). @default 60000 */
	siemStallMs?: number;
	/**
	 * Agents renamed by this configuration: new name → previous name. The renamed agent goes on
	 * from the previous name's checkpoints and totals (engine.ts `reload`).
	 */
	renamed?: Record<string, string>;
}

export interface LogEntry {
	time: string;
	level: Level;
	agent?: string;
	dataType?: DataType;
	code: Code;
	msg: string;
	[key: string]: unknown;
}

/** Where a data type's reading stands; persisted as its checkpoint. */
export interface Cursor {
	/** Current window [from, to) on `created` (activities) or `date` (alerts), epoch ms. */
	from: number;
	to: number;
	/** Scan mode: the `nextQueryFilters` that fetch the next page of the window. */
	next?: unknown;
	/** Paged mode: records of the window already delivered. */
	skip?: number;
}

export type PipelineState = 'starting' | 'backfill' | 'live' | 'waiting-for-siem' | 'throttled' | 'api-error' | 'paused' | 'disabled' | 'stopped';

export interface DataTypeSnapshot {
	dataType: DataType;
	enabled: boolean;
	state: PipelineState;
	/** Records read from the API / sent to the SIEM since start. */
	read: number;
	sent: number;
	badRecords: number;
	/** Events sent per second, averaged over the last 10 s. */
	rate: number;
	/** Events sent per 5 s bucket, oldest first, for the last 5 minutes (60 buckets). */
	history: number[];
	cursor?: Cursor;
	checkpointSavedAt?: number;
	/** Event time (`timestamp`) of the newest record forwarded; lag = now − this. */
	newestEventTime?: number;
	/** Creation time of the newest record forwarded (activities). */
	newestCreatedTime?: number;
	/** Estimated records left in the current window, from the API's `total`. */
	backlog?: number;
	lastPollAt?: number;
	/** Formatted events handed to the sink and not yet taken by it (the queue depth). */
	inFlight?: number;
	/** Records read but never forwarded: page elements that were not objects, or a formatter that threw. */
	dropped?: number;
}

export type AgentStatus = 'created' | 'connected' | 'connection-error' | 'disconnected';

export interface RecentError {
	time: number;
	code: Code;
	message: string;
	dataType?: DataType;
	count: number;
}

export interface AgentSnapshot {
	name: string;
	paused: boolean;
	status: AgentStatus;
	/** Epoch ms of the last successful API call. */
	lastConnectionAt?: number;
	api: {
		state: 'unknown' | 'connected' | 'throttled' | 'error';
		requests: Record<string, number>;
		/** Entra ID token requests by HTTP status (0: no answer); empty for an API token. */
		tokenRequests?: Record<string, number>;
		throttledMs: number;
		lastErrorCode?: Code;
	};
	sink: {
		target: string;
		protocol: string;
		state: SinkState;
		connectedAt?: number;
		messagesSent: number;
		bytesSent: number;
		truncated: number;
		/** Messages written again after a reconnect (TCP replay window). */
		replayed?: number;
		lastErrorCode?: string;
		/** Since when a batch has been waiting for a syslog server that keeps the connection open but reads nothing. */
		stalledSince?: number;
	};
	dataTypes: DataTypeSnapshot[];
	/** Newest first, bounded. */
	errors: RecentError[];
}

export interface EngineSnapshot {
	time: number;
	agents: AgentSnapshot[];
	/** The engine thread's own V8 heap (the process-wide figures cover only the main thread's). */
	memory?: EngineMemory;
}

/** Bytes, from v8.getHeapStatistics() in the engine worker. */
export interface EngineMemory {
	heapUsed: number;
	heapSize: number;
	/** Memory outside the heap held by it: socket and page buffers. */
	external: number;
}

export type ToWorker =
	| {type: 'start'; config: EngineConfig}
	| {type: 'reload'; config: EngineConfig}
	| {type: 'pause'; agent: string; paused: boolean}
	| {type: 'stop'};

export type FromWorker =
	| {type: 'ready'}
	| {type: 'stats'; snapshot: EngineSnapshot}
	| {type: 'log'; entry: LogEntry}
	| {type: 'fatal'; error: SerializedError}
	| {type: 'stopped'};

/** Status thresholds of the original portal (SPEC §1). */
export const connectionErrorAfterMs = 2 * 60 * 60 * 1000;
export const disconnectedAfterMs = 12 * 60 * 60 * 1000;
