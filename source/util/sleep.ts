/** Abortable delays, shared by the client, the engine and the transports. */

/** The reason a signal carries, or a standard AbortError when it has none. */
export function abortReason(signal: AbortSignal): unknown {
	return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 * A zero or negative delay still yields to the event loop once.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) {
		throw abortReason(signal);
	}

	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortReason(signal!));
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, Math.max(0, ms));
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
