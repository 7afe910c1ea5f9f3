/**
 * NormalizedEvent → one CEF syslog message, byte-for-byte as the original Java agent wrote it:
 * `[<PRI>]<time> [<system name> ]CEF:0|MCAS|SIEM_Agent|<version>|<sigid>|<name>|<severity>|<extension>`.
 * Field order and empty-but-present fields follow Microsoft's sample lines; activities and
 * alerts differ. Pure: no clock (unless passed in), no host name lookup, no I/O.
 */
import type {ApiRecord, DataType} from '../cloud/types.ts';
import {escapeCefExtension as ext, escapeCefHeader} from './cef-escape.ts';
import {normalizeRecord, type NormalizeContext, type NormalizedEvent} from './normalize.ts';
import {createSyslogHeader, type SyslogHeaderOptions} from './syslog-header.ts';

export interface CefFormatterOptions extends SyslogHeaderOptions {
	/** CEF Device Version, e.g. `0.112.68` (escaped like any header field). */
	agentVersion: string;
	/**
	 * Clock for the syslog time of an event that has no time of its own (its `rt`/`start`/`end`
	 * stay empty). The engine passes `Date.now`; without it such events are stamped 1970-01-01.
	 * @default () => 0
	 */
	now?: () => number;
}

/** Formats one event as a syslog message without framing (no trailing newline). */
export type CefFormatter = (event: NormalizedEvent) => string;

const severityTexts = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

/**
 * Any character `escapeCefExtension` would change (the same set, as one regex). Tested once on
 * all of an event's values together: an event with none is formatted without escaping each value.
 */
const extensionSpecial = /[\x00-\x1f\\=\x7f-\x9f\u2028\u2029\ud800-\udfff]/;
const same = (value: string): string => value;

/**
 * Escapes a link such as `https://…/#/audits?activity.id=eq(<id>,)`: its part up to the last
 * `(` is the same for every event (and always holds `=`), so it is escaped once and reused. The
 * cut is after an ASCII character, so no surrogate pair is split.
 */
function linkEscaper(): (value: string) => string {
	let rawPrefix = '';
	let escapedPrefix = '';
	return value => {
		const cut = value.lastIndexOf('(') + 1;
		if (cut === 0) {
			return ext(value);
		}

		if (cut !== rawPrefix.length || !value.startsWith(rawPrefix)) {
			rawPrefix = value.slice(0, cut);
			escapedPrefix = ext(rawPrefix);
		}

		return escapedPrefix + ext(value.slice(cut));
	};
}

/**
 * Create the CEF formatter. Throws AgentError CONFIG_ERROR for invalid header options (see
 * `createSyslogHeader`); formatting itself never throws.
 *
 * Alerts in the samples carry no IP; an alert's `src` (IPv4) and `c6a1` (IPv6) are appended
 * after `cs4` only when present, so alerts without IPs stay byte-identical to the original.
 */
export function createCefFormatter(options: CefFormatterOptions): CefFormatter {
	const header = createSyslogHeader(options);
	const now = options.now ?? (() => 0);
	const prefix = 'CEF:0|MCAS|SIEM_Agent|' + escapeCefHeader(String(options.agentVersion)) + '|';
	const link = linkEscaper();
	return event => {
		const {time} = event;
		const t = time === undefined ? '' : String(time);
		let line = header(time ?? now(), event.syslogSeverity)
			+ prefix + escapeCefHeader(event.signatureId)
			+ '|' + escapeCefHeader(event.name)
			+ '|' + severityText(event.severity);
		if (event.kind === 'activity') {
			const x = extensionSpecial.test(event.externalId + event.msg + event.suser + event.destinationServiceName + event.dvc + event.requestClientApplication + event.cs2 + event.cs3 + event.cs4 + event.c6a1) ? ext : same;
			line += '|externalId=' + x(event.externalId)
				+ ' rt=' + t + ' start=' + t + ' end=' + t
				+ ' msg=' + x(event.msg)
				+ ' suser=' + x(event.suser)
				+ ' destinationServiceName=' + x(event.destinationServiceName)
				+ ' dvc=' + x(event.dvc)
				+ ' requestClientApplication=' + x(event.requestClientApplication)
				+ ' cs1Label=portalURL cs1=' + link(event.cs1)
				+ ' cs2Label=uniqueServiceAppIds cs2=' + x(event.cs2)
				+ ' cs3Label=targetObjects cs3=' + x(event.cs3)
				+ ' cs4Label=policyIDs cs4=' + x(event.cs4)
				+ ' c6a1Label="Device IPv6 Address" c6a1=' + x(event.c6a1);
			return line;
		}

		line += '|externalId=' + ext(event.externalId)
			+ ' start=' + t + ' end=' + t
			+ ' msg=' + ext(event.msg)
			+ ' suser=' + ext(event.suser)
			+ ' destinationServiceName=' + ext(event.destinationServiceName)
			+ ' cn1Label=riskScore cn1=' + ext(event.cn1)
			+ ' cs1Label=portalURL cs1=' + ext(event.cs1)
			+ ' cs2Label=uniqueServiceAppIds cs2=' + ext(event.cs2)
			+ ' cs3Label=relatedAudits cs3=' + ext(event.cs3)
			+ ' cs4Label=policyIDs cs4=' + ext(event.cs4);
		if (event.src !== '') {
			line += ' src=' + ext(event.src);
		}

		if (event.c6a1 !== '') {
			line += ' c6a1Label="Device IPv6 Address" c6a1=' + ext(event.c6a1);
		}

		return line;
	};
}

export interface CefRecordFormatterOptions extends CefFormatterOptions, NormalizeContext {
	dataType: DataType;
}

/** A formatted record, with the event it came from (its `problems` are for the engine's log). */
export interface FormattedRecord {
	message: string;
	event: NormalizedEvent;
}

/** Normalize and format in one step, for one data type. */
export function createCefRecordFormatter(options: CefRecordFormatterOptions): (record: ApiRecord) => FormattedRecord {
	const format = createCefFormatter(options);
	const {dataType} = options;
	const ctx: NormalizeContext = {portalUrl: options.portalUrl};
	return record => {
		const event = normalizeRecord(dataType, record, ctx);
		return {message: format(event), event};
	};
}

/** CEF severity as text: an integer 0–10 (out-of-range values are clamped, NaN is 0). */
function severityText(severity: number): string {
	return severityTexts[severity] ?? (severity > 10 ? '10' : (severity > 0 ? String(Math.trunc(severity)) : '0'));
}
