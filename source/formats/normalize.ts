/**
 * API record → NormalizedEvent (SPEC §3 mapping tables). Never throws: fields that are missing
 * or mistyped are mapped as far as possible and listed in `problems`.
 */
import type {DataType} from '../cloud/types.ts';
import {appIdToken} from './app-ids.ts';
import {alertSeverities, createEmptyEvent, defaultAlertType, syslogSeverityOf, unspecifiedEventCategory, type NormalizedEvent} from './event.ts';
import {idText, ipFamily, isObject, joinIds, joinNames, kindOf, note, readInteger, readNumber, readObject, readString, readTime} from './record-fields.ts';

export {alertSeverities, defaultAlertType, syslogSeverityOf, unspecifiedEventCategory} from './event.ts';
export type {AlertSeverity, EventKind, NormalizedEvent} from './event.ts';

/** Where the portal lives, for `cs1` links. */
export interface NormalizeContext {
	/** Tenant portal URL, e.g. `https://contoso.portal.cloudappsecurity.com` (a trailing `/` is ignored). */
	portalUrl: string;
}

/** Map an activity record (SPEC §3, "activity record" column). */
export function normalizeActivity(record: unknown, ctx: NormalizeContext): NormalizedEvent {
	const event = createEmptyEvent('activity');
	try {
		mapActivity(asRecord(record, event.problems), ctx, event);
	} catch (error) {
		// Only exotic inputs (getters, proxies) get here; keep what was mapped so far.
		note(event.problems, 'unreadable record: ' + errorText(error));
	}

	return event;
}

/** Map an alert record (SPEC §3, "alert record" column). */
export function normalizeAlert(record: unknown, ctx: NormalizeContext): NormalizedEvent {
	const event = createEmptyEvent('alert');
	try {
		mapAlert(asRecord(record, event.problems), ctx, event);
	} catch (error) {
		note(event.problems, 'unreadable record: ' + errorText(error));
	}

	return event;
}

/** Dispatch on the data type: `alerts` → normalizeAlert, `activities` → normalizeActivity. */
export function normalizeRecord(dataType: DataType, record: unknown, ctx: NormalizeContext): NormalizedEvent {
	return dataType === 'alerts' ? normalizeAlert(record, ctx) : normalizeActivity(record, ctx);
}

function mapActivity(r: Record<string, unknown>, ctx: NormalizeContext, event: NormalizedEvent): void {
	const {problems} = event;
	const id = readString(r._id, '_id', problems, true);
	event.externalId = id;
	event.time = readTime(r.timestamp, 'timestamp', problems, true);
	if (event.time === undefined && r.created !== undefined) {
		event.time = readTime(r.created, 'created', problems);
	}

	event.signatureId = readString(r.eventTypeName, 'eventTypeName', problems, true) || unspecifiedEventCategory;
	event.msg = readString(r.description, 'description', problems);
	const mainInfo = readObject(r.mainInfo, 'mainInfo', problems);
	event.name = readString(mainInfo?.prettyOperationName, 'mainInfo.prettyOperationName', problems) || operationOf(event.msg);
	event.suser = readString(readObject(r.user, 'user', problems)?.userName, 'user.userName', problems);
	event.destinationServiceName = readString(r.appName, 'appName', problems);
	const device = readObject(r.device, 'device', problems);
	const ip = readString(device?.clientIP, 'device.clientIP', problems).trim();
	const family = ipFamily(ip);
	if (family === 4) {
		event.dvc = ip;
	} else if (family === 6) {
		event.c6a1 = ip;
	} else if (ip !== '') {
		note(problems, 'device.clientIP is not an IP address');
	}

	event.requestClientApplication = readString(device?.userAgent, 'device.userAgent', problems);
	if (id !== '') {
		event.cs1 = trimSlash(ctx.portalUrl) + '/#/audits?activity.id=eq(' + id + ',)';
	}

	const appId = readInteger(r.appId, 'appId', problems);
	event.cs2 = appId === undefined ? '' : appIdToken(appId);
	event.cs3 = joinNames(mainInfo?.eventObjects, 'mainInfo.eventObjects', problems);
	// Not in the documented record: matched policies, when the service includes them.
	event.cs4 = joinIds(r.policies, 'policies', problems);
}

