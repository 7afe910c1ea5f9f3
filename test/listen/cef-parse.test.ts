import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseCef, parseCefExtension} from '../../source/listen/cef-parse.ts';

test('parses Microsoft\'s sample activity line', () => {
	const line = '2017-11-22T17:50:04.000Z CEF:0|MCAS|SIEM_Agent|0.111.85|EVENT_CATEGORY_LOGOUT|Log out|0|externalId=1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0 rt=1511373004000 start=1511373004000 end=1511373004000 msg=Log out suser=admin@contoso.com destinationServiceName=ServiceNow dvc=13.82.149.151 requestClientApplication= cs1Label=portalURL cs1=https://contoso.portal.cloudappsecurity.com/#/audits?activity.id\\=eq(1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0,) cs2Label=uniqueServiceAppIds cs2=APPID_SERVICENOW cs3Label=targetObjects cs3=admin@contoso.com,admin@contoso.com,admin@contoso.com cs4Label=policyIDs cs4= c6a1Label="Device IPv6 Address" c6a1=';
	const parsed = parseCef(line)!;
	assert.deepEqual({...parsed, extension: {...parsed.extension}}, {
		syslogHeader: '2017-11-22T17:50:04.000Z',
		version: '0',
		deviceVendor: 'MCAS',
		deviceProduct: 'SIEM_Agent',
		deviceVersion: '0.111.85',
		signatureId: 'EVENT_CATEGORY_LOGOUT',
		name: 'Log out',
		severity: '0',
		extension: {
			externalId: '1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0',
			rt: '1511373004000',
			start: '1511373004000',
			end: '1511373004000',
			msg: 'Log out',
			suser: 'admin@contoso.com',
			destinationServiceName: 'ServiceNow',
			dvc: '13.82.149.151',
			requestClientApplication: '',
			cs1Label: 'portalURL',
			cs1: 'https://contoso.portal.cloudappsecurity.com/#/audits?activity.id=eq(1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0,)',
			cs2Label: 'uniqueServiceAppIds',
			cs2: 'APPID_SERVICENOW',
			cs3Label: 'targetObjects',
			cs3: 'admin@contoso.com,admin@contoso.com,admin@contoso.com',
			cs4Label: 'policyIDs',
			cs4: '',
			c6a1Label: '"Device IPv6 Address"',
			c6a1: '',
		},
	});
});

/** Lines from Microsoft's published samples (shared/fixtures/mcas-cef-samples.txt). */
const samples = [
	'2017-11-28T19:40:15.000Z CEF:0|MCAS|SIEM_Agent|0.112.68|EVENT_CATEGORY_VIEW_REPORT|View report|0|externalId=1511898027370_e272cd5f-31a3-48e3-8a6a-0490c042950a rt=1511898015000 start=1511898015000 end=1511898015000 msg=View report: ServiceNow Report 23 suser=admin@contoso.com destinationServiceName=ServiceNow dvc= requestClientApplication= cs1Label=portalURL cs1=https://contoso.portal.cloudappsecurity.com/#/audits?activity.id\\=eq(1511898027370_e272cd5f-31a3-48e3-8a6a-0490c042950a,) cs2Label=uniqueServiceAppIds cs2=APPID_SERVICENOW cs3Label=targetObjects cs3=23,sys_report,admin@contoso.com,admin@contoso.com,admin@contoso.com cs4Label=policyIDs cs4= c6a1Label="Device IPv6 Address" c6a1=',
	'2017-07-15T20:42:30.531Z CEF:0|MCAS|SIEM_Agent|0.102.17|ALERT_CABINET_EVENT_MATCH_AUDIT|myPolicy|3|externalId=596a7e360c204203a335a3fb start=1500151350531 end=1500151350531 msg=Activity policy \'\'myPolicy\'\' was triggered by \'\'admin@box-contoso.com\'\' suser=admin@box-contoso.com destinationServiceName=Box cn1Label=riskScore cn1= cs1Label=portalURL cs1=https://cloud-app-security.com/#/alerts/596a7e360c204203a335a3fb cs2Label=uniqueServiceAppIds cs2=APPID_BOX cs3Label=relatedAudits cs3=1500151288183_acc891bf-33e1-424b-a021-0d4370789660 cs4Label=policyIDs cs4=59f0ab82f797fa0681e9b1c7',
	'2017-07-16T09:17:03.361Z CEF:0|MCAS|SIEM_Agent|0.102.17|ALERT_CABINET_EVENT_MATCH_AUDIT|test-activity-policy3|3|externalId=596b2fd70c204203a33a3eeb start=1500196623361 end=1500196623361 msg=Activity policy \'\'test-activity-policy3\'\' was triggered by \'\'admin@contoso.com\'\' suser=admin@contoso.com destinationServiceName=Microsoft 365 cn1Label=riskScore cn1= cs1Label=portalURL cs1=https://cloud-app-security.com/#/alerts/596b2fd70c204203a33a3eeb cs2Label=uniqueServiceAppIds cs2=APPID_O365 cs3Label=relatedAudits cs3=1500196549157_a0e01f8a-e29a-43ae-8599-783c1c11597d cs4Label=policyIDs cs4=',
];

