/**
 * The interactive host: loads the config file, runs the engine worker for its agents, and gives
 * the Ink UI (loaded lazily) the AppDeps it needs: save/delete/pause applied to the running
 * engine, token and syslog checks, filter previews through the real API client. Logs go to a
 * file (never to the terminal the UI draws on).
 */
import {lookup} from 'node:dns/promises';
import os from 'node:os';
import path from 'node:path';
import {checkToken, createCloudClient} from './cloud/client.ts';
import type {ApiRecord, DataType} from './cloud/types.ts';
import {validateAgent} from './config/resolve.ts';
import {defaults, type AgentConfig} from './config/schema.ts';
import {deleteAgent, locate, readConfig, saveAgent} from './config/store.ts';
import {secretsOf} from './daemon.ts';
import {CheckpointStore} from './engine/checkpoints.ts';
import {EngineHandle} from './engine/handle.ts';
import {acquireStateLock, lockHolder, type StateLock} from './engine/state-lock.ts';
import type {EngineConfig, EngineSnapshot} from './engine/protocol.ts';
import {createRecordFormatter} from './engine/record-formatter.ts';
import {exitCodeOf, serializeError, type Code} from './errors.ts';
import {LogWriter} from './logging/log-file.ts';
import {parseMetricsAddress} from './metrics/address.ts';
import type {MetricsServer} from './metrics/server.ts';
import {sendTestMessage, testMessage} from './test-command.ts';
import type {TransportConfig} from './transports/types.ts';
import type {AppDeps, CheckResult, PreviewResult} from './ui/deps.ts';

export interface InteractiveFlags {
	config?: string;
	stateDirectory?: string;
	logsDirectory?: string;
	/** `HOST:PORT` for Prometheus /metrics and /healthz, from the same snapshots the dashboard shows. */
	metrics?: string;
}

const previewWindowMs = 2 * 24 * 60 * 60 * 1000;
const previewCount = 20;

function failure(error: unknown): {ok: false; code: string; message: string} {
	const e = serializeError(error);
	return {ok: false, code: e.code, message: e.message};
}

/** The records the filter would send among the newest ones, each with its formatted line. */
export async function previewRecords(agent: AgentConfig, dataType: DataType, now = Date.now()): Promise<PreviewResult> {
	const client = createCloudClient({url: agent.url, token: agent.token, entra: agent.entra, proxy: agent.proxy, maxRetries: 1, timeoutMs: 15_000});
	try {
		const field = dataType === 'activities' ? 'created' : 'date';
		const window = {[field]: {gte: now - previewWindowMs}};
		const base = {sortField: field, sortDirection: 'desc' as const, limit: previewCount};
		const [all, filtered] = await Promise.all([
			client.query(dataType, {...base, filters: window}),
			client.query(dataType, {...base, filters: {...agent.dataTypes[dataType].filters, ...window}}),
		]);
		const format = createRecordFormatter(agent, dataType, {systemName: os.hostname(), now: () => now});
		const sentIds = new Set(filtered.data.map((record) => String(record._id)));
		const seen = new Set<string>();
		const lines = [];
		for (const record of [...all.data, ...filtered.data] as ApiRecord[]) {
			const id = String(record._id);
			if (seen.has(id)) {
				continue;
			}
			seen.add(id);
			const sent = sentIds.has(id);
			lines.push({sent, line: format(record).line, reason: sent ? undefined : 'filtered out'});
		}
		return {records: all.total ?? all.data.length, lines};
	} catch (error) {
		const e = serializeError(error);
		return {error: {code: e.code, message: e.message}};
	} finally {
		await client.close();
	}
}

