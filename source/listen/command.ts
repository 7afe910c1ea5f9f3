/**
 * `siem-agent listen`: a syslog receiver that prints what arrives, one message a line on stdout
 * (or one JSON object a line with --parse, or only rates with --count). Notes go to stderr, so
 * stdout can be piped. Stops on SIGINT/SIGTERM and prints the total.
 */
import {readFileSync} from 'node:fs';
import {createSecureContext} from 'node:tls';
import {AgentError} from '../errors.ts';
import {formatHostPort} from '../transports/socket-errors.ts';
import {parseMessage} from './parse-message.ts';
import {createReceiver, type Peer, type Receiver, type ReceiverProtocol, type ReceiverTls} from './receiver.ts';

export type ListenProtocol = ReceiverProtocol | 'both';

export interface ListenFlags {
	/** @default 5514 */
	port?: number;
	/** @default '127.0.0.1' */
	host?: string;
	/** @default 'both' */
	protocol?: ListenProtocol | string;
	/** tls, relp: the server's certificate chain (PEM file); with relp it turns TLS on. */
	cert?: string;
	/** tls, relp: the server's private key (PEM file). */
	key?: string;
	/** Print each CEF, LEEF or JSON (RFC 5424) message as one JSON object (see parse-message.ts). @default false */
	parse?: boolean;
	/** Print only counts per second. @default false */
	count?: boolean;
	/** Same as count. @default false */
	quiet?: boolean;
}

/** A flag of the listen sub-command, for the CLI to declare (meow) and to print in --help. */
export interface FlagDescription {
	name: string;
	type: 'string' | 'number' | 'boolean';
	default: string | number | boolean;
	help: string;
	choices?: readonly string[];
	aliases?: readonly string[];
}

export const listenFlags: readonly FlagDescription[] = [
	{name: 'port', type: 'number', default: 5514, help: 'Port to listen on (the same number for TCP and UDP)'},
	{name: 'host', type: 'string', default: '127.0.0.1', help: 'Address to listen on; 0.0.0.0 (or ::) accepts other machines'},
	{name: 'protocol', type: 'string', default: 'both', choices: ['tcp', 'udp', 'both', 'tls', 'relp'], help: 'Which protocol to receive (tls needs --cert and --key; relp with them is RELP over TLS)'},
	{name: 'parse', type: 'boolean', default: false, help: 'Print each message as one JSON object: CEF, LEEF or JSON in RFC 5424 (detected per message), fields unescaped'},
	{name: 'count', type: 'boolean', default: false, aliases: ['quiet'], help: 'Print only the number of messages received each second'},
];

export interface ListenIo {
	stdout?: NodeJS.WritableStream;
	stderr?: NodeJS.WritableStream;
	/** Stops the listener like SIGINT does (for embedding and tests). */
	signal?: AbortSignal;
	/** Called once listening, with the receivers (their `port` is the bound one). */
	onListening?: (receivers: readonly Receiver[]) => void;
	/** Install SIGINT/SIGTERM handlers. @default true */
	handleSignals?: boolean;
	/** Period of the --count lines. @default 1000 */
	countIntervalMs?: number;
}

function usage(message: string, value: unknown, setting: string): AgentError {
	return new AgentError('USAGE_ERROR', message, {detail: {setting, value}});
}

function protocolsOf(value: string): ReceiverProtocol[] {
	switch (value) {
		case 'both': {
			return ['tcp', 'udp'];
		}
		case 'tcp':
		case 'udp':
		case 'tls':
		case 'relp': {
			return [value];
		}
		default: {
			throw usage(`Invalid --protocol "${value}": use tcp, udp, both, tls or relp`, value, 'protocol');
		}
	}
}

