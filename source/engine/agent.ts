/**
 * One configured agent: one API client, one syslog sink shared by its data types, and a
 * pipeline per enabled data type. Tracks the connection state the dashboard and /healthz show.
 */
import {createCloudClient} from '../cloud/client.ts';
import {sharedRateLimiter} from '../cloud/rate-limiter.ts';
import type {ClientEvent, CloudClient, DataType} from '../cloud/types.ts';
import {dataTypes} from '../cloud/types.ts';
import type {AgentConfig} from '../config/schema.ts';
import {defaults} from '../config/schema.ts';
import {catalogue, serializeError, type Code, type Level, type SerializedError} from '../errors.ts';
import {createSink} from '../transports/index.ts';
import type {Sink} from '../transports/types.ts';
import type {CheckpointStore} from './checkpoints.ts';
import {createRecordFormatter, createRecordTranscoder} from './record-formatter.ts';
import {FatalPipelineError, Pipeline} from './pipeline.ts';
import type {AgentSnapshot, AgentStatus, LogEntry, RecentError} from './protocol.ts';
import {connectionErrorAfterMs, disconnectedAfterMs} from './protocol.ts';
import {sleep} from '../util/sleep.ts';
import type {MessageBatch} from '../transports/batch.ts';

export interface AgentContext {
	checkpoints: CheckpointStore;
	systemName: string;
	/** See EngineConfig.siemStallMs. @default 60000 */
	siemStallMs?: number;
	/** The sink for a transport (tests put a sink of their own here). @default createSink */
	createSink?: (config: AgentConfig['syslog']) => Sink;
	log(entry: LogEntry): void;
	now(): number;
}

const maxRecentErrors = 20;
/** While the SIEM stays down, repeat the error in the log this often. */
const outageReminderMs = 60_000;

export class AgentRunner {
	readonly config: AgentConfig;
	readonly #context: AgentContext;
	readonly #client: CloudClient;
	readonly #sink: Sink;
	readonly #pipelines = new Map<DataType, Pipeline>();
	#abort?: AbortController;
	#running?: Promise<void>;
	#paused: boolean;
	#fatal?: SerializedError;
	#lastConnectionAt?: number;
	#apiDownSince?: number;
	#apiState: AgentSnapshot['api']['state'] = 'unknown';
	#apiLastError?: Code;
	#throttledUntil = 0;
	#throttledMs = 0;
	readonly #requests: Record<string, number> = {};
	readonly #tokenRequests: Record<string, number> = {};
	#sinkDownSince?: number;
	#sinkStalledSince?: number;
	#pausedLogged = false;
	#sinkLastLog = 0;
	#sinkLastCode?: string;
	#deliveryChain: Promise<void> = Promise.resolve();
	#truncatedLogged = 0;
	#truncatedLoggedAt = Number.NEGATIVE_INFINITY;
	readonly #errors: RecentError[] = [];
	/** Called once when the agent stops for good (fatal error). */
	onFatal?: (error: SerializedError) => void;

