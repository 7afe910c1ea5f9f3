/**
 * One RELP session on one connection: the `open` handshake, `syslog` commands within the
 * window, their `rsp` answers matched in order, the server's `serverclose` hint and `close`.
 * Any malformed frame or unexpected answer ends the session (the spec's own advice: drop the
 * connection rather than try to recover); what was not acknowledged is the caller's to resend.
 */
import type {Socket} from 'node:net';
import {AgentError} from '../errors.ts';
import {encodeFrame, nextTxnr, parseOffers, parseResponse, RelpFrameError, RelpParser, type RelpFrame, type RelpResponse} from './relp-frame.ts';

/** A message to send, with the callbacks that account for it. */
export interface Outgoing {
	data: string;
	/** The frame went to the socket (`bytes` long). */
	onSent(bytes: number): void;
	/** The receiver answered 200 OK. */
	onAcked(): void;
}

export interface RelpSessionOptions {
	/** `host:port`, for messages. */
	address: string;
	/** Most `syslog` commands awaiting their answer. */
	window: number;
	/** With commands unanswered, end the session after this long without an answer. */
	ackTimeoutMs: number;
	/** The error for a connection that broke (TLS alerts get their own code). */
	failure(cause: Error): AgentError;
}

interface Pending {
	txnr: number;
	command: 'open' | 'syslog' | 'close';
	item?: Outgoing;
}

interface Transmission {
	items: readonly Outgoing[];
	next: number;
	outstanding: number;
	/** A `rsp` other than 200: reported once the answers still in flight are in. */
	refused?: AgentError;
	resolve(): void;
	reject(error: AgentError): void;
}

export class RelpSession {
	/** Whether the connection is gone (or going); a new session is needed. */
	ended = false;
	/** True until the first transmission, so the sink can report a new connection once. */
	fresh = true;
	/** Called once when the session ends without close() being asked for. */
	onEnd?: (error: AgentError) => void;

	readonly #socket: Socket;
	readonly #options: RelpSessionOptions;
	readonly #parser = new RelpParser();
	readonly #inflight: Pending[] = [];
	#txnr = 0;
	#transmission?: Transmission;
	#waiter?: {txnr: number; resolve(response: RelpResponse): void; reject(error: AgentError): void};
	#timer?: NodeJS.Timeout;
	#serverClosing = false;
	#closingByUs = false;
	#pumpScheduled = false;
	#lastError?: Error;

