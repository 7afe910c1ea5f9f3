/** Node child processes of the benchmarks (bench/children/), talked to over IPC. */
import {fork, type ChildProcess} from 'node:child_process';

const living = new Set<ChildProcess>();
let hooked = false;

/**
 * Kills `child` when the harness exits, however it exits: a crashed run must not leave
 * rsyslogd, simulators or agents behind.
 */
export function track(child: ChildProcess): void {
	living.add(child);
	child.once('exit', () => living.delete(child));
	if (!hooked) {
		hooked = true;
		process.once('exit', () => {
			for (const child of living) {
				child.kill('SIGKILL');
			}
		});
	}
}

/** A forked child script and a way to ask it things by message type. */
export class NodeChild {
	readonly process: ChildProcess;
	readonly #exited: Promise<void>;

	constructor(script: string, args: string[], execArgv: string[] = []) {
		this.process = fork(new URL(`../children/${script}`, import.meta.url), args, {stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv});
		track(this.process);
		// A child that is already on its way out cannot take messages; that is no error here.
		this.process.on('error', () => undefined);
		this.#exited = new Promise((resolve) => {
			this.process.once('exit', () => resolve());
		});
	}

	get pid(): number {
		return this.process.pid!;
	}

	/** The next message of `type`; rejects if the child exits first. */
	next<T extends {type: string}>(type: T['type'], timeoutMs = 600_000): Promise<T> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				cleanup();
				reject(new Error(`${type}: no answer from the child in ${timeoutMs / 1000} s`));
			}, timeoutMs);
			const onMessage = (message: T): void => {
				if (message?.type === type) {
					cleanup();
					resolve(message);
				}
			};
			const onExit = (code: number | null): void => {
				cleanup();
				reject(new Error(`child exited (${code}) before sending ${type}`));
			};
			const cleanup = (): void => {
				clearTimeout(timer);
				this.process.off('message', onMessage);
				this.process.off('exit', onExit);
			};
			this.process.on('message', onMessage);
			this.process.once('exit', onExit);
		});
	}

	/** Sends `{type}` and waits for the answer of the same type. */
	async ask<T extends {type: string}>(type: T['type']): Promise<T> {
		const answer = this.next<T>(type);
		this.process.send({type});
		return answer;
	}

	async stop(): Promise<void> {
		if (this.process.exitCode === null && this.process.signalCode === null) {
			if (this.process.connected) {
				this.process.send({type: 'stop'}, (error) => {
					if (error) {
						this.process.kill('SIGTERM');
					}
				});
			} else {
				this.process.kill('SIGTERM');
			}
			const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
			await this.#exited;
			clearTimeout(timer);
		}
	}
}
