/**
 * The agent under test: `siem-agent --daemon` as a child process, the way a service manager
 * runs it. The single executable (dist/siem-agent) when it has been built, else the bundle.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {track} from './child.ts';
import {cpuSeconds, peakRss, rss} from './proc.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const seaPath = path.join(root, 'dist', 'siem-agent');
export const bundlePath = path.join(root, 'dist', 'siem-agent.js');

export interface AgentCommand {
	file: string;
	args: string[];
	/** What the tables call it. */
	label: string;
}

/**
 * How to start the agent: the single executable if built, else `node dist/siem-agent.js`.
 *
 * The single executable runs from a copy made with `install`, as docs/install.md installs it,
 * not from dist/: on this kernel the page cache of a file just written by the build is held in
 * large folios, and a process mapping it gets whole folios of the executable counted in its RSS
 * (measured: 85 MB of file pages at idle from dist/siem-agent, 52 MB from an installed copy of
 * the same bytes). The installed file is what users run.
 */
export function agentCommand(prefer: 'sea' | 'bundle' = 'sea', nodeArgs: string[] = []): AgentCommand {
	if (prefer === 'sea' && existsSync(seaPath)) {
		return {file: installedCopy(), args: [], label: 'siem-agent (single executable, installed)'};
	}
	return {file: process.execPath, args: [...nodeArgs, bundlePath], label: 'node dist/siem-agent.js'};
}

let installed: string | undefined;

/** dist/siem-agent installed (once per benchmark run) into a temporary directory. */
function installedCopy(): string {
	if (!installed) {
		const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-bench-bin-'));
		installed = path.join(directory, 'siem-agent');
		execFileSync('install', ['-m', '0755', seaPath, installed]);
	}
	return installed;
}

/** An environment without SIEM_AGENT_* variables, so nothing outside the run changes it. */
export function cleanEnvironment(): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SIEM_AGENT_')));
}

export interface DaemonSettings {
	url: string;
	syslogPort: number;
	dataTypes?: string;
	pollIntervalSeconds?: number;
	requestsPerMinute?: number;
	settleSeconds?: number;
	extra?: string[];
}

/** The daemon's arguments; state and config live in a fresh temporary directory. */
export function daemonArgs(settings: DaemonSettings): string[] {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-bench-agent-'));
	return [
		'--daemon', '--config', path.join(directory, 'config.json'), '--stateDirectory', path.join(directory, 'state'),
		'--url', settings.url, '--token', 'sim-token', '--syslog', `127.0.0.1:${settings.syslogPort}`,
		'--data-types', settings.dataTypes ?? 'activities',
		'--poll-interval', String(settings.pollIntervalSeconds ?? 1),
		'--requests-per-minute', String(settings.requestsPerMinute ?? 0),
		'--settle', String(settings.settleSeconds ?? 0),
		...(settings.extra ?? []),
	];
}

export class AgentProcess {
	readonly child: ChildProcess;
	/** performance.now() at spawn. */
	readonly startedAt: number;
	#stderr = '';
	readonly #exited: Promise<number | null>;

	constructor(command: AgentCommand, args: string[]) {
		this.startedAt = performance.now();
		this.child = spawn(command.file, [...command.args, ...args], {stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnvironment()});
		track(this.child);
		this.child.stderr!.on('data', (chunk: Buffer) => {
			this.#stderr = (this.#stderr + chunk.toString()).slice(-20_000);
		});
		this.#exited = new Promise((resolve) => {
			this.child.once('exit', (code) => resolve(code));
		});
	}

	get pid(): number {
		return this.child.pid!;
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** The end of its log, for error messages. */
	get stderr(): string {
		return this.#stderr;
	}

	cpuSeconds(): number {
		return cpuSeconds(this.pid);
	}

	peakRss(): number {
		return peakRss(this.pid);
	}

	rss(): number {
		return rss(this.pid);
	}

	/** Throws with the log tail if the agent died. */
	check(): void {
		if (!this.running) {
			throw new Error(`the agent exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.#stderr.slice(-3000)}`);
		}
	}

	/** SIGTERM (graceful stop) and wait; SIGKILL after 15 s. */
	async stop(): Promise<number | null> {
		if (this.running) {
			this.child.kill('SIGTERM');
		}
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
		const code = await this.#exited;
		clearTimeout(timer);
		return code;
	}
}
