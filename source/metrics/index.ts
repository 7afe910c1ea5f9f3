/**
 * Observability over HTTP: Prometheus `/metrics` and `/healthz`, computed from engine
 * snapshots (the same ones the dashboard renders). The daemon and the interactive host start
 * it with `--metrics HOST:PORT`.
 */
export {formatMetricsAddress, parseMetricsAddress, type MetricsAddress} from './address.ts';
export {createMetricsRegistry, type MetricsRegistryOptions} from './collector.ts';
export {agentHealth, healthOf, staleSnapshotMs, type AgentHealth, type Health} from './health.ts';
export {startMetricsServer, type MetricsServer, type MetricsServerOptions} from './server.ts';
