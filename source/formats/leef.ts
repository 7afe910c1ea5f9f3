/**
 * NormalizedEvent → one LEEF 2.0 syslog message for IBM QRadar:
 * `[<PRI>]<time> [<system name> ]LEEF:2.0|Microsoft|Defender for Cloud Apps|<version>|<event id>|<delimiter>|<attributes>`.
 * QRadar's predefined keys where one fits (`devTime`, `cat`, `sev`, `usrName`, `src`, `policy`,
 * `resource`), clear custom keys for the rest; empty values are left out. docs/formats.md has
 * the table. Pure: no clock (unless passed in), no host name lookup, no I/O.
 */
import type {ApiRecord, DataType} from '../cloud/types.ts';
import type {FormattedRecord} from './cef.ts';
import {escapeLeefHeader, escapeLeefValue, parseLeefDelimiter} from './leef-escape.ts';
import {normalizeRecord, type AlertSeverity, type NormalizeContext, type NormalizedEvent} from './normalize.ts';
import {createSyslogHeader, formatSyslogTime, type SyslogHeaderOptions} from './syslog-header.ts';

export interface LeefFormatterOptions extends SyslogHeaderOptions {
	/** Product version in the LEEF header, e.g. `0.1.0` (escaped like any header field). */
	agentVersion: string;
	/**
	 * Attribute delimiter: tab, or one printable ASCII character such as `^` (see
	 * `parseLeefDelimiter`). Always named in the header's delimiter field (`x09` for tab).
	 * @default '\t'
	 */
	delimiter?: string;
	/**
	 * Clock for the syslog time of an event that has no time of its own (its `devTime` is then
	 * left out). The engine passes `Date.now`. @default () => 0
	 */
	now?: () => number;
}

/** Formats one event as a syslog message without framing (no trailing newline). */
export type LeefFormatter = (event: NormalizedEvent) => string;

/** The `devTimeFormat` we write: numeric (no month names, so no locale), UTC, milliseconds. */
export const leefDevTimeFormat = 'yyyy-MM-dd HH:mm:ss.SSS Z';

/** Last epoch ms with a four-digit year (the syslog header clamps to the same range). */
const maxTime = 253_402_300_799_999;

/**
 * LEEF `sev` (1–10) of an event: activities 1; alerts by their severity — informational 2,
 * low 3, medium 6, high 9, unknown 5.
 */
export function leefSeverity(kind: NormalizedEvent['kind'], alertSeverity?: AlertSeverity): number {
	if (kind === 'activity') {
		return 1;
	}

	switch (alertSeverity) {
		case 'informational': {
			return 2;
		}

		case 'low': {
			return 3;
		}

		case 'medium': {
			return 6;
		}

		case 'high': {
			return 9;
		}

		default: {
			return 5;
		}
	}
}

/**
 * `devTime` for an epoch-ms time, in `leefDevTimeFormat` (e.g. `2017-01-02 16:38:38.383 +0000`);
 * clamped to years 1970–9999 like the syslog header.
 */
export function formatLeefDevTime(ms: number): string {
	const iso = formatSyslogTime(ms, 'rfc5424');
	return iso.slice(0, 10) + ' ' + iso.slice(11, 23) + ' +0000';
}

/**
 * Create the LEEF formatter. Throws AgentError CONFIG_ERROR for an invalid delimiter or header
 * option; formatting itself never throws.
 */
export function createLeefFormatter(options: LeefFormatterOptions): LeefFormatter {
	const header = createSyslogHeader(options);
	const now = options.now ?? (() => 0);
	const delimiter = parseLeefDelimiter(options.delimiter);
	const d = delimiter.char;
	const code = d.charCodeAt(0);
	const prefix = 'LEEF:2.0|Microsoft|Defender for Cloud Apps|' + escapeLeefHeader(String(options.agentVersion)) + '|';
	const headerEnd = '|' + delimiter.field + '|';
	const timeFormat = d + 'devTimeFormat=' + leefDevTimeFormat;
	const sevs = new Map<string, string>();
	const sevText = (event: NormalizedEvent): string => {
		const key = event.kind + (event.alertSeverity ?? '');
		let text = sevs.get(key);
		if (text === undefined) {
			text = 'sev=' + String(leefSeverity(event.kind, event.alertSeverity));
			sevs.set(key, text);
		}

		return text;
	};

	// One attribute with its leading delimiter, or nothing when the written value is empty.
	const attr = (key: string, value: string): string => {
		if (value === '') {
			return '';
		}

		const text = escapeLeefValue(value, code);
		return text === '' ? '' : d + key + '=' + text;
	};

	// Consecutive events usually share the second: format the date once, add the milliseconds.
	let cachedSecond = Number.NaN;
	let cachedDate = '';
	return event => {
		const {time} = event;
		// The first attribute has no delimiter in front: devTime when known, else sev.
		let attributes = sevText(event);
		if (time !== undefined) {
			if (time >= 0 && time <= maxTime) {
				const second = Math.floor(time / 1000);
				if (second !== cachedSecond) {
					cachedSecond = second;
					cachedDate = 'devTime=' + formatLeefDevTime(time).slice(0, 19);
				}

				attributes = cachedDate + millisText(time - (second * 1000)) + timeFormat + d + attributes;
			} else {
				attributes = 'devTime=' + formatLeefDevTime(time) + timeFormat + d + attributes;
			}
		}

		const ipv4 = event.kind === 'activity' ? event.dvc : event.src;
		attributes += attr('cat', event.name);
		if (event.kind === 'alert' && event.alertSeverity !== undefined) {
			attributes += d + 'alertSeverity=' + event.alertSeverity;
		}

		attributes += attr('usrName', event.suser)
			// QRadar's src takes IPv4 or IPv6: the IPv4 when there is one, else the IPv6.
			+ attr('src', ipv4 === '' ? event.c6a1 : ipv4)
			+ (ipv4 === '' ? '' : attr('srcIPv6', event.c6a1))
			+ attr('externalId', event.externalId)
			+ attr('description', event.msg)
			+ attr('app', event.destinationServiceName);
		attributes += event.kind === 'activity'
			? attr('userAgent', event.requestClientApplication) + attr('resource', event.cs3)
			: attr('relatedAudits', event.cs3);
		attributes += attr('policy', event.cs4)
			+ attr('uniqueServiceAppIds', event.cs2)
			+ (event.kind === 'alert' ? attr('riskScore', event.cn1) : '')
			+ attr('portalURL', event.cs1);
		return header(time ?? now(), event.syslogSeverity)
			+ prefix + escapeLeefHeader(event.signatureId) + headerEnd
			+ attributes;
	};
}

/** `.mmm +0000` for the milliseconds within a second (fractions truncated). */
function millisText(millis: number): string {
	const m = Math.trunc(millis);
	return (m < 10 ? '.00' : (m < 100 ? '.0' : '.')) + String(m) + ' +0000';
}

export interface LeefRecordFormatterOptions extends LeefFormatterOptions, NormalizeContext {
	dataType: DataType;
}

/** Normalize and format in one step, for one data type. */
export function createLeefRecordFormatter(options: LeefRecordFormatterOptions): (record: ApiRecord) => FormattedRecord {
	const format = createLeefFormatter(options);
	const {dataType} = options;
	const ctx: NormalizeContext = {portalUrl: options.portalUrl};
	return record => {
		const event = normalizeRecord(dataType, record, ctx);
		return {message: format(event), event};
	};
}