	constructor(socket: Socket, options: RelpSessionOptions) {
		this.#socket = socket;
		this.#options = options;
		socket.on('data', (chunk: Buffer) => this.#onData(chunk));
		socket.on('error', error => {
			this.#lastError = error;
		});
		socket.on('close', () => {
			const reason = this.#lastError ?? new Error(this.#serverClosing ? 'the receiver closed the session (serverclose)' : 'connection closed by the server');
			this.#end(options.failure(reason));
		});
	}

	/** Send `open` with `offers` and check the answer. Rejects with RELP_ERROR when refused. */
	async open(offers: string, timeoutMs: number): Promise<void> {
		const response = await this.#command('open', offers, timeoutMs);
		if (response.status !== 200) {
			throw this.#fail(`the RELP receiver ${this.#options.address} refused the session: ${response.status} ${response.text}`);
		}
		const accepted = parseOffers(response.body);
		if (!accepted.has('relp_version')) {
			throw this.#fail(`the RELP receiver ${this.#options.address} did not confirm a relp_version`);
		}
		const commands = accepted.get('commands');
		if (commands && !commands.includes('syslog')) {
			throw this.#fail(`the RELP receiver ${this.#options.address} does not accept the syslog command (it offers: ${commands.join(',') || 'none'})`);
		}
	}

	/** Send `items` within the window; resolves once every one is acknowledged. */
	async transmit(items: readonly Outgoing[]): Promise<void> {
		if (this.ended) {
			throw this.#options.failure(new Error('connection closed by the server'));
		}
		if (items.length === 0) {
			return;
		}
		const {promise, resolve, reject} = Promise.withResolvers<void>();
		this.#transmission = {items, next: 0, outstanding: items.length, resolve, reject};
		this.#schedulePump();
		try {
			await promise;
		} finally {
			this.#transmission = undefined;
		}
	}

	/** `close`, wait (bounded) for its answer and the end of the connection. */
	async close(timeoutMs: number): Promise<void> {
		if (this.ended) {
			return;
		}
		this.#closingByUs = true;
		const closed = new Promise<void>(resolve => {
			this.#socket.once('close', () => resolve());
		});
		const timer = setTimeout(() => this.#socket.destroy(), timeoutMs);
		try {
			await this.#command('close', '', timeoutMs);
		} catch {
			// Answered or not, the connection goes.
		}
		this.#socket.end();
		await closed;
		clearTimeout(timer);
	}

	destroy(): void {
		this.#closingByUs = true;
		this.#socket.destroy();
	}

	async #command(command: 'open' | 'close', data: string, timeoutMs: number): Promise<RelpResponse> {
		const txnr = this.#write(command, data);
		const {promise, resolve, reject} = Promise.withResolvers<RelpResponse>();
		this.#waiter = {txnr, resolve, reject};
		const timer = setTimeout(() => {
			this.#end(this.#fail(`no answer to RELP ${command} from ${this.#options.address} within ${timeoutMs} ms; is it a RELP port (rsyslog imrelp)?`));
		}, timeoutMs);
		try {
			return await promise;
		} finally {
			clearTimeout(timer);
			this.#waiter = undefined;
		}
	}

	#write(command: Pending['command'], data: string, item?: Outgoing): number {
		this.#txnr = nextTxnr(this.#txnr);
		const frame = encodeFrame(this.#txnr, command, data);
		this.#inflight.push({txnr: this.#txnr, command, item});
		this.#socket.write(frame);
		item?.onSent(frame.length);
		if (!this.#timer) {
			this.#armTimer();
		}
		return this.#txnr;
	}

	#armTimer(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		if (this.#inflight.length > 0 && this.#transmission) {
			this.#timer = setTimeout(() => {
				this.#end(this.#options.failure(Object.assign(new Error(`no acknowledgement within ${this.#options.ackTimeoutMs} ms`), {code: 'ETIMEDOUT'})));
			}, this.#options.ackTimeoutMs);
		}
	}

	/**
	 * Fill the window, but only after the event loop has polled the socket once more. A write
	 * that meets a receiver's reset fails at once, and Node then drops the connection before
	 * reading what arrived ahead of the reset: answers the receiver did send. Writing right
	 * after a fresh read leaves the reset almost no time to slip in between.
	 */
	#schedulePump(): void {
		if (this.#pumpScheduled) {
			return;
		}
		this.#pumpScheduled = true;
		setImmediate(() => {
			setImmediate(() => {
				this.#pumpScheduled = false;
				this.#pump();
			});
		});
	}

	#pump(): void {
		const transmission = this.#transmission;
		if (!transmission || this.ended || this.#serverClosing || transmission.refused) {
			return;
		}
		// One write for the lot.
		this.#socket.cork();
		while (transmission.next < transmission.items.length && this.#inflight.length < this.#options.window) {
			const item = transmission.items[transmission.next++];
			this.#write('syslog', item.data, item);
		}
		this.#socket.uncork();
	}

	#onData(chunk: Buffer): void {
		let frames: RelpFrame[];
		try {
			frames = this.#parser.push(chunk);
		} catch (error) {
			this.#end(this.#fail(`the RELP receiver ${this.#options.address} sent a malformed frame: ${(error as Error).message}`));
			return;
		}
		for (const frame of frames) {
			if (this.ended) {
				return;
			}
			this.#onFrame(frame);
		}
	}

	#onFrame(frame: RelpFrame): void {
		if (frame.txnr === 0) {
			// Hints: `serverclose` means no answer will come; the TCP close that follows ends the session.
			if (frame.command === 'serverclose') {
				this.#serverClosing = true;
				this.#socket.end();
			}
			return;
		}
		const pending = this.#inflight[0];
		if (frame.command !== 'rsp' || !pending || pending.txnr !== frame.txnr) {
			const expected = pending ? `rsp ${pending.txnr}` : 'nothing';
			this.#end(this.#fail(`the RELP receiver ${this.#options.address} sent "${frame.txnr} ${frame.command}" when ${expected} was expected`));
			return;
		}
		let response: RelpResponse;
		try {
			response = parseResponse(frame.data);
		} catch (error) {
			this.#end(this.#fail(`the RELP receiver ${this.#options.address} sent a malformed answer: ${(error as RelpFrameError).message}`));
			return;
		}
		this.#inflight.shift();
		this.#armTimer();
		if (pending.command !== 'syslog') {
			this.#waiter?.resolve(response);
			return;
		}
		const transmission = this.#transmission;
		if (!transmission) {
			return;
		}
		if (response.status === 200) {
			pending.item!.onAcked();
			transmission.outstanding--;
		} else {
			transmission.refused ??= this.#fail(`the RELP receiver ${this.#options.address} refused a message: ${response.status} ${response.text}`.trim());
		}
		if (transmission.refused) {
			if (this.#inflight.length === 0) {
				transmission.reject(transmission.refused);
			}
		} else if (transmission.outstanding === 0) {
			transmission.resolve();
		} else {
			this.#schedulePump();
		}
	}

	#fail(message: string): AgentError {
		return new AgentError('RELP_ERROR', message, {detail: {address: this.#options.address}});
	}

	#end(error: AgentError): void {
		if (this.ended) {
			return;
		}
		this.ended = true;
		clearTimeout(this.#timer);
		this.#socket.destroy();
		const reason = this.#transmission?.refused ?? error;
		this.#waiter?.reject(reason);
		this.#transmission?.reject(reason);
		if (!this.#closingByUs) {
			this.onEnd?.(reason);
		}
	}
}
