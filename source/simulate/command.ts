/**
 * `siem-agent simulate`: serves the simulated tenant until SIGINT/SIGTERM, printing how to
 * point an agent at it and then one line of stats a minute.
 */

import process from 'node:process';
import {AgentError} from '../errors.ts';
import {createSimulator, type Simulator, type SimulatorOptions} from './simulator.ts';

interface FlagSpec {
	type: 'number' | 'string' | 'boolean';
	default: number | string | boolean;
	/** The left column of --help. */
	usage: string;
	help: string;
}

/**
 * Flags of `simulate`, named as meow gives them (camelCase; `--no-throttle` is `throttle: false`).
 * The CLI wires these into meow and its --help.
 */
export const simulateFlags = {
	port: {type: 'number', default: 0, usage: '--port N', help: 'port to listen on (default 0: any free port, printed)'},
	host: {type: 'string', default: '127.0.0.1', usage: '--host ADDRESS', help: 'address to listen on (default 127.0.0.1)'},
	token: {type: 'string', default: 'sim-token', usage: '--token TOKEN', help: 'the API token the simulator accepts (default sim-token)'},
	seed: {type: 'number', default: 1, usage: '--seed N', help: 'data seed: the same seed serves the same records (default 1)'},
	rate: {type: 'number', default: 2, usage: '--rate N', help: 'live activities per second (default 2)'},
	alertRate: {type: 'number', default: 1, usage: '--alert-rate N', help: 'live alerts per minute (default 1)'},
	backlog: {type: 'number', default: 0, usage: '--backlog N', help: 'extra activities in the history window, e.g. 1000000 (default 0)'},
	throttle: {type: 'boolean', default: true, usage: '--no-throttle', help: 'lift the 30 requests/minute limit'},
	errorRate: {type: 'number', default: 0, usage: '--error-rate F', help: 'fraction of requests answered with HTTP 500/503 (0-1)'},
	malformedRate: {type: 'number', default: 0, usage: '--malformed-rate F', help: 'fraction of bodies that are broken JSON or the wrong shape (0-1)'},
	latency: {type: 'number', default: 0, usage: '--latency MS', help: 'delay before every answer, in milliseconds'},
	hostile: {type: 'number', default: 0, usage: '--hostile F', help: 'fraction of records with hostile text: CR/LF, |, =, \\, forged CEF (0-1)'},
} as const satisfies Record<string, FlagSpec>;

/** `simulateFlags` as --help lines. */
export const simulateHelp: string = Object.values(simulateFlags)
	.map(flag => `    ${flag.usage.padEnd(27)}${flag.help}`)
	.join('\n');

/** Parsed flags; numbers may arrive as strings (environment variables). */
export interface SimulateFlags {
	port?: number | string;
	host?: string;
	token?: string;
	seed?: number | string;
	rate?: number | string;
	alertRate?: number | string;
	backlog?: number | string;
	/** false for --no-throttle. */
	throttle?: boolean;
	noThrottle?: boolean;
	errorRate?: number | string;
	malformedRate?: number | string;
	latency?: number | string;
	hostile?: number | string;
}

export interface SimulateIo {
	/** @default process.stdout */
	stdout?: {write(text: string): unknown};
	/** Stops the simulator like SIGINT does. */
	signal?: AbortSignal;
	/** @default 60_000 */
	statsIntervalMs?: number;
}

const defaultToken = simulateFlags.token.default;

function numberFlag(flags: SimulateFlags, name: keyof typeof simulateFlags, min: number, max = Number.POSITIVE_INFINITY): number {
	const raw = flags[name as keyof SimulateFlags];
	if (raw === undefined || raw === '') {
		return simulateFlags[name].default as number;
	}

	const value = Number(raw);
	if (!Number.isFinite(value) || value < min || value > max) {
		const range = max === Number.POSITIVE_INFINITY ? `${min} or more` : `from ${min} to ${max}`;
		throw new AgentError('USAGE_ERROR', `${simulateFlags[name].usage.split(' ')[0]} must be a number ${range}, got "${String(raw)}".`);
	}

	return value;
}

/** Simulator options from the flags. @throws AgentError USAGE_ERROR naming the bad flag. */
export function simulatorOptions(flags: SimulateFlags): SimulatorOptions {
	return {
		port: Math.trunc(numberFlag(flags, 'port', 0, 65_535)),
		host: flags.host || simulateFlags.host.default,
		token: flags.token || defaultToken,
		seed: numberFlag(flags, 'seed', Number.MIN_SAFE_INTEGER),
		liveActivitiesPerSecond: numberFlag(flags, 'rate', 0),
		liveAlertsPerMinute: numberFlag(flags, 'alertRate', 0),
		backlogActivities: Math.trunc(numberFlag(flags, 'backlog', 0)),
		throttle: flags.throttle === false || flags.noThrottle === true ? 0 : 30,
		hostileFraction: numberFlag(flags, 'hostile', 0, 1),
		faults: {
			errorRate: numberFlag(flags, 'errorRate', 0, 1),
			malformedRate: numberFlag(flags, 'malformedRate', 0, 1),
			latencyMs: numberFlag(flags, 'latency', 0),
		},
	};
}

/** The line printed at start: where the tenant is and the exact command to use it. */
export function startLine(simulator: Simulator): string {
	// A token the user chose may be a real one from SIEM_AGENT_TOKEN: never echo it.
	const token = simulator.token === defaultToken ? defaultToken : '<your --token>';
	return `Simulated Defender for Cloud Apps tenant at ${simulator.url} (token ${token}); stop with Ctrl+C. `
		+ `Run: siem-agent --daemon --url ${simulator.url} --token ${token} --syslog 127.0.0.1:5514\n`
		+ `It is also its own Entra ID authority: --tenant-id sim-tenant --client-id sim-client --client-secret sim-secret --authority ${simulator.url}\n`;
}

/** One line of stats. */
export function statsLine(simulator: Simulator, time: Date): string {
	const s = simulator.stats();
	const statuses = new Map<string, number>();
	for (const byStatus of Object.values(s.byRoute)) {
		for (const [status, count] of Object.entries(byStatus)) {
			statuses.set(status, (statuses.get(status) ?? 0) + count);
		}
	}

	const answers = [...statuses].sort().map(([status, count]) => `${status}: ${count}`).join(', ') || 'none';
	return `${time.toISOString()} requests ${s.requests} (${answers}); served ${s.recordsServed.activities} activities, ${s.recordsServed.alerts} alerts; `
		+ `tenant holds ${s.visible.activities} activities, ${s.visible.alerts} alerts\n`;
}

/**
 * Runs the simulator until SIGINT, SIGTERM or `io.signal`.
 * @throws AgentError USAGE_ERROR for a bad flag, BOOTSTRAP_ERROR when the port is taken.
 */
export async function runSimulate(flags: SimulateFlags, io: SimulateIo = {}): Promise<void> {
	const stdout = io.stdout ?? process.stdout;
	const simulator = await createSimulator(simulatorOptions(flags));
	stdout.write(startLine(simulator));
	const timer = setInterval(() => stdout.write(statsLine(simulator, new Date())), io.statsIntervalMs ?? 60_000);
	await new Promise<void>(resolve => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			io.signal?.removeEventListener('abort', stop);
			resolve();
		};

		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		if (io.signal?.aborted) {
			stop();
		}

		io.signal?.addEventListener('abort', stop, {once: true});
	});
	clearInterval(timer);
	await simulator.close();
	stdout.write(statsLine(simulator, new Date()) + 'Simulator stopped.\n');
}
