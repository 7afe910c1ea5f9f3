/**
 * Messages on their way to a sink, as the UTF-8 bytes of every message followed by LF. The
 * engine formats a page piece by piece and encodes each piece at once into a buffer it reuses
 * page after page (release() hands it back), so a page waiting for the SIEM is one buffer
 * rather than thousands of strings, and a stream sink with LF framing writes it as it is. No
 * message holds CR or LF: each piece is checked when it is added (a message with a line break
 * gets a space instead, as `stripLineBreaks` does).
 */
import {ByteBuffer, type BytePool} from '../util/byte-pool.ts';
import {stripLineBreaks} from './framing.ts';

export class MessageBatch {
	readonly #bytes: ByteBuffer;
	readonly #pool?: BytePool;
	#count = 0;
	#messages?: string[];
	#released = false;

	/** @param pool Where the bytes come from and go back to on release(). */
	constructor(pool?: BytePool) {
		this.#pool = pool;
		this.#bytes = pool?.acquire() ?? new ByteBuffer(16 * 1024);
	}

	/** A batch of these messages. */
	static of(messages: readonly string[]): MessageBatch {
		const batch = new MessageBatch();
		batch.push(messages);
		return batch;
	}

	/** Number of messages. */
	get count(): number {
		return this.#count;
	}

	/** Every message followed by LF, as UTF-8 (a view: valid until release()). */
	data(): Buffer {
		this.#check();
		return this.#bytes.view();
	}

	/**
	 * Messages joined by LF, ready for `pushRun`: a message holding CR or LF gets a space
	 * instead (as `stripLineBreaks` does), so the run splits back into exactly these messages.
	 */
	static run(messages: readonly string[]): string {
		const run = messages.join('\n');
		return isClean(run, messages.length) ? run : messages.map(message => stripLineBreaks(message)).join('\n');
	}

	/** Append messages (in order). */
	push(messages: readonly string[]): void {
		this.pushRun(MessageBatch.run(messages), messages.length);
	}

	/**
	 * Append `count` messages joined by LF, as `MessageBatch.run` makes them (as text, or as its
	 * UTF-8 bytes: the bytes path of formats/cef-activity-bytes.ts, whose lines hold no CR or
	 * LF). Trusts the run: it is copied as it is.
	 */
	pushRun(run: string | Uint8Array, count: number): void {
		this.#check();
		if (count === 0) {
			return;
		}

		if (typeof run === 'string') {
			this.#bytes.appendString(run);
		} else {
			this.#bytes.append(run);
		}

		this.#bytes.appendByte(0x0a);
		this.#count += count;
		this.#messages = undefined;
	}

	/** The messages one by one (made once and kept, so a retry sees the same array). */
	messages(): readonly string[] {
		this.#check();
		this.#messages ??= this.#count === 0 ? [] : this.#bytes.view(0, this.#bytes.length - 1).toString('utf8').split('\n');
		return this.#messages;
	}

	/** The batch was delivered: its bytes go back to the pool. Nothing may use it afterwards. */
	release(): void {
		if (!this.#released) {
			this.#released = true;
			this.#pool?.release(this.#bytes);
		}
	}

	#check(): void {
		if (this.#released) {
			throw new Error('MessageBatch used after release()');
		}
	}
}

/** Either form a sink takes. */
export type Messages = readonly string[] | MessageBatch;

/** The messages of either form, one by one. */
export function messageList(messages: Messages): readonly string[] {
	return messages instanceof MessageBatch ? messages.messages() : messages;
}

/** Number of messages of either form. */
export function messageCount(messages: Messages): number {
	return messages instanceof MessageBatch ? messages.count : messages.length;
}

/** Whether `run`, made of `count` messages joined by LF, has no other CR or LF. */
function isClean(run: string, count: number): boolean {
	if (run.includes('\r')) {
		return false;
	}

	let found = 0;
	for (let index = run.indexOf('\n'); index !== -1; index = run.indexOf('\n', index + 1)) {
		if (++found >= count) {
			return false;
		}
	}

	return true;
}
