import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createCefFormatter} from '../../source/formats/cef.ts';
import {defaultAlertType, normalizeActivity, normalizeAlert, normalizeRecord, unspecifiedEventCategory} from '../../source/formats/normalize.ts';
import {maxProblems} from '../../source/formats/record-fields.ts';
import {parseCef} from './cef-parser.ts';
import {sampleActivities, sampleAlerts} from './sample-records.ts';

const ctx = {portalUrl: 'https://contoso.portal.cloudappsecurity.com'};
const format = createCefFormatter({agentVersion: '1.0.0'});

test('activity: the full mapping of a clean record', () => {
	const event = normalizeActivity({
		_id: 'A1',
		timestamp: 1_700_000_000_123,
		eventTypeName: 'EVENT_CATEGORY_LOGIN',
		description: 'Log on: Office 365',
		mainInfo: {prettyOperationName: 'Log on', eventObjects: [{name: 'x'}, {}, {name: 'y'}]},
		user: {userName: 'u@contoso.com'},
		appName: 'Microsoft Exchange Online',
		appId: 20_893,
		device: {clientIP: '2001:db8::1', userAgent: 'Mozilla/5.0'},
		policies: ['p1', {id: 'p2'}, 3, ''],
	}, {portalUrl: 'https://contoso.portal.cloudappsecurity.com/'});
	assert.deepEqual(event, {
		kind: 'activity',
		signatureId: 'EVENT_CATEGORY_LOGIN',
		name: 'Log on',
		severity: 0,
		syslogSeverity: 6,
		alertSeverity: undefined,
		externalId: 'A1',
		time: 1_700_000_000_123,
		msg: 'Log on: Office 365',
		suser: 'u@contoso.com',
		destinationServiceName: 'Microsoft Exchange Online',
		dvc: '',
		requestClientApplication: 'Mozilla/5.0',
		src: '',
		c6a1: '2001:db8::1',
		cs1: 'https://contoso.portal.cloudappsecurity.com/#/audits?activity.id=eq(A1,)',
		cs2: 'APPID_OUTLOOK',
		cs3: 'x,,y',
		cs4: 'p1,p2,3',
		cn1: '',
		problems: [],
	});
});

test('activity: fallbacks and reported problems', () => {
	const event = normalizeActivity({
		_id: 42,
		created: '1700000000000',
		description: 'View report: Q3: sales',
		appId: '99999',
		device: {clientIP: 'not-an-ip'},
	}, ctx);
	assert.equal(event.externalId, '42');
	assert.equal(event.time, 1_700_000_000_000);
	assert.equal(event.name, 'View report');
	assert.equal(event.signatureId, unspecifiedEventCategory);
	assert.equal(event.cs2, 'APPID_99999');
	assert.equal(event.dvc, '');
	assert.deepEqual(event.problems, [
		'_id is number, expected string',
		'timestamp missing',
		'created is string, expected number',
		'eventTypeName missing',
		'device.clientIP is not an IP address',
		'appId is string, expected integer',
	]);
});

test('activity: a description without a colon is the name', () => {
	assert.equal(normalizeActivity({description: '  Log out  '}, ctx).name, 'Log out');
});

test('alert: the full mapping of a clean record', () => {
	const event = normalizeAlert({
		_id: '5f06d71dba4289d0602ba5ac',
		timestamp: 1_594_283_802_753,
		alertType: 'ALERT_MANAGEMENT_IMPOSSIBLE_TRAVEL',
		title: 'Impossible travel',
		description: 'Impossible travel activity',
		entities: [
			{type: 'policyRule', id: 'pol1', label: 'Impossible travel'},
			{type: 'service', id: 10_489, label: 'Box'},
			{type: 'service', id: 33_626, label: 'Google'},
			{type: 'service', id: 10_489, label: 'Box'},
			{type: 'account', pa: 'u@contoso.com', em: 'other@contoso.com'},
			{type: 'ip', id: '2001:db8::2', label: '2001:db8::2'},
			{type: 'ip', id: '198.51.100.7'},
			{type: 'ip', id: '198.51.100.8'},
			{type: 'policyRule', id: 'pol2'},
			{type: 'file', id: 'f1', label: 'a.png'},
		],
		severityValue: 2,
		threatScore: 19,
		audits: ['a1', 'a2'],
	}, ctx);
	assert.deepEqual(event, {
		kind: 'alert',
		signatureId: 'ALERT_MANAGEMENT_IMPOSSIBLE_TRAVEL',
		name: 'Impossible travel',
		severity: 3,
		syslogSeverity: 3,
		alertSeverity: 'high',
		externalId: '5f06d71dba4289d0602ba5ac',
		time: 1_594_283_802_753,
		msg: 'Impossible travel activity',
		suser: 'u@contoso.com',
		destinationServiceName: 'Box',
		dvc: '',
		requestClientApplication: '',
		src: '198.51.100.7',
		c6a1: '2001:db8::2',
		cs1: 'https://contoso.portal.cloudappsecurity.com/#/alerts/5f06d71dba4289d0602ba5ac',
		cs2: 'APPID_BOX,APPID_33626',
		cs3: 'a1,a2',
		cs4: 'pol1,pol2',
		cn1: '19',
		problems: [],
	});
	const line = format(event);
	assert.ok(line.endsWith(' cs4Label=policyIDs cs4=pol1,pol2 src=198.51.100.7 c6a1Label="Device IPv6 Address" c6a1=2001:db8::2'), line);
});

