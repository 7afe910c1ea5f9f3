import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {call, fakeClock, ids, listAll, page} from './helpers.ts';

const day = 86_400_000;
const clock = fakeClock();
let sim: Simulator;
let activities: any[];
let alerts: any[];
before(async () => {
	sim = await createSimulator({seed: 3, now: clock.now, historyActivities: 900, historyAlerts: 250, throttle: 0});
	activities = sim.activitiesCreatedBetween(0, Number.MAX_SAFE_INTEGER);
	alerts = sim.alertsBetween(0, Number.MAX_SAFE_INTEGER);
});
after(async () => sim.close());

async function activityIds(filters: unknown): Promise<string[]> {
	const p = await page(sim, 'activities', {filters, isScan: true, limit: 5000, sortField: 'created', sortDirection: 'asc'});
	assert.equal(p.hasNext, false);
	assert.equal(p.total, p.data.length);
	return ids(p.data);
}

async function alertIds(filters: unknown): Promise<string[]> {
	return ids(await listAll(sim, 'alerts', {filters, sortField: 'date', sortDirection: 'asc'}));
}

function expect(records: any[], keep: (r: any) => boolean): string[] {
	const out = ids(records.filter(r => keep(r)));
	assert.ok(out.length > 0, 'the case selects something');
	return out;
}

const mid = () => activities[450].created;
const actions = (r: any) => [r.eventTypeName, r.eventTypeValue];
const policyOf = (r: any) => r.entities.find((e: any) => e.type === 'policyRule')?.id;

const activityCases: Array<[string, () => unknown, (r: any) => boolean]> = [
	['service eq list', () => ({service: {eq: [14_509, 10_489]}}), r => r.appId === 14_509 || r.appId === 10_489],
	['service neq single value', () => ({service: {neq: 14_509}}), r => r.appId !== 14_509],
	['user.username eq', () => ({'user.username': {eq: ['admin@contoso.com']}}), r => r.user?.userName === 'admin@contoso.com'],
	['user.username isset', () => ({'user.username': {isset: true}}), r => r.user?.userName !== undefined],
	['user.username isnotset', () => ({'user.username': {isnotset: true}}), r => r.user === undefined],
	['activity.eventActionType by category', () => ({'activity.eventActionType': {eq: ['EVENT_CATEGORY_LOGIN']}}), r => r.eventTypeName === 'EVENT_CATEGORY_LOGIN'],
	['activity.eventActionType by event type, neq', () => ({'activity.eventActionType': {neq: ['EVENT_SERVICENOW_DELETE_OBJECT', 'EVENT_CATEGORY_LOGIN']}}), r => !actions(r).includes('EVENT_SERVICENOW_DELETE_OBJECT') && !actions(r).includes('EVENT_CATEGORY_LOGIN')],
	['ip.address startswith', () => ({'ip.address': {startswith: '13.82.'}}), r => r.device.clientIP.startsWith('13.82.')],
	['ip.address isnotset', () => ({'ip.address': {isnotset: true}}), r => r.device.clientIP === ''],
	['ip.address contains (IPv6)', () => ({'ip.address': {contains: ':'}}), r => r.device.clientIP.includes(':')],
	['location.country eq', () => ({'location.country': {eq: ['US', 'GB']}}), r => ['US', 'GB'].includes(r.location.countryCode)],
	['location.country neq', () => ({'location.country': {neq: ['US']}}), r => r.location.countryCode !== 'US'],
	['device.type eq', () => ({'device.type': {eq: ['MOBILE']}}), r => r.device.type === 'MOBILE'],
	['source eq', () => ({source: {eq: [0]}}), r => r.source === 0],
	['created gte + lt', () => ({created: {gte: mid(), lt: mid() + day}}), r => r.created >= mid() && r.created < mid() + day],
	['created gt + lte', () => ({created: {gt: mid(), lte: mid() + day}}), r => r.created > mid() && r.created <= mid() + day],
	['created range of two intervals', () => ({created: {range: [{start: mid() - day, end: mid() - (day / 2)}, {start: mid(), end: mid() + 3_600_000}]}}),
		r => (r.created >= mid() - day && r.created <= mid() - (day / 2)) || (r.created >= mid() && r.created <= mid() + 3_600_000)],
	['date gte_ndays', () => ({date: {gte_ndays: 1}}), r => r.timestamp >= clock.now() - day],
	['date lte_ndays', () => ({date: {lte_ndays: 2}}), r => r.timestamp <= clock.now() - (2 * day)],
	['date range', () => ({date: {range: [{start: mid() - day, end: mid()}]}}), r => r.timestamp >= mid() - day && r.timestamp <= mid()],
	['date eq an exact time', () => ({date: {eq: [activities[100].timestamp]}}), r => r.timestamp === activities[100].timestamp],
	['date lt as an ISO string', () => ({date: {lt: new Date(mid()).toISOString()}}), r => r.timestamp < mid()],
	['text', () => ({text: {text: 'DELETE object'}}), r => `${r.description} ${r.user?.userName ?? ''} ${r.appName}`.toLowerCase().includes('delete object')],
	['several fields, ANDed', () => ({service: {eq: [11_161]}, created: {gte: mid()}, 'device.type': {neq: ['DESKTOP']}}), r => r.appId === 11_161 && r.created >= mid() && r.device.type !== 'DESKTOP'],
];

