/**
 * A syslog receiver on UDP, TCP, TLS (RFC 5425) or RELP: what `siem-agent listen`, the demo and
 * the tests use to see what an agent sends. TCP and TLS streams are deframed per frame (LF or
 * octet-counting, auto-detected); RELP answers `open`, acknowledges every `syslog` command once
 * it has been emitted, and answers `close` as librelp does.
 */
import {createSocket, type Socket as UdpSocket} from 'node:dgram';
import {EventEmitter} from 'node:events';
import {createServer, isIPv6, type Server, type Socket} from 'node:net';
import {createServer as createTlsServer} from 'node:tls';
import {Deframer} from '../transports/framing.ts';
import {formatHostPort} from '../transports/socket-errors.ts';
import {encodeFrame, RelpParser, type RelpFrame} from '../transports/relp-frame.ts';

export type ReceiverProtocol = 'udp' | 'tcp' | 'tls' | 'relp';

/** The server's certificate chain and key, PEM: required for tls, turns TLS on for relp. */
export interface ReceiverTls {
	cert: string | Buffer;
	key: string | Buffer;
}

export interface ReceiverOptions {
	protocol: ReceiverProtocol;
	/** Address to listen on. @default '127.0.0.1' */
	host?: string;
	/** Port to listen on; 0 picks a free one (read it back from `port`). @default 0 */
	port?: number;
	tls?: ReceiverTls;
}

/** Where a message came from. */
export interface Peer {
	protocol: ReceiverProtocol;
	address: string;
	port: number;
}

export interface ReceiverEvents {
	message: [message: string, peer: Peer];
	connection: [peer: Peer];
	disconnect: [peer: Peer];
	error: [error: Error];
}

/**
 * A listening receiver. Emits 'message' (message, peer) for each syslog message, with framing
 * and a trailing line break removed; TCP also emits 'connection' and 'disconnect'.
 */
export class Receiver extends EventEmitter<ReceiverEvents> {
	readonly protocol: ReceiverProtocol;
	readonly host: string;
	#port = 0;
	#server?: Server;
	#udp?: UdpSocket;
	readonly #connections = new Set<Socket>();
	readonly #tls?: ReceiverTls;
	#paused = false;

	constructor(protocol: ReceiverProtocol, host: string, tls?: ReceiverTls) {
		super();
		this.protocol = protocol;
		this.host = host;
		this.#tls = tls;
		if (protocol === 'tls' && !tls) {
			throw new TypeError('a TLS receiver needs a certificate and key');
		}
	}

	/** The port actually listened on. */
	get port(): number {
		return this.#port;
	}

	/** Start listening; resolves once bound. */
	async listen(port: number): Promise<void> {
		if (this.protocol !== 'udp') {
			const accept = (connection: Socket) => {
				this.#accept(connection);
			};
			// The handshake is done before a TLS connection is handed over ('secureConnection').
			const server = this.#tls ? createTlsServer({cert: this.#tls.cert, key: this.#tls.key}, accept) : createServer(accept);
			// A client that fails the handshake (wrong CA, plain TCP) is its own problem, not the server's.
			server.on('tlsClientError', () => undefined);
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen({port, host: this.host}, () => {
					server.off('error', reject);
					resolve();
				});
			});
			server.on('error', error => this.#fail(error));
			this.#server = server;
			this.#port = (server.address() as {port: number}).port;
			return;
		}
		const udp = createSocket(isIPv6(this.host) ? 'udp6' : 'udp4');
		await new Promise<void>((resolve, reject) => {
			udp.once('error', reject);
			udp.bind(port, this.host, () => {
				udp.off('error', reject);
				resolve();
			});
		});
		udp.on('error', error => this.#fail(error));
		udp.on('message', (data, info) => {
			// One datagram is one message (RFC 5426); some senders still end it with a line break.
			let end = data.length;
			if (data[end - 1] === 0x0a) {
				end--;
				if (data[end - 1] === 0x0d) {
					end--;
				}
			}
			this.emit('message', data.toString('utf8', 0, end), {protocol: 'udp', address: info.address, port: info.port});
		});
		this.#udp = udp;
		this.#port = udp.address().port;
	}

	/**
	 * Stop reading from TCP connections (the senders see backpressure once buffers fill).
	 * UDP cannot push back; datagrams keep arriving.
	 */
	pause(): void {
		this.#paused = true;
		for (const connection of this.#connections) {
			connection.pause();
		}
	}

