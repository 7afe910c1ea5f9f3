/**
 * Main-thread side of the engine: starts the worker, forwards commands, and turns the
 * worker's messages into callbacks. One of the two files that touch worker_threads.
 */
import {Worker} from 'node:worker_threads';
import {deserializeError, type AgentError, type SerializedError} from '../errors.ts';
import type {EngineConfig, EngineSnapshot, FromWorker, LogEntry, ToWorker} from './protocol.ts';
import {engineWorkerSpec} from './worker-url.ts';

export interface EngineHandleHooks {
	snapshot?(snapshot: EngineSnapshot): void;
	log?(entry: LogEntry): void;
	/** Every agent stopped for good, or the worker itself failed. */
	fatal?(error: AgentError): void;
}

/**
 * The engine's young generation, in MB. V8 sizes it from the machine's memory (up to 3 × 32 MB
 * on a large server); the engine's objects live for one piece of one page, so a small one
 * collects as well and keeps the agent small (docs/benchmarks.md). SIEM_AGENT_YOUNG_GENERATION_MB
 * overrides it.
 */
function youngGenerationMb(): number {
	const value = Number(process.env.SIEM_AGENT_YOUNG_GENERATION_MB);
	return Number.isFinite(value) && value > 0 ? value : 12;
}

export class EngineHandle {
	readonly #worker: Worker;
	readonly #hooks: EngineHandleHooks;
	#last?: EngineSnapshot;
	#exited: Promise<number>;
	#stopped?: Promise<void>;

	constructor(config: EngineConfig, hooks: EngineHandleHooks = {}) {
		this.#hooks = hooks;
		const spec = engineWorkerSpec();
		this.#worker = new Worker(spec.filename, {...spec.options, resourceLimits: {maxYoungGenerationSizeMb: youngGenerationMb()}});
		this.#worker.on('message', (message: FromWorker) => this.#onMessage(message));
		this.#worker.on('error', (error: Error) => {
			this.#hooks.fatal?.(deserializeError({code: 'INTERNAL_ERROR', message: `engine worker failed: ${error.message}`, retryable: false}));
		});
		this.#exited = new Promise((resolve) => {
			this.#worker.once('exit', resolve);
		});
		this.#post({type: 'start', config});
	}

	/** The newest snapshot received. */
	get snapshot(): EngineSnapshot | undefined {
		return this.#last;
	}

	reload(config: EngineConfig): void {
		this.#post({type: 'reload', config});
	}

	pause(agent: string, paused: boolean): void {
		this.#post({type: 'pause', agent, paused});
	}

	/**
	 * Graceful stop: the worker finishes in-flight batches and saves checkpoints. After
	 * `timeoutMs` the worker is terminated (nothing is lost: checkpoints only ever move after delivery).
	 */
	stop(timeoutMs = 9000): Promise<void> {
		this.#stopped ??= (async () => {
			this.#post({type: 'stop'});
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<'timeout'>((resolve) => {
				timer = setTimeout(() => resolve('timeout'), timeoutMs);
			});
			const result = await Promise.race([this.#exited, timeout]);
			clearTimeout(timer);
			if (result === 'timeout') {
				await this.#worker.terminate();
			}
		})();
		return this.#stopped;
	}

	#post(message: ToWorker): void {
		this.#worker.postMessage(message);
	}

	#onMessage(message: FromWorker): void {
		switch (message?.type) {
			case 'stats':
				this.#last = message.snapshot;
				this.#hooks.snapshot?.(message.snapshot);
				break;
			case 'log':
				this.#hooks.log?.(message.entry);
				break;
			case 'fatal':
				this.#hooks.fatal?.(deserializeError(message.error as SerializedError));
				break;
			default:
				// 'ready', 'stopped' and unknown messages need no action here.
		}
	}
}