test('Microsoft\'s sample lines parse, alerts included', () => {
	for (const line of samples) {
		const parsed = parseCef(line);
		assert.ok(parsed, line);
		assert.equal(parsed.deviceVendor, 'MCAS');
		assert.equal(parsed.deviceProduct, 'SIEM_Agent');
		assert.ok(parsed.extension.cs1.startsWith('https://'), line);
		assert.ok(parsed.extension.externalId, line);
	}
	const alert = parseCef(samples[1])!;
	assert.equal(alert.signatureId, 'ALERT_CABINET_EVENT_MATCH_AUDIT');
	assert.equal(alert.severity, '3');
	assert.equal(alert.extension.msg, 'Activity policy \'\'myPolicy\'\' was triggered by \'\'admin@box-contoso.com\'\'');
	assert.equal(alert.extension.cn1, '');
	assert.equal(parseCef(samples[2])!.extension.destinationServiceName, 'Microsoft 365');
});

test('header escapes: \\\\ and \\| are undone, an escaped pipe does not end a field', () => {
	const parsed = parseCef('<14>Jan 02 16:38:38 host CEF:0|Ven\\|dor|Pro\\\\duct|1.0|sig|na\\|me \\x|5|a=1')!;
	assert.equal(parsed.syslogHeader, '<14>Jan 02 16:38:38 host');
	assert.equal(parsed.deviceVendor, 'Ven|dor');
	assert.equal(parsed.deviceProduct, 'Pro\\duct');
	assert.equal(parsed.name, 'na|me \\x');
	assert.equal(parsed.severity, '5');
	assert.deepEqual({...parsed.extension}, {a: '1'});
});

test('extension escapes and separators', () => {
	const cases: Array<[string, Record<string, string>]> = [
		['', {}],
		['a=1', {a: '1'}],
		['a=1 b=two words c=', {a: '1', b: 'two words', c: ''}],
		['msg=x\\=y\\\\z\\nline2\\r end', {msg: 'x=y\\z\nline2\r end'}],
		['msg=back\\\\ b=2', {msg: 'back\\', b: '2'}],
		['msg=a=b c=d', {msg: 'a=b', c: 'd'}],
		['msg=pipes | are | fine', {msg: 'pipes | are | fine'}],
		['msg=unknown \\t escape', {msg: 'unknown \\t escape'}],
		['k_1=x K2=y', {k_1: 'x', K2: 'y'}],
		['a=1 a=2', {a: '2'}],
		['__proto__=x', {['__proto__']: 'x'}],
	];
	for (const [extension, expected] of cases) {
		const parsed = parseCefExtension(extension);
		assert.deepEqual(Object.entries(parsed), Object.entries(expected), extension);
	}
	assert.equal(Object.getPrototypeOf(parseCefExtension('__proto__=x')), null);
});

test('not CEF, or a header cut short: undefined', () => {
	assert.equal(parseCef('just a syslog line'), undefined);
	assert.equal(parseCef('CEF:0|MCAS|SIEM_Agent|1|sig|name'), undefined);
	assert.equal(parseCef('LEEF:2.0|Microsoft|MCAS|1|x|'), undefined);
});

test('a trailing line break is not part of the last value', () => {
	assert.equal(parseCef('CEF:0|a|b|c|d|e|f|msg=x\r\n')!.extension.msg, 'x');
});
