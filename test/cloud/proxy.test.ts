import assert from 'node:assert/strict';
import {test} from 'node:test';
import {maskProxy, parseProxy} from '../../source/cloud/proxy.ts';

const valid: Array<[string, {uri: string; host: string; port: number; hasCredentials: boolean; display: string}]> = [
	['10.0.0.1', {uri: 'http://10.0.0.1:8080', host: '10.0.0.1', port: 8080, hasCredentials: false, display: '10.0.0.1:8080'}],
	['10.0.0.1:3128', {uri: 'http://10.0.0.1:3128', host: '10.0.0.1', port: 3128, hasCredentials: false, display: '10.0.0.1:3128'}],
	['proxy.corp.example:80', {uri: 'http://proxy.corp.example:80', host: 'proxy.corp.example', port: 80, hasCredentials: false, display: 'proxy.corp.example:80'}],
	[' proxy_01:8080 ', {uri: 'http://proxy_01:8080', host: 'proxy_01', port: 8080, hasCredentials: false, display: 'proxy_01:8080'}],
	['[::1]:3128', {uri: 'http://[::1]:3128', host: '::1', port: 3128, hasCredentials: false, display: '[::1]:3128'}],
	['http://proxy:3128', {uri: 'http://proxy:3128', host: 'proxy', port: 3128, hasCredentials: false, display: 'http://proxy:3128'}],
	['HTTP://Proxy', {uri: 'http://proxy:80', host: 'proxy', port: 80, hasCredentials: false, display: 'http://proxy:80'}],
	['https://proxy', {uri: 'https://proxy:443', host: 'proxy', port: 443, hasCredentials: false, display: 'https://proxy:443'}],
	['http://alice:s3cret@proxy:3128', {uri: 'http://alice:s3cret@proxy:3128', host: 'proxy', port: 3128, hasCredentials: true, display: 'http://alice:***@proxy:3128'}],
	['http://alice:p%40ss@proxy:3128/', {uri: 'http://alice:p%40ss@proxy:3128', host: 'proxy', port: 3128, hasCredentials: true, display: 'http://alice:***@proxy:3128'}],
	['alice:s3cret@proxy:3128', {uri: 'http://alice:s3cret@proxy:3128', host: 'proxy', port: 3128, hasCredentials: true, display: 'http://alice:***@proxy:3128'}],
	['http://alice@proxy:3128', {uri: 'http://alice@proxy:3128', host: 'proxy', port: 3128, hasCredentials: true, display: 'http://alice@proxy:3128'}],
];

for (const [input, expected] of valid) {
	test(`parses ${JSON.stringify(input)}`, () => {
		const {protocol: _, ...parsed} = parseProxy(input);
		assert.deepEqual(parsed, expected);
	});
}

const invalid: Array<[string, RegExp]> = [
	['', /empty/],
	['proxy:', /port is empty/],
	['proxy:0', /between 1 and 65535/],
	['proxy:65536', /between 1 and 65535/],
	['proxy:port', /expected ADDRESS\[:PORT\]/],
	['pro xy:8080', /spaces/],
	['-proxy:8080', /not a valid host/],
	['::1', /brackets/],
	['http://proxy:8080/path', /no path/],
	['http://proxy:8080?x=1', /no path/],
	['socks5://proxy:1080', /scheme "socks5" is not supported/],
	['ftp://alice:s3cret@proxy', /scheme "ftp"/],
	['http://alice:s3cret@:3128', /expected ADDRESS/],
	['http://alice:s3cret@proxy:99999', /between 1 and 65535/],
	['alice:s3cret@pro xy', /spaces/],
	['http://alice:s3c/ret@proxy', /no path|expected/],
];

for (const [input, reason] of invalid) {
	test(`rejects ${JSON.stringify(input)} naming it without its password`, () => {
		assert.throws(() => parseProxy(input), error => {
			const {code, message} = error as {code: string; message: string};
			assert.equal(code, 'INVALID_PROXY_ADDRESS');
			assert.match(message, reason);
			assert.ok(!message.includes('s3cret') && !message.includes('s3c/ret'), message);
			if (input.includes('@')) {
				assert.match(message, /alice:\*\*\*@/);
			} else {
				assert.ok(message.includes(`"${input.trim()}"`), message);
			}

			return true;
		});
	});
}

test('maskProxy masks the password of values that do not parse', () => {
	assert.equal(maskProxy('http://u:pw@h:1'), 'http://u:***@h:1');
	assert.equal(maskProxy('u:p@w@h'), 'u:***@h');
	assert.equal(maskProxy('u@h:1'), 'u@h:1');
	assert.equal(maskProxy('h:1'), 'h:1');
});
