/**
 * RELP client (rsyslog's Reliable Event Logging Protocol, spoken by imrelp): each message is a
 * `syslog` command the receiver answers with `rsp 200 OK` once it has taken it. `send(batch)`
 * resolves only when every message of the batch is acknowledged, so the engine's checkpoint
 * moves only on the SIEM's word.
 *
 * At most `window` messages are unacknowledged at a time. When the connection drops (receiver
 * restart, network), the pending send rejects; the engine retries the same batch, and only the
 * messages not yet acknowledged are sent again, on a new session: none is lost, and none the
 * receiver acknowledged is ever repeated. (A message the receiver took but whose answer was
 * lost with the connection is sent again: a receiver crash can cause that. A clean rsyslog
 * stop answers first and sends `serverclose`; relp-session.ts reads before it writes, so the
 * tests' restarts repeat nothing.)
 */
import type {Socket} from 'node:net';
import {AgentError} from '../errors.ts';
import {version} from '../version.ts';
import {createBackoff, sleep} from './backoff.ts';
import {RelpSession} from './relp-session.ts';
import {sendError} from './socket-errors.ts';
import {tcpConnector, type StreamConnector, type TcpSinkOptions} from './tcp.ts';
import {tlsConnector} from './tls.ts';
import {tlsConnectError} from './tls-errors.ts';
import {loadTlsMaterial} from './tls-options.ts';
import type {RelpConfig, Sink, SinkStatus} from './types.ts';
import {closedError, createSinkShell, markDown as markStatusDown} from './serial.ts';
import {messageList, type Messages} from './batch.ts';

/** rsyslog's customary RELP port. */
export const defaultRelpPort = 2514;
/** Messages sent and not yet acknowledged, at most. */
export const defaultRelpWindow = 128;

export interface RelpSinkOptions extends Omit<TcpSinkOptions, 'replayBytes'> {
	/**
	 * With messages unacknowledged, give the connection up when no answer came for this long
	 * (a receiver that hangs); also the wait for the answer to `open`. @default 30000
	 */
	ackTimeoutMs?: number;
}

/** One send: its messages and which of them the receiver acknowledged, kept across retries. */
interface Delivery {
	messages: readonly string[];
	acked: boolean[];
	/** Sent at least once (so sending again counts as a resend). */
	sent: boolean[];
	remaining: number;
}

function sameMessages(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((message, index) => message === b[index]);
}

/** Create a RELP sink. Reads the TLS files now when `tls` is set; connects on the first send. */
export function createRelpSink(config: RelpConfig, options: RelpSinkOptions = {}): Sink {
	const connector: StreamConnector = config.tls ? tlsConnector(config.host, config.port, loadTlsMaterial(config.tls, config.host)) : tcpConnector(config.host, config.port);
	const {address} = connector;
	const window = Math.max(1, Math.floor(config.window ?? defaultRelpWindow));
	const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
	const ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
	const keepAliveMs = options.keepAliveMs ?? 30_000;
	const closeTimeoutMs = options.closeTimeoutMs ?? 5000;
	const backoff = createBackoff(options.backoff);
	const closing = new AbortController();
	const status: SinkStatus & {replayed: number} = {state: 'connecting', messagesSent: 0, bytesSent: 0, truncated: 0, replayed: 0};
	const offers = `relp_version=0\nrelp_software=siem-agent,${version}\ncommands=syslog`;

	let session: RelpSession | undefined;
	/** The last batch that failed, with what was acknowledged of it, for the engine's retry. */
	let leftover: Delivery | undefined;
	let nextAttemptAt = 0;

	const markDown = (error: AgentError) => markStatusDown(status, error);

	/**
	 * Hung up on before answering `open`: after a TLS handshake that is how librelp refuses a
	 * client certificate; without TLS, the receiver refused the session.
	 */
	const refusedOpen = (error: AgentError) => config.tls
		? tlsConnectError(address, error.cause ?? error, true)
		: new AgentError('RELP_ERROR', `the RELP receiver ${address} closed the connection without answering open; check its log (is the port a RELP input?)`, {cause: error, detail: {address}});

	const ensureSession = async (): Promise<RelpSession> => {
		if (session && !session.ended) {
			return session;
		}
		session = undefined;
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
		let socket: Socket | undefined;
		try {
			socket = await connector.connect({timeoutMs: connectTimeoutMs, keepAliveMs, signal: closing.signal});
			const opened = new RelpSession(socket, {address, window, ackTimeoutMs, failure: cause => connector.failure?.(cause) ?? sendError(address, cause)});
			await opened.open(offers, connectTimeoutMs).catch((error: AgentError) => {
				throw error.code === 'DATA_SERVER_SEND_ERROR' ? refusedOpen(error) : error;
			});
			session = opened;
		} catch (error) {
			socket?.destroy();
			if (closing.signal.aborted) {
				throw closedError(address);
			}
			nextAttemptAt = Date.now() + backoff.next();
			markDown(error as AgentError);
			throw error;
		}
		session.onEnd = error => {
			markDown(error);
			options.onEvent?.({type: 'disconnected', address, code: error.code, message: error.message});
		};
		status.state = 'connected';
		status.lastErrorCode = undefined;
		status.lastError = undefined;
		status.connectedAt = Date.now();
		return session;
	};

	const deliver = async (batch: Messages) => {
		const messages = messageList(batch);
		const delivery: Delivery = leftover && sameMessages(leftover.messages, messages)
			? leftover
			: {messages, acked: messages.map(() => false), sent: messages.map(() => false), remaining: messages.length};
		leftover = undefined;
		if (delivery.remaining === 0) {
			return;
		}
		try {
			const current = await ensureSession();
			const pending = delivery.messages.flatMap((_, index) => delivery.acked[index] ? [] : [index]);
			const resent = pending.filter(index => delivery.sent[index]).length;
			if (resent > 0) {
				options.onEvent?.({type: 'connected', address, replayedMessages: resent});
			} else if (current.fresh) {
				options.onEvent?.({type: 'connected', address, replayedMessages: 0});
			}
			current.fresh = false;
			await current.transmit(pending.map(index => ({
				data: delivery.messages[index],
				onSent(bytes) {
					status.bytesSent += bytes;
					if (delivery.sent[index]) {
						status.replayed++;
					}
					delivery.sent[index] = true;
				},
				onAcked() {
					delivery.acked[index] = true;
					delivery.remaining--;
					status.messagesSent++;
				},
			})));
		} catch (error) {
			leftover = delivery;
			if (!nextAttemptAt || nextAttemptAt < Date.now()) {
				nextAttemptAt = Date.now() + backoff.next();
			}
			markDown(error as AgentError);
			throw error;
		}
		backoff.reset();
		// After a refused message (rsp 500) the session stayed up; the state says so again.
		status.state = 'connected';
		status.lastErrorCode = undefined;
		status.lastError = undefined;
	};

	return createSinkShell({
		address,
		status,
		deliver,
		closeTimeoutMs,
		onClosing: () => closing.abort(),
		async shutdown(finished) {
			const current = session;
			session = undefined;
			if (current && finished) {
				await current.close(closeTimeoutMs);
			} else {
				current?.destroy();
			}
			leftover = undefined;
		},
	});
}
