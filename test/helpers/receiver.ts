/**
 * A collecting syslog receiver for tests: every message that arrives is kept in order, and the
 * receiver can be stopped and started again on the same port (a SIEM restart mid-stream).
 */
import {createReceiver, type Receiver, type ReceiverProtocol} from '../../source/listen/receiver.ts';

export {createReceiver, type Receiver} from '../../source/listen/receiver.ts';

export interface Collector {
	readonly protocol: ReceiverProtocol;
	/** The bound port; stays the same across restart(). */
	readonly port: number;
	/** Every message received so far, in arrival order (across restarts). */
	readonly messages: string[];
	/** TCP connections accepted so far. */
	readonly connections: number;
	/** Resolve once at least `count` messages arrived; reject after `timeoutMs`. @default 10000 */
	waitFor(count: number, timeoutMs?: number): Promise<string[]>;
	/** Resolve once `predicate(messages)` holds (checked on each message); reject after `timeoutMs`. */
	waitUntil(predicate: (messages: readonly string[]) => boolean, timeoutMs?: number): Promise<string[]>;
	/** Stop like a crashed server: drop connections, discard partial frames, free the port. */
	stop(): Promise<void>;
	/** Listen again on the same port. */
	restart(): Promise<void>;
	/** Stop reading from TCP connections (backpressure) / read again. */
	pause(): void;
	resume(): void;
	/** Stop for good. */
	close(): Promise<void>;
}

/** Start a collecting receiver on 127.0.0.1 (port 0 unless given). */
export async function startCollector(protocol: ReceiverProtocol, port = 0): Promise<Collector> {
	const messages: string[] = [];
	let connections = 0;
	let waiters: Array<{ready: () => boolean; resolve: () => void}> = [];
	let receiver: Receiver | undefined;
	let paused = false;

	const attach = async (listenPort: number) => {
		const created = await createReceiver({protocol, host: '127.0.0.1', port: listenPort});
		created.on('connection', () => {
			connections++;
		});
		created.on('message', message => {
			messages.push(message);
			if (waiters.length > 0) {
				const ready = waiters.filter(waiter => waiter.ready());
				waiters = waiters.filter(waiter => !ready.includes(waiter));
				for (const waiter of ready) {
					waiter.resolve();
				}
			}
		});
		if (paused) {
			created.pause();
		}
		receiver = created;
		return created.port;
	};

	const boundPort = await attach(port);
	const waitUntil = async (ready: () => boolean, timeoutMs: number, what: string) => {
		if (ready()) {
			return messages;
		}
		const {promise, resolve, reject} = Promise.withResolvers<void>();
		const timer = setTimeout(() => {
			waiters = waiters.filter(waiter => waiter.resolve !== resolve);
			reject(new Error(`${what}: not met after ${timeoutMs} ms with ${messages.length} messages`));
		}, timeoutMs);
		waiters.push({ready, resolve});
		try {
			await promise;
		} finally {
			clearTimeout(timer);
		}
		return messages;
	};
	const stop = async () => {
		const current = receiver;
		receiver = undefined;
		await current?.close();
	};

	return {
		protocol,
		port: boundPort,
		messages,
		get connections() {
			return connections;
		},
		async waitFor(count, timeoutMs = 10_000) {
			return waitUntil(() => messages.length >= count, timeoutMs, `waitFor(${count})`);
		},
		async waitUntil(predicate, timeoutMs = 10_000) {
			return waitUntil(() => predicate(messages), timeoutMs, 'waitUntil');
		},
		stop,
		async restart() {
			if (!receiver) {
				await attach(boundPort);
			}
		},
		pause() {
			paused = true;
			receiver?.pause();
		},
		resume() {
			paused = false;
			receiver?.resume();
		},
		close: stop,
	};
}
