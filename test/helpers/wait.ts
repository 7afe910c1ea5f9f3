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
 * Probes until `probe` gives a value (anything but undefined or false) and returns it; fails
 * after `timeoutMs`, naming what was awaited. A guard against a test that would hang, never a
 * speed check: a slow machine only takes longer, up to the limit.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
	const deadline = Date.now() + (options.timeoutMs ?? 20_000);
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) {
			return value;
		}
		if (Date.now() > deadline) {
			const detail = options.detail ? `\n${await options.detail()}` : '';
			throw new Error(`timed out waiting for ${what}${detail}`);
		}
		await delay(options.intervalMs ?? 20);
	}
}
