import assert from 'node:assert/strict';
import {test} from 'node:test';
import {classifyResponse, type ResponseContext} from '../../source/cloud/classify-response.ts';
import {parsePage} from '../../source/cloud/page.ts';
import {parseProxy} from '../../source/cloud/proxy.ts';

const target = 'https://contoso.portal.cloudappsecurity.com/api/v1/alerts/';
const direct: ResponseContext = {target, plainHttp: false, redact: text => text.replaceAll('SECRET-TOKEN', '***')};
const proxied: ResponseContext = {...direct, target: target.replace('https', 'http'), plainHttp: true, proxy: parseProxy('http://alice:pw12345@proxy:3128')};

test('outcomes by status', () => {
	const cases: Array<[number, Record<string, string>, string, ResponseContext, unknown]> = [
		[200, {}, '{"data":[],"hasNext":false}', direct, {kind: 'page', page: {data: [], hasNext: false, dropped: 0}}],
		[429, {'retry-after': '7'}, '', direct, {kind: 'throttle', retryAfterMs: 7000}],
		[429, {}, '', direct, {kind: 'throttle', retryAfterMs: undefined}],
	];
	for (const [status, headers, text, context, expected] of cases) {
		assert.deepEqual(classifyResponse(status, headers, text, context, parsePage), expected, String(status));
	}
});

test('retryable answers carry their code', () => {
	const cases: Array<[number, Record<string, string>, string, string, RegExp, number | undefined]> = [
		[200, {}, 'not json', 'MALFORMED_RESPONSE', /not JSON/, undefined],
		[204, {}, '', 'MALFORMED_RESPONSE', /not JSON/, undefined],
		[408, {}, '', 'API_TIMEOUT', /408/, undefined],
		[500, {}, '{"error":"Internal"}', 'API_SERVER_ERROR', /HTTP 500 .*: Internal$/, undefined],
		[503, {'retry-after': '30'}, '<html><title>Service Unavailable</title></html>', 'API_SERVER_ERROR', /503 .*: Service Unavailable$/, 30_000],
	];
	for (const [status, headers, text, code, message, minDelayMs] of cases) {
		const outcome = classifyResponse(status, headers, text, direct, parsePage);
		assert.equal(outcome.kind, 'retry', String(status));
		assert.ok(outcome.kind === 'retry');
		assert.equal(outcome.error.code, code);
		assert.match(outcome.error.message, message);
		assert.equal(outcome.minDelayMs, minDelayMs);
	}
});

test('final answers throw', () => {
	const cases: Array<[number, Record<string, string>, string, ResponseContext, string, RegExp]> = [
		[401, {}, '', direct, 'INVALID_TOKEN', /not accepted \(HTTP 401 from https:/],
		[403, {}, '', direct, 'INVALID_TOKEN', /HTTP 403/],
		[401, {'www-authenticate': 'Basic'}, '', proxied, 'INVALID_TOKEN', /or the proxy rejected its credentials/],
		[407, {'proxy-authenticate': 'Basic'}, '', proxied, 'PROXY_ERROR', /http:\/\/alice:\*\*\*@proxy:3128 requires authentication/],
		[302, {location: 'https://login.example/'}, '', direct, 'API_REQUEST_REJECTED', /redirected \(HTTP 302 to https:\/\/login\.example\/\); check the portal URL/],
		[400, {}, '{"detail":"Invalid filter for SECRET-TOKEN"}', direct, 'API_REQUEST_REJECTED', /HTTP 400: Invalid filter for \*\*\*$/],
		[404, {}, '<!DOCTYPE html><html><body>x</body></html>', direct, 'API_REQUEST_REJECTED', /HTTP 404: \(an HTML page\)$/],
	];
	for (const [status, headers, text, context, code, message] of cases) {
		assert.throws(() => classifyResponse(status, headers, text, context, parsePage), error => {
			const {code: actual, message: text} = error as {code: string; message: string};
			assert.equal(actual, code, String(status));
			assert.match(text, message);
			assert.ok(!text.includes('pw12345') && !text.includes('SECRET-TOKEN'));
			return true;
		});
	}
});
