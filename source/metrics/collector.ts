/**
 * The Prometheus registry of the agent. Every metric is computed at scrape time from the
 * latest engine snapshot, the same object the dashboard renders: one source of truth, and
 * nothing to keep in step between scrapes. prom-client writes the exposition format.
 */
import {Counter, Gauge, Registry, collectDefaultMetrics} from 'prom-client';
import type {AgentSnapshot, AgentStatus, DataTypeSnapshot, EngineSnapshot, PipelineState} from '../engine/protocol.ts';
import type {SinkState} from '../transports/types.ts';
import {version} from '../version.ts';

export interface MetricsRegistryOptions {
	/** The newest engine snapshot, or undefined before the first one. */
	getSnapshot(): EngineSnapshot | undefined;
	/** Clock for ages and lags, epoch ms. @default Date.now */
	now?: () => number;
	/** Also export prom-client's process and Node.js metrics (CPU, memory, event loop). @default true */
	defaultMetrics?: boolean;
	/** Metric name prefix. @default 'siem_agent_' */
	prefix?: string;
}

const apiStates: ReadonlyArray<AgentSnapshot['api']['state']> = ['unknown', 'connected', 'throttled', 'error'];
const sinkStates: readonly SinkState[] = ['connecting', 'connected', 'down'];
const agentStatuses: readonly AgentStatus[] = ['created', 'connected', 'connection-error', 'disconnected'];
const pipelineStates: readonly PipelineState[] = ['starting', 'backfill', 'live', 'waiting-for-siem', 'throttled', 'api-error', 'paused', 'disabled', 'stopped'];

type AgentLabels = {agent: string};
type TypeLabels = {agent: string; data_type: string};

/** A value per agent, or per enabled data type of an agent; undefined leaves the series out. */
interface Series<L> {
	labels: L;
	value: number;
}

const seconds = (ms: number): number => ms / 1000;

