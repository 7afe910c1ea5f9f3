/**
 * The tenant's request budget (SPEC §2: 30 requests a minute): a sliding one-minute window
 * per token, on the simulator's clock so that tests with a fake clock stay exact.
 */

const windowMs = 60_000;

export type ThrottleVerdict = {ok: true} | {ok: false; retryAfterSeconds: number};

export interface Throttle {
	/** Counts one request for `key` at `now`, unless the budget is spent. */
	take(key: string, now: number): ThrottleVerdict;
	/** Requests per minute; 0 lifts the limit. */
	perMinute: number;
}

export function createThrottle(perMinute: number): Throttle {
	const windows = new Map<string, number[]>();
	return {
		perMinute,
		take(key, now) {
			if (this.perMinute <= 0) {
				return {ok: true};
			}

			const times = windows.get(key) ?? [];
			windows.set(key, times);
			while (times.length > 0 && times[0] <= now - windowMs) {
				times.shift();
			}

			if (times.length >= this.perMinute) {
				// When the oldest request in the window leaves it, there is room again.
				return {ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[times.length - this.perMinute] + windowMs - now) / 1000))};
			}

			times.push(now);
			return {ok: true};
		},
	};
}
