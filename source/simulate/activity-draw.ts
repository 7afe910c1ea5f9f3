/**
 * The random choices behind activity i, one function per attribute, each a pure function of
 * (seed, i). Filters call only the attributes they test; the JSON writer calls them all.
 */

import {activityKinds, agents, apps, fileNames, hostileStrings, mailSubjects, places, settings, users, type ActivityKind} from './catalog.ts';
import {below, hex, unit, weighted} from './random.ts';
import type {Timeline} from './timeline.ts';

export interface DrawOptions {
	seed: number;
	timeline: Timeline;
	lateArrivalFraction: number;
	hostileFraction: number;
}

const salt = {app: 11, kind: 12, user: 13, ipKind: 14, ip: 15, place: 16, agent: 17, late: 18, delay: 19, source: 20, hostile: 21, hostileWhich: 22, id: 23, object: 24, actors: 25, detail: 26, noUser: 27, home: 28} as const;

const second = 1000;
/** Usual gap between `timestamp` and `created`. */
export const normalDelay = 30 * second;
const lateMin = 3_600_000;
const lateSpread = 5 * 3_600_000;
/** Largest gap between `timestamp` and `created` of a late arrival (plus rounding to the second). */
export const lateDelay = lateMin + lateSpread;
const pickApp = weighted(apps.map(app => app.weight));
const pickIpKind = weighted([60, 25, 15]);

export type ActivityDraw = ReturnType<typeof createActivityDraw>;

export function createActivityDraw(options: DrawOptions) {
	const {seed, timeline, lateArrivalFraction, hostileFraction} = options;
	const created = timeline.key;
	const isLate = (i: number) => lateArrivalFraction > 0 && unit(seed, i, salt.late) < lateArrivalFraction;
	const isHostile = (i: number) => hostileFraction > 0 && unit(seed, i, salt.hostile) < hostileFraction;
	const appIndex = (i: number) => pickApp(unit(seed, i, salt.app));
	/** Index into `activityKinds`. */
	const kindIndex = (i: number, app = appIndex(i)) => {
		const kinds = apps[app].kinds;
		return kinds[below(seed, i, salt.kind, kinds.length)];
	};

	/** Index into `users`; -1 for system events without a user. */
	const userIndex = (i: number) => (unit(seed, i, salt.noUser) < 0.02 ? -1 : below(seed, i, salt.user, users.length));
	const hostileText = (i: number, which = 0) => hostileStrings[below(seed, i, salt.hostileWhich + which, hostileStrings.length)];
	const hostileUser = (i: number) => isHostile(i) && unit(seed, i, salt.hostileWhich + 50) < 0.5;

	// Timestamps are whole seconds, as in Microsoft's samples; `created` keeps its milliseconds.
	function timestamp(i: number, createdAt = created(i)): number {
		const u = unit(seed, i, salt.delay);
		const delay = isLate(i) ? lateMin + (u * lateSpread) : u * normalDelay;
		return Math.floor((createdAt - delay) / second) * second;
	}

	function userName(i: number, user = userIndex(i)): string | null {
		if (user < 0) {
			return null;
		}

		return hostileUser(i) ? `${hostileText(i, 100)}@contoso.com` : users[user].upn;
	}

	/** Index into `places`: mostly the user's home, sometimes anywhere. */
	function placeIndex(i: number): number {
		const home = below(seed, i, salt.user, users.length) % places.length;
		return unit(seed, i, salt.home) < 0.8 ? home : below(seed, i, salt.place, places.length);
	}

	function clientIp(i: number): string {
		const kind = pickIpKind(unit(seed, i, salt.ipKind));
		if (kind === 2) {
			return '';
		}

		const p = places[placeIndex(i)];
		const h = hex(seed, i, salt.ip, 12);
		if (kind === 0) {
			return `${p.ipv4}.${Number.parseInt(h.slice(0, 2), 16)}.${(Number.parseInt(h.slice(2, 4), 16) % 254) + 1}`;
		}

		const group = (from: number) => h.slice(from, from + 4).replace(/^0+(?=.)/, '');
		return `${p.ipv6}:${group(0)}:${group(4)}::${group(8)}`;
	}

	const countryCode = (i: number) => (clientIp(i) === '' ? null : places[placeIndex(i)].countryCode);
	const agentIndex = (i: number) => below(seed, i, salt.agent, agents.length);
	const objectHex = (i: number) => hex(seed, i, salt.object, 32);
	const detail = (i: number, n: number) => below(seed, i, salt.detail, n);
	const source = (i: number) => (unit(seed, i, salt.source) < 0.9 ? 2 : 0);
	const actors = (i: number) => below(seed, i, salt.actors, 3) + 1;

	/** The file, mail subject or setting an activity acts on. */
	function targetName(i: number, kind: ActivityKind): string {
		const list = kind.target === 'file' ? fileNames : (kind.target === 'mail' ? mailSubjects : settings);
		return list[detail(i, list.length)];
	}

	function description(i: number, app = appIndex(i), kind = activityKinds[kindIndex(i, app)], object?: string): string {
		let text: string;
		switch (kind.target) {
			case 'report': {
				text = `${kind.operation}: ${apps[app].name} Report ${detail(i, 90) + 1}`;
				break;
			}

			case 'object': {
				text = `${kind.operation}: ${apps[app].name} Object ${object ?? objectHex(i)}`;
				break;
			}

			case 'user': {
				text = `${kind.operation}: user ${object ?? objectHex(i)}`;
				break;
			}

			case 'file': {
				text = `${kind.operation}: file ${targetName(i, kind)}`;
				break;
			}

			case 'mail': {
				text = `${kind.operation}: mail message ${targetName(i, kind)}`;
				break;
			}

			case 'setting': {
				text = `${kind.operation}: ${targetName(i, kind)}`;
				break;
			}

			default: {
				text = kind.operation;
			}
		}

		return isHostile(i) ? `${text} ${hostileText(i, 200)}` : text;
	}

	return {
		created, timestamp, isLate, isHostile, hostileText, hostileUser, appIndex, kindIndex, userIndex, userName,
		placeIndex, clientIp, countryCode, agentIndex, objectHex, detail, source, actors, targetName, description,
		idHex: (i: number) => hex(seed, i, salt.id, 32),
	};
}
