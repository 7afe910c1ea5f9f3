/**
 * What each format must carry for a normalized event, written independently of the formatters
 * from docs/formats.md: the documented text transformations and each format's field list. The
 * injection fuzz test and the integration tests compare what the strict parsers read back with
 * these.
 */
import type {NormalizedEvent} from '../../source/formats/normalize.ts';
import {formatSyslogTime, type TimeFormat} from '../../source/formats/syslog-header.ts';

/** Controls every format drops (outside JSON): C0 except tab/LF/CR, DEL, C1. */
const dropped = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** CEF and LEEF header fields: line breaks, tab, U+2028/9 → space; other controls dropped; lone surrogates → U+FFFD. */
export function headerText(text: string): string {
	return text.toWellFormed().replaceAll(/[\r\n\t\u2028\u2029]/g, ' ').replaceAll(dropped, '');
}

/** CEF extension values: tab, U+2028/9 → space; CR/LF kept (escaped on the wire); other controls dropped. */
export function cefValueText(text: string): string {
	return text.toWellFormed().replaceAll(/[\t\u2028\u2029]/g, ' ').replaceAll(dropped, '');
}

/** LEEF attribute values: the delimiter, CR, LF, tab, U+2028/9 → space; other controls dropped. */
export function leefValueText(text: string, delimiter: string): string {
	return text.toWellFormed().replaceAll(delimiter, ' ').replaceAll(/[\r\n\t\u2028\u2029]/g, ' ').replaceAll(dropped, '');
}

/** The syslog part before `CEF:`/`LEEF:` (syslog-header.ts options). */
export function expectedSyslogPrefix(event: NormalizedEvent, options: {timeFormat: TimeFormat; includePri: boolean; includeSystemName: boolean; systemName: string; now: number}): string {
	const pri = options.includePri ? '<' + String(128 + event.syslogSeverity) + '>' : '';
	const host = options.includeSystemName ? ' ' + (options.systemName.replaceAll(/[^\u0021-\u007B\u007D\u007E]/g, '_') || '-') : '';
	return pri + formatSyslogTime(event.time ?? options.now, options.timeFormat) + host + ' ';
}

/** The CEF extension, in order (SPEC §3 and Microsoft's samples). */
export function expectedCefExtension(event: NormalizedEvent): Array<[string, string]> {
	const t = event.time === undefined ? '' : String(event.time);
	const v = cefValueText;
	if (event.kind === 'activity') {
		return [
			['externalId', v(event.externalId)], ['rt', t], ['start', t], ['end', t], ['msg', v(event.msg)],
			['suser', v(event.suser)], ['destinationServiceName', v(event.destinationServiceName)], ['dvc', v(event.dvc)],
			['requestClientApplication', v(event.requestClientApplication)], ['cs1Label', 'portalURL'], ['cs1', v(event.cs1)],
			['cs2Label', 'uniqueServiceAppIds'], ['cs2', v(event.cs2)], ['cs3Label', 'targetObjects'], ['cs3', v(event.cs3)],
			['cs4Label', 'policyIDs'], ['cs4', v(event.cs4)], ['c6a1Label', '"Device IPv6 Address"'], ['c6a1', v(event.c6a1)],
		];
	}

	const fields: Array<[string, string]> = [
		['externalId', v(event.externalId)], ['start', t], ['end', t], ['msg', v(event.msg)], ['suser', v(event.suser)],
		['destinationServiceName', v(event.destinationServiceName)], ['cn1Label', 'riskScore'], ['cn1', v(event.cn1)],
		['cs1Label', 'portalURL'], ['cs1', v(event.cs1)], ['cs2Label', 'uniqueServiceAppIds'], ['cs2', v(event.cs2)],
		['cs3Label', 'relatedAudits'], ['cs3', v(event.cs3)], ['cs4Label', 'policyIDs'], ['cs4', v(event.cs4)],
	];
	if (event.src !== '') {
		fields.push(['src', v(event.src)]);
	}

	if (event.c6a1 !== '') {
		fields.push(['c6a1Label', '"Device IPv6 Address"'], ['c6a1', v(event.c6a1)]);
	}

	return fields;
}

