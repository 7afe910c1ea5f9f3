import assert from 'node:assert/strict';
import {test} from 'node:test';
import {isIpAddress, validateAuthority, validateClientId, validateClientSecret, validateHost, validateName, validatePort, validateProxy, validateRelpWindow, validateServerName, validateTenantId, validateToken, validateUrl} from '../../../source/ui/wizard/validate.ts';

test('agent name: present, unique, usable as a file name', () => {
	assert.equal(validateName('', []), 'Enter a name for the agent.');
	assert.equal(validateName('   ', []), 'Enter a name for the agent.');
	assert.match(validateName('contoso', ['contoso'])!, /already exists/);
	assert.match(validateName('a/b', [])!, /cannot contain/);
	assert.match(validateName('x'.repeat(65), [])!, /too long/);
	assert.equal(validateName('contoso EU', ['contoso']), undefined);
});

test('syslog host: an IP address or a host name', () => {
	for (const host of ['10.0.0.5', '::1', 'siem', 'siem.contoso.com', 'siem-01.contoso.com.']) {
		assert.equal(validateHost(host), undefined, host);
	}

	assert.match(validateHost('')!, /Enter the syslog host/);
	assert.match(validateHost('bad host')!, /is not an IP address or a host name/);
	assert.match(validateHost('-bad.com')!, /is not/);
	assert.equal(isIpAddress('10.0.0.5'), true);
	assert.equal(isIpAddress('siem.contoso.com'), false);
});

test('port: 1 to 65535', () => {
	assert.equal(validatePort('514'), undefined);
	assert.equal(validatePort('65535'), undefined);
	assert.match(validatePort('')!, /Enter the syslog port, a number from 1 to 65535 \(usually 514\)\./);
	assert.match(validatePort('', 6514)!, /\(usually 6514\)/);
	for (const port of ['0', '70000', '65536', '5x', '-1', '5.5']) {
		assert.match(validatePort(port)!, /must be a number from 1 to 65535/, port);
	}
});

test('portal URL, token and proxy', () => {
	assert.equal(validateUrl('https://contoso.portal.cloudappsecurity.com'), undefined);
	assert.equal(validateUrl('http://127.0.0.1:8080'), undefined);
	assert.match(validateUrl('')!, /Enter the portal URL/);
	assert.match(validateUrl('contoso')!, /is not a URL/);
	assert.match(validateUrl('ftp://contoso.com')!, /must start with https/);
	assert.match(validateToken('')!, /Paste the API token/);
	assert.equal(validateToken('abc'), undefined);
	for (const proxy of ['', 'proxy.contoso.com', 'proxy:3128', 'http://user:pass@proxy:3128', '[::1]:3128']) {
		assert.equal(validateProxy(proxy), undefined, proxy);
	}

	for (const proxy of ['proxy:99999', 'a b', 'ftp://proxy:21']) {
		assert.match(validateProxy(proxy)!, /Invalid proxy address/, proxy);
	}

	// The message never repeats the value: it may hold a password.
	assert.ok(!validateProxy('http://user:secret@:3128')?.includes('secret'));
});

test('TLS server name: optional, a host name or an IP address', () => {
	for (const name of ['', 'siem', 'siem.contoso.com', '10.0.0.5', '::1']) {
		assert.equal(validateServerName(name), undefined, name);
	}

	assert.equal(validateServerName('bad name'), '"bad name" is not a host name or an IP address; leave empty to check the host above.');
});

test('RELP window: optional, a whole number from 1', () => {
	for (const window of ['', '1', '128', '100000']) {
		assert.equal(validateRelpWindow(window), undefined, window);
	}

	for (const window of ['0', '-1', '1.5', 'abc', '100001', '9999999']) {
		assert.match(validateRelpWindow(window)!, /The window must be a whole number from 1 to 100000 \(leave empty for 128\)/, window);
	}
});

test('Entra ID app: tenant and client IDs, secret, optional https authority', () => {
	assert.equal(validateTenantId('72f988bf-86f1-41af-91ab-2d7cd011db47'), undefined);
	assert.equal(validateTenantId(' contoso.onmicrosoft.com '), undefined);
	assert.match(validateTenantId('')!, /Enter the directory \(tenant\) ID/);
	assert.match(validateTenantId('contoso/../x')!, /GUID, or a domain/);
	assert.equal(validateClientId('0b6c7d3e-1111-4222-8333-944455556666'), undefined);
	assert.match(validateClientId('')!, /Enter the application \(client\) ID/);
	assert.match(validateClientId('not an id')!, /is a GUID/);
	assert.equal(validateClientSecret('x~y'), undefined);
	assert.match(validateClientSecret('  ')!, /Paste the client secret's Value/);
	assert.equal(validateAuthority(''), undefined);
	assert.equal(validateAuthority('https://login.microsoftonline.us'), undefined);
	assert.equal(validateAuthority('http://127.0.0.1:8080'), undefined);
	assert.match(validateAuthority('http://login.example')!, /secret would travel in clear/);
	assert.match(validateAuthority('http://127.0.0.1.nip.io')!, /secret would travel in clear/);
	assert.match(validateAuthority('https://login.example#x')!, /without credentials, query or fragment/);
	assert.match(validateAuthority('login.microsoftonline.us')!, /not a URL/);
});
