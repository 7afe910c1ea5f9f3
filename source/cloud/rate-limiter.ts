/**
 * Client-side rate limit: a token bucket shared by every query of a client, and by several
 * clients when they talk to the same tenant (the tenant allows about 30 requests a minute).
 */

import {sleep} from '../util/sleep.ts';

export interface RateLimiterOptions {
	/**
	 * The most requests in any rolling minute (the tenant's budget). 0 turns the limiter off.
	 * @default 30
	 */
	requestsPerMinute?: number;
	/**
	 * Requests allowed back to back (e.g. both data types polling at once). The bucket refills
	 * at `requestsPerMinute − burst` a minute, so burst plus refill never exceed the budget in
	 * any rolling minute: a server that counts the same way never has to answer 429.
	 * @default Math.min(2, requestsPerMinute)
	 */
	burst?: number;
	/** Clock in milliseconds, for tests. @default Date.now */
	now?: () => number;
}

export interface RateLimiter {
	readonly requestsPerMinute: number;
	readonly burst: number;
	/**
	 * Reserves one request and resolves when it may be sent, with the milliseconds waited.
	 * Rejects with the signal's reason on abort, returning the reservation.
	 * @param onWait called once, before waiting, when the wait is at least `noticeMs`.
	 */
	acquire(options?: {signal?: AbortSignal; onWait?: (waitMs: number) => void; noticeMs?: number}): Promise<number>;
	/** Takes a request only if one is available now. */
	tryAcquire(): boolean;
	/** Milliseconds until a request would be allowed (0 = now). */
	delay(): number;
	/** Holds every request back for `ms` (the server said 429). */
	pause(ms: number): void;
}

/** Default budget per rolling minute, from SPEC §2. */
export const defaultRequestsPerMinute = 30;

/** Creates a token bucket. */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
	const requestsPerMinute = Math.max(0, options.requestsPerMinute ?? defaultRequestsPerMinute);
	const burst = Math.max(1, Math.floor(options.burst ?? Math.min(2, requestsPerMinute || 1)));
	const now = options.now ?? Date.now;
	const off = requestsPerMinute === 0;
	// A bucket of `burst` refilled at r a minute lets through at most burst + r in any minute.
	const perMs = Math.max(requestsPerMinute - burst, Math.min(requestsPerMinute, 1)) / 60_000;
	let tokens = burst;
	// The time `tokens` refers to; ahead of now while paused.
	let at = now();
	let pausedUntil = 0;

	function refill(t: number): void {
		if (t > at) {
			tokens = Math.min(burst, tokens + ((t - at) * perMs));
			at = t;
		}
	}

	function waitFor(t: number): number {
		const deficit = tokens < 0 ? -tokens / perMs : 0;
		return Math.max(0, Math.ceil(at + deficit - t), pausedUntil - t);
	}

	return {
		requestsPerMinute,
		burst,
		async acquire({signal, onWait, noticeMs = 1000} = {}) {
			if (off) {
				return 0;
			}

			const start = now();
			refill(start);
			// Debt-based reservation: waiters queue in order without a list of timers.
			tokens -= 1;
			const wait = waitFor(start);
			if (wait === 0) {
				return 0;
			}

			if (wait >= noticeMs) {
				onWait?.(wait);
			}

			try {
				await sleep(wait, signal);
				// A 429 seen by another query while we slept extends the wait.
				for (let t = now(); pausedUntil > t; t = now()) {
					await sleep(pausedUntil - t, signal);
				}
			} catch (error) {
				tokens += 1;
				throw error;
			}

			return now() - start;
		},
		tryAcquire() {
			if (off) {
				return true;
			}

			const t = now();
			refill(t);
			if (tokens < 1 || pausedUntil > t) {
				return false;
			}

			tokens -= 1;
			return true;
		},
		delay() {
			if (off) {
				return 0;
			}

			const t = now();
			refill(t);
			const refilled = tokens >= 1 ? at : at + Math.ceil((1 - tokens) / perMs);
			return Math.max(0, refilled - t, pausedUntil - t);
		},
		pause(ms) {
			const t = now();
			pausedUntil = Math.max(pausedUntil, t + ms);
			refill(t);
			// The server's budget is spent: one request right after the pause, then the refill.
			tokens = Math.min(tokens, 1);
			at = Math.max(at, pausedUntil);
		},
	};
}

const shared = new Map<string, RateLimiter>();

/**
 * One limiter per tenant origin (and budget) in this thread, so clients for different data
 * types or agents on the same tenant share the budget.
 */
export function sharedRateLimiter(url: string, options?: RateLimiterOptions): RateLimiter {
	// Keyed by the budget too, so an agent reloaded with another rate gets it.
	const key = `${new URL(url).origin.toLowerCase()} ${options?.requestsPerMinute ?? defaultRequestsPerMinute}/${options?.burst ?? ''}`;
	let limiter = shared.get(key);
	if (!limiter) {
		limiter = createRateLimiter(options);
		shared.set(key, limiter);
	}

	return limiter;
}
