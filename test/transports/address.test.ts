import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseSyslogAddress} from '../../source/transports/address.ts';

test('parseSyslogAddress accepts host, host:port, IPv4, bracketed and bare IPv6', () => {
	const cases: Array<[string, {host: string; port: number}]> = [
		['siem.example.com', {host: 'siem.example.com', port: 514}],
		['siem.example.com:6514', {host: 'siem.example.com', port: 6514}],
		['10.0.0.5:1', {host: '10.0.0.5', port: 1}],
		['10.0.0.5:65535', {host: '10.0.0.5', port: 65_535}],
		['  localhost:5514 ', {host: 'localhost', port: 5514}],
		['[::1]:514', {host: '::1', port: 514}],
		['[2001:db8::1]', {host: '2001:db8::1', port: 514}],
		['2001:db8::1', {host: '2001:db8::1', port: 514}],
		['my_host-1', {host: 'my_host-1', port: 514}],
	];
	for (const [value, expected] of cases) {
		assert.deepEqual(parseSyslogAddress(value), expected, value);
	}
	assert.deepEqual(parseSyslogAddress('host', 5514), {host: 'host', port: 5514});
});

test('parseSyslogAddress rejects bad values with CONFIG_ERROR naming them', () => {
	const cases = ['', '   ', 'host:0', 'host:65536', 'host:abc', 'host:', ':514', 'host:-1', 'host:5 14', '[::1', '[::1]x', '[nothost]:514', '2001:db8::1:99999x', 'a:b:c', 'bad host', 'http://host:514', '[::1]:0'];
	for (const value of cases) {
		assert.throws(() => parseSyslogAddress(value), (error: {code: string; message: string}) => {
			assert.equal(error.code, 'CONFIG_ERROR', value);
			assert.ok(error.message.includes(`"${value}"`), error.message);
			return true;
		}, value);
	}
});
