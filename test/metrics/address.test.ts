import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatMetricsAddress, parseMetricsAddress} from '../../source/metrics/address.ts';

describe('--metrics HOST:PORT', () => {
	it('parses host:port, IPv6 in brackets, and port 0', () => {
		assert.deepEqual(parseMetricsAddress('127.0.0.1:9464'), {host: '127.0.0.1', port: 9464});
		assert.deepEqual(parseMetricsAddress(' localhost:80 '), {host: 'localhost', port: 80});
		assert.deepEqual(parseMetricsAddress('0.0.0.0:0'), {host: '0.0.0.0', port: 0});
		assert.deepEqual(parseMetricsAddress('[::1]:9464'), {host: '::1', port: 9464});
	});

	for (const [value, why] of [
		['', /it is empty/],
		['9464', /the port is missing/],
		['127.0.0.1', /the port is missing/],
		[':9464', /the host is missing/],
		['127.0.0.1:', /port "" must be a number from 0 to 65535/],
		['127.0.0.1:99999', /port "99999"/],
		['127.0.0.1:http', /port "http"/],
		['::1:9464', /put an IPv6 address in brackets/],
		['[::1]', /the port is missing/],
		['[::1:9464', /missing "\]"/],
		['[nope]:1', /"nope" is not an IPv6 address/],
		['bad host:1', /"bad host" is not a host name/],
	] as const) {
		it(`rejects ${JSON.stringify(value)} with CONFIG_ERROR`, () => {
			assert.throws(() => parseMetricsAddress(value), (error: Error & {code?: string}) => {
				assert.equal(error.code, 'CONFIG_ERROR');
				assert.match(error.message, why);
				assert.match(error.message, /^--metrics /);
				return true;
			});
		});
	}

	it('formats an address back, with brackets for IPv6', () => {
		assert.equal(formatMetricsAddress({host: '::1', port: 1}), '[::1]:1');
		assert.equal(formatMetricsAddress({host: '127.0.0.1', port: 9464}), '127.0.0.1:9464');
	});
});
