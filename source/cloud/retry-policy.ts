/** Pure timing rules of the client: backoff with jitter and `Retry-After`. */

/**
 * Exponential backoff with "equal jitter": half fixed, half random, so retries of several
 * clients spread out but never collapse to zero.
 * @param failure 1 for the first retry.
 */
export function backoffDelay(failure: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
	const ceiling = Math.min(maxMs, baseMs * (2 ** Math.max(0, failure - 1)));
	return Math.round((ceiling / 2) + (random() * ceiling / 2));
}

/**
 * Reads `Retry-After` (delay in seconds, or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
	const header = Array.isArray(value) ? value[0] : value;
	if (header === undefined || header.trim() === '') {
		return undefined;
	}

	const text = header.trim();
	if (/^\d+(?:\.\d+)?$/.test(text)) {
		return Math.round(Number(text) * 1000);
	}

	// Date.parse reads "-5" as a year; an HTTP date always names its weekday and month.
	const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait after the n-th consecutive 429: the server's `Retry-After` when given
 * (never below `minMs`, never above `maxMs`), else `baseMs` doubling per 429 up to `maxMs`.
 */
export function throttleDelay(retryAfterMs: number | undefined, consecutive: number, options: {baseMs: number; minMs: number; maxMs: number}): number {
	if (retryAfterMs !== undefined) {
		return Math.min(options.maxMs, Math.max(options.minMs, retryAfterMs));
	}

	return Math.min(options.maxMs, options.baseMs * (2 ** Math.max(0, consecutive - 1)));
}
