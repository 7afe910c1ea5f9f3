/**
 * Syslog transports. Every sink keeps one promise: `send(batch)` resolves only once the
 * transport has taken every message of the batch (RELP: the receiver acknowledged each), and
 * rejects with DATA_SERVER_CONNECTION_ERROR or DATA_SERVER_SEND_ERROR otherwise (TLS and RELP
 * add TLS_* and RELP_ERROR), so the engine can keep the batch and retry it.
 */
import {AgentError} from '../errors.ts';
import {createRelpSink, type RelpSinkOptions} from './relp.ts';
import {createTcpSink, type TcpSinkOptions} from './tcp.ts';
import {createTlsSink} from './tls.ts';
import type {Sink, TransportConfig} from './types.ts';
import {createUdpSink, type UdpSinkOptions} from './udp.ts';

export type {Framing, RelpConfig, Sink, SinkState, SinkStatus, TcpConfig, TlsConfig, TlsSettings, TransportConfig, UdpConfig} from './types.ts';
export {defaultSyslogPort, parseSyslogAddress, type SyslogAddress} from './address.ts';
export {createTcpSink, type TcpSinkEvent, type TcpSinkOptions} from './tcp.ts';
export {createTlsSink, defaultTlsPort, type TlsSinkOptions} from './tls.ts';
export {createRelpSink, defaultRelpPort, defaultRelpWindow, type RelpSinkOptions} from './relp.ts';
export {createUdpSink, defaultUdpMaxMessageSize, truncateUtf8, type UdpSinkOptions} from './udp.ts';
export {Deframer, frameBatch, frameLf, frameOctetCounting, stripLineBreaks, type DeframerOptions} from './framing.ts';
export {createBackoff, sleep, type Backoff, type BackoffOptions} from './backoff.ts';

/** Options for whichever transport the config selects; each reads only its own. */
export type SinkOptions = TcpSinkOptions & UdpSinkOptions & RelpSinkOptions;

/** Create the sink for a transport config. */
export function createSink(config: TransportConfig, options: SinkOptions = {}): Sink {
	switch (config.protocol) {
		case 'tcp': {
			return createTcpSink(config, options);
		}
		case 'udp': {
			return createUdpSink(config, options);
		}
		case 'tls': {
			return createTlsSink(config, options);
		}
		case 'relp': {
			return createRelpSink(config, options);
		}
		default: {
			const protocol = (config as {protocol?: unknown}).protocol;
			throw new AgentError('CONFIG_ERROR', `Unsupported syslog protocol "${String(protocol)}": use udp, tcp, tls or relp`, {detail: {setting: 'protocol', value: protocol}});
		}
	}
}
