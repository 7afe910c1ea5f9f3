/**
 * The last bytes written on a TCP connection, kept so they can be written again on the next
 * connection. Plain TCP acknowledges nothing to the application: what the kernel accepted may
 * still be lost if the receiver restarts before reading it. Re-sending the tail turns that
 * loss into duplicates (at-least-once), bounded by the window's size.
 */

interface Entry {
	data: Buffer;
	/** Messages in `data`. */
	count: number;
	/** End offset of each framed message in `data`; absent: LF framing, every LF ends one. */
	ends?: number[];
}

const lf = 0x0a;

export class ReplayWindow {
	readonly #limit: number;
	#entries: Entry[] = [];
	#bytes = 0;
	#messages = 0;

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
		const entry: Entry = {data, count, ends: ends ? [...ends] : undefined};
		this.#entries.push(entry);
		this.#bytes += data.length;
		this.#messages += count;
		this.#trim();
		if (entry.data === data) {
			// Not cut by the trim (which copies): copy it now.
			entry.data = Buffer.from(data);
		}
	}

	/** The kept bytes, oldest first, each cut on a message boundary. */
	buffers(): Buffer[] {
		return this.#entries.map(entry => entry.data);
	}

	clear(): void {
		this.#entries = [];
		this.#bytes = 0;
		this.#messages = 0;
	}

	#trim(): void {
		while (this.#bytes > this.#limit) {
			const oldest = this.#entries[0];
			const excess = this.#bytes - this.#limit;
			if (excess >= oldest.data.length) {
				this.#entries.shift();
				this.#bytes -= oldest.data.length;
				this.#messages -= oldest.count;
				continue;
			}
			// Drop whole messages from the front of the oldest batch, never part of one.
			let cut: number;
			let kept: number;
			if (oldest.ends) {
				const dropped = oldest.ends.findIndex(end => end >= excess) + 1;
				cut = oldest.ends[dropped - 1];
				oldest.ends = oldest.ends.slice(dropped).map(end => end - cut);
				kept = oldest.ends.length;
			} else {
				cut = oldest.data.indexOf(lf, excess - 1) + 1;
				kept = countLf(oldest.data, cut);
			}
			// Copy, so the dropped part of the batch's buffer can be freed.
			oldest.data = Buffer.from(oldest.data.subarray(cut));
			this.#bytes -= cut;
			this.#messages -= oldest.count - kept;
			oldest.count = kept;
		}
	}
}

function countLf(data: Buffer, from: number): number {
	let count = 0;
	for (let index = data.indexOf(lf, from); index !== -1; index = data.indexOf(lf, index + 1)) {
		count++;
	}
	return count;
}
