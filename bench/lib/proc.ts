/**
 * Resource use of a process from /proc (Linux): CPU time of all its threads and its resident
 * memory, current and peak.
 */
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
	ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	return ticksPerSecond;
}

/** User + system CPU seconds used so far by `pid` (every thread). */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name may hold spaces and parentheses: fields start after the last ')'.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/**
 * CPU seconds by thread name (`WorkerThread` for worker threads, `node-V8Worker` for V8's
 * helpers, the process title for the main thread, …), summed over threads of the same name.
 * Threads that already exited are not counted.
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
	const byName = new Map<string, number>();
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		let stat: string;
		try {
			stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
		} catch {
			continue;
		}
		const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / clockTicks());
	}
	return byName;
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS' | 'RssAnon' | 'RssFile'): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** Peak resident set size in bytes (VmHWM). */
export function peakRss(pid: number): number {
	return statusField(pid, 'VmHWM');
}

/** Current resident set size in bytes (VmRSS). */
export function rss(pid: number): number {
	return statusField(pid, 'VmRSS');
}

/**
 * Resident memory in two parts: anonymous (heaps, buffers: what the process itself uses) and
 * file-backed (pages of the executable and libraries: clean, shared, reclaimable).
 */
export function rssParts(pid: number): {anonymous: number; file: number} {
	return {anonymous: statusField(pid, 'RssAnon'), file: statusField(pid, 'RssFile')};
}

export interface RssSample {
	/** ms since the sampler started. */
	at: number;
	rss: number;
	anonymous: number;
}

/** Samples a process's RSS on a timer, for "RSS over time" and the peak of its anonymous part. */
export class RssSampler {
	readonly samples: RssSample[] = [];
	readonly #timer: NodeJS.Timeout;

	constructor(pid: number, everyMs = 200) {
		const started = performance.now();
		this.#timer = setInterval(() => {
			try {
				this.samples.push({at: performance.now() - started, rss: rss(pid), anonymous: rssParts(pid).anonymous});
			} catch {
				// The process exited.
			}
		}, everyMs);
	}

	/** Largest anonymous RSS sampled. */
	get peakAnonymous(): number {
		return Math.max(...this.samples.map((sample) => sample.anonymous));
	}

	stop(): RssSample[] {
		clearInterval(this.#timer);
		return this.samples;
	}
}
