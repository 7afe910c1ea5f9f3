/**
 * API record → one RFC 5424 syslog message whose MSG is a single JSON object, for Splunk,
 * Elastic and Microsoft Sentinel collectors:
 * `<PRI>1 <TIMESTAMP> <HOSTNAME> siem-agent - <MSGID> - {"type":…,"event":{…},"record":{…}}`.
 *
 * `record` is the API record exactly as the service sent it (what existing Defender for Cloud
 * Apps parsers expect); `event` holds the normalized values that CEF and LEEF carry, under
 * their CEF key names (custom fields under their CEF label: `portalURL`, `policyIDs`, …), so
 * alerts and activities share one flat schema. Nothing is dropped: JSON escapes every control
 * character, and we also escape DEL, C1 controls, U+2028 and U+2029 (`\u2028`), so the message
 * is one line of printable text whatever the record holds. Pure: no clock (unless passed in),
 * no host name lookup, no I/O.
 */
import type {ApiRecord, DataType} from '../cloud/types.ts';
import {AgentError} from '../errors.ts';
import type {FormattedRecord} from './cef.ts';
import {normalizeRecord, type NormalizeContext, type NormalizedEvent} from './normalize.ts';
import {note} from './record-fields.ts';
import {defaultFacility, formatSyslogTime, sanitizeSystemName, syslogPri} from './syslog-header.ts';

export interface JsonFormatterOptions {
	/** Syslog facility 0–23 for the PRI. @default 16 (local0) */
	facility?: number;
	/** Write the system name as HOSTNAME; otherwise HOSTNAME is `-` (RFC 5424's nil value). @default false */
	includeSystemName?: boolean;
	/** The host name to write (printable ASCII, at most 255 characters; see `sanitizeSystemName`). @default '' */
	systemName?: string;
	/** Clock for the TIMESTAMP of an event that has no time of its own. @default () => 0 */
	now?: () => number;
}

/** Formats one event and its API record as a syslog message without framing. */
export type JsonFormatter = (event: NormalizedEvent, record: unknown) => string;

/** RFC 5424 APP-NAME. */
export const jsonAppName = 'siem-agent';

/** Characters JSON.stringify leaves raw that some receivers treat as line breaks or strip. */
const unsafePattern = /[\u007F-\u009F\u2028\u2029]/;
const unsafeGlobal = /[\u007F-\u009F\u2028\u2029]/g;

/** Escape DEL, C1 controls, U+2028 and U+2029 in JSON text as `\uXXXX` (still valid JSON). */
export function escapeJsonText(json: string): string {
	if (!unsafePattern.test(json)) {
		return json;
	}

	return json.replaceAll(unsafeGlobal, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The `event` object of the JSON message: the normalized values under their CEF key names. */
export function jsonEventOf(event: NormalizedEvent): Record<string, string | number | null> {
	const rt = event.time ?? null;
	if (event.kind === 'activity') {
		return {
			signatureId: event.signatureId,
			name: event.name,
			severity: event.severity,
			externalId: event.externalId,
			rt,
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

	return {
		signatureId: event.signatureId,
		name: event.name,
		severity: event.severity,
		alertSeverity: event.alertSeverity ?? null,
		externalId: event.externalId,
		rt,
		msg: event.msg,
		suser: event.suser,
		destinationServiceName: event.destinationServiceName,
		src: event.src,
		deviceIPv6Address: event.c6a1,
		riskScore: event.cn1 === '' ? null : Number(event.cn1),
		portalURL: event.cs1,
		uniqueServiceAppIds: event.cs2,
		relatedAudits: event.cs3,
		policyIDs: event.cs4,
	};
}

/**
 * Create the JSON formatter. Throws AgentError CONFIG_ERROR for a facility outside 0–23;
 * formatting itself never throws (a record JSON cannot encode is written as `null` and noted
 * in the event's `problems`).
 *
 * RFC 5424 fixes the header, so the CEF settings `timeFormat` and `includePri` do not apply:
 * the PRI is always written and the time is always RFC 3339 UTC with milliseconds.
 */
export function createJsonFormatter(options: JsonFormatterOptions = {}): JsonFormatter {
	const facility = options.facility ?? defaultFacility;
	if (!Number.isInteger(facility) || facility < 0 || facility > 23) {
		throw new AgentError('CONFIG_ERROR', 'Syslog facility must be an integer from 0 to 23, got ' + String(facility) + '.');
	}

	const now = options.now ?? (() => 0);
	const pris: string[] = [];
	for (let severity = 0; severity < 8; severity++) {
		pris.push(syslogPri(facility, severity) + '1 ');
	}

	const host = options.includeSystemName ? sanitizeSystemName(options.systemName ?? '').slice(0, 255) : '-';
	const middle = {
		activity: ' ' + host + ' ' + jsonAppName + ' - activity - {"type":"activity","event":',
		alert: ' ' + host + ' ' + jsonAppName + ' - alert - {"type":"alert","event":',
	};
	let cachedMs = Number.NaN;
	let cachedTime = '';
	return (event, record) => {
		const time = event.time ?? now();
		if (time !== cachedMs) {
			cachedMs = time;
			cachedTime = formatSyslogTime(time, 'rfc5424');
		}

		const pri = pris[event.syslogSeverity] ?? pris[event.kind === 'alert' ? 4 : 6];
		return pri + cachedTime + middle[event.kind]
			+ escapeJsonText(JSON.stringify(jsonEventOf(event)))
			+ ',"record":' + recordJson(record, event.problems) + '}';
	};
}

function recordJson(record: unknown, problems: string[]): string {
	try {
		return escapeJsonText(JSON.stringify(record) ?? 'null');
	} catch {
		// Only records not parsed from JSON (cycles, BigInt) get here.
		note(problems, 'record cannot be written as JSON');
		return 'null';
	}
}

export interface JsonRecordFormatterOptions extends JsonFormatterOptions, NormalizeContext {
	dataType: DataType;
}

/** Normalize and format in one step, for one data type. */
export function createJsonRecordFormatter(options: JsonRecordFormatterOptions): (record: ApiRecord) => FormattedRecord {
	const format = createJsonFormatter(options);
	const {dataType} = options;
	const ctx: NormalizeContext = {portalUrl: options.portalUrl};
	return record => {
		const event = normalizeRecord(dataType, record, ctx);
		return {message: format(event, record), event};
	};
}
