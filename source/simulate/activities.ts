/**
 * Simulated activities: record i is derived from (seed, i) whenever it is asked for and
 * written straight to JSON text from precomputed fragments, so a million-record backlog
 * costs no memory and a 5000-record scan page takes milliseconds.
 */

import {createActivityDraw, lateDelay, normalDelay, type DrawOptions} from './activity-draw.ts';
import {activityKinds, agents, apps, places, users} from './catalog.ts';
import type {Dataset, FieldSpec} from './dataset.ts';

export type ActivityModelOptions = DrawOptions;

export interface ActivityModel extends Dataset {
	/** `_id` of record i: `<created>_<uuid>`. */
	id(i: number): string;
	/** `timestamp` of record i (when it happened: seconds before `created`, or hours if late). */
	timestamp(i: number): number;
}

const q = JSON.stringify;
const second = 1000;

// JSON fragments of the fixed vocabulary, escaped once.
const appJson = apps.map(app => `"appId":${app.id},"appName":${q(app.name)}`);
const eventJson = apps.map(app => activityKinds.map(kind => `,"eventTypeValue":"EVENT_${app.key}_${kind.action}","eventTypeName":"${kind.category}"`));
const userJson = users.map(user => `,"user":{"userName":${q(user.upn)},"userTags":[]}`);
const actorJson = users.map(user => `{"name":${q(user.upn)},"id":${q(user.upn)},"role":"Actor"}`);
const agentJson = agents.map(agent => `"userAgent":${q(agent.userAgent)},"type":"${agent.type}"`);
const placeJson = places.map(p => `{"countryCode":"${p.countryCode}","city":${q(p.city)},"region":${q(p.region)},"latitude":${p.latitude},"longitude":${p.longitude},"isp":${q(p.isp)}}`);
const mainTail = activityKinds.map(kind => `],"prettyOperationName":${q(kind.operation)},"type":"${kind.action}","activityResult":{"isSuccess":${!kind.failed}}}`);
const target = (name: string, id: string) => `{"name":${q(name)},"id":${q(id)},"role":"Target"}`;

function uuidOf(h: string): string {
	const variant = '89ab'[Number.parseInt(h[16], 16) & 3];
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function createActivityModel(options: ActivityModelOptions): ActivityModel {
	const draw = createActivityDraw(options);
	const {created} = draw;
	const id = (i: number, createdAt = created(i)) => `${createdAt}_${uuidOf(draw.idHex(i))}`;

	// Targets as Microsoft's samples show them (some names empty), then the actor up to three times.
	function eventObjects(i: number, kindIndex: number, user: number, userName: string | null, object: string): string {
		const kind = activityKinds[kindIndex];
		let out = draw.isHostile(i) ? target(draw.hostileText(i, 300), object.slice(8, 20)) + ',' : '';
		switch (kind.target) {
			case 'report': {
				const n = String(draw.detail(i, 90) + 1);
				out += `{"name":"${n}","id":"${n}","role":"Target"},{"name":"sys_report","id":"sys_report","role":"Target"},`;
				break;
			}

			case 'object': {
				out += `{"name":"","id":"${object}","role":"Target"},{"name":"","id":"","role":"Target"},`;
				break;
			}

			case 'user': {
				const table = kind.action === 'CREATE_USER' ? 'sys_user' : '';
				out += `{"name":"","id":"","role":"Target"},{"name":"${object}","id":"${object}","role":"Target"},{"name":"${table}","id":"sys_user","role":"Target"},`;
				break;
			}

			case 'none': {
				break;
			}

			default: {
				out += target(draw.targetName(i, kind), object.slice(0, 24)) + ',';
			}
		}

		if (userName !== null) {
			const actor = draw.hostileUser(i) ? `{"name":${q(userName)},"id":${q(userName)},"role":"Actor"}` : actorJson[user];
			for (let n = draw.actors(i); n > 0; n--) {
				out += actor + ',';
			}
		}

		return out.endsWith(',') ? out.slice(0, -1) : out;
	}

	function json(i: number): string {
		const app = draw.appIndex(i);
		const kindIndex = draw.kindIndex(i, app);
		const kind = activityKinds[kindIndex];
		const createdAt = created(i);
		const user = draw.userIndex(i);
		const userName = draw.userName(i, user);
		const ip = draw.clientIp(i);
		const agent = draw.agentIndex(i);
		const hostile = draw.isHostile(i);
		const object = draw.objectHex(i);
		const userPart = userName === null ? '' : (draw.hostileUser(i) ? `,"user":{"userName":${q(userName)},"userTags":[]}` : userJson[user]);
		const device = hostile ? `"userAgent":${q(draw.hostileText(i, 400))},"type":"${agents[agent].type}"` : agentJson[agent];
		return `{"_id":"${id(i, createdAt)}",${appJson[app]},"timestamp":${draw.timestamp(i, createdAt)},"created":${createdAt}`
			+ `${eventJson[app][kindIndex]},"description":${q(draw.description(i, app, kind, object))}${userPart}`
			+ `,"device":{"clientIP":"${ip}",${device}},"location":${ip === '' ? '{}' : placeJson[draw.placeIndex(i)]}`
			+ `,"mainInfo":{"eventObjects":[${eventObjects(i, kindIndex, user, userName, object)}${mainTail[kindIndex]},"source":${draw.source(i)}}`;
	}

	const maxLag = (options.lateArrivalFraction > 0 ? lateDelay : normalDelay) + second;
	const fields: Record<string, FieldSpec> = {
		date: {type: 'time', value: draw.timestamp, order: 'near', lag: maxLag},
		created: {type: 'time', value: created, order: 'key'},
		service: {type: 'number', value: i => apps[draw.appIndex(i)].id},
		'user.username': {type: 'string', value: draw.userName},
		'activity.eventActionType': {
			type: 'string',
			value(i) {
				const app = draw.appIndex(i);
				const kind = activityKinds[draw.kindIndex(i, app)];
				return [kind.category, `EVENT_${apps[app].key}_${kind.action}`];
			},
		},
		'ip.address': {type: 'string', value: i => draw.clientIp(i) || null},
		'location.country': {type: 'string', value: draw.countryCode},
		'device.type': {type: 'string', value: i => agents[draw.agentIndex(i)].type},
		source: {type: 'number', value: draw.source},
		text: {type: 'string', value: i => `${draw.description(i)} ${draw.userName(i) ?? ''} ${apps[draw.appIndex(i)].name}`, ops: ['text', 'contains']},
	};

	const streams = [{lag: normalDelay + second, member: (i: number) => !draw.isLate(i)}];
	if (options.lateArrivalFraction > 0) {
		streams.push({lag: maxLag, member: draw.isLate});
	}

	return {
		name: 'activities',
		timeline: options.timeline,
		fields,
		sorts: {created: {kind: 'key'}, date: {kind: 'near', value: draw.timestamp, streams}},
		json,
		id: i => id(i),
		timestamp: i => draw.timestamp(i),
	};
}