/** The certificate and key for tls (required) and relp (optional: RELP over TLS). */
function serverTls(flags: ListenFlags, protocol: ReceiverProtocol): ReceiverTls | undefined {
	if (protocol !== 'tls' && protocol !== 'relp') {
		if (flags.cert !== undefined || flags.key !== undefined) {
			throw usage(`--cert and --key are for --protocol tls or relp (not ${protocol})`, protocol, 'protocol');
		}
		return undefined;
	}
	if (flags.cert === undefined && flags.key === undefined && protocol === 'relp') {
		return undefined;
	}
	if (flags.cert === undefined || flags.key === undefined) {
		throw usage(`--protocol ${protocol} needs both --cert FILE and --key FILE (the server's certificate chain and private key, PEM)`, protocol, flags.cert === undefined ? 'cert' : 'key');
	}
	const read = (file: string, setting: 'cert' | 'key'): Buffer => {
		try {
			return readFileSync(file);
		} catch (error) {
			throw usage(`Cannot read --${setting} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, file, setting);
		}
	};
	const material = {cert: read(flags.cert, 'cert'), key: read(flags.key, 'key')};
	try {
		createSecureContext(material);
	} catch (error) {
		throw usage(`--cert ${flags.cert} and --key ${flags.key} are not a PEM certificate chain and its private key (${(error as Error).message})`, flags.cert, 'cert');
	}
	return material;
}

/** Keep a received message on one output line whatever it holds. */
function oneLine(message: string): string {
	return message.includes('\n') || message.includes('\r') ? message.replaceAll('\r', '\\r').replaceAll('\n', '\\n') : message;
}

/** Run the listener until a signal; resolves with the exit code. */
export async function runListen(flags: ListenFlags, io: ListenIo = {}): Promise<number> {
	const stdout = io.stdout ?? process.stdout;
	const stderr = io.stderr ?? process.stderr;
	const host = flags.host ?? '127.0.0.1';
	const port = flags.port ?? 5514;
	const protocols = protocolsOf(String(flags.protocol ?? 'both'));
	const countOnly = Boolean(flags.count || flags.quiet);
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw usage(`Invalid --port "${port}": use a number from 1 to 65535`, port, 'port');
	}
	const tls = serverTls(flags, protocols[0]);

	const receivers: Receiver[] = [];
	const stop = async () => Promise.all(receivers.map(async receiver => receiver.close()));
	let boundPort = port;
	try {
		for (const protocol of protocols) {
			// With both, UDP takes the port TCP got, so --port 0 still means one number.
			receivers.push(await createReceiver({protocol, host, port: boundPort, tls}));
			boundPort = receivers[0].port;
		}
	} catch (error) {
		await stop();
		const errno = (error as {code?: string}).code;
		throw usage(`Cannot listen on ${formatHostPort(host, boundPort)}: ${errno === 'EADDRINUSE' ? 'the port is in use (choose another with --port)' : (error as Error).message}`, boundPort, 'port');
	}

	let total = 0;
	let lastSecond = 0;
	const perProtocol: Record<string, number> = Object.fromEntries(protocols.map(protocol => [protocol, 0]));
	let lines: string[] = [];
	let flushScheduled = false;
	let waitingForDrain = false;
	const flush = () => {
		flushScheduled = false;
		if (lines.length === 0) {
			return;
		}
		const text = lines.join('\n') + '\n';
		lines = [];
		if (!stdout.write(text) && !waitingForDrain) {
			// A slow terminal or pipe pushes back on TCP senders instead of growing memory.
			waitingForDrain = true;
			for (const receiver of receivers) {
				receiver.pause();
			}
			stdout.once('drain', () => {
				waitingForDrain = false;
				for (const receiver of receivers) {
					receiver.resume();
				}
			});
		}
	};
	const onMessage = (message: string, peer: Peer) => {
		total++;
		perProtocol[peer.protocol]++;
		if (countOnly) {
			return;
		}
		lines.push(flags.parse ? JSON.stringify(parseMessage(message)) : oneLine(message));
		if (!flushScheduled) {
			flushScheduled = true;
			setImmediate(flush);
		}
	};
	for (const receiver of receivers) {
		receiver.on('message', onMessage);
		receiver.on('error', error => {
			stderr.write(`listen: ${error.message}\n`);
		});
		receiver.on('refused', (reason: string) => {
			stderr.write(`listen: ${reason}\n`);
		});
		if (!countOnly) {
			receiver.on('connection', peer => stderr.write(`connection from ${formatHostPort(peer.address, peer.port)}\n`));
			receiver.on('disconnect', peer => stderr.write(`disconnected ${formatHostPort(peer.address, peer.port)}\n`));
		}
	}

	let ticker: NodeJS.Timeout | undefined;
	if (countOnly) {
		ticker = setInterval(() => {
			stdout.write(`${new Date().toISOString()} ${total - lastSecond} messages/s, ${total} total\n`);
			lastSecond = total;
		}, io.countIntervalMs ?? 1000);
	}

	const over = tls && protocols[0] === 'relp' ? ' over TLS' : '';
	stderr.write(`Listening for syslog on ${protocols.join(' and ')}${over} ${formatHostPort(host, boundPort)}. Press Ctrl+C to stop.\n`);
	io.onListening?.(receivers);

	const {promise: stopped, resolve: onStop} = Promise.withResolvers<void>();
	const signals = io.handleSignals ?? true;
	if (signals) {
		process.once('SIGINT', onStop);
		process.once('SIGTERM', onStop);
	}
	if (io.signal?.aborted) {
		onStop();
	}
	io.signal?.addEventListener('abort', () => onStop(), {once: true});
	await stopped;

	if (signals) {
		process.off('SIGINT', onStop);
		process.off('SIGTERM', onStop);
	}
	clearInterval(ticker);
	await stop();
	flush();
	const breakdown = protocols.length > 1 ? ` (tcp ${perProtocol.tcp}, udp ${perProtocol.udp})` : '';
	stderr.write(`Received ${total} message${total === 1 ? '' : 's'}${breakdown}.\n`);
	return 0;
}
