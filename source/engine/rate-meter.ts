/**
 * Events-per-second over sliding buckets, computed in the engine so the UI and the metrics
 * only read numbers. Constant memory: fixed rings of counters, clock passed in.
 */

export class RateMeter {
	readonly #bucketMs: number;
	readonly #counts: number[];
	#head = 0;
	#headStart: number;

	/**
	 * @param bucketMs width of one bucket
	 * @param buckets how many buckets are kept
	 */
	constructor(bucketMs: number, buckets: number, now: number) {
		this.#bucketMs = bucketMs;
		this.#counts = Array.from({length: buckets}, () => 0);
		this.#headStart = now - (now % bucketMs);
	}

	add(count: number, now: number): void {
		this.#roll(now);
		this.#counts[this.#head]! += count;
	}

	/** Oldest first, including the current (partial) bucket. */
	buckets(now: number): number[] {
		this.#roll(now);
		const n = this.#counts.length;
		const out: number[] = [];
		for (let i = 1; i <= n; i++) {
			out.push(this.#counts[(this.#head + i) % n]!);
		}
		return out;
	}

	/** Mean rate per second over the complete buckets (the partial current one is left out). */
	perSecond(now: number): number {
		const all = this.buckets(now);
		const complete = all.slice(0, -1);
		const sum = complete.reduce((a, b) => a + b, 0);
		return sum / ((complete.length * this.#bucketMs) / 1000);
	}

	#roll(now: number): void {
		const n = this.#counts.length;
		let steps = Math.floor((now - this.#headStart) / this.#bucketMs);
		if (steps <= 0) {
			return;
		}
		if (steps > n) {
			steps = n;
			this.#headStart = now - (now % this.#bucketMs) - n * this.#bucketMs;
		}
		for (let i = 0; i < steps; i++) {
			this.#head = (this.#head + 1) % n;
			this.#counts[this.#head] = 0;
			this.#headStart += this.#bucketMs;
		}
	}
}
