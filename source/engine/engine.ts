/**
 * The engine: every configured agent, started, reloaded, paused and stopped as a whole.
 * It never imports React or Ink, and it does not know whether it runs in a worker.
 */
import {serializeError, type SerializedError} from '../errors.ts';
import {AgentRunner} from './agent.ts';
import {CheckpointStore} from './checkpoints.ts';
import type {AgentSnapshot, EngineConfig, EngineMemory, EngineSnapshot, LogEntry} from './protocol.ts';

export interface EngineHooks {
	log(entry: LogEntry): void;
	/** Every agent has stopped for good; the first fatal error says why. */
	fatal(error: SerializedError): void;
	now?: () => number;
}

export class Engine {
	#config: EngineConfig;
	readonly #hooks: EngineHooks;
	readonly #now: () => number;
	#checkpoints: CheckpointStore;
	readonly #agents = new Map<string, AgentRunner>();
	/**
	 * Counters of runners replaced by a reload (edited settings restart an agent's runner), by
	 * agent name: added to the new runner's, so totals and Prometheus counters never go back.
	 */
	readonly #carried = new Map<string, AgentSnapshot>();
	#firstFatal?: SerializedError;
	/** Agents whose settings could not even be applied. */
	readonly #failed = new Set<string>();

	constructor(config: EngineConfig, hooks: EngineHooks) {
		this.#config = config;
		this.#hooks = hooks;
		this.#now = hooks.now ?? Date.now;
		this.#checkpoints = new CheckpointStore(config.stateDirectory);
	}

	start(): void {
		for (const agent of this.#config.agents) {
			this.#add(agent);
		}
		this.#checkAlive();
	}

