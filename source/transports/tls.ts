/**
 * Syslog over TLS (RFC 5425): octet-counting framing on a TLS connection whose certificate is
 * always verified (the `ca` file, or the system store) and issued for the host name (or
 * `serverName`), TLS 1.2 at least, with an optional client certificate for servers that
 * require mutual TLS. Delivery is the TCP sink's (tcp.ts): serialized writes, reconnect with
 * backoff, and the replay window after a receiver restart.
 */
import {isIP, type Socket} from 'node:net';
import * as tls from 'node:tls';
import {formatHostPort} from './socket-errors.ts';
import {createStreamSink, whenReady, type StreamConnector, type TcpSinkOptions} from './tcp.ts';
import {tlsConnectError, tlsSendError} from './tls-errors.ts';
import {loadTlsMaterial, type TlsMaterial} from './tls-options.ts';
import type {Sink, TlsConfig} from './types.ts';

/** The standard port of syslog over TLS (RFC 5425). */
export const defaultTlsPort = 6514;

/** Same options as the TCP sink: timeouts, replay window, backoff, events. */
export type TlsSinkOptions = TcpSinkOptions;

export interface TlsConnectorOptions {
	/**
	 * With TLS 1.3 the client finishes its handshake before the server has checked the client's
	 * certificate; a server that refuses it says so a round trip later. When true, a new
	 * connection counts as up only once the server sent its session ticket (which it does after
	 * accepting), or after `confirmMs` passed without an alert, so a refused connection never
	 * takes a batch. Protocols with their own greeting (RELP's open) do not need it.
	 * @default false
	 */
	confirm?: boolean;
	/** @default 250 */
	confirmMs?: number;
}

/**
 * Opens verified TLS connections to `host:port`. Failures carry TLS_UNKNOWN_CA,
 * TLS_CERT_EXPIRED, TLS_NAME_MISMATCH or TLS_HANDSHAKE_FAILED, or DATA_SERVER_CONNECTION_ERROR
 * when the server cannot be reached at all.
 */
export function tlsConnector(host: string, port: number, material: TlsMaterial, options: TlsConnectorOptions = {}): StreamConnector {
	const address = formatHostPort(host, port);
	// RFC 6066 forbids an IP address as SNI; the certificate is still checked against it.
	const servername = isIP(material.serverName) ? undefined : material.serverName;
	return {
		address,
		async connect({timeoutMs, keepAliveMs, signal}) {
			let tcpConnected = false;
			let accepted = false;
			const socket = tls.connect({
				host,
				port,
				servername,
				ca: material.ca,
				cert: material.cert,
				key: material.key,
				minVersion: material.minVersion,
				rejectUnauthorized: true,
				checkServerIdentity: (_name, certificate) => tls.checkServerIdentity(material.serverName, certificate),
			});
			socket.setNoDelay(true);
			socket.setKeepAlive(true, keepAliveMs);
			socket.once('connect', () => {
				tcpConnected = true;
			});
			socket.once('session', () => {
				accepted = true;
			});
			const fail = (cause: Error) => tlsConnectError(address, cause, tcpConnected);
			await whenReady(socket, 'secureConnect', {timeoutMs, signal, fail});
			if (options.confirm && socket.getProtocol() === 'TLSv1.3' && !accepted) {
				await confirmAccepted(socket, options.confirmMs ?? 250, signal, fail);
			}
			return socket as Socket;
		},
		failure: cause => tlsSendError(address, cause),
	};
}

/** Wait for the session ticket, an alert, a close or `ms` of silence (then assume accepted). */
async function confirmAccepted(socket: tls.TLSSocket, ms: number, signal: AbortSignal, fail: (cause: Error) => Error): Promise<void> {
	const {promise, resolve, reject} = Promise.withResolvers<void>();
	const settle = (error?: Error) => {
		clearTimeout(timer);
		signal.removeEventListener('abort', onAbort);
		socket.off('session', onSession);
		socket.off('error', settle);
		socket.off('close', onClose);
		if (error) {
			socket.destroy();
			reject(fail(error));
		} else {
			resolve();
		}
	};
	const onSession = () => settle();
	const onClose = () => settle(Object.assign(new Error('connection closed by the server right after the handshake (client certificate refused?)'), {code: 'ECONNRESET'}));
	const onAbort = () => settle(new Error('the sink was closed'));
	const timer = setTimeout(settle, ms);
	socket.once('session', onSession);
	socket.once('error', settle);
	socket.once('close', onClose);
	signal.addEventListener('abort', onAbort, {once: true});
	return promise;
}

/** Create a TLS syslog sink. Reads the certificate files now (CONFIG_ERROR naming a bad one); connects on the first send. */
export function createTlsSink(config: TlsConfig, options: TlsSinkOptions = {}): Sink {
	const material = loadTlsMaterial(config, config.host);
	return createStreamSink(tlsConnector(config.host, config.port, material, {confirm: true}), 'octet-counting', options);
}
