/**
 * Syslog over UDP (RFC 5426): one datagram per message, no framing, no delivery guarantee.
 * The socket is connected to the server, so the kernel reports an ICMP "port unreachable" as
 * ECONNREFUSED on a later send: the batch then rejects with DATA_SERVER_SEND_ERROR and the
 * engine retries it (its messages may be sent twice). A firewall that drops silently is never
 * noticed; no send waits for anything but the local kernel, so none blocks for long.
 */
import {createSocket, type Socket} from 'node:dgram';
import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import {AgentError} from '../errors.ts';
import {stripLineBreaks, utf8Boundary} from './framing.ts';
import {connectError, formatHostPort, sendError} from './socket-errors.ts';
import type {Sink, SinkStatus, UdpConfig} from './types.ts';
import {createSinkShell, markDown as markStatusDown} from './serial.ts';
import {messageList, type Messages} from './batch.ts';

/**
 * Default largest datagram payload. RFC 5426 §3.2: receivers SHOULD accept 2048 octets and MUST
 * accept 480; larger datagrams may be truncated or dropped on the way, or IP-fragmented.
 */
export const defaultUdpMaxMessageSize = 2048;
/** The largest UDP payload over IPv4. */
const largestDatagram = 65_507;

export interface UdpSinkOptions {
	/** How long close() waits for a send in progress. @default 2000 */
	closeTimeoutMs?: number;
}

/**
 * Truncate `message` to at most `maxBytes` UTF-8 bytes without splitting a character.
 * Returns the encoded datagram and whether it was cut.
 */
export function truncateUtf8(message: string, maxBytes: number): {data: Buffer; truncated: boolean} {
	const data = Buffer.from(message, 'utf8');
	if (data.length <= maxBytes) {
		return {data, truncated: false};
	}
	return {data: data.subarray(0, utf8Boundary(data, maxBytes)), truncated: true};
}

/** Create a UDP syslog sink. The socket is opened (and the host name resolved) on the first send. */
export function createUdpSink(config: UdpConfig, options: UdpSinkOptions = {}): Sink {
	const maxMessageSize = config.maxMessageSize ?? defaultUdpMaxMessageSize;
	if (!Number.isInteger(maxMessageSize) || maxMessageSize < 1 || maxMessageSize > largestDatagram) {
		throw new AgentError('CONFIG_ERROR', `Invalid UDP maximum message size "${maxMessageSize}": use a whole number of bytes from 1 to ${largestDatagram}`, {detail: {setting: 'maxMessageSize', value: maxMessageSize}});
	}
	const address = formatHostPort(config.host, config.port);
	const closeTimeoutMs = options.closeTimeoutMs ?? 2000;
	const status: SinkStatus = {state: 'connecting', messagesSent: 0, bytesSent: 0, truncated: 0};
	let socket: Socket | undefined;

	const markDown = (error: AgentError) => markStatusDown(status, error);

	const open = async (): Promise<Socket> => {
		if (socket) {
			return socket;
		}
		status.state = 'connecting';
		let family = isIP(config.host);
		let ip = config.host;
		if (family === 0) {
			try {
				({address: ip, family} = await lookup(config.host));
			} catch (error) {
				throw connectError(address, error);
			}
		}
		const created = createSocket(family === 6 ? 'udp6' : 'udp4');
		// Errors also arrive through send callbacks; this listener only keeps one from crashing
		// the process, and forces a fresh socket next time.
		created.on('error', error => {
			markDown(sendError(address, error));
			if (socket === created) {
				socket = undefined;
				created.close();
			}
		});
		try {
			await new Promise<void>((resolve, reject) => {
				created.connect(config.port, ip, (error?: Error) => {
					if (error) {
						reject(error);
					} else {
						resolve();
					}
				});
			});
		} catch (error) {
			created.close();
			throw connectError(address, error);
		}
		socket = created;
		status.state = 'connected';
		status.connectedAt = Date.now();
		return created;
	};

	const deliver = async (batch: Messages) => {
		const messages = messageList(batch);
		if (messages.length === 0) {
			return;
		}
		let udp: Socket;
		try {
			udp = await open();
		} catch (error) {
			markDown(error as AgentError);
			throw error;
		}
		const {promise, resolve, reject} = Promise.withResolvers<void>();
		let left = messages.length;
		let failure: Error | undefined;
		let bytes = 0;
		for (const message of messages) {
			const {data, truncated} = truncateUtf8(stripLineBreaks(message), maxMessageSize);
			if (truncated) {
				status.truncated++;
			}
			bytes += data.length;
			udp.send(data, error => {
				failure ??= error ?? undefined;
				if (--left === 0) {
					if (failure) {
						reject(failure);
					} else {
						resolve();
					}
				}
			});
		}
		try {
			await promise;
		} catch (error) {
			const agentError = sendError(address, error);
			markDown(agentError);
			throw agentError;
		}
		status.state = 'connected';
		status.lastErrorCode = undefined;
		status.lastError = undefined;
		status.messagesSent += messages.length;
		status.bytesSent += bytes;
	};

	return createSinkShell({
		address,
		status,
		deliver,
		closeTimeoutMs,
		async shutdown() {
			const udp = socket;
			socket = undefined;
			if (udp) {
				await new Promise<void>(resolve => {
					udp.close(() => resolve());
				});
			}
		},
	});
}
