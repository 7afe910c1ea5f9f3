/**
 * Pure text formatting for the dashboard: status labels, counts and rates, relative times,
 * lag, sparklines and cursor windows. No clock inside: callers pass `now`.
 */
import type {DataType} from '../cloud/types.ts';
import type {AgentConfig} from '../config/schema.ts';
import type {AgentStatus, Cursor, PipelineState} from '../engine/protocol.ts';

const statusLabels: Record<AgentStatus, string> = {
	created: 'Created',
	connected: 'Connected',
	'connection-error': 'Connection error',
	disconnected: 'Disconnected',
};

/** The agents table's Status column, worded as the original portal did. */
export function statusLabel(status: AgentStatus): string {
	return statusLabels[status] ?? status;
}

const pipelineLabels: Record<PipelineState, string> = {
	starting: 'starting',
	backfill: 'backfilling',
	live: 'live',
	'waiting-for-siem': 'waiting for SIEM',
	throttled: 'throttled',
	'api-error': 'API error',
	paused: 'paused',
	disabled: 'off',
	stopped: 'stopped',
};

/** One or two words for where a data type's pipeline stands. */
export function pipelineLabel(state: PipelineState): string {
	return pipelineLabels[state] ?? state;
}

/** `Alerts` / `Activities`. */
export function dataTypeLabel(dataType: DataType): string {
	return dataType === 'alerts' ? 'Alerts' : 'Activities';
}

/** The agents table's Type column: the enabled data types, or `none`. */
export function typesLabel(agent: Pick<AgentConfig, 'dataTypes'>): string {
	const enabled = (['alerts', 'activities'] as const).filter(type => agent.dataTypes[type]?.enabled);
	return enabled.length === 0 ? 'none' : enabled.map(type => dataTypeLabel(type)).join(', ');
}

function trimmed(value: number): string {
	// One decimal below 10 (1.2k), none above (12k): the column stays narrow.
	return value < 10 ? String(Math.floor(value * 10) / 10) : String(Math.floor(value));
}

/** Compact count: 999, 1.2k, 12k, 3.4M, 1.1G. */
export function formatCount(value: number): string {
	if (!Number.isFinite(value) || value < 0) {
		return '0';
	}

	if (value < 1000) {
		return value < 10 && !Number.isInteger(value) ? trimmed(value) : String(Math.round(value));
	}

	for (const [size, unit] of [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
		if (value >= size) {
			return trimmed(value / size) + unit;
		}
	}

	return String(value);
}

/** Events per second: `0/s`, `0.4/s`, `12/s`, `1.2k/s`. */
export function formatRate(perSecond: number): string {
	return `${formatCount(perSecond)}/s`;
}

/** Bytes: `512 B`, `1.2 kB`, `3.4 MB`. */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 1000) {
		return `${Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : 0} B`;
	}

	return `${formatCount(bytes)}B`.replace(/([kMG])B$/, ' $1B');
}

const units = [
	['d', 86_400_000],
	['h', 3_600_000],
	['min', 60_000],
	['s', 1000],
] as const;

/**
 * A duration in words, with at most `parts` units: `45 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`.
 * @default parts 2
 */
export function formatDuration(ms: number, parts = 2): string {
	let rest = Math.max(0, Math.floor(Number.isFinite(ms) ? ms : 0));
	if (rest < 1000) {
		return '0 s';
	}

	const out: string[] = [];
	for (const [unit, size] of units) {
		if (out.length === parts) {
			break;
		}

		const count = Math.floor(rest / size);
		if (count > 0) {
			out.push(`${count} ${unit}`);
			rest -= count * size;
		} else if (out.length > 0) {
			// `2 h 5 s` would read oddly; stop at the first gap after the leading unit.
			break;
		}
	}

	return out.join(' ');
}

/** Relative time for the Last connection column: `never`, `just now`, `12 s ago`, `3 h ago`. */
export function formatAgo(then: number | undefined, now: number): string {
	if (then === undefined || !Number.isFinite(then) || then <= 0) {
		return 'never';
	}

	const diff = now - then;
	if (diff < 1000) {
		return 'just now';
	}

	return `${formatDuration(diff, 1)} ago`;
}

/** Lag = now − newest event time, human readable; `–` before the first event. */
export function formatLag(newestEventTime: number | undefined, now: number): string {
	if (newestEventTime === undefined || !Number.isFinite(newestEventTime) || newestEventTime <= 0) {
		return '–';
	}

	return formatDuration(now - newestEventTime);
}

const bars = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of the newest `width` values, scaled to their maximum. Zero is the lowest bar, so
 * an idle pipeline reads as a flat line rather than as missing data.
 */
export function sparkline(values: readonly number[], width: number): string {
	const tail = values.slice(Math.max(0, values.length - Math.max(0, width)));
	const max = Math.max(0, ...tail.map(value => (Number.isFinite(value) ? value : 0)));
	return tail
		.map(value => {
			if (max <= 0 || !(value > 0)) {
				return bars[0];
			}

			return bars[Math.max(1, Math.min(bars.length - 1, Math.ceil((value / max) * (bars.length - 1))))];
		})
		.join('');
}

function isoParts(time: number): {date: string; time: string} {
	const iso = new Date(time).toISOString();
	return {date: iso.slice(0, 10), time: iso.slice(11, 19)};
}

/**
 * The checkpoint window `[from, to)` in UTC: `2024-05-01 14:02:00 → 14:02:10 UTC`, without the
 * date when both ends fall on the UTC day of `now` (the usual case once caught up).
 */
export function formatWindow(cursor: Pick<Cursor, 'from' | 'to'>, now?: number): string {
	if (!Number.isFinite(cursor.from) || !Number.isFinite(cursor.to)) {
		return '–';
	}

	const from = isoParts(cursor.from);
	const to = isoParts(cursor.to);
	const today = now === undefined ? undefined : isoParts(now).date;
	const start = from.date === today && to.date === today ? from.time : `${from.date} ${from.time}`;
	const end = from.date === to.date ? to.time : `${to.date} ${to.time}`;
	return `${start} → ${end} UTC`;
}

/** Cuts `text` to `width` characters, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Pads or cuts `text` to exactly `width` characters. */
export function cell(text: string, width: number): string {
	return truncate(text, width).padEnd(width);
}
