/**
 * Pieces every sink shares: a queue that runs sends one after another (a retry always follows
 * its failure; two batches never interleave on the wire), and the bookkeeping of going down.
 */
import {AgentError} from '../errors.ts';
import type {Messages} from './batch.ts';
import type {Sink, SinkStatus} from './types.ts';

export interface SerialQueue {
	/** Runs `task` after every task queued before it; a failure does not stop the ones after. */
	run<T>(task: () => Promise<T>): Promise<T>;
	/** Resolves true once everything queued so far has settled, or false after `timeoutMs`. */
	drain(timeoutMs: number): Promise<boolean>;
}

export function createSerialQueue(): SerialQueue {
	let tail: Promise<unknown> = Promise.resolve();
	return {
		run(task) {
			const result = tail.then(task);
			tail = result.catch(() => undefined);
			return result;
		},
		async drain(timeoutMs) {
			let timer: NodeJS.Timeout | undefined;
			const finished = await Promise.race([
				tail.then(() => true),
				new Promise<boolean>((resolve) => {
					timer = setTimeout(resolve, timeoutMs, false);
				}),
			]);
			clearTimeout(timer);
			return finished;
		},
	};
}

/** Records a failure in the sink's status. */
export function markDown(status: SinkStatus, error: AgentError): void {
	status.state = 'down';
	status.lastErrorCode = error.code;
	status.lastError = error.message;
}

/** What a send, or a wait inside one, gets once the sink is closed. */
export function closedError(address: string): AgentError {
	return new AgentError('DATA_SERVER_SEND_ERROR', `The sink for ${address} is closed`, {retryable: false});
}

export interface SinkShellParts {
	/** `host:port`, for the message of a send after close. */
	address: string;
	status: SinkStatus;
	/** Delivers one batch; called one batch at a time. */
	deliver(messages: Messages): Promise<void>;
	/** How long close() waits for batches in flight. */
	closeTimeoutMs: number;
	/** The transport's own queue, when it also runs work of its own on it (e.g. a background reconnect). */
	queue?: SerialQueue;
	/** Called first on close (e.g. to abort a reconnect wait). */
	onClosing?(): void;
	/** Lets go of the connection; `finished` says whether every batch in flight settled in time. */
	shutdown(finished: boolean): Promise<void>;
}

/**
 * The Sink every transport returns: sends run one after another; after close() a send rejects;
 * close() waits (bounded) for batches in flight, then hands over to the transport's shutdown.
 */
export function createSinkShell(parts: SinkShellParts): Sink {
	const queue = parts.queue ?? createSerialQueue();
	let closed: Promise<void> | undefined;
	return {
		send(messages) {
			if (closed) {
				return Promise.reject(closedError(parts.address));
			}
			return queue.run(async () => parts.deliver(messages));
		},
		status() {
			return {...parts.status};
		},
		async close() {
			closed ??= (async () => {
				parts.onClosing?.();
				const finished = await queue.drain(parts.closeTimeoutMs);
				parts.status.state = 'down';
				await parts.shutdown(finished);
			})();
			return closed;
		},
	};
}
