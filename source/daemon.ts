/**
 * The headless host: resolves the configuration, starts the engine worker, writes JSON-lines
 * logs, handles signals (SIGTERM/SIGINT stop gracefully, SIGHUP reloads) and turns the outcome
 * into the exit codes of CONTRACT.md. Imports the engine handle only, never the UI.
 */
import {existsSync, statSync, watch, type FSWatcher} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {secretForms} from './cloud/entra.ts';
import {parseProxy} from './cloud/proxy.ts';
import {isLoopbackUrl, resolveAgents, validateAgent, type AgentFlags} from './config/resolve.ts';
import type {AgentConfig} from './config/schema.ts';
import {locate, readConfig} from './config/store.ts';
import {EngineHandle} from './engine/handle.ts';
import {acquireStateLock, type StateLock} from './engine/state-lock.ts';
import type {EngineConfig, LogEntry} from './engine/protocol.ts';
import {AgentError, catalogue, exitCodeOf, serializeError, type Code} from './errors.ts';
import {LogWriter} from './logging/log-file.ts';
import {parseMetricsAddress, type MetricsAddress} from './metrics/address.ts';
import {version} from './version.ts';
import type {MetricsServer} from './metrics/server.ts';

export interface DaemonFlags extends AgentFlags {
	config?: string;
	stateDirectory?: string;
	logsDirectory?: string;
	/** `HOST:PORT` to serve Prometheus `/metrics` and `/healthz` on. */
	metrics?: string;
}

export interface Resolved {
	engine: EngineConfig;
	logsDirectory?: string;
	configFile: string;
	/** The file's agents hold a token, a client secret or a proxy password. */
	fileHoldsSecrets: boolean;
	/** Settings in the file that siem-agent does not know (typos), as paths. */
	unknownSettings: string[];
}

/** Reads file + flags into a complete, validated engine configuration (throws coded errors). */
export function resolveDaemonConfig(flags: DaemonFlags): Resolved {
	const file = readConfig(flags.config);
	const agents = resolveAgents(file, flags);
	if (agents.length === 0) {
		const configFile = locate(flags.config).file;
		const why = !existsSync(configFile)
			? `the config file ${configFile} does not exist${flags.config ? '' : ' (the default; --config FILE names another)'}`
			: `${configFile} has no agents (they go in its "agents" list)`;
		throw new AgentError('USAGE_ERROR', `no agent to run: ${why}. Pass --url, --token and --syslog, or run siem-agent${flags.config ? ` --config ${flags.config}` : ''} in a terminal to set one up`);
	}
	const names = new Set<string>();
	for (const agent of agents) {
		validateAgent(agent);
		if (names.has(agent.name)) {
			throw new AgentError('CONFIG_ERROR', `--name: two agents are named "${agent.name}"`);
		}
		names.add(agent.name);
	}
	const location = locate(flags.config);
	return {
		engine: {
			agents,
			stateDirectory: path.resolve(flags.stateDirectory ?? file.stateDirectory ?? location.stateDirectory),
			systemName: os.hostname(),
			// Nobody watches a service frame by frame: /metrics, /healthz and a dashboard beside the
			// service read the newest snapshot, so once a second is enough (idle CPU 0.30 % → 0.17 %).
			statsIntervalMs: 1000,
		},
		logsDirectory: flags.logsDirectory ?? file.logsDirectory,
		configFile: location.file,
		fileHoldsSecrets: file.agents.some(agent => Boolean(agent.token || agent.entra?.clientSecret || agent.proxy?.includes('@'))),
		unknownSettings: file.unknownSettings ?? [],
	};
}

/**
 * Why the config file is a risk, or undefined: it holds a secret and other users may read it,
 * or anyone but its owner may change it (and with it where events and tokens go).
 */
export function exposedConfig(file: string, holdsSecrets: boolean): string | undefined {
	let mode: number;
	try {
		mode = statSync(file).mode & 0o777;
	} catch {
		return undefined;
	}

	if (holdsSecrets && (mode & 0o004) !== 0) {
		return `${file} (mode ${mode.toString(8).padStart(4, '0')}) is readable by every user on this machine`;
	}

	if ((mode & 0o022) !== 0) {
		return `${file} (mode ${mode.toString(8).padStart(4, '0')}) can be changed by users other than its owner`;
	}

	return undefined;
}

