/**
 * Simulated alerts, derived on demand from (seed, i) like activities. Each alert points at
 * activities that exist (`audits`), stored before the alert was raised.
 */

import type {ActivityModel} from './activities.ts';
import {alertKinds, apps, fileNames, hostileStrings, places, policyNames, users} from './catalog.ts';
import type {Dataset, FieldSpec} from './dataset.ts';
import {below, hex, unit, weighted} from './random.ts';
import type {Timeline} from './timeline.ts';

export interface AlertModelOptions {
	seed: number;
	timeline: Timeline;
	activities: ActivityModel;
	/** Base of the `URL` field, e.g. `https://contoso.portal.cloudappsecurity.com`. */
	portalUrl: string;
	hostileFraction: number;
}

export interface AlertModel extends Dataset {
	id(i: number): string;
}

const salt = {kind: 31, app: 32, user: 33, policy: 34, hasPolicy: 35, severity: 36, resolution: 37, status: 38, score: 39, ip: 40, ipKind: 41, place: 42, audits: 43, auditOffset: 44, id: 45, detail: 46, hostile: 47, hostileWhich: 48, policyId: 49} as const;

const pickKind = weighted(alertKinds.map(kind => kind.weight));
const pickApp = weighted(apps.map(app => app.weight));
// 0 low, 1 medium, 2 high, 3 informational (SPEC §2).
const pickSeverity = weighted([40, 35, 20, 5]);
// 0 open, 1 dismissed, 2 resolved.
const pickResolution = weighted([60, 15, 25]);
const policyTypes = {activity: 'AUDIT', file: 'FILE', session: 'SESSION'} as const;
// A policy keeps one id for the whole tenant: derive it from its place in this list, not from the alert.
const policyNumber = new Map(Object.values(policyNames).flat().map((name, n) => [name, n]));
const q = JSON.stringify;

