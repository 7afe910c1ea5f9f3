import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {validateAgent} from '../../source/config/resolve.ts';
import {readConfig, unknownSettings} from '../../source/config/store.ts';
import {AgentError} from '../../source/errors.ts';

function withFile(content: unknown, check: (file: string) => void): void {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-store-'));
	const file = path.join(directory, 'config.json');
	writeFileSync(file, JSON.stringify(content), {mode: 0o600});
	try {
		check(file);
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

test('a hand-written agent needs only name, url, token and the syslog host: the rest takes the documented defaults', () => {
	withFile({agents: [{name: 'minimal', url: 'https://contoso.portal.cloudappsecurity.com', token: 'tok-123456', syslog: {host: 'siem.example.com'}}, {name: 'tls', url: 'https://x.portal.cloudappsecurity.com', token: 'tok-123456', syslog: {protocol: 'tls', host: 'siem.example.com'}, dataTypes: {alerts: {enabled: false}}, cef: {includePri: true}}]}, file => {
		const [minimal, tls] = readConfig(file).agents;
		assert.deepEqual(minimal, {
			name: 'minimal',
			url: 'https://contoso.portal.cloudappsecurity.com',
			token: 'tok-123456',
			format: 'cef',
			cef: {timeFormat: 'rfc5424', includePri: false, includeSystemName: false},
			syslog: {host: 'siem.example.com', protocol: 'tcp', port: 514, framing: 'lf'},
			dataTypes: {alerts: {enabled: true, filters: {}}, activities: {enabled: true, filters: {}}},
			pollIntervalSeconds: 10,
			requestsPerMinute: 30,
			settleSeconds: 5,
			paused: false,
		});
		assert.doesNotThrow(() => validateAgent(minimal!));
		assert.deepEqual(tls!.syslog, {protocol: 'tls', host: 'siem.example.com', port: 6514});
		assert.deepEqual(tls!.dataTypes.alerts, {enabled: false, filters: {}});
		assert.deepEqual(tls!.cef, {timeFormat: 'rfc5424', includePri: true, includeSystemName: false});
	});
});

test('what cannot default is named: no syslog server, an agent that is not an object', () => {
	withFile({agents: [{name: 'no-siem', url: 'https://contoso.portal.cloudappsecurity.com', token: 'tok-123456'}]}, file => {
		assert.throws(() => validateAgent(readConfig(file).agents[0]!), (error: AgentError) => error.code === 'CONFIG_ERROR' && /--syslog: agent "no-siem" has no syslog server/.test(error.message));
	});
	withFile({agents: ['oops']}, file => {
		assert.throws(() => readConfig(file), (error: AgentError) => error.code === 'CONFIG_ERROR' && /agents\[0\] must be an object/.test(error.message));
	});
});

test('settings the agent does not know are named by path, so a typo is not silently ignored', () => {
	assert.deepEqual(unknownSettings({
		agents: [
			{name: 'a', url: 'https://x', token: 't', protocl: 'udp', syslog: {host: 'h', protocol: 'tls', tls: {ca: 'x', verify: false}, prot: 1}, cef: {timeformat: 'rfc3164'}, dataTypes: {alerts: {enabled: true, filters: {anything: {eq: [1]}}, enable: false}, alert: {}}},
			{name: 'b', url: 'https://y', token: 't', syslog: {host: 'h'}, entra: {tenantId: 't', clientID: 'c'}},
		],
		stateDirectory: '/var/lib/siem-agent',
		logDirectory: '/var/log',
	}), [
		'logDirectory',
		'agents[0].protocl',
		'agents[0].cef.timeformat',
		'agents[0].syslog.prot',
		'agents[0].syslog.tls.verify',
		'agents[0].dataTypes.alert',
		'agents[0].dataTypes.alerts.enable',
		'agents[1].entra.clientID',
	]);
	// Everything the wizard writes is known.
	assert.deepEqual(unknownSettings({agents: [{name: 'a', url: 'u', token: 't', entra: {tenantId: 't', clientId: 'c', clientSecret: 's', certificate: 'c', privateKey: 'k', authority: 'a'}, proxy: 'p', format: 'leef', cef: {timeFormat: 'rfc5424', includePri: false, includeSystemName: false}, leef: {delimiter: '^'}, syslog: {protocol: 'relp', host: 'h', port: 1, window: 1, tls: {ca: 'c', cert: 'c', key: 'k', serverName: 's', minVersion: 'TLSv1.3'}}, dataTypes: {alerts: {enabled: true, filters: {}}, activities: {enabled: false, filters: {}}}, pollIntervalSeconds: 10, requestsPerMinute: 30, settleSeconds: 5, paused: false}]}), []);
});
