/**
 * The `--metrics HOST:PORT` endpoint on node:http: Prometheus text at `/metrics`, the health
 * verdict at `/healthz`, the engine snapshot as JSON at `/snapshot`. Both read the newest engine snapshot through `getSnapshot`, so the
 * daemon and the dashboard host can serve it alike.
 */
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {EngineSnapshot} from '../engine/protocol.ts';
import {AgentError} from '../errors.ts';
import {formatMetricsAddress, type MetricsAddress} from './address.ts';
import {createMetricsRegistry} from './collector.ts';
import {healthOf} from './health.ts';

export interface MetricsServerOptions extends MetricsAddress {
	/** The newest engine snapshot, or undefined before the first one. */
	getSnapshot(): EngineSnapshot | undefined;
	/** Clock, epoch ms. @default Date.now */
	now?: () => number;
	/** Export process and Node.js metrics too. @default true */
	defaultMetrics?: boolean;
}

export interface MetricsServer {
	/** The address actually bound (port 0 resolved). */
	readonly host: string;
	readonly port: number;
	/** e.g. `http://127.0.0.1:9464`. */
	readonly url: string;
	close(): Promise<void>;
}

const bindProblems: Record<string, string> = {
	EADDRINUSE: 'the port is already in use',
	EACCES: 'permission denied (ports below 1024 need privileges)',
	EADDRNOTAVAIL: 'this host has no such address',
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name does not resolve',
};

/**
 * Starts listening and resolves once bound.
 * @throws AgentError CONFIG_ERROR when the address cannot be bound, naming why.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
	const now = options.now ?? Date.now;
	const registry = createMetricsRegistry({getSnapshot: options.getSnapshot, now, defaultMetrics: options.defaultMetrics});

	const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
		const path = new URL(request.url ?? '/', 'http://metrics').pathname;
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			reply(response, request, 405, 'text/plain; charset=utf-8', 'Use GET.\n', {allow: 'GET, HEAD'});
			return;
		}
		if (path === '/metrics') {
			reply(response, request, 200, registry.contentType, await registry.metrics());
		} else if (path === '/healthz') {
			const health = healthOf(options.getSnapshot(), now());
			reply(response, request, health.statusCode, 'application/json; charset=utf-8', JSON.stringify(health.body) + '\n');
		} else if (path === '/snapshot') {
			// The engine snapshot the dashboard renders, so a dashboard opened beside the service can show it.
			const snapshot = options.getSnapshot();
			reply(response, request, snapshot ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(snapshot ?? {error: 'no snapshot yet'}) + '\n');
		} else if (path === '/') {
			reply(response, request, 200, 'text/plain; charset=utf-8', 'siem-agent: see /metrics, /healthz and /snapshot\n');
		} else {
			reply(response, request, 404, 'text/plain; charset=utf-8', 'Not found: try /metrics or /healthz.\n');
		}
	};

	const server = http.createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) {
				reply(response, request, 500, 'text/plain; charset=utf-8', `metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
			} else {
				response.destroy();
			}
		});
	});
	// A scraper that keeps its connection open must not hold up the daemon's exit.
	server.keepAliveTimeout = 5000;

	const where = formatMetricsAddress(options);
	await new Promise<void>((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException): void => {
			const why = bindProblems[error.code ?? ''] ?? error.message;
			reject(new AgentError('CONFIG_ERROR', `--metrics ${where}: cannot listen: ${why} (${error.code ?? 'error'})`, {cause: error, detail: {setting: 'metrics', value: where}}));
		};
		server.once('error', onError);
		server.listen({host: options.host, port: options.port}, () => {
			server.off('error', onError);
			resolve();
		});
	});

	const address = server.address() as AddressInfo;
	const bound = {host: address.address, port: address.port};
	let closing: Promise<void> | undefined;
	return {
		host: bound.host,
		port: bound.port,
		url: `http://${formatMetricsAddress(bound)}`,
		close() {
			closing ??= new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closing;
		},
	};
}

function reply(response: ServerResponse, request: IncomingMessage, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers});
	response.end(request.method === 'HEAD' ? undefined : body);
}
