import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {call} from './helpers.ts';

let sim: Simulator;
before(async () => {
	sim = await createSimulator({historyActivities: 50, historyAlerts: 10, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0, token: 'secret-sim-token'});
});
after(async () => sim.close());

test('listens on a free loopback port and reports its URL and token', () => {
	assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
	assert.ok(sim.port > 0);
	assert.equal(sim.token, 'secret-sim-token');
});

test('a missing Authorization header is answered 401 with a JSON error', async () => {
	const answer = await call(sim, 'activities', {}, {token: null});
	assert.equal(answer.status, 401);
	assert.match(answer.headers.get('content-type') ?? '', /application\/json/);
	assert.match(answer.body.detail, /Invalid token/);
});

test('a wrong token is answered 401 and is not echoed back', async () => {
	const answer = await call(sim, 'alerts', {}, {token: 'wrong-token-123'});
	assert.equal(answer.status, 401);
	assert.ok(!answer.text.includes('wrong-token-123'));
	assert.ok(!answer.text.includes('secret-sim-token'));
});

test('Token and Bearer schemes are both accepted, in any case', async () => {
	for (const header of ['Token secret-sim-token', 'Bearer secret-sim-token', 'token secret-sim-token']) {
		const answer = await call(sim, 'alerts', {limit: 1}, {headers: {authorization: header}});
		assert.equal(answer.status, 200, header);
	}

	const wrongScheme = await call(sim, 'alerts', {}, {headers: {authorization: 'Basic secret-sim-token'}});
	assert.equal(wrongScheme.status, 401);
});

test('routes work with and without the trailing slash, by POST and by GET', async () => {
	for (const path of ['/api/v1/activities/', '/api/v1/activities', '/api/v1/alerts/', '/api/v1/alerts']) {
		const posted = await call(sim, path, {limit: 2});
		assert.equal(posted.status, 200, path);
		assert.equal(posted.body.data.length, 2);
	}

	const viaQueryString = await call(sim, `/api/v1/activities/?limit=3&sortField=created&sortDirection=asc&filters=${encodeURIComponent('{"source":{"eq":[2]}}')}`, undefined, {method: 'GET'});
	assert.equal(viaQueryString.status, 200);
	assert.equal(viaQueryString.body.data.length, 3);
	assert.ok(viaQueryString.body.data.every((r: any) => r.source === 2));
});

test('unknown paths are 404, other methods 405, bad JSON 400, all with JSON bodies', async () => {
	const missing = await call(sim, '/api/v1/files/', {});
	assert.equal(missing.status, 404);
	assert.ok(missing.body.detail);
	const wrongMethod = await call(sim, '/api/v1/alerts/', undefined, {method: 'DELETE'});
	assert.equal(wrongMethod.status, 405);
	assert.equal(wrongMethod.headers.get('allow'), 'GET, POST');
	const badJson = await call(sim, 'alerts', undefined, {body: '{"limit": 1'});
	assert.equal(badJson.status, 400);
	assert.match(badJson.body.detail, /not valid JSON/);
});

test('the health route answers without the token and never shows it', async () => {
	const answer = await call(sim, '/_sim/health', undefined, {method: 'GET', token: null});
	assert.equal(answer.status, 200);
	assert.equal(answer.body.status, 'ok');
	assert.equal(answer.body.visible.activities, 50);
	assert.ok(!answer.text.includes('secret-sim-token'));
});