export async function runInteractive(flags: InteractiveFlags): Promise<number> {
	const location = locate(flags.config);
	const stateDirectory = path.resolve(flags.stateDirectory ?? readConfig(flags.config).stateDirectory ?? location.stateDirectory);
	const logsDirectory = flags.logsDirectory ?? readConfig(flags.config).logsDirectory ?? path.join(path.dirname(location.file), 'logs');
	let agents = readConfig(flags.config).agents;
	let lock: StateLock | undefined;
	/** Set when a running service holds the state directory: the UI then edits, the service runs. */
	let servicePid: number | undefined;
	/** The running service's metrics endpoint, when it has one: its snapshots feed the dashboard. */
	let serviceMetrics: string | undefined;
	/** Whether the holder is another interactive UI rather than a service. */
	let holderInteractive = false;
	/** Tries to take the state directory; otherwise records who holds it. An error code when neither. */
	const takeLock = (quiet = false): 'taken' | 'held' | Code => {
		try {
			lock = acquireStateLock(stateDirectory);
			return 'taken';
		} catch (error) {
			const e = serializeError(error);
			const pid = e.detail?.pid;
			if (typeof pid !== 'number') {
				if (!quiet) {
					// Not while the UI is on screen: the watch below tries again each second.
					process.stderr.write(`siem-agent: ${e.message}\n`);
				}

				return e.code;
			}
			servicePid = pid;
			serviceMetrics = typeof e.detail?.metrics === 'string' ? e.detail.metrics : undefined;
			holderInteractive = e.detail?.interactive === true;
			return 'held';
		}
	};
	const taken = takeLock();
	if (taken !== 'taken' && taken !== 'held') {
		return exitCodeOf(taken);
	}
	let handle: EngineHandle | undefined;
	let metrics: MetricsServer | undefined;
	try {
		if (flags.metrics) {
			const address = parseMetricsAddress(flags.metrics);
			const {startMetricsServer} = await import('./metrics/server.ts');
			metrics = await startMetricsServer({...address, getSnapshot: () => handle?.snapshot});
		}
	} catch (error) {
		lock?.release();
		const e = serializeError(error);
		process.stderr.write(`siem-agent: ${e.message}\n`);
		return exitCodeOf(e.code);
	}
	lock?.annotate({kind: 'interactive', metrics: metrics?.url});
	const writer = new LogWriter({directory: logsDirectory, stderr: false, secrets: secretsOf(agents)});
	const listeners = new Set<(snapshot: EngineSnapshot) => void>();

	const engineConfig = (): EngineConfig => {
		const runnable = agents.filter((agent) => {
			try {
				validateAgent(agent);
				return true;
			} catch (error) {
				const e = serializeError(error);
				writer.write({time: new Date().toISOString(), level: 'error', agent: agent.name, code: e.code, msg: `not started: ${e.message}`});
				return false;
			}
		});
		return {agents: runnable, stateDirectory, systemName: os.hostname()};
	};

	const apply = (renamed?: Record<string, string>): void => {
		writer.setSecrets(secretsOf(agents));
		if (servicePid !== undefined) {
			// The service watches the config file and applies what was saved.
			return;
		}
		const config = engineConfig();
		if (handle) {
			handle.reload(renamed ? {...config, renamed} : config);
			return;
		}
		if (config.agents.length === 0) {
			return;
		}
		handle = new EngineHandle(config, {
			snapshot: (snapshot) => {
				for (const listener of listeners) {
					listener(snapshot);
				}
			},
			log: (entry) => writer.write(entry),
			// In the dashboard a fatal agent shows its error; the UI keeps running so it can be fixed.
			fatal: (error) => writer.write({time: new Date().toISOString(), level: 'error', code: error.code, msg: error.message}),
		});
	};

	/** The line above every screen while another process holds the state directory (`holderAlive`: it still does). */
	const noticeText = (holderAlive: boolean): string | undefined => {
		if (servicePid === undefined) {
			return undefined;
		}

		if (holderInteractive) {
			return `Another siem-agent window (pid ${servicePid}) runs these agents; what is saved here takes effect when this window takes over, once that one closes.`;
		}

		if (!holderAlive) {
			return `The siem-agent service (pid ${servicePid}) has stopped: nothing is being forwarded. Start it again (e.g. systemctl start siem-agent); what is saved here waits for it.`;
		}

		return `The siem-agent service (pid ${servicePid}) runs these agents: edits saved here are applied by it without a restart. ${serviceMetrics ? `Figures below come from its ${serviceMetrics}.` : 'For live figures here, run it with --metrics.'}`;
	};
	const noticeListeners = new Set<(notice: string | undefined) => void>();
	let notice = noticeText(true);
	/** Renames saved while another window runs the agents: new name → name its checkpoints have. */
	const pendingRenames = new Map<string, string>();
	let follow: AbortController | undefined;
	// Whoever holds the state directory may go away: another window (an SSH session that dropped
	// takes a moment to exit) is taken over from, so this one runs the agents; a service is not
	// (it must find the directory free when it starts again), but the notice says it stopped.
	const watchHolder = servicePid === undefined ? undefined : setInterval(() => {
		// One read of the lock a second serves both the take-over and the notice.
		const holder = lockHolder(stateDirectory);
		if (holder) {
			servicePid = holder.pid;
			holderInteractive = holder.interactive;
		} else if (holderInteractive && takeLock(true) === 'taken') {
			clearInterval(watchHolder);
			servicePid = undefined;
			serviceMetrics = undefined;
			holderInteractive = false;
			follow?.abort();
			lock?.annotate({kind: 'interactive', metrics: metrics?.url});
			// The other window may have changed the file, and its last checkpoints are saved now:
			// renames made here while it ran take their checkpoints over before anything starts.
			void (async () => {
				for (const [to, from] of pendingRenames) {
					// eslint-disable-next-line no-await-in-loop
					await new CheckpointStore(stateDirectory).carryOver(from, to).catch(() => undefined);
				}

				pendingRenames.clear();
				agents = readConfig(flags.config).agents;
				apply();
			})();
		}

		const now = noticeText(holder !== undefined);
		if (now !== notice) {
			notice = now;
			for (const listener of noticeListeners) {
				listener(notice);
			}
		}
	}, 1000);
	watchHolder?.unref();

	const deps: AppDeps = {
		config: {agents},
		notice,
		watchNotice(listener) {
			noticeListeners.add(listener);
			return () => noticeListeners.delete(listener);
		},
		systemName: os.hostname(),
		subscribe(callback) {
			listeners.add(callback);
			return () => listeners.delete(callback);
		},
		async saveAgent(agent, previousName) {
			const from = previousName !== undefined && previousName !== agent.name ? previousName : undefined;
			if (from !== undefined && servicePid !== undefined && holderInteractive) {
				// Another window runs the agents and never reads this file: the checkpoints move
				// when this window takes over, after that one saved its last ones.
				pendingRenames.set(agent.name, pendingRenames.get(from) ?? from);
				pendingRenames.delete(from);
			} else if (from !== undefined && servicePid !== undefined) {
				// The service will see an agent go and another come: give the new name the old one's
				// checkpoints before it reloads (it does ~300 ms after the file changes), so the
				// agent goes on instead of backfilling two days. What the service delivers in
				// between may be sent again once; the old name's files stay until it lets go.
				await new CheckpointStore(stateDirectory).carryOver(from, agent.name, {keep: true}).catch(() => undefined);
			}
			saveAgent(agent, {file: flags.config, previousName});
			agents = readConfig(flags.config).agents;
			apply(from === undefined ? undefined : {[agent.name]: from});
		},
		async deleteAgent(name) {
			deleteAgent(name, {file: flags.config});
			agents = readConfig(flags.config).agents;
			apply();
			if (servicePid !== undefined) {
				// The service stops the agent; its checkpoints are the service's to keep or drop.
				return;
			}
			// The engine stops the agent asynchronously and saves its checkpoints on the way out:
			// remove them only once it is gone, or a re-added agent of that name would resume.
			const until = Date.now() + 12_000;
			while (handle?.snapshot?.agents.some((agent) => agent.name === name) && Date.now() < until) {
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			const checkpoints = new CheckpointStore(stateDirectory);
			await Promise.all((['alerts', 'activities'] as const).map(async (type) => checkpoints.remove(name, type)));
		},
		setPaused(name, paused) {
			const agent = agents.find((candidate) => candidate.name === name);
			if (agent) {
				saveAgent({...agent, paused}, {file: flags.config, previousName: name});
				agents = readConfig(flags.config).agents;
			}
			handle?.pause(name, paused);
		},
		async quit() {
			clearInterval(watchHolder);
			await handle?.stop(9000);
			await metrics?.close();
			writer.close();
			lock?.release();
		},
		async checkToken(url, token, proxy, entra): Promise<CheckResult> {
			try {
				await checkToken({url, token, entra, proxy});
				return {ok: true};
			} catch (error) {
				return failure(error);
			}
		},
		preview: async (agent, dataType) => previewRecords(agent, dataType),
		async testSyslog(transport: TransportConfig): Promise<CheckResult> {
			const probe = {name: 'set-up wizard', url: '', format: defaults.format, cef: {...defaults.cef}} as unknown as AgentConfig;
			const result = await sendTestMessage(transport, testMessage(probe, Date.now(), os.hostname()));
			return result ? {ok: false, code: result.code, message: result.message} : {ok: true};
		},
		async resolveHost(host) {
			try {
				await lookup(host);
				return true;
			} catch {
				return false;
			}
		},
		now: Date.now,
	};

	apply();
	follow = serviceMetrics ? followService(serviceMetrics, (snapshot) => {
		for (const listener of listeners) {
			listener(snapshot);
		}
	}) : undefined;
	const {runApp} = await import('./ui/app.tsx');
	try {
		await runApp(deps);
	} finally {
		follow?.abort();
	}
	return 0;
}

/** Polls a running service's `/snapshot` twice a second until aborted. */
function followService(base: string, push: (snapshot: EngineSnapshot) => void): AbortController {
	const controller = new AbortController();
	void (async () => {
		while (!controller.signal.aborted) {
			try {
				const response = await fetch(`${base}/snapshot`, {signal: controller.signal});
				if (response.ok) {
					push(await response.json() as EngineSnapshot);
				}
			} catch {
				// The service may be restarting; try again on the next tick.
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	})();
	return controller;
}
