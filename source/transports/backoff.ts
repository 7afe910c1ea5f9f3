/**
 * Exponential backoff with jitter, and an abortable sleep.
 */

export interface BackoffOptions {
	/** First delay in milliseconds. @default 200 */
	initialMs?: number;
	/** Largest delay in milliseconds. @default 10000 */
	maxMs?: number;
	/** Growth factor between attempts. @default 2 */
	factor?: number;
	/**
	 * Fraction of each delay that is random, so many agents restarted together do not reconnect
	 * in lock-step: a delay d becomes a value in [d × (1 - jitter), d]. @default 0.5
	 */
	jitter?: number;
	/** Random source in [0, 1), for tests. @default Math.random */
	random?: () => number;
}

export interface Backoff {
	/** The delay to wait before the next attempt; each call grows the following one. */
	next(): number;
	/** Back to the initial delay, after a success. */
	reset(): void;
	/** Delays handed out since the last reset. */
	readonly attempts: number;
}

/** Create an exponential backoff: initialMs, initialMs × factor, ... capped at maxMs, with jitter. */
export function createBackoff(options: BackoffOptions = {}): Backoff {
	const initialMs = options.initialMs ?? 200;
	const maxMs = options.maxMs ?? 10_000;
	const factor = options.factor ?? 2;
	const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
	const random = options.random ?? Math.random;
	let attempts = 0;
	return {
		next() {
			const base = Math.min(maxMs, initialMs * factor ** attempts);
			attempts++;
			return Math.round(base * (1 - jitter * random()));
		},
		reset() {
			attempts = 0;
		},
		get attempts() {
			return attempts;
		},
	};
}

export {sleep} from '../util/sleep.ts';
