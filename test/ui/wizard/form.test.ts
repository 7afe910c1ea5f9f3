import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {defaultPortOf} from '../../../source/config/schema.ts';
import {agentFromForm, formFromAgent, transportFromForm, withProtocol} from '../../../source/ui/wizard/form.ts';
import {agentConfig} from '../fixtures.ts';

test('a new form has the documented defaults', () => {
	const form = formFromAgent();
	assert.equal(form.port, '514');
	assert.equal(form.protocol, 'tcp');
	assert.equal(form.framing, 'lf');
	assert.equal(form.timeFormat, 'rfc5424');
	assert.equal(form.alertsEnabled, true);
	assert.equal(form.activitiesEnabled, true);
	assert.equal(form.format, 'cef');
	assert.equal(form.leefDelimiter, '');
	assert.equal(form.relpTls, false);
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

test('TLS and RELP transports round-trip, certificate settings and minimum version included', () => {
	for (const syslog of [
		{protocol: 'tls', host: 'siem', port: 6514, ca: '/etc/siem-agent/ca.pem', cert: '/etc/siem-agent/agent.pem', key: '/etc/siem-agent/agent.key', serverName: 'siem.contoso.com', minVersion: 'TLSv1.3'},
		{protocol: 'tls', host: 'siem', port: 16_514},
		{protocol: 'relp', host: 'siem', port: 2514},
		{protocol: 'relp', host: 'siem', port: 2514, window: 32, tls: {}},
		{protocol: 'relp', host: 'siem', port: 2514, tls: {ca: '/etc/ca.pem', minVersion: 'TLSv1.2'}},
	] as const) {
		const agent = agentConfig('contoso', {syslog});
		assert.deepEqual(agentFromForm(formFromAgent(agent), agent), agent, syslog.protocol);
	}
});

test('LEEF settings round-trip, other spellings of the delimiter included; other formats keep them', () => {
	for (const delimiter of ['\t', 'tab', 'x09', '^', 'x5E', '|']) {
		const agent = agentConfig('contoso', {format: 'leef', leef: {delimiter}});
		assert.deepEqual(agentFromForm(formFromAgent(agent), agent), agent, delimiter);
	}

	assert.equal(formFromAgent(agentConfig('a', {format: 'leef', leef: {delimiter: '\t'}})).leefDelimiter, '');
	const leef = agentConfig('contoso', {format: 'leef', leef: {delimiter: '^'}});
	assert.deepEqual(agentFromForm({...formFromAgent(leef), format: 'cef'}, leef).leef, {delimiter: '^'});
	assert.deepEqual(agentFromForm({...formFromAgent(leef), leefDelimiter: ''}, leef).leef, {delimiter: '\t'});
	assert.deepEqual(agentFromForm({...formFromAgent(), format: 'leef', leefDelimiter: 'tab'}).leef, {delimiter: '\t'});
	assert.equal(agentFromForm({...formFromAgent(), format: 'json'}).leef, undefined);
});

test('the port follows the protocol until the operator types another', () => {
	let form = formFromAgent();
	for (const [protocol, port] of [['tls', '6514'], ['relp', '2514'], ['udp', '514'], ['tcp', '514']] as const) {
		form = withProtocol(form, protocol);
		assert.equal(form.port, port, protocol);
	}

	assert.equal(withProtocol({...form, port: ''}, 'tls').port, '6514');
	assert.equal(withProtocol({...form, port: '1514'}, 'tls').port, '1514');
	assert.equal(defaultPortOf('relp'), 2514);
	assert.equal(formFromAgent(agentConfig('a', {syslog: {protocol: 'tls', host: 'siem', port: 7514}})).port, '7514');
});

test('certificate paths are saved absolute (the daemon runs elsewhere); unchanged stored paths stay as written', () => {
	const form = {...formFromAgent(), host: 'siem', protocol: 'tls' as const, port: '6514', caFile: ' certs/ca.pem ', certFile: '~/agent.pem', keyFile: '/etc/agent.key'};
	assert.deepEqual(transportFromForm(form), {
		protocol: 'tls', host: 'siem', port: 6514, ca: path.resolve('certs/ca.pem'), cert: path.join(os.homedir(), 'agent.pem'), key: '/etc/agent.key',
	});
	const base = {protocol: 'tls' as const, host: 'siem', port: 6514, ca: 'certs/ca.pem'};
	assert.deepEqual(transportFromForm(formFromAgent(agentConfig('a', {syslog: base})), base), base);
});

test('switching TLS to TCP drops the certificate settings; RELP keeps them only with TLS on', () => {
	const agent = agentConfig('contoso', {syslog: {protocol: 'tls', host: 'siem', port: 6514, ca: '/etc/ca.pem'}});
	const form = formFromAgent(agent);
	assert.deepEqual(transportFromForm(withProtocol(form, 'tcp'), agent.syslog), {protocol: 'tcp', host: 'siem', port: 514, framing: 'lf'});
	assert.deepEqual(transportFromForm(withProtocol(form, 'relp'), agent.syslog), {protocol: 'relp', host: 'siem', port: 2514});
	assert.deepEqual(transportFromForm({...withProtocol(form, 'relp'), relpTls: true, relpWindow: '16'}, agent.syslog), {protocol: 'relp', host: 'siem', port: 2514, window: 16, tls: {ca: '/etc/ca.pem'}});
});