const leefSev: Record<string, number> = {activity: 1, informational: 2, low: 3, medium: 6, high: 9, unknown: 5};

/** `devTime` as docs/formats.md gives it: `yyyy-MM-dd HH:mm:ss.SSS Z` in UTC, years 1970–9999. */
export function expectedDevTime(ms: number): string {
	const clamped = Math.min(Math.max(ms, 0), 253_402_300_799_999);
	const iso = new Date(clamped).toISOString();
	return iso.slice(0, 10) + ' ' + iso.slice(11, 23) + ' +0000';
}

/** The LEEF attributes, in order; attributes whose written value is empty are absent. */
export function expectedLeefAttributes(event: NormalizedEvent, delimiter: string): Array<[string, string]> {
	const out: Array<[string, string]> = [];
	const add = (key: string, raw: string) => {
		const value = leefValueText(raw, delimiter);
		if (value !== '') {
			out.push([key, value]);
		}
	};

	if (event.time !== undefined) {
		out.push(['devTime', expectedDevTime(event.time)], ['devTimeFormat', 'yyyy-MM-dd HH:mm:ss.SSS Z']);
	}

	const alert = event.kind === 'alert';
	out.push(['sev', String(leefSev[alert ? (event.alertSeverity ?? 'unknown') : 'activity'])]);
	add('cat', event.name);
	if (alert && event.alertSeverity !== undefined) {
		out.push(['alertSeverity', event.alertSeverity]);
	}

	const ipv4 = alert ? event.src : event.dvc;
	add('usrName', event.suser);
	add('src', ipv4 === '' ? event.c6a1 : ipv4);
	if (ipv4 !== '') {
		add('srcIPv6', event.c6a1);
	}

	add('externalId', event.externalId);
	add('description', event.msg);
	add('app', event.destinationServiceName);
	if (alert) {
		add('relatedAudits', event.cs3);
	} else {
		add('userAgent', event.requestClientApplication);
		add('resource', event.cs3);
	}

	add('policy', event.cs4);
	add('uniqueServiceAppIds', event.cs2);
	if (alert) {
		add('riskScore', event.cn1);
	}

	add('portalURL', event.cs1);
	return out;
}

/** The `event` object of the JSON format (values exactly as normalized). */
export function expectedJsonEvent(event: NormalizedEvent): Record<string, unknown> {
	const common = {
		signatureId: event.signatureId,
		name: event.name,
		severity: event.severity,
	};
	if (event.kind === 'activity') {
		return {
			...common,
			externalId: event.externalId,
			rt: event.time ?? null,
			msg: event.msg,
			suser: event.suser,
			destinationServiceName: event.destinationServiceName,
			dvc: event.dvc,
			requestClientApplication: event.requestClientApplication,
			deviceIPv6Address: event.c6a1,
			portalURL: event.cs1,
			uniqueServiceAppIds: event.cs2,
			targetObjects: event.cs3,
			policyIDs: event.cs4,
		};
	}

	const score = Number(event.cn1);
	return {
		...common,
		alertSeverity: event.alertSeverity ?? null,
		externalId: event.externalId,
		rt: event.time ?? null,
		msg: event.msg,
		suser: event.suser,
		destinationServiceName: event.destinationServiceName,
		src: event.src,
		deviceIPv6Address: event.c6a1,
		// JSON has no NaN, Infinity or -0.
		riskScore: event.cn1 === '' || !Number.isFinite(score) ? null : score + 0,
		portalURL: event.cs1,
		uniqueServiceAppIds: event.cs2,
		relatedAudits: event.cs3,
		policyIDs: event.cs4,
	};
}
