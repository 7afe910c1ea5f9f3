/**
 * `cs2` (uniqueServiceAppIds) values: the original agent wrote `APPID_<NAME>` for a few
 * well-known Microsoft app ids and `APPID_<id>` for every other app (its samples show
 * APPID_O365, APPID_OUTLOOK, APPID_BOX, APPID_SALESFORCE, APPID_SERVICENOW, APPID_O365_PORTAL
 * next to APPID_33626 for Google). Only names seen in those samples are listed: guessing a
 * name the original never wrote would break SIEM rules that match on `APPID_<id>`.
 */

/** Defender for Cloud Apps app id → the name used in `APPID_<NAME>`. */
export const wellKnownAppIds: ReadonlyMap<number, string> = new Map([
	[10_489, 'BOX'],
	[11_114, 'SALESFORCE'],
	[11_161, 'O365'],
	[14_509, 'SERVICENOW'],
	[20_893, 'OUTLOOK'],
	[28_375, 'O365_PORTAL'],
]);

/** `APPID_<NAME>` for a well-known app id, else `APPID_<appId>`. */
export function appIdToken(appId: number): string {
	return 'APPID_' + (wellKnownAppIds.get(appId) ?? String(appId));
}
