/**
 * Transport configuration (a tagged union on `protocol`) and the sink contract the engine
 * relies on: `send` resolves only once the transport has taken every message of the batch.
 */
import type {Messages} from './batch.ts';

export type Framing = 'lf' | 'octet-counting';

export interface UdpConfig {
	protocol: 'udp';
	host: string;
	/** @default 514 */
	port: number;
	/** Largest datagram payload in bytes; longer messages are truncated on a character boundary. @default 2048 */
	maxMessageSize?: number;
}

export interface TcpConfig {
	protocol: 'tcp';
	host: string;
	/** @default 514 */
	port: number;
	/** `lf`: each message ends with "\n" (what rsyslog and the original agent use); `octet-counting`: RFC 6587 "<len> <msg>". @default 'lf' */
	framing: Framing;
}

/** Certificate settings shared by TLS and RELP over TLS. Files are read when the sink is created. */
export interface TlsSettings {
	/** PEM file with the CA certificate(s) to trust instead of the system store. @default the system store */
	ca?: string;
	/** PEM file with a client certificate (chain), for servers that require mutual TLS; needs `key`. */
	cert?: string;
	/** PEM file with the client certificate's private key (unencrypted). */
	key?: string;
	/** Name the server certificate must carry (and SNI). @default host */
	serverName?: string;
	/** Oldest TLS version accepted. @default 'TLSv1.2' */
	minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** Syslog over TLS (RFC 5425): octet-counting framing, certificate and host name always verified. */
export interface TlsConfig extends TlsSettings {
	protocol: 'tls';
	host: string;
	/** @default 6514 */
	port: number;
}

/** RELP (rsyslog's Reliable Event Logging Protocol): every message acknowledged by the receiver. */
export interface RelpConfig {
	protocol: 'relp';
	host: string;
	/** @default 2514 */
	port: number;
	/** Most messages sent and not yet acknowledged. @default 128 */
	window?: number;
	/** RELP over TLS (rsyslog imrelp tls="on"); absent: plain TCP. @default undefined */
	tls?: TlsSettings;
}

export type TransportConfig = UdpConfig | TcpConfig | TlsConfig | RelpConfig;

export type SinkState = 'connecting' | 'connected' | 'down';

export interface SinkStatus {
	state: SinkState;
	/** Last error code, when state is 'down'. */
	lastErrorCode?: string;
	lastError?: string;
	/** Epoch ms of the last successful connection. */
	connectedAt?: number;
	messagesSent: number;
	bytesSent: number;
	truncated: number;
	/**
	 * Messages written again after a reconnect (TCP replay window): the duplicates a SIEM may
	 * have seen around a receiver restart. Absent for transports without a replay window.
	 */
	replayed?: number;
	/**
	 * Changes whenever a send in progress moves (bytes taken by the kernel from the socket's
	 * buffer): a slow SIEM moves, a stuck one does not. Absent where the message count says it.
	 */
	progress?: number;
}

export interface Sink {
	/**
	 * Deliver a batch of messages (without framing; a plain array or a MessageBatch). Resolves when every message has been handed
	 * to the transport (TCP and TLS: written to the socket; UDP: datagram sent; RELP: every
	 * message acknowledged by the receiver). Rejects with an AgentError coded
	 * DATA_SERVER_CONNECTION_ERROR or DATA_SERVER_SEND_ERROR (TLS: also TLS_UNKNOWN_CA,
	 * TLS_CERT_EXPIRED, TLS_NAME_MISMATCH, TLS_HANDSHAKE_FAILED; RELP: also RELP_ERROR); the
	 * caller keeps the batch and retries the same batch, so nothing is lost.
	 */
	send(messages: Messages): Promise<void>;
	status(): SinkStatus;
	/** Flush what is pending (bounded wait) and close. */
	close(): Promise<void>;
}