test('alert: fallbacks and syslog severities', () => {
	const event = normalizeAlert({_id: 'x', timestamp: 1, entities: [{type: 'user', id: 'u@x.com'}, {type: 'account', em: 'e@x.com'}]}, ctx);
	assert.equal(event.signatureId, defaultAlertType);
	assert.equal(event.suser, 'e@x.com');
	assert.deepEqual(event.problems, ['title missing']);
	assert.equal(normalizeAlert({entities: [{type: 'user', id: 'u@x.com'}]}, ctx).suser, 'u@x.com');
	const severities = [[0, 'low', 5], [1, 'medium', 4], [2, 'high', 3], [3, 'informational', 6], [undefined, undefined, 4], [7, undefined, 4]] as const;
	for (const [value, word, syslog] of severities) {
		const alert = normalizeAlert({severityValue: value}, ctx);
		assert.equal(alert.alertSeverity, word);
		assert.equal(alert.syslogSeverity, syslog);
	}
});

test('normalizeRecord dispatches on the data type', () => {
	assert.equal(normalizeRecord('alerts', sampleAlerts[0], ctx).kind, 'alert');
	assert.equal(normalizeRecord('activities', sampleActivities[0], ctx).kind, 'activity');
});

const throwingProxy = new Proxy({}, {
	get() {
		throw new Error('boom');
	},
});
const throwingGetter = Object.defineProperty({_id: 'g1'}, 'timestamp', {
	enumerable: true,
	get() {
		throw new TypeError('getter');
	},
});
const huge = 'x'.repeat(2_000_000) + '\n=|\\';
const junk: Array<[string, unknown]> = [
	['null', null],
	['undefined', undefined],
	['a number', 42],
	['a string', 'record'],
	['an array', [1, 2, 3]],
	['a function', () => 1],
	['a symbol', Symbol('s')],
	['an empty object', {}],
	['a null-prototype object', Object.create(null) as unknown],
	['null fields', {_id: null, timestamp: null, title: null, user: null, device: null, mainInfo: null, entities: null, audits: null, appId: null, URL: null}],
	['wrong types', {
		_id: {$oid: 'x'}, timestamp: {}, created: [], eventTypeName: 7, alertType: ['a'], title: true, description: 12n,
		user: 'u', device: [1], mainInfo: {prettyOperationName: {}, eventObjects: 'names'}, appId: 1.5, appName: Symbol('s'),
		entities: {type: 'account'}, audits: 'a1', policies: {}, threatScore: '19', severityValue: 'high', URL: 5,
	}],
	['arrays of junk', {
		mainInfo: {eventObjects: [null, 1, 'x', [], {name: 5}, {name: {}}, {name: Symbol('n')}]},
		entities: [null, 1, 'x', [], {type: 'ip', id: {}}, {type: 'ip', id: 'nope'}, {type: 'service', id: 'abc', label: 5}, {type: 'account', pa: 5}, {type: {}}],
		audits: [null, {}, 3, 'ok', [1], Number.NaN],
		policies: [null, {id: {}}, 'p'],
	}],
	['out-of-range times', {timestamp: -1, created: 1e20}],
	['non-finite numbers', {timestamp: Number.NaN, threatScore: Number.POSITIVE_INFINITY, appId: Number.NaN}],
	['an ISO date string', {timestamp: '2017-11-22T17:50:04.000Z'}],
	['a huge IP-like string', {device: {clientIP: '1'.repeat(100_000)}, entities: [{type: 'ip', id: ':'.repeat(100_000)}]}],
	['huge strings', {_id: huge, title: huge, description: huge, user: {userName: huge}, mainInfo: {prettyOperationName: huge, eventObjects: [{name: huge}]}}],
	['deep nesting', {mainInfo: {eventObjects: [{name: {a: {b: {c: {}}}}}]}, user: {userName: {toString: () => 'evil'}}}],
	['a throwing proxy', throwingProxy],
	['a throwing getter', throwingGetter],
	['many junk entities', {entities: Array.from({length: 10_000}, () => 'junk')}],
];

for (const [label, record] of junk) {
	test('normalize never throws on ' + label + ', and the result formats and parses', () => {
		for (const normalize of [normalizeActivity, normalizeAlert]) {
			const event = normalize(record as never, ctx);
			assert.ok(event.problems.length > 0, 'problems reported');
			assert.ok(event.problems.length <= maxProblems);
			for (const problem of event.problems) {
				assert.equal(typeof problem, 'string');
			}

			const parsed = parseCef(format(event));
			assert.equal(parsed.signatureId, event.signatureId.replaceAll('\n', ' '));
		}
	});
}

test('junk problems name the field', () => {
	assert.deepEqual(normalizeActivity(null, ctx).problems.slice(0, 2), ['record is null, expected object', '_id missing']);
	assert.ok(normalizeAlert(throwingProxy as never, ctx).problems.includes('unreadable record: boom'));
	const getter = normalizeActivity(throwingGetter, ctx);
	assert.equal(getter.externalId, 'g1', 'fields read before the failure are kept');
	assert.deepEqual(getter.problems, ['unreadable record: getter']);
	assert.ok(normalizeActivity({timestamp: -1}, ctx).problems.includes('timestamp out of range'));
	assert.equal(normalizeActivity({timestamp: '2017-11-22T17:50:04.000Z'}, ctx).time, 1_511_373_004_000);
	assert.equal(normalizeAlert({threatScore: '19'}, ctx).cn1, '');
});

test('a huge value is kept whole and escaped', () => {
	const event = normalizeActivity({description: huge}, ctx);
	assert.equal(event.msg.length, huge.length);
	assert.equal(parseCef(format(event)).extension.get('msg'), huge);
});