/** Tokens and proxy passwords of these agents: what the log redactor must never let through. */
export function secretsOf(agents: readonly AgentConfig[]): string[] {
	const secrets: string[] = [];
	for (const agent of agents) {
		secrets.push(agent.token);
		if (agent.entra?.clientSecret) {
			secrets.push(...secretForms(agent.entra.clientSecret));
		}
		if (agent.proxy) {
			try {
				const password = new URL(parseProxy(agent.proxy).uri).password;
				if (password) {
					secrets.push(password, decodeURIComponent(password));
				}
			} catch {
				// Validated before; nothing to add.
			}
		}
	}
	return secrets;
}

function entry(code: Code, msg: string, extra: Partial<LogEntry> = {}): LogEntry {
	return {time: new Date().toISOString(), level: catalogue[code].level, code, msg, ...extra};
}

function warnUnknownSettings(writer: LogWriter, resolved: Resolved): void {
	if (resolved.unknownSettings.length > 0) {
		writer.write(entry('CONFIG_UNKNOWN_SETTING', `${resolved.configFile}: ${resolved.unknownSettings.join(', ')} ${resolved.unknownSettings.length === 1 ? 'is not a setting' : 'are not settings'} siem-agent knows; ignored — ${catalogue.CONFIG_UNKNOWN_SETTING.remediation}`, {level: 'warn', settings: resolved.unknownSettings}));
	}
}

const ownedSignals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
type OwnedSignal = typeof ownedSignals[number];

/**
 * The daemon's own handling of SIGTERM, SIGINT and SIGHUP, from its first line on. The config
 * store's atomic writes (conf → atomically → when-exit) hook these signals on import and send
 * each one to the process again, expecting it to die of it: with our handlers too, that made the
 * first SIGHUP reload twice and a SIGINT count as the second, insistent Ctrl-C. So their
 * listeners go, but only after ours is in: removing every listener first closes the signal's
 * handle, and a signal caught but not yet handled (a service stopped while starting) was lost
 * with it, leaving the daemon running. Until `handle` is set (the engine runs), a signal is kept
 * and handed over then.
 */
export function ownSignals() {
	let handle: ((signal: OwnedSignal) => void) | undefined;
	let pending: OwnedSignal | undefined;
	const listener = (signal: OwnedSignal): void => {
		if (handle) {
			handle(signal);
		} else if (pending !== 'SIGTERM' && pending !== 'SIGINT') {
			pending = signal;
		}
	};

	for (const signal of ownedSignals) {
		process.on(signal, listener);
		for (const other of process.listeners(signal)) {
			if (other !== listener) {
				process.removeListener(signal, other as (...args: unknown[]) => void);
			}
		}
	}

	return {
		/** From now on signals go to `to`; one that came while starting is handed over at once. */
		handleWith(to: (signal: OwnedSignal) => void): void {
			handle = to;
			if (pending) {
				const signal = pending;
				pending = undefined;
				to(signal);
			}
		},
		release(): void {
			for (const signal of ownedSignals) {
				process.off(signal, listener);
			}
		},
	};
}

