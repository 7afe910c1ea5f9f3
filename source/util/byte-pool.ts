/**
 * Growable byte buffers that are handed back and used again. A page body (several MB) and a
 * page's formatted messages (a few MB) would otherwise be a fresh allocation per page, outside
 * the JavaScript heap, freed only when the garbage collector gets round to their wrappers:
 * tens of MB of dead buffers at any moment. Reused, they cost their size once.
 *
 * Whoever acquires a buffer releases it when nothing refers to its bytes any more. A buffer that
 * is never released (an attempt that failed half way) is simply collected; the pool makes a new
 * one the next time.
 */
export class ByteBuffer {
	#bytes: Buffer;
	#length = 0;

	constructor(capacity: number) {
		this.#bytes = Buffer.allocUnsafe(capacity);
	}

	/** Bytes written so far. */
	get length(): number {
		return this.#length;
	}

	/** The bytes written so far (a view: valid until the buffer is released or written again). */
	view(start = 0, end = this.#length): Buffer {
		return this.#bytes.subarray(start, end);
	}

	/** Append bytes. */
	append(bytes: Uint8Array): void {
		this.#reserve(bytes.length);
		this.#bytes.set(bytes, this.#length);
		this.#length += bytes.length;
	}

	/** Append a string as UTF-8; returns the number of bytes. */
	appendString(text: string): number {
		const size = Buffer.byteLength(text, 'utf8');
		this.#reserve(size);
		this.#length += this.#bytes.write(text, this.#length, size, 'utf8');
		return size;
	}

	/** Append one byte. */
	appendByte(byte: number): void {
		this.#reserve(1);
		this.#bytes[this.#length++] = byte;
	}

	/** Forget the contents, keep the memory. */
	reset(): void {
		this.#length = 0;
	}

	get capacity(): number {
		return this.#bytes.length;
	}

	#reserve(more: number): void {
		const needed = this.#length + more;
		if (needed <= this.#bytes.length) {
			return;
		}

		const grown = Buffer.allocUnsafe(Math.max(needed, this.#bytes.length * 2));
		this.#bytes.copy(grown, 0, 0, this.#length);
		this.#bytes = grown;
	}
}

export class BytePool {
	readonly #free: ByteBuffer[] = [];
	readonly #keep: number;
	readonly #initial: number;

	/**
	 * @param keep Most free buffers kept for reuse.
	 * @param initialBytes Capacity of a new buffer (it grows as needed).
	 */
	constructor(keep = 2, initialBytes = 64 * 1024) {
		this.#keep = keep;
		this.#initial = initialBytes;
	}

	/** An empty buffer, reused when one is free. */
	acquire(): ByteBuffer {
		const buffer = this.#free.pop() ?? new ByteBuffer(this.#initial);
		buffer.reset();
		return buffer;
	}

	/**
	 * Hand a buffer back; its bytes must not be used any more. A large buffer that held little
	 * this time is let go rather than kept: once a backfill has caught up, live pages are small,
	 * and the agent should not sit on the memory of its largest page for good.
	 */
	release(buffer: ByteBuffer): void {
		const oversized = buffer.capacity > this.#initial && buffer.length * 4 < buffer.capacity;
		if (!oversized && this.#free.length < this.#keep && !this.#free.includes(buffer)) {
			buffer.reset();
			this.#free.push(buffer);
		}
	}
}