function mapAlert(r: Record<string, unknown>, ctx: NormalizeContext, event: NormalizedEvent): void {
	const {problems} = event;
	const id = readString(r._id, '_id', problems, true);
	event.externalId = id;
	event.time = readTime(r.timestamp, 'timestamp', problems, true);
	event.signatureId = readString(r.alertType, 'alertType', problems) || defaultAlertType;
	event.name = readString(r.title, 'title', problems, true);
	event.msg = readString(r.description, 'description', problems);
	mapEntities(r.entities, event);
	event.cs1 = readString(r.URL, 'URL', problems) || (id === '' ? '' : trimSlash(ctx.portalUrl) + '/#/alerts/' + id);
	event.cs3 = joinIds(r.audits, 'audits', problems);
	const score = readNumber(r.threatScore, 'threatScore', problems);
	event.cn1 = score === undefined ? '' : String(score);
	const severity = readInteger(r.severityValue, 'severityValue', problems);
	if (severity !== undefined) {
		event.alertSeverity = alertSeverities[severity];
		if (event.alertSeverity === undefined) {
			note(problems, 'severityValue out of range');
		}
	}

	event.syslogSeverity = syslogSeverityOf('alert', event.alertSeverity);
}

/** suser, destinationServiceName, src/c6a1, cs2 and cs4 from the typed `entities[]`. */
function mapEntities(value: unknown, event: NormalizedEvent): void {
	const {problems} = event;
	if (value === undefined || value === null) {
		return;
	}

	if (!Array.isArray(value)) {
		note(problems, 'entities is ' + kindOf(value) + ', expected array');
		return;
	}

	let fallbackUser = '';
	const appTokens = new Set<string>();
	const policyIds = new Set<string>();
	for (let i = 0; i < value.length; i++) {
		const entity: unknown = value[i];
		if (!isObject(entity)) {
			note(problems, 'entities[' + i + '] is ' + kindOf(entity) + ', expected object');
			continue;
		}

		const path = 'entities[' + i + ']';
		switch (entity.type) {
			case 'account': {
				if (event.suser === '') {
					event.suser = readString(entity.pa, path + '.pa', problems) || readString(entity.em, path + '.em', problems);
				}

				break;
			}

			case 'user': {
				if (fallbackUser === '') {
					fallbackUser = idText(entity.id, path + '.id', problems);
				}

				break;
			}

			case 'service': {
				const appId = readInteger(entity.id, path + '.id', problems);
				if (appId !== undefined) {
					appTokens.add(appIdToken(appId));
				}

				if (event.destinationServiceName === '') {
					event.destinationServiceName = readString(entity.label, path + '.label', problems);
				}

				break;
			}

			case 'policyRule': {
				const policyId = idText(entity.id, path + '.id', problems);
				if (policyId !== '') {
					policyIds.add(policyId);
				}

				break;
			}

			case 'ip': {
				const ip = (idText(entity.id, path + '.id', problems) || readString(entity.label, path + '.label', problems)).trim();
				const family = ipFamily(ip);
				if (family === 4) {
					if (event.src === '') {
						event.src = ip;
					}
				} else if (family === 6) {
					if (event.c6a1 === '') {
						event.c6a1 = ip;
					}
				} else if (ip !== '') {
					note(problems, path + ' is not an IP address');
				}

				break;
			}

			default: {
				break;
			}
		}
	}

	if (event.suser === '') {
		event.suser = fallbackUser;
	}

	event.cs2 = [...appTokens].join(',');
	event.cs4 = [...policyIds].join(',');
}

function asRecord(record: unknown, problems: string[]): Record<string, unknown> {
	if (isObject(record)) {
		return record;
	}

	note(problems, 'record is ' + kindOf(record) + ', expected object');
	return {};
}

/** The activity type from a portal description such as `View report: ServiceNow Report 23`. */
function operationOf(description: string): string {
	const colon = description.indexOf(':');
	return (colon === -1 ? description : description.slice(0, colon)).trim();
}

function trimSlash(url: string): string {
	return url.endsWith('/') ? url.slice(0, -1) : url;
}

function errorText(error: unknown): string {
	try {
		return error instanceof Error ? String(error.message) : kindOf(error);
	} catch {
		return 'unknown error';
	}
}
