import {setTimeout as delay} from 'node:timers/promises';

export interface WaitOptions {
	/** Give up after this long. @default 20000 */
	timeoutMs?: number;
	/** Pause between probes. @default 20 */
	intervalMs?: number;
	/** What to show with the timeout (the screen, a log tail). */
	detail?: () => string | Promise<string>;
}

/**
 * Probes until `probe` gives a value (anything but undefined or false) and returns it; gives up
 * after `timeoutMs / intervalMs` probes, naming what was awaited. A guard against a test that
 * would hang, never a speed check: it counts probes, not the clock, so a slow machine whose
 * probes take longer only waits longer.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
	const intervalMs = options.intervalMs ?? 20;
	const probes = Math.max(1, Math.ceil((options.timeoutMs ?? 20_000) / intervalMs));
	for (let attempt = 1; ; attempt++) {
		const value = await probe();
		if (value !== undefined && value !== false) {
			return value;
		}
		if (attempt >= probes) {
			const detail = options.detail ? `\n${await options.detail()}` : '';
			throw new Error(`gave up waiting for ${what} after ${probes} probes${detail}`);
		}
		await delay(intervalMs);
	}
}
