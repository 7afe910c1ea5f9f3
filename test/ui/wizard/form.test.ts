import assert from 'node:assert/strict';
import {test} from 'node:test';
import {agentFromForm, formFromAgent} from '../../../source/ui/wizard/form.ts';
import {agentConfig} from '../fixtures.ts';

test('a new form has the documented defaults', () => {
	const form = formFromAgent();
	assert.equal(form.port, '514');
	assert.equal(form.protocol, 'tcp');
	assert.equal(form.framing, 'lf');
	assert.equal(form.timeFormat, 'rfc5424');
	assert.equal(form.alertsEnabled, true);
	assert.equal(form.activitiesEnabled, true);
});

test('editing round-trips every setting, including those the wizard does not show', () => {
	const agent = agentConfig('contoso', {
		proxy: 'proxy:3128',
		pollIntervalSeconds: 30,
		requestsPerMinute: 0,
		settleSeconds: 9,
		paused: true,
		syslog: {protocol: 'udp', host: 'siem', port: 1514, maxMessageSize: 8192},
		dataTypes: {
			alerts: {enabled: false, filters: {severity: {eq: [2]}, alertOpen: {eq: true}}},
			activities: {enabled: true, filters: {'ip.address': {eq: ['10.0.0.1']}}},
		},
	});
	assert.deepEqual(agentFromForm(formFromAgent(agent), agent), agent);
});

test('switching UDP to TCP drops the UDP-only size and adds framing', () => {
	const agent = agentConfig('contoso', {syslog: {protocol: 'udp', host: 'siem', port: 514, maxMessageSize: 8192}});
	const form = {...formFromAgent(agent), protocol: 'tcp' as const, framing: 'octet-counting' as const};
	assert.deepEqual(agentFromForm(form, agent).syslog, {protocol: 'tcp', host: 'siem', port: 514, framing: 'octet-counting'});
});
