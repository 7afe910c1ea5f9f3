/**
 * The example syslog header the wizard shows next to the advanced settings, so the operator
 * sees what each choice does before saving. Pure: the time and system name are passed in.
 */
import type {CefSettings, TimeFormat} from '../../config/schema.ts';

/** The time every example uses (the one in Microsoft's documentation). */
export const exampleTime = Date.UTC(2017, 0, 2, 16, 38, 38, 383);

/** PRI of the example: facility local0 (16), severity warning (4). @default 132 */
export const examplePri = 132;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(value: number): string {
	return String(value).padStart(2, '0');
}

/** The header time in each format, in UTC: `2017-01-02T16:38:38.383Z`, `Jan 02 16:38:38`, `Jan 02 2017 16:38:38`. */
export function headerTime(time: number, format: TimeFormat): string {
	const date = new Date(time);
	if (format === 'rfc5424') {
		return date.toISOString();
	}

	const clock = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
	const day = `${months[date.getUTCMonth()]} ${two(date.getUTCDate())}`;
	return format === 'rfc3164-year' ? `${day} ${date.getUTCFullYear()} ${clock}` : `${day} ${clock}`;
}

/** `<132>2017-01-02T16:38:38.383Z myhost CEF:0|MCAS|SIEM_Agent|...`, following the settings. */
export function exampleHeader(cef: CefSettings, systemName = 'myhost', time = exampleTime): string {
	const pri = cef.includePri ? `<${examplePri}>` : '';
	const host = cef.includeSystemName ? ` ${systemName}` : '';
	return `${pri}${headerTime(time, cef.timeFormat)}${host} CEF:0|MCAS|SIEM_Agent|...`;
}

export const timeFormatLabels: Record<TimeFormat, string> = {
	rfc5424: 'RFC 5424',
	rfc3164: 'RFC 3164',
	'rfc3164-year': 'RFC 3164 with year',
};