for (const [name, filters, keep] of activityCases) {
	test(`activities: ${name}`, async () => {
		assert.deepEqual(await activityIds(filters()), expect(activities, keep));
	});
}

const alertCases: Array<[string, () => unknown, (r: any) => boolean]> = [
	['severity eq', () => ({severity: {eq: [2]}}), r => r.severityValue === 2],
	['severity gte', () => ({severity: {gte: 2}}), r => r.severityValue >= 2],
	['alertOpen eq true', () => ({alertOpen: {eq: true}}), r => r.resolutionStatusValue === 0],
	['resolutionStatus neq', () => ({resolutionStatus: {neq: [0]}}), r => r.resolutionStatusValue !== 0],
	['entity.service eq', () => ({'entity.service': {eq: [10_489]}}), r => r.entities.some((e: any) => e.type === 'service' && e.id === 10_489)],
	['entity.policy eq an id', () => ({'entity.policy': {eq: [policyOf(alerts.find(policyOf))]}}), r => policyOf(r) === policyOf(alerts.find(policyOf))],
	['entity.policy eq an entity pointer', () => ({'entity.policy': {eq: [{id: policyOf(alerts.find(policyOf)), type: 'policyRule'}]}}), r => policyOf(r) === policyOf(alerts.find(policyOf))],
	['alertType eq', () => ({alertType: {eq: ['ALERT_CABINET_EVENT_MATCH_AUDIT']}}), r => r.alertType === 'ALERT_CABINET_EVENT_MATCH_AUDIT'],
	['risk isset + gte', () => ({risk: {isset: true, gte: 50}}), r => r.threatScore !== null && r.threatScore >= 50],
	['risk isnotset', () => ({risk: {isnotset: true}}), r => r.threatScore === null],
	['risk range', () => ({risk: {range: [{start: 20, end: 40}]}}), r => r.threatScore !== null && r.threatScore >= 20 && r.threatScore <= 40],
	['date lt', () => ({date: {lt: alerts[100].timestamp}}), r => r.timestamp < alerts[100].timestamp],
	['date gte_ndays', () => ({date: {gte_ndays: 1}}), r => r.timestamp >= clock.now() - day],
	['text contains', () => ({text: {contains: 'impossible'}}), r => `${r.title} ${r.description}`.toLowerCase().includes('impossible')],
];

for (const [name, filters, keep] of alertCases) {
	test(`alerts: ${name}`, async () => {
		assert.deepEqual(await alertIds(filters()), expect(alerts, keep));
	});
}

test('unknown fields, unknown or unsupported operators and bad operands are refused with 400', async () => {
	const refused: Array<['activities' | 'alerts', unknown, RegExp]> = [
		['activities', {nope: {eq: [1]}}, /Unknown filter field "nope"/],
		['activities', {severity: {eq: [1]}}, /Unknown filter field "severity"/],
		['alerts', {'user.username': {eq: ['x']}}, /Unknown filter field/],
		['activities', {service: {like: 1}}, /Unknown filter operator "like"/],
		['activities', {service: {startswith: '14'}}, /does not support operator "startswith"/],
		['alerts', {alertOpen: {gt: 1}}, /does not support operator "gt"/],
		['activities', {created: {gte: 'yesterday'}}, /expects a number/],
		['activities', {created: {range: 5}}, /expects a list of \{start, end\}/],
		['alerts', {alertOpen: {eq: 'maybe'}}, /expects true or false/],
		['activities', {service: 14_509}, /must be an object/],
		['activities', {service: {}}, /must be an object/],
		['activities', [1, 2], /"filters" must be an object/],
	];
	for (const [route, filters, message] of refused) {
		const answer = await call(sim, route, {filters});
		assert.equal(answer.status, 400, JSON.stringify(filters));
		assert.match(answer.body.detail, message);
	}
});
