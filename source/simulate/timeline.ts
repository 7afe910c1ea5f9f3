/**
 * Maps a record index to its time key (activities: `created`, alerts: `timestamp`) so that
 * keys never decrease with the index. A time range is then an index range found by binary
 * search, and "visible now" is a prefix of the indices: nothing is stored per record.
 *
 * Indices [0, historyCount) are spread over [start, anchor); from `anchor` on, live records
 * arrive at `perMs` records per millisecond, without end.
 */

import {unit} from './random.ts';

export interface TimelineOptions {
	seed: number;
	salt: number;
	/** Oldest history time, epoch ms. */
	start: number;
	/** When the simulator started: history ends here and live records begin. */
	anchor: number;
	historyCount: number;
	/** Live records per millisecond; 0 for none. */
	perMs: number;
}

export interface Timeline {
	/** Time key of record `i`, epoch ms (an integer); never smaller than that of `i - 1`. */
	key(i: number): number;
	/** Smallest i in [lo, hi] with key(i) >= t; `hi` when there is none below it. */
	lowerBound(t: number, lo: number, hi: number): number;
	/** Number of records whose key is <= now: they are exactly the indices [0, visibleEnd). */
	visibleEnd(now: number): number;
}

export function createTimeline(options: TimelineOptions): Timeline {
	const {seed, salt, start, anchor, historyCount, perMs} = options;
	const slot = historyCount > 0 ? (anchor - start) / historyCount : 0;
	const period = perMs > 0 ? 1 / perMs : Number.POSITIVE_INFINITY;

	// Jitter inside each record's own slot keeps keys irregular yet non-decreasing.
	function key(i: number): number {
		const jitter = unit(seed, i, salt);
		if (i < historyCount) {
			return start + Math.floor((i + jitter) * slot);
		}

		return anchor + Math.floor((i - historyCount + jitter) * period);
	}

	function lowerBound(t: number, lo: number, hi: number): number {
		let low = lo;
		let high = hi;
		while (low < high) {
			const mid = Math.floor((low + high) / 2);
			if (key(mid) < t) {
				low = mid + 1;
			} else {
				high = mid;
			}
		}

		return low;
	}

	function visibleEnd(now: number): number {
		const t = Math.floor(now) + 1;
		if (t <= anchor || perMs <= 0) {
			return lowerBound(t, 0, historyCount);
		}

		// key(historyCount + j) >= anchor + j·period, so this many live records reach past `now`.
		const liveBound = Math.ceil((t - anchor) * perMs) + 2;
		return lowerBound(t, historyCount, historyCount + liveBound);
	}

	return {key, lowerBound, visibleEnd};
}
