/**
 * Syslog over TCP (RFC 6587, LF or octet-counting framing). One connection, opened on the first
 * send and re-opened with backoff after it drops. A send resolves only once the whole batch is
 * in the kernel; while the server is unreachable it rejects, and the engine keeps the batch and
 * stops pulling: nothing is lost and memory stays bounded.
 *
 * Delivery is at-least-once within the replay window: plain TCP acknowledges nothing to the
 * application, so bytes the kernel accepted can still be lost when the receiver restarts before
 * reading them. The sink keeps the last `replayBytes` of messages and writes them again, before
 * anything new, on the next connection (made in the background as soon as the old one drops).
 * A SIEM restart therefore shows up to that many bytes of duplicates and, as long as no more
 * than that was in flight, no loss. What is in flight is small while the receiver keeps up; a
 * receiver that stopped reading long before it restarted can have more in its socket buffers
 * than any window. A clean close() drops the window: nothing was in doubt.
 */
import {createConnection, type Socket} from 'node:net';
import {AgentError} from '../errors.ts';
import {createBackoff, sleep, type BackoffOptions} from './backoff.ts';
import {messageCount, type Messages} from './batch.ts';
import {frameChunks} from './framing.ts';
import {ReplayWindow} from './replay-window.ts';
import type {Framing, Sink, SinkStatus, TcpConfig} from './types.ts';
import {connectError, formatHostPort, sendError} from './socket-errors.ts';
import {closedError, createSerialQueue, createSinkShell, markDown as markStatusDown} from './serial.ts';

/**
 * How a stream sink opens its connection: plain TCP here, TLS in tls.ts. Everything else
 * (backoff, replay window, serialized writes, close) is shared.
 */
export interface StreamConnector {
	/** `host:port`, named in errors and events. */
	readonly address: string;
	/**
	 * Open a connection that can carry data now. Rejects with a catalogue AgentError, after
	 * destroying the socket; gives up after `timeoutMs` and as soon as `signal` aborts. The
	 * socket it resolves with keeps an 'error' listener, so nothing is ever unhandled.
	 */
	connect(options: ConnectOptions): Promise<Socket>;
	/** The error for an established connection that broke. @default sendError */
	failure?(cause: Error): AgentError;
}

export interface ConnectOptions {
	timeoutMs: number;
	keepAliveMs: number;
	signal: AbortSignal;
}

/**
 * Resolve once `socket` emits `event` ('connect', 'secureConnect'); on an error, the timeout or
 * the abort, destroy it and reject with `fail(cause)`.
 */
export async function whenReady(socket: Socket, event: string, options: {timeoutMs: number; signal: AbortSignal; fail: (cause: Error) => AgentError}): Promise<Socket> {
	const {promise, resolve, reject} = Promise.withResolvers<Socket>();
	// Kept for good: an error after readiness shows again as 'close', which the sink watches.
	socket.on('error', () => undefined);
	const settle = (error?: Error) => {
		clearTimeout(timer);
		options.signal.removeEventListener('abort', onAbort);
		socket.off('error', settle);
		socket.off('close', onClose);
		socket.off(event, onReady);
		if (error) {
			socket.destroy();
			reject(options.fail(error));
		} else {
			resolve(socket);
		}
	};
	const onReady = () => settle();
	const onClose = () => settle(Object.assign(new Error('connection closed by the server'), {code: 'ECONNRESET'}));
	const onAbort = () => settle(new Error('the sink was closed'));
	const timer = setTimeout(() => settle(Object.assign(new Error(`timed out after ${options.timeoutMs} ms`), {code: 'ETIMEDOUT'})), options.timeoutMs);
	socket.once('error', settle);
	socket.once('close', onClose);
	socket.once(event, onReady);
	if (options.signal.aborted) {
		onAbort();
	} else {
		options.signal.addEventListener('abort', onAbort, {once: true});
	}
	return promise;
}

/** Plain TCP with keepalive and Nagle off. */
export function tcpConnector(host: string, port: number): StreamConnector {
	const address = formatHostPort(host, port);
	return {
		address,
		async connect({timeoutMs, keepAliveMs, signal}) {
			const socket = createConnection({host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: keepAliveMs});
			return whenReady(socket, 'connect', {timeoutMs, signal, fail: cause => connectError(address, cause)});
		},
	};
}

