import assert from 'node:assert/strict';
import {test} from 'node:test';
import {MalformedPageError, parsePage} from '../../source/cloud/page.ts';

const good: Array<[string, string, unknown]> = [
	['a plain page', '{"data":[{"_id":"a"}],"hasNext":false,"total":1}', {data: [{_id: 'a'}], hasNext: false, total: 1, dropped: 0}],
	['a scan page', '{"data":[],"hasNext":true,"nextQueryFilters":{"date":{"gte":5}}}', {data: [], hasNext: true, nextQueryFilters: {date: {gte: 5}}, dropped: 0}],
	['non-objects dropped and counted', '{"data":[1,"x",null,[],{"_id":"b"}],"hasNext":false}', {data: [{_id: 'b'}], hasNext: false, dropped: 4}],
	['hasNext as a string', '{"data":[],"hasNext":"True"}', {data: [], hasNext: true, dropped: 0}],
	['hasNext as 0', '{"data":[],"hasNext":0}', {data: [], hasNext: false, dropped: 0}],
	['total as a string', '{"data":[],"hasNext":false,"total":"12"}', {data: [], hasNext: false, total: 12, dropped: 0}],
	['a bad total is left out', '{"data":[],"hasNext":false,"total":"many"}', {data: [], hasNext: false, dropped: 0}],
	['a byte order mark', '\uFEFF{"data":[],"hasNext":false}', {data: [], hasNext: false, dropped: 0}],
];

for (const [name, text, expected] of good) {
	test(`accepts ${name}`, () => {
		assert.deepEqual(parsePage(text), expected);
	});
}

const bad: Array<[string, string, RegExp]> = [
	['truncated JSON', '{"data":[', /not JSON/],
	['an HTML error page', '<html>oops</html>', /not JSON \(17 characters, starting "<html>oops/],
	['an array', '[]', /an array, not an object/],
	['null', 'null', /null, not an object/],
	['missing data', '{"hasNext":false}', /"data" is missing/],
	['data not an array', '{"data":{},"hasNext":false}', /"data" is not an array/],
	['missing hasNext', '{"data":[]}', /"hasNext" is missing/],
	['hasNext unreadable', '{"data":[],"hasNext":"maybe"}', /"hasNext" is not a boolean/],
];

for (const [name, text, reason] of bad) {
	test(`rejects ${name}`, () => {
		assert.throws(() => parsePage(text), error => error instanceof MalformedPageError && reason.test(error.message));
	});
}