	resume(): void {
		this.#paused = false;
		for (const connection of this.#connections) {
			connection.resume();
		}
	}

	/**
	 * Stop listening and drop every connection at once, as a crashed or restarted server would:
	 * a partial frame is discarded, not emitted.
	 */
	async close(): Promise<void> {
		const server = this.#server;
		const udp = this.#udp;
		this.#server = undefined;
		this.#udp = undefined;
		for (const connection of this.#connections) {
			connection.destroy();
		}
		this.#connections.clear();
		if (server) {
			await new Promise<void>(resolve => {
				server.close(() => resolve());
			});
		}
		if (udp) {
			await new Promise<void>(resolve => {
				udp.close(() => resolve());
			});
		}
	}

	/** An 'error' nobody listens to must not crash the process that embeds the receiver. */
	#fail(error: Error): void {
		if (this.listenerCount('error') > 0) {
			this.emit('error', error);
		}
	}

	#accept(connection: Socket): void {
		const peer: Peer = {protocol: this.protocol, address: connection.remoteAddress ?? '', port: connection.remotePort ?? 0};
		this.#connections.add(connection);
		this.emit('connection', peer);
		if (this.#paused) {
			connection.pause();
		}
		if (this.protocol === 'relp') {
			this.#relp(connection, peer);
		} else {
			const deframer = new Deframer();
			let first = !this.#tls;
			connection.on('data', (chunk: Buffer) => {
				if (first) {
					first = false;
					// A TLS handshake (record type 22, version 3.x) on a plain port would print as
					// garbage: say what it is and close, as a TLS client would see it fail anyway.
					if (chunk[0] === 0x16 && chunk[1] === 0x03 && chunk.length >= 3 && chunk[2]! <= 0x04) {
						this.emit('refused', `${formatHostPort(peer.address, peer.port)} speaks TLS to this plain TCP port: it was closed (receive TLS with --protocol tls --cert FILE --key FILE, or have the sender use --protocol tcp)`, peer);
						connection.destroy();
						return;
					}
				}

				for (const message of deframer.push(chunk)) {
					this.emit('message', message, peer);
				}
			});
			connection.on('end', () => {
				// The sender closed cleanly: a last line without LF is still a message.
				for (const message of deframer.end()) {
					this.emit('message', message, peer);
				}
			});
		}
		connection.on('error', () => {
			// A reset by the peer is how many senders disconnect; 'close' follows.
		});
		connection.on('close', () => {
			this.#connections.delete(connection);
			this.emit('disconnect', peer);
		});
	}

	/** One RELP session: answer `open`, emit and acknowledge each `syslog`, answer `close`. */
	#relp(connection: Socket, peer: Peer): void {
		const parser = new RelpParser();
		const handle = (frame: RelpFrame): void => {
			switch (frame.command) {
				case 'open': {
					connection.write(encodeFrame(frame.txnr, 'rsp', relpOffers));
					break;
				}
				case 'syslog': {
					// Acknowledged once emitted: a sender's retry after a lost answer may repeat it.
					let end = frame.data.length;
					while (end > 0 && (frame.data[end - 1] === 0x0a || frame.data[end - 1] === 0x0d)) {
						end--;
					}
					this.emit('message', frame.data.toString('utf8', 0, end), peer);
					connection.write(encodeFrame(frame.txnr, 'rsp', '200 OK'));
					break;
				}
				case 'close': {
					connection.write(encodeFrame(frame.txnr, 'rsp'));
					connection.end(encodeFrame(0, 'serverclose'));
					break;
				}
				default: {
					connection.write(encodeFrame(frame.txnr, 'rsp', `500 unknown command ${frame.command}`));
				}
			}
		};
		connection.on('data', (chunk: Buffer) => {
			let frames: RelpFrame[];
			try {
				frames = parser.push(chunk);
			} catch {
				// Not RELP (or broken): nothing on this connection can be trusted.
				connection.destroy();
				return;
			}
			for (const frame of frames) {
				handle(frame);
			}
		});
	}
}

/** What the receiver offers in answer to `open` (librelp's keys). */
const relpOffers = '200 OK\nrelp_version=0\nrelp_software=siem-agent\ncommands=syslog';

/** Create a receiver and start listening. */
export async function createReceiver(options: ReceiverOptions): Promise<Receiver> {
	const receiver = new Receiver(options.protocol, options.host ?? '127.0.0.1', options.tls);
	await receiver.listen(options.port ?? 0);
	return receiver;
}
