import assert from 'node:assert/strict';
import {test} from 'node:test';
import {isInsecureUrl, normalizeToken, parseEndpoint} from '../../source/cloud/endpoint.ts';

test('portal URLs with or without a trailing slash or a prefix', () => {
	assert.deepEqual(parseEndpoint('https://contoso.eu2.portal.cloudappsecurity.com'), {origin: 'https://contoso.eu2.portal.cloudappsecurity.com', prefix: ''});
	assert.deepEqual(parseEndpoint(' https://contoso.portal.cloudappsecurity.com/ '), {origin: 'https://contoso.portal.cloudappsecurity.com', prefix: ''});
	assert.deepEqual(parseEndpoint('http://127.0.0.1:8080/mcas//'), {origin: 'http://127.0.0.1:8080', prefix: '/mcas'});
});

test('bad portal URLs are CONFIG_ERROR without echoing credentials', () => {
	for (const url of ['contoso.portal.cloudappsecurity.com', 'ftp://x', 'https://x/?a=1', 'https://x/#y']) {
		assert.throws(() => parseEndpoint(url), {code: 'CONFIG_ERROR'}, url);
	}

	assert.throws(() => parseEndpoint('https://me:pw123@x'), error => {
		const {code, message} = error as {code: string; message: string};
		return code === 'CONFIG_ERROR' && !message.includes('pw123') && message.includes('https://***@x');
	});
});

test('tokens are trimmed; unusable ones are INVALID_TOKEN', () => {
	assert.equal(normalizeToken('  abc123\n'), 'abc123');
	assert.throws(() => normalizeToken(''), {code: 'INVALID_TOKEN'});
	assert.throws(() => normalizeToken('abc\u00E9'), {code: 'INVALID_TOKEN'});
	assert.throws(() => normalizeToken('ab\nc'), {code: 'INVALID_TOKEN'});
});

test('http is insecure except on loopback', () => {
	assert.equal(isInsecureUrl('https://contoso.portal.cloudappsecurity.com'), false);
	assert.equal(isInsecureUrl('http://127.0.0.1:3000'), false);
	assert.equal(isInsecureUrl('http://localhost:3000'), false);
	assert.equal(isInsecureUrl('http://[::1]:3000'), false);
	assert.equal(isInsecureUrl('http://contoso.portal.cloudappsecurity.com'), true);
	// Host names that only start like a loopback address are remote.
	assert.equal(isInsecureUrl('http://127.0.0.1.nip.io:3000'), true);
	assert.equal(isInsecureUrl('http://127.evil.example'), true);
});
