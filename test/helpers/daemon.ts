/**
 * Runs the real CLI (`dist/siem-agent.js`, built by `npm test` before the tests) as a child
 * process, the way a service manager would, and collects its JSON-lines logs.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const cliPath = fileURLToPath(new URL('../../dist/siem-agent.js', import.meta.url));

export interface LogLine {
	time: string;
	level: string;
	agent?: string;
	code: string;
	msg: string;
	[key: string]: unknown;
}

export class DaemonProcess {
	readonly child: ChildProcess;
	readonly logs: LogLine[] = [];
	stderr = '';
	stdout = '';
	readonly exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;

	constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
		this.child = spawn(process.execPath, [cliPath, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {...process.env, NO_COLOR: '1', ...env},
		});
		let pending = '';
		this.child.stderr!.on('data', (chunk: Buffer) => {
			const text = chunk.toString();
			this.stderr += text;
			pending += text;
			let newline = pending.indexOf('\n');
			while (newline !== -1) {
				const line = pending.slice(0, newline);
				pending = pending.slice(newline + 1);
				try {
					this.logs.push(JSON.parse(line) as LogLine);
				} catch {
					// Not JSON: kept in `stderr` for the assertion message.
				}
				newline = pending.indexOf('\n');
			}
		});
		this.child.stdout!.on('data', (chunk: Buffer) => {
			this.stdout += chunk.toString();
		});
		this.exited = new Promise((resolve) => {
			this.child.once('exit', (code, signal) => resolve({code, signal}));
		});
	}

	codes(): string[] {
		return this.logs.map((line) => line.code);
	}

	async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
		const until = Date.now() + timeoutMs;
		while (Date.now() < until) {
			const found = this.logs.find(predicate);
			if (found) {
				return found;
			}
			if (this.child.exitCode !== null) {
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`log line not seen; stderr so far:\n${this.stderr.slice(-4000)}`);
	}

	/** SIGTERM and wait; returns the exit code. */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
		if (this.child.exitCode === null) {
			this.child.kill(signal);
		}
		return (await this.exited).code;
	}
}

export async function tempDirectory(prefix = 'siem-agent-'): Promise<string> {
	return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** `externalId=...` of a CEF line. */
export function externalId(line: string): string | undefined {
	return /externalId=(\S+)/.exec(line)?.[1];
}
