/**
 * A syslog receiver on UDP or TCP: what `siem-agent listen`, the demo and the tests use to see
 * what an agent sends. TCP streams are deframed per frame (LF or octet-counting, auto-detected).
 */
import {createSocket, type Socket as UdpSocket} from 'node:dgram';
import {EventEmitter} from 'node:events';
import {createServer, isIPv6, type Server, type Socket} from 'node:net';
import {Deframer} from '../transports/framing.ts';

export type ReceiverProtocol = 'udp' | 'tcp';

export interface ReceiverOptions {
	protocol: ReceiverProtocol;
	/** Address to listen on. @default '127.0.0.1' */
	host?: string;
	/** Port to listen on; 0 picks a free one (read it back from `port`). @default 0 */
	port?: number;
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
	#paused = false;

	constructor(protocol: ReceiverProtocol, host: string) {
		super();
		this.protocol = protocol;
		this.host = host;
	}

	/** The port actually listened on. */
	get port(): number {
		return this.#port;
	}

	/** Start listening; resolves once bound. */
	async listen(port: number): Promise<void> {
		if (this.protocol === 'tcp') {
			const server = createServer(connection => {
				this.#accept(connection);
			});
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
		const peer: Peer = {protocol: 'tcp', address: connection.remoteAddress ?? '', port: connection.remotePort ?? 0};
		const deframer = new Deframer();
		this.#connections.add(connection);
		this.emit('connection', peer);
		if (this.#paused) {
			connection.pause();
		}
		connection.on('data', (chunk: Buffer) => {
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
		connection.on('error', () => {
			// A reset by the peer is how many senders disconnect; 'close' follows.
		});
		connection.on('close', () => {
			this.#connections.delete(connection);
			this.emit('disconnect', peer);
		});
	}
}

/** Create a receiver and start listening. */
export async function createReceiver(options: ReceiverOptions): Promise<Receiver> {
	const receiver = new Receiver(options.protocol, options.host ?? '127.0.0.1');
	await receiver.listen(options.port ?? 0);
	return receiver;
}
