/**
 * The syslog part in front of a message, as the original agent wrote it:
 * `[<PRI>]<time> [<system name> ]`. Pure: the event time and the host name are passed in.
 *
 * The time is always UTC (all three formats), so output does not depend on the machine's time
 * zone. RFC 3164 days are zero-padded (`Jan 02`), as in the original agent's settings page.
 */
import {AgentError} from '../errors.ts';

export type TimeFormat = 'rfc5424' | 'rfc3164' | 'rfc3164-year';

/** Every time format, for settings UIs and validation. */
export const timeFormats: readonly TimeFormat[] = ['rfc5424', 'rfc3164', 'rfc3164-year'];

/** local0: the facility a collector usually routes application security feeds by. */
export const defaultFacility = 16;

export interface SyslogHeaderOptions {
	/**
	 * `rfc5424`: `2017-01-02T16:38:38.383Z`; `rfc3164`: `Jan 02 16:38:38`;
	 * `rfc3164-year`: `Jan 02 2017 16:38:38`.
	 * @default 'rfc5424'
	 */
	timeFormat?: TimeFormat;
	/** Start with `<PRI>` (facility × 8 + severity). @default false */
	includePri?: boolean;
	/** Syslog facility 0–23 for the PRI. @default 16 (local0) */
	facility?: number;
	/** Write the system name after the time. @default false */
	includeSystemName?: boolean;
	/**
	 * The host name to write (the caller passes e.g. `os.hostname()`). Characters outside
	 * printable ASCII (space included) and `|` become `_`, so it can neither add a header field
	 * nor look like the start of the CEF header; an empty name is written as `-`.
	 * @default ''
	 */
	systemName?: string;
}

/** Builds the header for one message; the result ends with the space before the message. */
export type SyslogHeader = (timeMs: number, severity: number) => string;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Last epoch ms with a four-digit year; times are clamped to [0, this]. */
const maxTime = 253_402_300_799_999;

/**
 * Format an epoch-ms time for the syslog header, in UTC. Non-finite or out-of-range times are
 * clamped to 1970-01-01T00:00:00.000Z … 9999-12-31T23:59:59.999Z.
 */
export function formatSyslogTime(ms: number, timeFormat: TimeFormat = 'rfc5424'): string {
	const time = clampTime(ms);
	const second = Math.floor(time / 1000);
	const text = secondText(second, timeFormat);
	return timeFormat === 'rfc5424' ? text + millisText(time - (second * 1000)) : text;
}

/** `<PRI>` for a facility (0–23) and a syslog severity (0–7). */
export function syslogPri(facility: number, severity: number): string {
	return '<' + String((facility * 8) + severity) + '>';
}

/** The host name as written in the header (see `SyslogHeaderOptions.systemName`). */
export function sanitizeSystemName(name: string): string {
	let out = '';
	for (let i = 0; i < name.length; i++) {
		const c = name.charCodeAt(i);
		out += c > 0x20 && c < 0x7f && c !== 0x7c ? name[i] : '_';
	}

	return out === '' ? '-' : out;
}

/**
 * Header builder for fixed options. Throws AgentError CONFIG_ERROR for an unknown time format
 * or a facility outside 0–23. Severities outside 0–7 are clamped (NaN counts as 6, informational).
 */
export function createSyslogHeader(options: SyslogHeaderOptions = {}): SyslogHeader {
	const timeFormat = options.timeFormat ?? 'rfc5424';
	if (!timeFormats.includes(timeFormat)) {
		throw new AgentError('CONFIG_ERROR', 'Unknown time format "' + String(timeFormat) + '"; use one of ' + timeFormats.join(', ') + '.');
	}

	const facility = options.facility ?? defaultFacility;
	if (!Number.isInteger(facility) || facility < 0 || facility > 23) {
		throw new AgentError('CONFIG_ERROR', 'Syslog facility must be an integer from 0 to 23, got ' + String(facility) + '.');
	}

	const pris: string[] = [];
	for (let severity = 0; severity < 8; severity++) {
		pris.push(options.includePri ? syslogPri(facility, severity) : '');
	}

	const hostPart = options.includeSystemName ? ' ' + sanitizeSystemName(options.systemName ?? '') + ' ' : ' ';
	const withMillis = timeFormat === 'rfc5424';
	// Events of a backfill rarely share a second but usually share a day: the date part is made
	// once per day, the clock from tables (no Date object per event).
	let cachedDay = Number.NaN;
	let dayText = '';
	return (timeMs, severity) => {
		const time = clampTime(timeMs);
		const second = Math.floor(time / 1000);
		const day = Math.floor(second / 86_400);
		if (day !== cachedDay) {
			cachedDay = day;
			dayText = dayPart(day * 86_400, timeFormat);
		}

		let rest = second - (day * 86_400);
		const hours = Math.floor(rest / 3600);
		rest -= hours * 3600;
		const minutes = Math.floor(rest / 60);
		const clock = twoDigits[hours] + ':' + twoDigits[minutes] + ':' + twoDigits[rest - (minutes * 60)];
		const pri = pris[severity] ?? pris[clampSeverity(severity)];
		return withMillis
			? pri + dayText + clock + millisTexts[Math.trunc(time - (second * 1000))] + hostPart
			: pri + dayText + clock + hostPart;
	};
}

/** `00` … `59`. */
const twoDigits = Array.from({length: 60}, (_, n) => pad2(n));

/** `.000Z` … `.999Z`. */
const millisTexts = Array.from({length: 1000}, (_, n) => millisText(n));

/** The time up to the clock, for the day that starts at `second` (also the WebAssembly path's, formats/cef-activity-bytes.ts). */
export function dayPart(second: number, timeFormat: TimeFormat): string {
	const text = secondText(second, timeFormat);
	// Every format ends with the clock, `00:00:00`.
	return text.slice(0, -8);
}

function clampSeverity(severity: number): number {
	if (severity >= 0 && severity <= 7) {
		return Math.trunc(severity);
	}

	if (Number.isNaN(severity)) {
		return 6;
	}

	return severity > 7 ? 7 : 0;
}

function clampTime(ms: number): number {
	if (ms >= 0 && ms <= maxTime) {
		return ms;
	}

	return ms > maxTime ? maxTime : 0;
}

/** The time up to whole seconds, in the given format. */
function secondText(second: number, timeFormat: TimeFormat): string {
	const date = new Date(second * 1000);
	const year = String(date.getUTCFullYear()).padStart(4, '0');
	const day = pad2(date.getUTCDate());
	const clock = pad2(date.getUTCHours()) + ':' + pad2(date.getUTCMinutes()) + ':' + pad2(date.getUTCSeconds());
	switch (timeFormat) {
		case 'rfc3164': {
			return months[date.getUTCMonth()] + ' ' + day + ' ' + clock;
		}

		case 'rfc3164-year': {
			return months[date.getUTCMonth()] + ' ' + day + ' ' + year + ' ' + clock;
		}

		default: {
			return year + '-' + pad2(date.getUTCMonth() + 1) + '-' + day + 'T' + clock;
		}
	}
}

/** `.mmmZ` for the milliseconds within a second (0–999; fractions truncated). */
function millisText(millis: number): string {
	const m = Math.trunc(millis);
	return (m < 10 ? '.00' : (m < 100 ? '.0' : '.')) + String(m) + 'Z';
}

function pad2(n: number): string {
	return n < 10 ? '0' + String(n) : String(n);
}
