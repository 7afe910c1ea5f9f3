/**
 * Transport configuration (a tagged union on `protocol`) and the sink contract the engine
 * relies on: `send` resolves only once the transport has taken every message of the batch.
 */

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

export type TransportConfig = UdpConfig | TcpConfig;

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
}

export interface Sink {
	/**
	 * Deliver a batch of messages (without framing). Resolves when every message has been handed
	 * to the transport (TCP: written to the socket; UDP: datagram sent). Rejects with an
	 * AgentError coded DATA_SERVER_CONNECTION_ERROR or DATA_SERVER_SEND_ERROR; the caller keeps
	 * the batch and retries, so nothing is lost.
	 */
	send(messages: readonly string[]): Promise<void>;
	status(): SinkStatus;
	/** Flush what is pending (bounded wait) and close. */
	close(): Promise<void>;
}