/** Something worth a log line; the sink itself never logs. */
export type TcpSinkEvent =
	| {type: 'connected'; address: string; replayedMessages: number}
	| {type: 'disconnected'; address: string; code: string; message: string};

export interface TcpSinkOptions {
	/** Give up a connection attempt after this long. @default 10000 */
	connectTimeoutMs?: number;
	/**
	 * Size of the replay window in bytes: the most recently written messages, written again
	 * first after a reconnect, because what the kernel accepted before a receiver restart may
	 * never have been read. Duplicates are possible only in that case and only this many bytes'
	 * worth; 0 turns the window off (then such a restart can lose what was in flight).
	 * @default 1048576
	 */
	replayBytes?: number;
	/** Reconnect pacing after failures. @default {initialMs: 200, maxMs: 10000, factor: 2} */
	backoff?: BackoffOptions;
	/** Idle time before the first TCP keepalive probe. @default 30000 */
	keepAliveMs?: number;
	/** How long close() waits for a send in progress, then for the server to close. @default 5000 */
	closeTimeoutMs?: number;
	/** Called on connect and disconnect, for logs. */
	onEvent?: (event: TcpSinkEvent) => void;
}

/** Create a TCP syslog sink. Connects lazily: nothing happens until the first send. */
export function createTcpSink(config: TcpConfig, options: TcpSinkOptions = {}): Sink {
	return createStreamSink(tcpConnector(config.host, config.port), config.framing ?? 'lf', options);
}

/**
 * A syslog sink over any byte stream `connector` opens (TCP, TLS), with the delivery semantics
 * described at the top of this file. Connects lazily: nothing happens until the first send.
 */
