/**
 * The normalized event: the CEF-level values of one alert or activity, shared by every output
 * format (CEF, LEEF, JSON). Absent values are '' so formatters can write empty-but-present fields.
 */

export type EventKind = 'activity' | 'alert';

/** An alert's `severityValue` (SPEC §2: 0 low, 1 medium, 2 high, 3 informational). */
export type AlertSeverity = 'low' | 'medium' | 'high' | 'informational';

/** The mapped values of one record. Absent values are '' so formatters can emit empty-but-present fields. */
export interface NormalizedEvent {
	kind: EventKind;
	/** CEF Device Event Class ID: `EVENT_CATEGORY_*` or the alert type. */
	signatureId: string;
	/** CEF Name: activity type as shown in the portal, or the alert title (policy name). */
	name: string;
	/** CEF severity 0–10: 0 for activities, 3 for alerts, as in every sample of the original. */
	severity: number;
	/** Syslog severity 0–7 for the PRI (see `syslogSeverityOf`). */
	syslogSeverity: number;
	/** Alerts: the record's `severityValue` as a word, when valid. */
	alertSeverity?: AlertSeverity;
	/** Record `_id`. */
	externalId: string;
	/** Event time, epoch ms (`timestamp`; activities fall back to `created`). */
	time: number | undefined;
	msg: string;
	suser: string;
	destinationServiceName: string;
	/** Activities: client IPv4. */
	dvc: string;
	/** Activities: user agent. */
	requestClientApplication: string;
	/** Alerts: first IPv4 `ip` entity. */
	src: string;
	/** IPv6: the activity's client IP, or the alert's first IPv6 `ip` entity. */
	c6a1: string;
	/** portalURL: link to the activity or alert. */
	cs1: string;
	/** uniqueServiceAppIds: `APPID_*`, comma-joined. */
	cs2: string;
	/** targetObjects (activities) or relatedAudits (alerts), comma-joined. */
	cs3: string;
	/** policyIDs, comma-joined. */
	cs4: string;
	/** riskScore (alerts' `threatScore`) as text, or ''. */
	cn1: string;
	/** Missing or mistyped fields, e.g. `timestamp missing`; empty when the record was clean. */
	problems: string[];
}

/**
 * Signature id of alerts whose record has no `alertType` string. Alert records as documented
 * carry no alert type; every sample of the original shows this value.
 */
export const defaultAlertType = 'ALERT_CABINET_EVENT_MATCH_AUDIT';

/** Signature id of activities without an `eventTypeName`. */
export const unspecifiedEventCategory = 'EVENT_CATEGORY_UNSPECIFIED';

/** `severityValue` → word, by index. */
export const alertSeverities: readonly AlertSeverity[] = ['low', 'medium', 'high', 'informational'];

/**
 * Syslog severity for the PRI: activities are 6 (informational); alerts follow their own
 * severity — high 3 (error), medium 4 (warning), low 5 (notice), informational 6 — and
 * 4 (warning) when unknown, so a `*.warning` rule on the collector still catches them.
 */
export function syslogSeverityOf(kind: EventKind, alertSeverity?: AlertSeverity): number {
	if (kind === 'activity') {
		return 6;
	}

	switch (alertSeverity) {
		case 'high': {
			return 3;
		}

		case 'low': {
			return 5;
		}

		case 'informational': {
			return 6;
		}

		default: {
			return 4;
		}
	}
}

/** An event with every value empty, for the normalizers to fill in. */
export function createEmptyEvent(kind: EventKind): NormalizedEvent {
	return {
		kind,
		signatureId: kind === 'alert' ? defaultAlertType : unspecifiedEventCategory,
		name: '',
		severity: kind === 'alert' ? 3 : 0,
		syslogSeverity: syslogSeverityOf(kind),
		// Present (if undefined) on every event so all events share one object shape.
		alertSeverity: undefined,
		externalId: '',
		time: undefined,
		msg: '',
		suser: '',
		destinationServiceName: '',
		dvc: '',
		requestClientApplication: '',
		src: '',
		c6a1: '',
		cs1: '',
		cs2: '',
		cs3: '',
		cs4: '',
		cn1: '',
		problems: [],
	};
}