	constructor(config: AgentConfig, context: AgentContext) {
		this.config = config;
		this.#context = context;
		this.#paused = config.paused;
		// Agents on the same tenant share its budget (SPEC §2: 30 requests a minute per tenant).
		const limiter = config.requestsPerMinute > 0 ? sharedRateLimiter(config.url, {requestsPerMinute: config.requestsPerMinute}) : undefined;
		this.#client = createCloudClient({
			url: config.url,
			token: config.token,
			entra: config.entra,
			proxy: config.proxy,
			requestsPerMinute: config.requestsPerMinute,
			limiter,
			onEvent: (event) => this.#onClientEvent(event),
		});
		this.#sink = (context.createSink ?? createSink)(config.syslog);
		for (const dataType of dataTypes) {
			const settings = config.dataTypes[dataType];
			if (!settings?.enabled) {
				continue;
			}
			const format = createRecordFormatter(config, dataType, {systemName: context.systemName, now: context.now});
			const transcode = createRecordTranscoder(config, dataType, {systemName: context.systemName}, format);
			this.#pipelines.set(dataType, new Pipeline({
				agent: config.name,
				dataType,
				settings,
				options: {
					pollIntervalMs: config.pollIntervalSeconds * 1000,
					settleMs: config.settleSeconds * 1000,
					backfillMs: defaults.backfillMs,
				},
				read: (type, body, createReader, signal) => this.#client.read(type, body, createReader, {signal}),
				deliver: (lines, signal, onBlocked) => this.#deliver(lines, signal, onBlocked),
				format,
				transcode,
				checkpoints: context.checkpoints,
				log: (level, code, msg, extra) => this.#log(level, code, msg, {dataType, ...extra}),
				apiResult: (ok, code) => this.#apiResult(ok, code),
				budgetDelay: () => limiter?.delay() ?? 0,
				now: context.now,
			}));
		}
	}

	get name(): string {
		return this.config.name;
	}

	get fatal(): SerializedError | undefined {
		return this.#fatal;
	}

	start(): void {
		if (this.#paused && !this.#running && !this.#pausedLogged) {
			// Silent, a paused agent in a service looks like a stuck one.
			this.#pausedLogged = true;
			this.#log('info', 'STOPPED', 'agent paused ("paused": true in its settings, or p in the dashboard): it pulls nothing until resumed; checkpoints kept');
		}
		if (this.#running || this.#paused || this.#fatal) {
			return;
		}
		const abort = new AbortController();
		this.#abort = abort;
		this.#log('info', 'STARTED', `agent started: ${[...this.#pipelines.keys()].join(', ') || 'no data types enabled'} → ${this.#target()} (${this.config.syslog.protocol})`);
		this.#running = Promise.all([...this.#pipelines.values()].map(async (pipeline) => {
			try {
				await pipeline.run(abort.signal);
			} catch (error) {
				if (error instanceof FatalPipelineError) {
					this.#die(serializeError(error));
				} else if (!abort.signal.aborted) {
					this.#die(serializeError(error));
				}
			}
		})).then(() => undefined);
	}

	/** Graceful: pipelines finish the batch in flight and save checkpoints. */
	async halt(): Promise<void> {
		this.#abort?.abort(new Error('stopping'));
		await this.#running;
		this.#running = undefined;
		this.#abort = undefined;
	}

	async stop(): Promise<void> {
		await this.halt();
		await Promise.allSettled([this.#client.close(), this.#sink.close()]);
	}

	async setPaused(paused: boolean): Promise<void> {
		if (paused === this.#paused) {
			return;
		}
		this.#paused = paused;
		if (paused) {
			await this.halt();
			this.#log('info', 'STOPPED', 'agent paused; checkpoints kept');
		} else {
			this.start();
		}
	}

	snapshot(): AgentSnapshot {
		const now = this.#context.now();
		const sink = this.#sink.status();
		return {
			name: this.config.name,
			paused: this.#paused,
			status: this.#status(now),
			lastConnectionAt: this.#lastConnectionAt,
			api: {
				// A failing API is an error even while a retry waits for the request budget.
				state: this.#apiState !== 'error' && this.#throttledUntil > now ? 'throttled' : this.#apiState,
				requests: {...this.#requests},
				tokenRequests: {...this.#tokenRequests},
				throttledMs: this.#throttledMs,
				lastErrorCode: this.#apiLastError,
			},
			sink: {
				target: this.#target(),
				protocol: this.config.syslog.protocol,
				state: sink.state,
				connectedAt: sink.connectedAt,
				messagesSent: sink.messagesSent,
				bytesSent: sink.bytesSent,
				truncated: sink.truncated,
				replayed: sink.replayed,
				lastErrorCode: this.#sinkStalledSince === undefined ? sink.lastErrorCode : 'DATA_SERVER_STALLED',
				stalledSince: this.#sinkStalledSince,
			},
			dataTypes: dataTypes.map((dataType) => this.#pipelines.get(dataType)?.snapshot() ?? {
				dataType, enabled: false, state: 'disabled', read: 0, sent: 0, badRecords: 0, rate: 0, history: [],
			}),
			errors: this.#errors.map((e) => ({...e})),
		};
	}

	#status(now: number): AgentStatus {
		const downSince = Math.min(this.#apiDownSince ?? Infinity, this.#sinkDownSince ?? Infinity);
		const downFor = Number.isFinite(downSince) ? now - downSince : 0;
		if (downFor > disconnectedAfterMs && this.#apiDownSince !== undefined) {
			return 'disconnected';
		}
		if (downFor > connectionErrorAfterMs) {
			return 'connection-error';
		}
		return this.#lastConnectionAt === undefined ? 'created' : 'connected';
	}

	#target(): string {
		const {host, port} = this.config.syslog;
		return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
	}

	/** Serialized per agent: both data types share the sink, and a failing batch is retried before any other. */
	#deliver(batch: MessageBatch, signal: AbortSignal, onBlocked: (blocked: boolean) => void): Promise<void> {
		const run = async (): Promise<void> => {
			let delay = 250;
			for (;;) {
				if (signal.aborted) {
					throw signal.reason as Error;
				}
				try {
					await this.#watchStall(this.#sink.send(batch), onBlocked);
					this.#reportTruncation();
					if (this.#sinkDownSince !== undefined) {
						const downFor = Math.round((this.#context.now() - this.#sinkDownSince) / 1000);
						this.#log('info', 'CONNECTED', `syslog server ${this.#target()} reachable again after ${downFor} s; resuming`);
						this.#sinkDownSince = undefined;
						this.#sinkLastCode = undefined;
						onBlocked(false);
					}
					return;
				} catch (error) {
					const e = serializeError(error);
					const now = this.#context.now();
					this.#sinkDownSince ??= now;
					onBlocked(true);
					if (e.code !== this.#sinkLastCode || now - this.#sinkLastLog >= outageReminderMs) {
						this.#sinkLastCode = e.code;
						this.#sinkLastLog = now;
						this.#log('error', e.code, `${e.message}; pulling paused until the syslog server takes data again`);
					} else {
						this.#remember(e.code, e.message);
					}
					await sleep(delay, signal);
					delay = Math.min(30_000, delay * 2);
				}
			}
		};
		const result = this.#deliveryChain.then(run);
		this.#deliveryChain = result.catch(() => undefined);
		return result;
	}

	/**
	 * A syslog server that keeps the connection open but stops reading never fails a send: the
	 * batch just waits. After `siemStallMs` it is reported (log, dashboard, /healthz), and once
	 * the batch is taken, that it reads again. Nothing is dropped either way.
	 */
	async #watchStall(sending: Promise<void>, onBlocked: (blocked: boolean) => void): Promise<void> {
		const stallMs = this.#context.siemStallMs ?? 60_000;
		// Progress, not the whole send, is timed: a slow SIEM taking a large page for minutes is
		// not stuck. Bytes taken by the kernel (stream sinks) or messages acknowledged (RELP) move.
		const mark = (): string => {
			const status = this.#sink.status();
			return `${status.messagesSent}/${status.progress ?? ''}`;
		};
		let last = mark();
		let quietSince = this.#context.now();
		const timer = setInterval(() => {
			const now = this.#context.now();
			const current = mark();
			if (current !== last) {
				last = current;
				quietSince = now;
				if (this.#sinkStalledSince !== undefined) {
					this.#readsAgain(onBlocked);
				}

				return;
			}

			if (this.#sinkStalledSince === undefined && now - quietSince >= stallMs) {
				this.#sinkStalledSince = quietSince;
				onBlocked(true);
				this.#log('error', 'DATA_SERVER_STALLED', `syslog server ${this.#target()} has taken no data for ${Math.round((now - quietSince) / 1000)} s although the connection is open; pulling waits until it reads again`);
			}
		}, Math.max(10, Math.min(5000, stallMs / 4)));
		try {
			await sending;
		} catch (error) {
			// A failed send is reported as what it is (the caller logs it and retries).
			this.#sinkStalledSince = undefined;
			throw error;
		} finally {
			clearInterval(timer);
		}

		if (this.#sinkStalledSince !== undefined) {
			this.#readsAgain(onBlocked);
		}
	}

	#readsAgain(onBlocked: (blocked: boolean) => void): void {
		const stalledFor = Math.round((this.#context.now() - this.#sinkStalledSince!) / 1000);
		this.#sinkStalledSince = undefined;
		onBlocked(false);
		this.#log('info', 'CONNECTED', `syslog server ${this.#target()} reads again after ${stalledFor} s; resuming`);
	}

	/** Truncated UDP messages are counted by the sink; say so in the log too, at most once a minute. */
	#reportTruncation(): void {
		const truncated = this.#sink.status().truncated;
		const now = this.#context.now();
		if (truncated > this.#truncatedLogged && now - this.#truncatedLoggedAt >= 60_000) {
			const limit = this.config.syslog.protocol === 'udp' ? this.config.syslog.maxMessageSize ?? 2048 : undefined;
			this.#log('warn', 'DATA_SERVER_MESSAGE_TRUNCATED', `${truncated - this.#truncatedLogged} message(s) longer than the UDP maximum${limit ? ` of ${limit} bytes` : ''} were truncated (${truncated} since start)`, {truncated});
			this.#truncatedLogged = truncated;
			this.#truncatedLoggedAt = now;
		}
	}

	#apiResult(ok: boolean, code?: Code): void {
		const now = this.#context.now();
		if (ok) {
			if (this.#lastConnectionAt === undefined || this.#apiDownSince !== undefined) {
				this.#log('info', 'CONNECTED', `connected to ${new URL(this.config.url).origin}${this.config.entra ? ` as Entra ID app ${this.config.entra.clientId}` : ''}`);
			}
			this.#lastConnectionAt = now;
			this.#apiDownSince = undefined;
			this.#apiState = 'connected';
			return;
		}
		this.#apiDownSince ??= now;
		this.#apiState = 'error';
		this.#apiLastError = code;
	}

	#onClientEvent(event: ClientEvent): void {
		if (event.type === 'request') {
			const key = String(event.status);
			this.#requests[key] = (this.#requests[key] ?? 0) + 1;
		} else if (event.type === 'token') {
			const key = String(event.status);
			this.#tokenRequests[key] = (this.#tokenRequests[key] ?? 0) + 1;
		} else if (event.type === 'throttled') {
			this.#throttledMs += event.waitMs;
			this.#throttledUntil = Math.max(this.#throttledUntil, this.#context.now() + event.waitMs);
			if (event.source === 'server') {
				this.#log('info', 'THROTTLED', `the API asked to slow down; waiting ${Math.ceil(event.waitMs / 1000)} s`, {dataType: event.dataType, waitMs: event.waitMs});
			}
		} else if (event.type === 'retry') {
			// The client retries a failing call a few times before the pipeline hears of it: the
			// API is failing from the first failure on (dashboard, /healthz, status thresholds).
			this.#apiDownSince ??= this.#context.now();
			this.#apiState = 'error';
			this.#apiLastError = event.code;
			this.#log('warn', event.code, `${event.message ?? catalogue[event.code].title} (attempt ${event.attempt}); retrying in ${(event.delayMs / 1000).toFixed(1)} s`, {dataType: event.dataType, attempt: event.attempt, retryInMs: Math.round(event.delayMs)});
		}
	}

	#die(error: SerializedError): void {
		if (this.#fatal) {
			return;
		}
		this.#fatal = error;
		// Messages mostly end with their own full stop; never print two.
		this.#log('error', error.code, `${error.message.replace(/\.+$/, '')}. ${catalogue[error.code].remediation}`.trim());
		this.#abort?.abort(new Error('fatal'));
		this.onFatal?.(error);
	}

	#remember(code: Code, message: string, dataType?: DataType): void {
		const now = this.#context.now();
		// The same failure again (retries of both data types interleave) is one notification
		// with a count, moved to the top with its newest wording.
		const index = this.#errors.findIndex((entry) => entry.code === code && entry.dataType === dataType);
		if (index !== -1) {
			const [same] = this.#errors.splice(index, 1);
			same!.count++;
			same!.time = now;
			same!.message = message;
			this.#errors.unshift(same!);
			return;
		}
		this.#errors.unshift({time: now, code, message, dataType, count: 1});
		this.#errors.length = Math.min(this.#errors.length, maxRecentErrors);
	}

	#log(level: Level, code: Code, msg: string, extra?: Record<string, unknown>): void {
		if (level !== 'info') {
			this.#remember(code, msg, extra?.dataType as DataType | undefined);
		}
		this.#context.log({time: new Date(this.#context.now()).toISOString(), level, agent: this.config.name, code, msg, ...extra});
	}
}