export function createStreamSink(connector: StreamConnector, framing: Framing, options: TcpSinkOptions = {}): Sink {
	const {address} = connector;
	const failure = (cause: Error) => connector.failure?.(cause) ?? sendError(address, cause);
	const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
	const keepAliveMs = options.keepAliveMs ?? 30_000;
	const closeTimeoutMs = options.closeTimeoutMs ?? 5000;
	const backoff = createBackoff(options.backoff);
	const window = new ReplayWindow(options.replayBytes ?? 1024 * 1024);
	const closing = new AbortController();
	const status: SinkStatus & {replayed: number} = {state: 'connecting', messagesSent: 0, bytesSent: 0, truncated: 0, replayed: 0};

	let socket: Socket | undefined;
	// Bytes the kernel has taken from this socket: grows while a slow SIEM reads, stands still
	// while a stuck one does not (the engine's stall watch reads it through status()).
	Object.defineProperty(status, 'progress', {enumerable: true, get: () => (socket ? socket.bytesWritten - socket.writableLength : -1)});
	/** Whether a connection has ever carried data, i.e. whether a new one needs the replay. */
	let wroteBefore = false;
	let nextAttemptAt = 0;
	const queue = createSerialQueue();
	let reconnecting = false;

	const markDown = (error: AgentError) => markStatusDown(status, error);


	/** Keep an open connection's state honest even while idle: a server close shows at once. */
	const watch = (connection: Socket) => {
		let lastError: Error | undefined;
		connection.on('data', () => {
			// Syslog servers send nothing; reading keeps 'end' (the server's FIN) observable.
		});
		connection.on('error', error => {
			lastError = error;
		});
		connection.on('close', () => {
			if (socket !== connection) {
				return;
			}
			socket = undefined;
			if (closing.signal.aborted) {
				return;
			}
			const error = failure(lastError ?? new Error('connection closed by the server'));
			markDown(error);
			options.onEvent?.({type: 'disconnected', address, code: error.code, message: error.message});
			reconnectSoon();
		});
	};

	/**
	 * After an unexpected close, reconnect in the background (with backoff) to replay the window
	 * without waiting for new data: the last batch before a quiet spell may be the one lost.
	 */
	const reconnectSoon = () => {
		if (closing.signal.aborted || reconnecting || socket || window.messages === 0) {
			return;
		}
		reconnecting = true;
		queue
			.run(async () => {
				if (!socket && !closing.signal.aborted) {
					await ensureConnected();
				}
			})
			.catch(() => undefined)
			.finally(() => {
				reconnecting = false;
				reconnectSoon();
			});
	};

	/** Write buffers and resolve once the kernel has all of them (the callbacks fired). */
	const write = (connection: Socket, buffers: readonly Buffer[]) => new Promise<void>((resolve, reject) => {
		let left = buffers.length;
		let settled = false;
		const settle = (error?: Error) => {
			if (settled) {
				return;
			}
			settled = true;
			connection.off('close', onClose);
			if (error) {
				connection.destroy();
				const failed = failure(error);
				markDown(failed);
				reject(failed);
			} else {
				resolve();
			}
		};
		const onClose = () => settle(new Error('connection closed by the server'));
		connection.on('close', onClose);
		// One write per buffer, corked into as few syscalls as possible. The callback of a write
		// fires only once libuv handed it to the kernel, so waiting for it also waits out any
		// backpressure ('drain') without queueing more than this batch in user space.
		connection.cork();
		for (const buffer of buffers) {
			connection.write(buffer, error => {
				if (error) {
					settle(error);
				} else if (--left === 0) {
					settle();
				}
			});
		}
		connection.uncork();
	});

	const ensureConnected = async (): Promise<Socket> => {
		if (socket?.writable) {
			return socket;
		}
		// Ended by the server but 'close' not seen yet: drop it now rather than write into it.
		socket?.destroy();
		socket = undefined;
		const wait = nextAttemptAt - Date.now();
		if (wait > 0) {
			await sleep(wait, closing.signal).catch(() => {
				throw closedError(address);
			});
		}
		if (closing.signal.aborted) {
			throw closedError(address);
		}
		status.state = 'connecting';
		let connection: Socket;
		try {
			connection = await connector.connect({timeoutMs: connectTimeoutMs, keepAliveMs, signal: closing.signal});
		} catch (error) {
			if (closing.signal.aborted) {
				throw closedError(address);
			}
			nextAttemptAt = Date.now() + backoff.next();
			markDown(error as AgentError);
			throw error;
		}
		watch(connection);
		socket = connection;
		status.state = 'connected';
		status.lastErrorCode = undefined;
		status.lastError = undefined;
		status.connectedAt = Date.now();
		const replayedMessages = wroteBefore ? window.messages : 0;
		if (replayedMessages > 0) {
			// What the last connection may have lost goes first, so order is kept (with duplicates).
			const buffers = window.buffers();
			await write(connection, buffers);
			status.replayed += replayedMessages;
			status.bytesSent += window.bytes;
		}
		options.onEvent?.({type: 'connected', address, replayedMessages});
		return connection;
	};

	const deliver = async (messages: Messages) => {
		if (messageCount(messages) === 0) {
			return;
		}
		const chunks = frameChunks(messages, framing);
		try {
			const connection = await ensureConnected();
			await write(connection, chunks.map(chunk => chunk.data));
		} catch (error) {
			if (!nextAttemptAt || nextAttemptAt < Date.now()) {
				nextAttemptAt = Date.now() + backoff.next();
			}
			throw error;
		}
		backoff.reset();
		wroteBefore = true;
		for (const chunk of chunks) {
			window.add(chunk.data, chunk.count, chunk.ends);
			status.messagesSent += chunk.count;
			status.bytesSent += chunk.data.length;
		}
	};

	return createSinkShell({
		address,
		status,
		queue,
		deliver,
		closeTimeoutMs,
		onClosing: () => closing.abort(),
		async shutdown(finished) {
			// A clean stop: everything was delivered, so nothing needs replaying next time.
			window.clear();
			const connection = socket;
			socket = undefined;
			if (connection && finished) {
				await endGracefully(connection, closeTimeoutMs);
			} else {
				connection?.destroy();
			}
		},
	});
}

/** Send FIN and wait (bounded) for the server's; then let go of the socket either way. */
async function endGracefully(connection: Socket, timeoutMs: number): Promise<void> {
	if (connection.destroyed) {
		return;
	}
	const {promise, resolve} = Promise.withResolvers<void>();
	const timer = setTimeout(() => {
		connection.destroy();
	}, timeoutMs);
	connection.once('close', () => {
		clearTimeout(timer);
		resolve();
	});
	connection.end();
	return promise;
}
