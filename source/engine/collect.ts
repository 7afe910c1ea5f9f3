/**
 * Asks V8 for a garbage collection after every few dozen MB forwarded.
 *
 * Why: buffers live outside the JavaScript heap, and a buffer whose small wrapper was promoted
 * to the old generation before it died is freed only by a major collection, which V8 starts
 * once the old generation has grown or memory outside the heap has grown by about 64 MB. At
 * full speed such dead buffers (socket reads, most likely) still grow by 2–3 MB a second, and
 * the old generation with them. Starting a major collection ourselves (incremental and
 * concurrent: `execution: 'async'`) every `everyBytes` keeps that bounded for about half a µs
 * of CPU per event, mostly on V8's helper threads. (Until session 3 the TCP sink's replay
 * window also copied a megabyte per page into a fresh buffer, ten times as much garbage, which
 * took a collection every 8 MB at three times the cost; the window now reuses one buffer.)
 *
 * Uses the `gc` function V8 exposes with --expose-gc, set from inside the process; where that
 * is not possible (another runtime), this does nothing and memory is simply left to V8.
 */
let collect: ((options: {type: 'major' | 'minor'; execution?: 'async'}) => void) | null | undefined;
let since = 0;
let minorSince = 0;

/**
 * Default: a collection per 32 MB of output (about nine scan pages). Measured over 1M-event
 * backfills: 8 MB costs ~10 % of throughput, 32–64 MB keep peak RSS at 132–141 MB, none at all
 * lets it reach ~160 MB.
 */
export const collectEveryBytes = 32 * 1024 * 1024;

/**
 * While the SIEM holds delivery back, the engine has time to spare: a collection per 8 MB then
 * keeps memory lowest exactly when pages wait (1M-event drain into a slow SIEM: peak RSS
 * ~150 MB with 32 MB, ~146 with 8 MB), at no cost to the rate, which the SIEM sets.
 */
export const collectWhileWaitingBytes = 8 * 1024 * 1024;

/**
 * A minor collection (scavenge) per 2 MB of output, about one per scan page. Since activities
 * go from bytes to CEF without JavaScript objects (formats/cef-activity-bytes.ts), the engine
 * makes so little garbage that scavenges became rare, and the buffers of socket reads, dead
 * within a page, waited for one: 36–40 MB of them at the peak instead of 22–26, and peak RSS
 * 154–160 MB instead of 142–148 over 1M-event backfills. A scavenge of a young generation that
 * holds almost nothing alive costs well under a millisecond; the major collections then find
 * less to mark (V8's helper threads: ~0.7–0.9 µs per event instead of ~1.5).
 */
export const minorEveryBytes = 2 * 1024 * 1024;

/** Count `bytes` forwarded; past the thresholds, start a collection. */
export function collectAfter(bytes: number, everyBytes = collectEveryBytes): void {
	since += bytes;
	minorSince += bytes;
	const minor = minorSince >= minorEveryBytes;
	const major = since >= everyBytes;
	if (!minor && !major) {
		return;
	}

	collect ??= exposeGc();
	if (minor) {
		minorSince = 0;
		collect?.({type: 'minor'});
	}

	if (major) {
		since = 0;
		collect?.({type: 'major', execution: 'async'});
	}
}

function exposeGc(): typeof collect {
	try {
		const v8 = process.getBuiltinModule?.('node:v8');
		const vm = process.getBuiltinModule?.('node:vm');
		if (!v8 || !vm) {
			return null;
		}

		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as unknown;
		return typeof gc === 'function' ? gc as typeof collect : null;
	} catch {
		return null;
	}
}
