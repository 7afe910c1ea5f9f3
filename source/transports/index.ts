/**
 * Syslog transports. Every sink keeps one promise: `send(batch)` resolves only once the
 * transport has taken every message of the batch, and rejects with DATA_SERVER_CONNECTION_ERROR
 * or DATA_SERVER_SEND_ERROR otherwise, so the engine can keep the batch and retry it.
 */
import {AgentError} from '../errors.ts';
import {createTcpSink, type TcpSinkOptions} from './tcp.ts';
import type {Sink, TransportConfig} from './types.ts';
import {createUdpSink, type UdpSinkOptions} from './udp.ts';

export type {Framing, Sink, SinkState, SinkStatus, TcpConfig, TransportConfig, UdpConfig} from './types.ts';
export {defaultSyslogPort, parseSyslogAddress, type SyslogAddress} from './address.ts';
export {createTcpSink, type TcpSinkEvent, type TcpSinkOptions} from './tcp.ts';
export {createUdpSink, defaultUdpMaxMessageSize, truncateUtf8, type UdpSinkOptions} from './udp.ts';
export {Deframer, frameBatch, frameLf, frameOctetCounting, stripLineBreaks, type DeframerOptions} from './framing.ts';
export {createBackoff, sleep, type Backoff, type BackoffOptions} from './backoff.ts';

/** Options for whichever transport the config selects; each reads only its own. */
export type SinkOptions = TcpSinkOptions & UdpSinkOptions;

/** Create the sink for a transport config. */
export function createSink(config: TransportConfig, options: SinkOptions = {}): Sink {
	switch (config.protocol) {
		case 'tcp': {
			return createTcpSink(config, options);
		}
		case 'udp': {
			return createUdpSink(config, options);
		}
		default: {
			const protocol = (config as {protocol?: unknown}).protocol;
			throw new AgentError('CONFIG_ERROR', `Unsupported syslog protocol "${String(protocol)}": use udp or tcp`, {detail: {setting: 'protocol', value: protocol}});
		}
	}
}
