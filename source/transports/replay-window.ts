/**
 * The last bytes written on a TCP connection, kept so they can be written again on the next
 * connection. Plain TCP acknowledges nothing to the application: what the kernel accepted may
 * still be lost if the receiver restarts before reading it. Re-sending the tail turns that
 * loss into duplicates (at-least-once), bounded by the window's size.
 */

const lf = 0x0a;

/**
 * The window is one buffer of the window's size, allocated at the first write and reused for
 * good: it holds the newest whole messages, oldest first. An earlier version copied each batch's
 * tail into a fresh buffer; at 100k events/s that was a megabyte per page whose wrapper lived long
 * enough to be promoted, so dead windows piled up outside the heap until a major collection.
 */
export class ReplayWindow {
	readonly #limit: number;
	#store?: Buffer;
	#bytes = 0;
	#messages = 0;
	/** End offset of each kept message in the store when messages are framed (octet counting); absent: every LF ends one. */
	#ends?: number[];

	/** @param limitBytes Most bytes kept; 0 disables the window. */
	constructor(limitBytes: number) {
		this.#limit = Math.max(0, limitBytes);
	}

	get bytes(): number {
		return this.#bytes;
	}

	get messages(): number {
		return this.#messages;
	}

	/**
	 * Remember a written batch of `count` messages, then forget the oldest messages beyond the
	 * limit. `ends` are the end offsets of its messages; without them every LF ends one. What is
	 * kept is copied: the caller may reuse `data` once this returns.
	 */
	add(data: Buffer, count: number, ends?: readonly number[]): void {
		if (this.#limit === 0 || count === 0) {
			return;
		}

		if ((ends === undefined) !== (this.#ends === undefined)) {
			// Another framing (a sink has one, so only after clear()): start over in that one.
			this.clear();
			this.#ends = ends ? [] : undefined;
		}

		this.#store ??= Buffer.allocUnsafe(this.#limit);
		const store = this.#store;
		const excess = this.#bytes + data.length - this.#limit;
		if (excess >= this.#bytes) {
			// Nothing kept so far stays: keep what fits of the tail of `data`.
			const cut = boundary(data, ends, excess - this.#bytes);
			data.copy(store, 0, cut);
			this.#bytes = data.length - cut;
			if (ends) {
				this.#ends = ends.filter(end => end > cut).map(end => end - cut);
				this.#messages = this.#ends.length;
			} else {
				this.#messages = countLf(store, 0, this.#bytes);
			}

			return;
		}

		if (excess > 0) {
			// Drop whole messages from the front, never part of one.
			const cut = boundary(store.subarray(0, this.#bytes), this.#ends, excess);
			if (this.#ends) {
				const dropped = this.#ends.findIndex(end => end > cut);
				this.#ends = this.#ends.slice(dropped === -1 ? this.#ends.length : dropped).map(end => end - cut);
				this.#messages = this.#ends.length;
			} else {
				this.#messages -= countLf(store, 0, cut);
			}

			store.copyWithin(0, cut, this.#bytes);
			this.#bytes -= cut;
		}

		data.copy(store, this.#bytes);
		if (this.#ends && ends) {
			for (const end of ends) {
				this.#ends.push(end + this.#bytes);
			}
		}

		this.#bytes += data.length;
		this.#messages += count;
	}

	/** The kept bytes, oldest first, whole messages only (a view: valid until the next add()). */
	buffers(): Buffer[] {
		return this.#bytes === 0 || !this.#store ? [] : [this.#store.subarray(0, this.#bytes)];
	}

	clear(): void {
		this.#bytes = 0;
		this.#messages = 0;
		this.#ends = this.#ends ? [] : undefined;
	}
}

/** Where the first message that ends at or after `need` bytes ends: cutting there drops at least `need` bytes. */
function boundary(data: Buffer, ends: readonly number[] | undefined, need: number): number {
	if (need <= 0) {
		return 0;
	}

	if (ends) {
		const end = ends.find(offset => offset >= need);
		return end ?? data.length;
	}

	const at = data.indexOf(lf, need - 1);
	return at === -1 ? data.length : at + 1;
}

function countLf(data: Buffer, from: number, to: number): number {
	let count = 0;
	for (let index = data.indexOf(lf, from); index !== -1 && index < to; index = data.indexOf(lf, index + 1)) {
		count++;
	}

	return count;
}