/** Creates a registry whose metrics read `getSnapshot()` on every scrape. */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
	const registry = new Registry();
	const prefix = options.prefix ?? 'siem_agent_';
	const now = options.now ?? Date.now;
	const agents = (): AgentSnapshot[] => options.getSnapshot()?.agents ?? [];
	const enabled = (agent: AgentSnapshot): DataTypeSnapshot[] => agent.dataTypes.filter((dataType) => dataType.enabled);

	const perAgent = (value: (agent: AgentSnapshot, at: number) => number | undefined) => (): Array<Series<AgentLabels>> => {
		const at = now();
		return agents().flatMap((agent) => {
			const v = value(agent, at);
			return v === undefined ? [] : [{labels: {agent: agent.name}, value: v}];
		});
	};
	const perType = (value: (dataType: DataTypeSnapshot, at: number) => number | undefined) => (): Array<Series<TypeLabels>> => {
		const at = now();
		return agents().flatMap((agent) => enabled(agent).flatMap((dataType) => {
			const v = value(dataType, at);
			return v === undefined ? [] : [{labels: {agent: agent.name, data_type: dataType.dataType}, value: v}];
		}));
	};

	const counter = <L extends Record<string, string>>(name: string, help: string, labelNames: ReadonlyArray<keyof L & string>, series: () => Array<Series<L>>): void => {
		new Counter({
			name: prefix + name, help, labelNames, registers: [registry],
			collect() {
				// Totals come from the engine; the counter only mirrors them.
				this.reset();
				for (const {labels, value} of series()) {
					this.inc(labels, value);
				}
			},
		});
	};
	const gauge = <L extends Record<string, string>>(name: string, help: string, labelNames: ReadonlyArray<keyof L & string>, series: () => Array<Series<L>>): void => {
		new Gauge({
			name: prefix + name, help, labelNames, registers: [registry],
			collect() {
				this.reset();
				for (const {labels, value} of series()) {
					this.set(labels, value);
				}
			},
		});
	};
	/** One series per possible state, 1 for the current one (the Prometheus "state set"). */
	const stateSet = <S extends string>(current: (agent: AgentSnapshot) => S, states: readonly S[]) => (): Array<Series<AgentLabels & {state: string}>> =>
		agents().flatMap((agent) => states.map((state) => ({labels: {agent: agent.name, state}, value: current(agent) === state ? 1 : 0})));

	const typeLabels = ['agent', 'data_type'] as const;
	const agentLabel = ['agent'] as const;
	const stateLabels = ['agent', 'state'] as const;

	new Gauge({
		name: prefix + 'build_info', help: 'Version of the running agent; always 1.', labelNames: ['version'], registers: [registry],
		collect() {
			this.set({version}, 1);
		},
	});
	gauge('agents', 'Agents the engine runs.', [], () => [{labels: {}, value: agents().length}]);

	counter('events_read_total', 'Records read from the API.', typeLabels, perType((d) => d.read));
	counter('events_sent_total', 'Events taken by the syslog server (written to the socket, or sent as datagrams).', typeLabels, perType((d) => d.sent));
	counter('events_bad_total', 'Records with missing or mistyped fields, forwarded with the fields that could be mapped.', typeLabels, perType((d) => d.badRecords));
	counter('events_dropped_total', 'Records read but not forwarded (not an object, or the formatter failed).', typeLabels, perType((d) => d.dropped ?? 0));
	gauge('events_per_second', 'Events sent per second, averaged over the last 10 s.', typeLabels, perType((d) => d.rate));
	gauge('in_flight_events', 'Events handed to the syslog sink and not yet taken by it (queue depth).', typeLabels, perType((d) => d.inFlight ?? 0));
	gauge('backlog_events', 'Records estimated to remain in the window being read, from the API\'s total.', typeLabels, perType((d) => d.backlog));
	gauge('checkpoint_age_seconds', 'Seconds since the checkpoint was last saved.', typeLabels, perType((d, at) => d.checkpointSavedAt === undefined ? undefined : seconds(at - d.checkpointSavedAt)));
	gauge('lag_seconds', 'Now minus the event time of the newest event forwarded.', typeLabels, perType((d, at) => d.newestEventTime === undefined ? undefined : seconds(at - d.newestEventTime)));
	gauge('newest_event_timestamp_seconds', 'Event time of the newest event forwarded, Unix seconds.', typeLabels, perType((d) => d.newestEventTime === undefined ? undefined : seconds(d.newestEventTime)));
	gauge('last_poll_timestamp_seconds', 'When the API was last asked for this data type, Unix seconds.', typeLabels, perType((d) => d.lastPollAt === undefined ? undefined : seconds(d.lastPollAt)));
	gauge('pipeline_state', 'State of each data type\'s pipeline: 1 for the current state.', ['agent', 'data_type', 'state'], () => agents().flatMap((agent) => enabled(agent).flatMap((d) =>
		pipelineStates.map((state) => ({labels: {agent: agent.name, data_type: d.dataType, state}, value: d.state === state ? 1 : 0})))));

	counter('api_requests_total', 'API requests answered, by HTTP status.', ['agent', 'status'], () => agents().flatMap((agent) =>
		Object.entries(agent.api.requests).map(([status, count]) => ({labels: {agent: agent.name, status}, value: count}))));
	counter('entra_token_requests_total', 'Entra ID token requests of agents that sign in as an app, by HTTP status (0: no answer).', ['agent', 'status'], () => agents().flatMap((agent) =>
		Object.entries(agent.api.tokenRequests ?? {}).map(([status, count]) => ({labels: {agent: agent.name, status}, value: count}))));
	counter('api_throttled_seconds_total', 'Time spent waiting for the API request budget or a 429 answer.', agentLabel, perAgent((a) => seconds(a.api.throttledMs)));
	gauge('api_state', 'State of the API connection: 1 for the current state.', stateLabels, stateSet((a) => a.api.state, apiStates));
	gauge('api_last_success_timestamp_seconds', 'When the API last answered, Unix seconds.', agentLabel, perAgent((a) => a.lastConnectionAt === undefined ? undefined : seconds(a.lastConnectionAt)));

	gauge('siem_connected', 'Whether the syslog server connection is up (1) or not (0).', agentLabel, perAgent((a) => a.sink.state === 'connected' ? 1 : 0));
	gauge('siem_state', 'State of the syslog connection: 1 for the current state.', stateLabels, stateSet((a) => a.sink.state, sinkStates));
	counter('siem_messages_sent_total', 'Messages taken by the syslog transport.', agentLabel, perAgent((a) => a.sink.messagesSent));
	counter('siem_bytes_sent_total', 'Bytes written to the syslog transport, framing included.', agentLabel, perAgent((a) => a.sink.bytesSent));
	counter('siem_messages_truncated_total', 'Messages cut to the UDP maximum message size.', agentLabel, perAgent((a) => a.sink.truncated));
	counter('siem_messages_replayed_total', 'Messages written again after a reconnect (TCP replay window).', agentLabel, perAgent((a) => a.sink.replayed ?? 0));

	gauge('agent_status', 'Agent status as the portal shows it: 1 for the current status.', ['agent', 'status'], () => agents().flatMap((agent) =>
		agentStatuses.map((status) => ({labels: {agent: agent.name, status}, value: agent.status === status ? 1 : 0}))));
	gauge('agent_paused', 'Whether the agent is paused (1) or running (0).', agentLabel, perAgent((a) => a.paused ? 1 : 0));

	// The engine runs in a worker thread: prom-client's nodejs_heap_* describe the main thread only.
	gauge('engine_memory_bytes', 'Memory of the engine worker thread: V8 heap in use (heap_used) and reserved (heap_size), and memory outside the heap it holds (external: socket and page buffers).', ['kind'], () => {
		const memory = options.getSnapshot()?.memory;
		return memory ? [
			{labels: {kind: 'heap_used'}, value: memory.heapUsed},
			{labels: {kind: 'heap_size'}, value: memory.heapSize},
			{labels: {kind: 'external'}, value: memory.external},
		] : [];
	});

	if (options.defaultMetrics ?? true) {
		try {
			collectDefaultMetrics({register: registry});
		} catch {
			// A runtime without some of Node's process APIs (Deno) still gets the agent's own metrics.
		}
	}
	return registry;
}