	/** Applies a new configuration: agents whose settings changed restart from their checkpoints; others keep running. */
	async reload(config: EngineConfig): Promise<void> {
		const previous = this.#config;
		this.#config = config;
		if (config.stateDirectory !== previous.stateDirectory) {
			this.#checkpoints = new CheckpointStore(config.stateDirectory);
			await Promise.all([...this.#agents.values()].map(async (agent) => agent.stop()));
			this.#agents.clear();
		}
		const wanted = new Map(config.agents.map((agent) => [agent.name, agent]));
		const stopping: Promise<void>[] = [];
		for (const name of this.#carried.keys()) {
			if (!wanted.has(name)) {
				this.#carried.delete(name);
			}
		}
		// Renames that hold: old name gone, new name new. Their checkpoints move once every old
		// runner has stopped (and saved its last ones); a runner's totals move with it.
		const renames = Object.entries(config.renamed ?? {}).filter(([to, from]) => wanted.has(to) && !wanted.has(from) && !this.#agents.has(to));
		const renamedTo = new Map(renames.map(([to, from]) => [from, to]));
		for (const [name, runner] of this.#agents) {
			const next = wanted.get(name);
			if (!next || JSON.stringify(withoutPause(next)) !== JSON.stringify(withoutPause(runner.config))) {
				this.#agents.delete(name);
				stopping.push(runner.stop().then(() => {
					if (next) {
						// The agent goes on with new settings: its totals go on too.
						this.#carried.set(name, addTotals(this.#carried.get(name), runner.snapshot()));
						return;
					}

					const to = renamedTo.get(name);
					if (to) {
						this.#carried.set(to, {...addTotals(this.#carried.get(name), runner.snapshot()), name: to});
						this.#carried.delete(name);
					}
				}));
			} else if (next.paused !== runner.config.paused) {
				runner.config.paused = next.paused;
				stopping.push(runner.setPaused(next.paused));
			}
		}
		await Promise.all(stopping);
		// Running or not (an agent whose settings were refused), the renamed agent goes on from
		// where it was.
		for (const [to, from] of renames) {
			// eslint-disable-next-line no-await-in-loop
			await this.#checkpoints.carryOver(from, to).catch((error: unknown) => {
				this.#hooks.log({time: new Date(this.#now()).toISOString(), level: 'error', agent: to, code: 'STATE_ERROR', msg: `renamed from ${from}, but its checkpoints could not be carried over (it backfills instead): ${(error as Error).message}`});
			});
		}

		for (const agent of config.agents) {
			if (!this.#agents.has(agent.name)) {
				this.#add(agent);
			}
		}
		this.#hooks.log({time: new Date(this.#now()).toISOString(), level: 'info', code: 'RELOADED', msg: `configuration applied: ${config.agents.length} agent(s)`});
	}

	async pause(name: string, paused: boolean): Promise<void> {
		await this.#agents.get(name)?.setPaused(paused);
	}

	async stop(): Promise<void> {
		await Promise.all([...this.#agents.values()].map(async (agent) => agent.stop()));
	}

	snapshot(): EngineSnapshot {
		return {time: this.#now(), agents: [...this.#agents.values()].map((agent) => withTotals(agent.snapshot(), this.#carried.get(agent.config.name))), memory: engineMemory()};
	}

	#add(config: EngineConfig['agents'][number]): void {
		let runner: AgentRunner;
		try {
			runner = new AgentRunner(structuredClone(config), {
				checkpoints: this.#checkpoints,
				systemName: this.#config.systemName,
				siemStallMs: this.#config.siemStallMs,
				log: this.#hooks.log,
				now: this.#now,
			});
		} catch (error) {
			// Settings that cannot work (validated earlier in the daemon; this guards reloads).
			const e = serializeError(error);
			this.#hooks.log({time: new Date(this.#now()).toISOString(), level: 'error', agent: config.name, code: e.code, msg: e.message});
			this.#firstFatal ??= e;
			this.#failed.add(config.name);
			return;
		}
		this.#failed.delete(config.name);
		runner.onFatal = (error) => {
			this.#firstFatal ??= error;
			this.#checkAlive();
		};
		this.#agents.set(config.name, runner);
		runner.start();
	}

	#checkAlive(): void {
		const runners = [...this.#agents.values()];
		if (runners.length + this.#failed.size > 0 && runners.every((runner) => runner.fatal) && this.#firstFatal) {
			this.#hooks.fatal(this.#firstFatal);
		}
	}
}

function withoutPause(agent: EngineConfig['agents'][number]): unknown {
	const {paused: _paused, ...rest} = agent;
	return rest;
}

/** This thread's heap, or undefined where the runtime does not tell (Deno may not). */
function engineMemory(): EngineMemory | undefined {
	try {
		const statistics = process.getBuiltinModule?.('node:v8')?.getHeapStatistics();
		if (!statistics || !(statistics.total_heap_size > 0)) {
			return undefined;
		}

		return {heapUsed: statistics.used_heap_size, heapSize: statistics.total_heap_size, external: statistics.external_memory ?? 0};
	} catch {
		return undefined;
	}
}

/** The counters of `carried` added to `snapshot`'s (states, times and rates are the new runner's). */
export function withTotals(snapshot: AgentSnapshot, carried: AgentSnapshot | undefined): AgentSnapshot {
	if (!carried) {
		return snapshot;
	}

	const sum = (now: Record<string, number>, before: Record<string, number> | undefined): Record<string, number> => {
		const out = {...now};
		for (const [status, count] of Object.entries(before ?? {})) {
			out[status] = (out[status] ?? 0) + count;
		}

		return out;
	};
	const requests = sum(snapshot.api.requests, carried.api.requests);
	const tokenRequests = sum(snapshot.api.tokenRequests ?? {}, carried.api.tokenRequests);

	// A runner restarted by an edit has not connected yet, but the agent has.
	const lastConnectionAt = snapshot.lastConnectionAt ?? carried.lastConnectionAt;
	return {
		...snapshot,
		lastConnectionAt,
		// …unless the new runner is already failing (a refused new token is not "Connected").
		status: snapshot.status === 'created' && lastConnectionAt !== undefined && snapshot.api.state !== 'error' && snapshot.sink.state !== 'down' ? 'connected' : snapshot.status,
		api: {...snapshot.api, requests, tokenRequests, throttledMs: snapshot.api.throttledMs + carried.api.throttledMs},
		sink: {
			...snapshot.sink,
			messagesSent: snapshot.sink.messagesSent + carried.sink.messagesSent,
			bytesSent: snapshot.sink.bytesSent + carried.sink.bytesSent,
			truncated: snapshot.sink.truncated + carried.sink.truncated,
			replayed: (snapshot.sink.replayed ?? 0) + (carried.sink.replayed ?? 0),
		},
		dataTypes: snapshot.dataTypes.map((dataType) => {
			const before = carried.dataTypes.find((entry) => entry.dataType === dataType.dataType);
			return before ? {
				...dataType,
				read: dataType.read + before.read,
				sent: dataType.sent + before.sent,
				badRecords: dataType.badRecords + before.badRecords,
				dropped: (dataType.dropped ?? 0) + (before.dropped ?? 0),
			} : dataType;
		}),
	};
}

/** Totals of two snapshots of the same agent, one after the other (for a second reload). */
function addTotals(carried: AgentSnapshot | undefined, last: AgentSnapshot): AgentSnapshot {
	const total = withTotals(last, carried);
	// A data type the last runner did not have keeps what an earlier one counted.
	const missing = carried?.dataTypes.filter((entry) => !total.dataTypes.some((dataType) => dataType.dataType === entry.dataType)) ?? [];
	return {...total, dataTypes: [...total.dataTypes, ...missing]};
}
