import assert from 'node:assert/strict';
import {isIPv4, isIPv6} from 'node:net';
import {after, before, test} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {fakeClock, page} from './helpers.ts';

const sampleApps = new Map([[14_509, 'ServiceNow'], [10_489, 'Box'], [11_114, 'Salesforce'], [11_161, 'Microsoft 365'], [20_893, 'Microsoft Exchange Online'], [28_375, 'Microsoft 365 admin center'], [33_626, 'Google']]);
const clock = fakeClock();
let sim: Simulator;
let activities: any[];
let alerts: any[];
before(async () => {
	sim = await createSimulator({seed: 21, now: clock.now, historyActivities: 3000, historyAlerts: 300, throttle: 0});
	activities = sim.activitiesCreatedBetween(0, Number.MAX_SAFE_INTEGER);
	alerts = sim.alertsBetween(0, Number.MAX_SAFE_INTEGER);
});
after(async () => sim.close());

test('activities carry the fields of SPEC §2, shaped like Microsoft\'s samples', () => {
	for (const a of activities) {
		assert.match(a._id, /^\d{13}_[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
		assert.equal(a._id.split('_')[0], String(a.created));
		assert.ok(a.timestamp <= a.created && a.timestamp % 1000 === 0);
		assert.equal(sampleApps.get(a.appId), a.appName);
		assert.match(a.eventTypeName, /^EVENT_CATEGORY_[A-Z_]+$/);
		assert.match(a.eventTypeValue, /^EVENT_[A-Z\d_]+$/);
		assert.equal(typeof a.description, 'string');
		assert.ok(a.description.startsWith(a.mainInfo.prettyOperationName));
		assert.ok(Array.isArray(a.mainInfo.eventObjects));
		assert.ok(a.mainInfo.eventObjects.every((o: any) => typeof o.name === 'string'));
		assert.equal(typeof a.device.userAgent, 'string');
		assert.ok(a.device.clientIP === '' || isIPv4(a.device.clientIP) || isIPv6(a.device.clientIP), a.device.clientIP);
		assert.equal(a.device.clientIP === '', a.location.countryCode === undefined);
	}
});

test('activities mix IPv4, IPv6 and no IP, users and none, empty object names, and samples\' wording', () => {
	const count = (keep: (a: any) => boolean) => activities.filter(a => keep(a)).length;
	assert.ok(count(a => isIPv4(a.device.clientIP)) > 1000);
	assert.ok(count(a => isIPv6(a.device.clientIP)) > 300);
	assert.ok(count(a => a.device.clientIP === '') > 200);
	assert.ok(count(a => a.user === undefined) > 10);
	assert.ok(count(a => a.mainInfo.eventObjects[0]?.name === '') > 100);
	assert.ok(count(a => /^Delete object: ServiceNow Object [\da-f]{32}$/.test(a.description)) > 10);
	assert.ok(count(a => /^View report: ServiceNow Report \d+$/.test(a.description)) > 10);
	assert.ok(count(a => a.description === 'Log out') > 10);
	assert.equal(new Set(activities.map(a => a.appId)).size, sampleApps.size);
	assert.ok(!activities.some(a => /[\r\n|]/.test(JSON.stringify(a).replaceAll('\\n', ''))), 'no hostile text unless asked');
});

test('alerts carry the fields of SPEC §2', () => {
	for (const alert of alerts) {
		assert.match(alert._id, /^[\da-f]{24}$/);
		assert.equal(Number.parseInt(alert._id.slice(0, 8), 16), Math.floor(alert.timestamp / 1000));
		assert.equal(typeof alert.title, 'string');
		assert.match(alert.alertType, /^ALERT_[A-Z_]+$/);
		assert.ok([0, 1, 2, 3].includes(alert.severityValue));
		assert.ok([0, 1, 2].includes(alert.resolutionStatusValue));
		assert.equal(alert.URL, `https://contoso.portal.cloudappsecurity.com/#/alerts/${alert._id}`);
		assert.ok(alert.threatScore === null || (alert.threatScore >= 0 && alert.threatScore <= 100));
		const account = alert.entities.find((e: any) => e.type === 'account');
		const service = alert.entities.find((e: any) => e.type === 'service');
		assert.match(account.pa, /@/);
		assert.equal(sampleApps.get(service.id), service.label);
		for (const ip of alert.entities.filter((e: any) => e.type === 'ip')) {
			assert.ok(isIPv4(ip.label) || isIPv6(ip.label));
		}

		assert.ok(alert.audits.every((id: string) => /^\d{13}_/.test(id) && Number(id.split('_')[0]) <= alert.timestamp));
	}

	// Only an alert older than every activity has nothing to point at.
	assert.ok(alerts.filter(alert => alert.audits.length === 0).every(alert => alert.timestamp < activities[0].created));
});

test('policy alerts read like the samples and name their policy', () => {
	const policy = alerts.filter(a => a.alertType === 'ALERT_CABINET_EVENT_MATCH_AUDIT');
	assert.ok(policy.length > 100);
	for (const alert of policy) {
		const account = alert.entities.find((e: any) => e.type === 'account');
		assert.equal(alert.description, `Activity policy ''${alert.title}'' was triggered by ''${account.pa}''`);
		assert.equal(alert.threatScore, null);
		const rule = alert.entities.find((e: any) => e.type === 'policyRule');
		if (rule) {
			assert.equal(rule.label, alert.title);
			assert.match(rule.id, /^[\da-f]{24}$/);
		}
	}

	assert.ok(policy.some(a => !a.entities.some((e: any) => e.type === 'policyRule')), 'some have no policy id, like the samples');
	assert.equal(new Set(alerts.map(a => a.alertType)).size > 3, true);
});

test('hostileFraction puts line breaks, pipes, equals signs, backslashes and forged CEF into text fields', async () => {
	const hostile = await createSimulator({seed: 21, now: clock.now, historyActivities: 400, historyAlerts: 100, hostileFraction: 0.3, throttle: 0});
	try {
		const p = await page(hostile, 'activities', {isScan: true, limit: 500});
		const texts = p.data.map((a: any) => [a.description, a.user?.userName, a.device.userAgent, ...a.mainInfo.eventObjects.map((o: any) => o.name)].join(' ')).join('\n');
		for (const needle of ['\r\n', 'CEF:0|', '|', '=', '\\', '\u2028']) {
			assert.ok(texts.includes(needle), JSON.stringify(needle));
		}

		const alertPage = await page(hostile, 'alerts', {limit: 100});
		assert.ok(alertPage.data.some((a: any) => /[\r\n]/.test(a.title) || /[\r\n]/.test(a.description)));
		const share = p.data.filter((a: any) => /[\r\n|=\\\u2028]|CEF:/.test(a.description)).length / p.data.length;
		assert.ok(share > 0.15 && share < 0.45, String(share));
	} finally {
		await hostile.close();
	}
});
