import assert from 'node:assert/strict';
import {test} from 'node:test';
import {applyFlags, validateAgent, withEnvironment} from '../../source/config/resolve.ts';
import {AgentError} from '../../source/errors.ts';

test('every agent option can come from SIEM_AGENT_<NAME>, switches included; a flag wins', () => {
	const env = {SIEM_AGENT_TOKEN: 'env-token-123', SIEM_AGENT_INCLUDE_PRI: 'true', SIEM_AGENT_INCLUDE_SYSTEM_NAME: 'no', SIEM_AGENT_CLIENT_SECRET: 'env-secret-123', SIEM_AGENT_POLL_INTERVAL: '30'};
	const flags = withEnvironment({token: undefined, includePri: undefined, includeSystemName: true, pollInterval: '5'} as Record<string, unknown>, env);
	assert.deepEqual(flags, {token: 'env-token-123', includePri: true, includeSystemName: true, pollInterval: '5', clientSecret: 'env-secret-123'});
	const agent = applyFlags(undefined, {...withEnvironment({}, {SIEM_AGENT_INCLUDE_PRI: 'off'}), url: 'https://x', token: 't', syslog: 'siem:514'});
	assert.equal(agent.cef.includePri, false);
	assert.throws(() => withEnvironment({}, {SIEM_AGENT_INCLUDE_PRI: 'maybe'}), (error: AgentError) => error.code === 'CONFIG_ERROR' && /SIEM_AGENT_INCLUDE_PRI: "maybe" is not true or false/.test(error.message));
});

test('Entra ID flags: a new certificate without --client-key drops the old key file; a key file needs a certificate', () => {
	const base = applyFlags(undefined, {url: 'https://x', syslog: 'siem:514', tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientCertificate: '/etc/old.pem', clientKey: '/etc/old.key'});
	assert.deepEqual(base.entra, {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', certificate: '/etc/old.pem', privateKey: '/etc/old.key'});
	assert.deepEqual(applyFlags(base, {clientCertificate: '/etc/new-with-key.pem'}).entra, {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', certificate: '/etc/new-with-key.pem'});
	assert.deepEqual(applyFlags(base, {clientSecret: 'now-a-secret'}).entra, {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'now-a-secret'});
	const keyWithSecret = applyFlags(undefined, {url: 'https://x', syslog: 'siem:514', tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'a-secret', clientKey: '/etc/app.key'});
	assert.throws(() => validateAgent(keyWithSecret), (error: AgentError) => error.code === 'CONFIG_ERROR' && /--client-key: .*belongs with a certificate/.test(error.message));
});