export function createAlertModel(options: AlertModelOptions): AlertModel {
	const {seed, timeline, activities, portalUrl, hostileFraction} = options;
	const timestamp = timeline.key;
	const base = portalUrl.replace(/\/+$/, '');

	const kind = (i: number) => alertKinds[pickKind(unit(seed, i, salt.kind))];
	const app = (i: number) => apps[pickApp(unit(seed, i, salt.app))];
	const user = (i: number) => users[below(seed, i, salt.user, users.length)];
	const severity = (i: number) => pickSeverity(unit(seed, i, salt.severity));
	const resolution = (i: number) => pickResolution(unit(seed, i, salt.resolution));
	const isHostile = (i: number) => hostileFraction > 0 && unit(seed, i, salt.hostile) < hostileFraction;
	const hostileText = (i: number) => hostileStrings[below(seed, i, salt.hostileWhich, hostileStrings.length)];
	const threatScore = (i: number) => (kind(i).scored ? 10 + below(seed, i, salt.score, 91) : null);

	function policy(i: number): {name: string; id: string; type: string} | undefined {
		const k = kind(i);
		if (!k.policy) {
			return undefined;
		}

		const names = policyNames[k.policy];
		const n = below(seed, i, salt.policy, names.length);
		return {name: names[n], id: hex(seed, policyNumber.get(names[n])!, salt.policyId, 24), type: policyTypes[k.policy]};
	}

	const policyEntity = (i: number) => (unit(seed, i, salt.hasPolicy) < 0.85 ? policy(i) : undefined);

	function title(i: number): string {
		const text = policy(i)?.name ?? kind(i).title ?? kind(i).type;
		return isHostile(i) && unit(seed, i, salt.hostileWhich + 1) < 0.5 ? `${text} ${hostileText(i)}` : text;
	}

	function description(i: number): string {
		const k = kind(i);
		const u = user(i);
		const file = fileNames[below(seed, i, salt.detail, fileNames.length)];
		const n = 5 + below(seed, i, salt.detail + 1, 400);
		let text: string;
		if (k.policy === 'activity') {
			text = `Activity policy ''${policy(i)!.name}'' was triggered by ''${u.upn}''`;
		} else if (k.policy === 'file') {
			text = `File policy ''${policy(i)!.name}'' was matched by ''${file}''`;
		} else if (k.policy === 'session') {
			text = `Session policy ''${policy(i)!.name}'' blocked ''${u.upn}'' from downloading ''${file}''`;
		} else if (k.type === 'ALERT_IMPOSSIBLE_TRAVEL') {
			const from = places[below(seed, i, salt.place, places.length)];
			const to = places[below(seed, i, salt.place + 1, places.length)];
			text = `The user ${u.name} (${u.upn}) performed activities from ${from.city}, ${from.countryCode} and ${to.city}, ${to.countryCode} within ${n % 90} minutes.`;
		} else if (k.type === 'ALERT_MULTIPLE_FAILED_LOGIN') {
			text = `The user ${u.upn} failed to sign in ${n % 40} times to ${app(i).name} in 10 minutes.`;
		} else {
			text = `The user ${u.upn} downloaded ${n} files from ${app(i).name} in 5 minutes.`;
		}

		return isHostile(i) ? `${text} ${hostileText(i)}` : text;
	}

	function id(i: number): string {
		// Shaped like a MongoDB ObjectId, as the real ids are: the first 4 bytes are the time in seconds.
		return Math.floor(timestamp(i) / 1000).toString(16).padStart(8, '0').slice(-8) + hex(seed, i, salt.id, 16);
	}

	function ip(i: number): string | undefined {
		const u = unit(seed, i, salt.ipKind);
		if (u >= 0.6) {
			return undefined;
		}

		const p = places[below(seed, i, salt.place, places.length)];
		const h = hex(seed, i, salt.ip, 8);
		return u < 0.4
			? `${p.ipv4}.${Number.parseInt(h.slice(0, 2), 16)}.${(Number.parseInt(h.slice(2, 4), 16) % 254) + 1}`
			: `${p.ipv6}::${h.slice(4, 8).replace(/^0+(?=.)/, '')}`;
	}

	// Related activities: ones stored shortly before the alert, so they always exist when it does.
	function audits(i: number): string[] {
		const stored = activities.timeline.visibleEnd(timestamp(i));
		const count = 1 + below(seed, i, salt.audits, 3);
		const out: string[] = [];
		for (let k = 0; k < count && stored > 0; k++) {
			const activityId = activities.id(Math.max(0, stored - 1 - below(seed, i, salt.auditOffset + k, 50)));
			if (!out.includes(activityId)) {
				out.push(activityId);
			}
		}

		return out;
	}

	function json(i: number): string {
		const a = app(i);
		const u = user(i);
		const p = policyEntity(i);
		const address = ip(i);
		const alertId = id(i);
		let entities = `{"id":${q(u.upn)},"label":${q(u.name)},"pa":${q(u.upn)},"type":"account","inst":0,"saas":${a.id}}`
			+ `,{"id":${a.id},"label":${q(a.name)},"type":"service"}`;
		if (p) {
			entities += `,{"id":"${p.id}","label":${q(p.name)},"type":"policyRule","policyType":"${p.type}"}`;
		}

		if (address) {
			entities += `,{"id":"${address}","label":"${address}","type":"ip"}`;
		}

		const score = threatScore(i);
		return `{"_id":"${alertId}","timestamp":${timestamp(i)},"title":${q(title(i))},"description":${q(description(i))}`
			+ `,"alertType":"${kind(i).type}","entities":[${entities}]`
			+ `,"severityValue":${severity(i)},"statusValue":${unit(seed, i, salt.status) < 0.5 ? 0 : 1},"resolutionStatusValue":${resolution(i)}`
			+ `,"threatScore":${score ?? 'null'},"isSystemAlert":false,"URL":${q(`${base}/#/alerts/${alertId}`)}`
			+ `,"audits":${q(audits(i))}}`;
	}

	const fields: Record<string, FieldSpec> = {
		date: {type: 'time', value: timestamp, order: 'key'},
		severity: {type: 'number', value: severity},
		alertOpen: {type: 'boolean', value: i => resolution(i) === 0},
		resolutionStatus: {type: 'number', value: resolution},
		'entity.service': {type: 'number', value: i => app(i).id},
		'entity.policy': {type: 'string', value: i => policyEntity(i)?.id ?? null},
		alertType: {type: 'string', value: i => kind(i).type},
		risk: {type: 'number', value: threatScore},
		text: {type: 'string', value: i => `${title(i)} ${description(i)}`, ops: ['text', 'contains']},
	};

	return {
		name: 'alerts',
		timeline,
		fields,
		sorts: {date: {kind: 'key'}, severity: {kind: 'any', value: severity}},
		json,
		id,
	};
}