/** Runs until stopped; resolves with the process exit code. */
export async function runDaemon(flags: DaemonFlags): Promise<number> {
	const signals = ownSignals();
	let resolved: Resolved;
	let writer: LogWriter;
	let metricsAddress: MetricsAddress | undefined;
	let lock: StateLock;
	try {
		resolved = resolveDaemonConfig(flags);
		writer = new LogWriter({directory: resolved.logsDirectory, secrets: secretsOf(resolved.engine.agents)});
		metricsAddress = flags.metrics ? parseMetricsAddress(flags.metrics) : undefined;
		lock = acquireStateLock(resolved.engine.stateDirectory);
	} catch (error) {
		const e = serializeError(error);
		const bootstrapCode: Code = e.code === 'INTERNAL_ERROR' ? 'BOOTSTRAP_ERROR' : e.code;
		const secrets = [flags.token, flags.clientSecret].filter((secret): secret is string => Boolean(secret));
		let failed: LogWriter;
		try {
			// Into the log file as well when --logsDirectory says where: a service's journal may be gone.
			failed = new LogWriter({directory: flags.logsDirectory, secrets});
		} catch {
			failed = new LogWriter({secrets});
		}
		failed.write(entry(bootstrapCode, `${e.message}${catalogue[bootstrapCode].remediation ? ` — ${catalogue[bootstrapCode].remediation}` : ''}`, {level: 'error'}));
		failed.close();
		signals.release();
		return exitCodeOf(bootstrapCode);
	}

	// What a service log should say first: which build, which files.
	const {agents} = resolved.engine;
	const deno = (globalThis as {Deno?: {version: {deno: string}}}).Deno;
	const runtime = deno ? `Deno ${deno.version.deno}` : `Node ${process.versions.node}`;
	const config = existsSync(resolved.configFile) ? resolved.configFile : `none (flags only; ${resolved.configFile} absent)`;
	writer.write(entry('STARTING', `siem-agent ${version} (${runtime}, pid ${process.pid}) starting ${agents.length} agent${agents.length === 1 ? '' : 's'} (${agents.map(agent => agent.name).join(', ')}); config ${config}, state ${resolved.engine.stateDirectory}${resolved.logsDirectory ? `, logs ${path.resolve(resolved.logsDirectory)}` : ''}`, {version, pid: process.pid}));
	const exposed = exposedConfig(resolved.configFile, resolved.fileHoldsSecrets);
	if (exposed) {
		writer.write(entry('CONFIG_FILE_EXPOSED', `${exposed} — ${catalogue.CONFIG_FILE_EXPOSED.remediation}`, {level: 'warn'}));
	}
	warnUnknownSettings(writer, resolved);

	for (const agent of resolved.engine.agents) {
		if (!isLoopbackUrl(agent.url) && new URL(agent.url).protocol === 'http:') {
			writer.write(entry('INSECURE_URL', `${new URL(agent.url).origin} is not https; ${catalogue.INSECURE_URL.remediation}`, {agent: agent.name}));
		}
	}

	// Bound before the engine starts, so a taken port fails fast instead of running unobserved.
	let engine: EngineHandle | undefined;
	let metrics: MetricsServer | undefined;
	if (metricsAddress) {
		try {
			const {startMetricsServer} = await import('./metrics/server.ts');
			metrics = await startMetricsServer({...metricsAddress, getSnapshot: () => engine?.snapshot});
		} catch (error) {
			const e = serializeError(error);
			writer.write(entry(e.code, `${e.message} — ${catalogue[e.code].remediation}`, {level: 'error'}));
			writer.close();
			lock.release();
			signals.release();
			return exitCodeOf(e.code);
		}
		writer.write(entry('STARTED', `Prometheus metrics at ${metrics.url}/metrics, health at ${metrics.url}/healthz`, {metrics: metrics.url}));
		lock.annotate({metrics: metrics.url});
	}

	return new Promise<number>((resolve) => {
		let exitCode = 0;
		let stopping = false;
		let watcher: FSWatcher | undefined;
		let reloadTimer: NodeJS.Timeout | undefined;

		const handle = new EngineHandle(resolved.engine, {
			log: (line) => writer.write(line),
			fatal: (error) => {
				exitCode = exitCodeOf(error.code);
				void stop(`stopping: ${error.code}`);
			},
		});
		engine = handle;

		const reload = (reason: string): void => {
			try {
				const next = resolveDaemonConfig(flags);
				writer.setSecrets(secretsOf(next.engine.agents));
				handle.reload(next.engine);
				writer.write(entry('RELOADED', `${reason}; applying ${next.engine.agents.length} agent(s)`));
				warnUnknownSettings(writer, next);
			} catch (error) {
				const e = serializeError(error);
				writer.write(entry(e.code, `reload refused, keeping the running configuration: ${e.message}`, {level: 'error'}));
			}
		};

		const stop = async (why: string): Promise<void> => {
			if (stopping) {
				return;
			}
			stopping = true;
			watcher?.close();
			clearTimeout(reloadTimer);
			writer.write(entry('STOPPING', why));
			await handle.stop(9000);
			await metrics?.close();
			writer.write(entry('STOPPED', `stopped (exit ${exitCode})`));
			writer.close();
			lock.release();
			signals.release();
			resolve(exitCode);
		};

		// Edits to the config file apply without a signal too. conf replaces the file by rename,
		// so watch the directory and match the name.
		const hasFileAgents = readConfig(flags.config).agents.length > 0;
		if (hasFileAgents) {
			try {
				const file = resolved.configFile;
				watcher = watch(path.dirname(file), (_event, name) => {
					if (name === path.basename(file)) {
						clearTimeout(reloadTimer);
						reloadTimer = setTimeout(() => reload('config file changed'), 300);
					}
				});
				watcher.unref();
			} catch {
				// Watching is a convenience; SIGHUP still works.
			}
		}

		signals.handleWith((signal) => {
			if (signal === 'SIGHUP') {
				reload('SIGHUP received');
			} else if (signal === 'SIGINT' && stopping) {
				// A second Ctrl-C: the user insists. Checkpoints only move after delivery, so nothing is lost.
				process.exit(130);
			} else {
				void stop(`${signal} received; finishing the batch in flight`);
			}
		});
	});
}
