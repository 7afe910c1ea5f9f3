/**
 * Entra ID app tokens end to end: the client against the simulator, which is its own
 * authority (the client credentials grant at /<tenant>/oauth2/v2.0/token) and accepts the
 * tokens it issued as Bearer tokens until they expire.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {checkToken, createCloudClient, type CloudClientOptions} from '../../source/cloud/client.ts';
import {createDispatcher} from '../../source/cloud/dispatcher.ts';
import {createTokenSource, normalizeEntraCredentials} from '../../source/cloud/entra.ts';
import type {ClientEvent} from '../../source/cloud/types.ts';
import {AgentError} from '../../source/errors.ts';
import {createSimulator} from '../../source/simulate/index.ts';
import {freePort} from '../helpers/ports.ts';
import {json, startApiServer} from './api-server.ts';
import type {Simulator} from '../../source/simulate/types.ts';

const secret = 'Sim~Secret.0123456789abcdefXYZ';
let offsetMs = 0;
let sim: Simulator;

before(async () => {
	// The simulator's clock can jump ahead, so a token the client still holds expires server-side.
	sim = await createSimulator({
		now: () => Date.now() + offsetMs,
		historyActivities: 20,
		historyAlerts: 5,
		liveActivitiesPerSecond: 0,
		liveAlertsPerMinute: 0,
		throttle: 0,
		entra: {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: secret},
	});
});

after(async () => {
	await sim.close();
});

function client(entra: Partial<CloudClientOptions['entra']> = {}, options: Partial<CloudClientOptions> = {}) {
	const events: ClientEvent[] = [];
	const instance = createCloudClient({
		url: sim.url,
		entra: {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: secret, authority: sim.url, ...entra},
		requestsPerMinute: 0,
		backoffBaseMs: 1,
		backoffMaxMs: 5,
		maxRetries: 2,
		onEvent(event) {
			events.push(event);
		},
		...options,
	});
	return {client: instance, events};
}

async function rejection(promise: Promise<unknown>): Promise<AgentError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof AgentError, String(error));
		return error;
	}

	assert.fail('expected a rejection');
}

test('a token from the client credentials grant reads both data types and is reused until it expires', async () => {
	const before = sim.stats().tokensIssued;
	const {client: api} = client();
	try {
		const alerts = await api.query('alerts', {limit: 2});
		const activities = await api.query('activities', {limit: 3});
		assert.equal(alerts.data.length, 2);
		assert.equal(activities.data.length, 3);
		assert.equal(sim.stats().tokensIssued - before, 1, 'one token for both queries');
	} finally {
		await api.close();
	}
});

test('a token the API no longer accepts is replaced once, without failing the query', async () => {
	const {client: api} = client();
	try {
		await api.query('alerts', {limit: 1});
		const issued = sim.stats().tokensIssued;
		// Two hours later for the service: the cached token is expired there, not here.
		offsetMs = 2 * 3_600_000;
		const page = await api.query('alerts', {limit: 1});
		assert.equal(page.data.length, 1);
		assert.equal(sim.stats().tokensIssued - issued, 1);
	} finally {
		offsetMs = 0;
		await api.close();
	}
});

test('refused app credentials are INVALID_APP_CREDENTIALS (exit 3) with Entra\'s reason, never the secret', async () => {
	const cases: Array<[Partial<CloudClientOptions['entra']>, RegExp]> = [
		[{clientSecret: 'Wrong~Secret.0123456789'}, /HTTP 401 .*AADSTS7000215: Invalid client secret provided/],
		[{tenantId: 'fabrikam.onmicrosoft.com'}, /HTTP 400 .*AADSTS90002: Tenant 'fabrikam\.onmicrosoft\.com' not found/],
		[{clientId: '99999999-2222-3333-4444-555555555555'}, /HTTP 400 .*AADSTS700016/],
	];
	for (const [entra, message] of cases) {
		const {client: api} = client(entra);
		try {
			const error = await rejection(api.query('alerts', {limit: 1}));
			assert.equal(error.code, 'INVALID_APP_CREDENTIALS');
			assert.equal(error.retryable, false);
			assert.match(error.message, message);
			assert.ok(!error.message.includes(secret) && !error.message.includes('Wrong~Secret'), error.message);
		} finally {
			await api.close();
		}
	}
});

test('checkToken (wizard and `test`) checks an Entra ID app the same way', async () => {
	const good = await checkToken({url: sim.url, entra: {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: secret, authority: sim.url}, requestsPerMinute: 0});
	assert.ok(good.ms >= 0);
	const bad = await rejection(checkToken({url: sim.url, entra: {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'nope-nope-nope', authority: sim.url}, requestsPerMinute: 0}));
	assert.equal(bad.code, 'INVALID_APP_CREDENTIALS');
});

test('an unreachable authority is retried with backoff, then reported as a connection error naming it', async () => {
	const port = await freePort();
	const {client: api, events} = client({authority: `http://127.0.0.1:${port}`});
	try {
		const error = await rejection(api.query('alerts', {limit: 1}));
		assert.equal(error.code, 'API_CONNECTION_ERROR');
		assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}/contoso\\.onmicrosoft\\.com/oauth2/v2\\.0/token`));
		assert.equal(events.filter(event => event.type === 'retry').length, 2);
	} finally {
		await api.close();
	}
});

test('settings are checked before anything is sent', () => {
	const good = {tenantId: ' 72f988bf-86f1-41af-91ab-2d7cd011db47 ', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 's3cr3t~value'};
	assert.deepEqual(normalizeEntraCredentials(good), {tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: good.clientId, authority: 'https://login.microsoftonline.com', credential: {kind: 'secret', secret: 's3cr3t~value'}});
	const refused: Array<[Partial<typeof good> & {authority?: string}, string, RegExp]> = [
		[{tenantId: 'contoso/../x'}, 'CONFIG_ERROR', /tenant ID/],
		[{clientId: 'not an id'}, 'CONFIG_ERROR', /client ID/],
		[{clientSecret: ''}, 'INVALID_APP_CREDENTIALS', /No client secret \(or certificate\)/],
		[{clientSecret: 'two\nlines'}, 'INVALID_APP_CREDENTIALS', /characters a secret cannot have/],
		[{authority: 'https://user:pw@login.example'}, 'CONFIG_ERROR', /authority/],
		[{authority: 'ftp://login.example'}, 'CONFIG_ERROR', /authority/],
		[{authority: 'http://login.example'}, 'CONFIG_ERROR', /use https:\/\/: the client secret would travel in clear/],
		// Names that only look like loopback addresses are remote hosts.
		[{authority: 'http://127.0.0.1.nip.io:8080'}, 'CONFIG_ERROR', /use https:\/\//],
		[{authority: 'http://127.evil.example'}, 'CONFIG_ERROR', /use https:\/\//],
		[{authority: 'https://login.example#x'}, 'CONFIG_ERROR', /without credentials, query or fragment/],
		[{authority: 'https://:pw@login.example'}, 'CONFIG_ERROR', /without credentials/],
		// A secret pasted into the ID field is not quoted back.
		[{tenantId: 'Abc8Q~secret.pasted.here'}, 'CONFIG_ERROR', /tenant ID \(24 characters\) is not a directory ID/],
	];
	for (const [change, code, message] of refused) {
		assert.throws(() => normalizeEntraCredentials({...good, ...change}), (error: AgentError) => error.code === code && message.test(error.message) && !error.message.includes('two\nlines') && !error.message.includes('~secret') && !error.message.includes(':pw@'), JSON.stringify(change));
	}

	assert.equal(normalizeEntraCredentials({...good, authority: 'http://127.0.0.1:8080'}).authority, 'http://127.0.0.1:8080');
	assert.equal(normalizeEntraCredentials({...good, authority: 'http://[::1]:8080/'}).authority, 'http://[::1]:8080');
});

test('an app whose fresh token is refused too lacks the API permission: INVALID_APP_CREDENTIALS, asked for twice, not retried', async () => {
	let issued = 0;
	const server = await startApiServer((request, response) => {
		if (request.url.endsWith('/oauth2/v2.0/token')) {
			issued++;
			json(response, 200, {token_type: 'Bearer', expires_in: 3599, access_token: `eyJ-token-${issued}-abcdefgh`});
		} else {
			json(response, 401, {detail: 'Invalid token'});
		}
	});
	try {
		const api = createCloudClient({url: server.url, entra: {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: secret, authority: server.url}, requestsPerMinute: 0, maxRetries: 3, backoffBaseMs: 1});
		const error = await rejection(api.query('alerts', {limit: 1}));
		await api.close();
		assert.equal(error.code, 'INVALID_APP_CREDENTIALS');
		assert.match(error.message, /refused the Entra ID app's token \(HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/alerts\/\)/);
		assert.equal(issued, 2);
		const api401 = server.requests.filter(request => request.url.startsWith('/api/'));
		assert.deepEqual(api401.map(request => request.headers.authorization), ['Bearer eyJ-token-1-abcdefgh', 'Bearer eyJ-token-2-abcdefgh']);
		assert.ok(!error.message.includes('eyJ-token'));
	} finally {
		await server.close();
	}
});

describe('an Entra ID app with a certificate instead of a secret', () => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-entra-'));
	const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: directory, stdio: ['ignore', 'ignore', 'pipe']});
	const files = (name: string) => ({certificate: path.join(directory, `${name}.pem`), privateKey: path.join(directory, `${name}.key`)});
	let certSim: Simulator;

	before(async () => {
		for (const name of ['app', 'other']) {
			openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=siem-agent ${name}`);
		}

		// One file with both, as `az ad sp create-for-rbac --create-cert` writes it.
		writeFileSync(path.join(directory, 'both.pem'), readFileSync(files('app').privateKey, 'utf8') + readFileSync(files('app').certificate, 'utf8'));
		openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ec.key', '-out', 'ec.pem', '-days', '30', '-subj', '/CN=siem-agent ec');
		certSim = await createSimulator({historyAlerts: 5, historyActivities: 5, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0, entra: {certificate: readFileSync(files('app').certificate, 'utf8')}});
	});

	after(async () => {
		await certSim?.close();
		rmSync(directory, {recursive: true, force: true});
	});

	const certClient = (entra: Partial<CloudClientOptions['entra']>) => createCloudClient({url: certSim.url, entra: {tenantId: 'sim-tenant', clientId: 'sim-client', authority: certSim.url, ...entra}, requestsPerMinute: 0, maxRetries: 1, backoffBaseMs: 1});

	test('a signed client assertion gets a token, with the key in its own file or beside the certificate', async () => {
		for (const entra of [files('app'), {certificate: path.join(directory, 'both.pem')}]) {
			const before = certSim.stats().tokensIssued;
			const api = certClient(entra);
			try {
				assert.equal((await api.query('alerts', {limit: 1})).data.length, 1);
				assert.equal(certSim.stats().tokensIssued - before, 1);
			} finally {
				await api.close();
			}
		}
	});

	test('a certificate the app does not have is refused by Entra ID (AADSTS700027), exit 3', async () => {
		const api = certClient(files('other'));
		try {
			const error = await rejection(api.query('alerts', {limit: 1}));
			assert.equal(error.code, 'INVALID_APP_CREDENTIALS');
			assert.match(error.message, /AADSTS700027: The certificate with identifier used to sign the client assertion is not registered/);
		} finally {
			await api.close();
		}
	});

	test('unusable files are refused before anything is sent, naming the file', () => {
		const cases: Array<[Partial<CloudClientOptions['entra']>, RegExp]> = [
			[{certificate: path.join(directory, 'missing.pem')}, /certificate file ".*missing\.pem" cannot be read: no such file/],
			[{certificate: files('app').certificate}, /".*app\.pem" holds no unencrypted PEM private key \(give it with privateKey/],
			[{certificate: files('app').certificate, privateKey: files('other').privateKey}, /private key in ".*other\.key" does not belong to the certificate/],
			[{certificate: path.join(directory, 'ec.pem'), privateKey: path.join(directory, 'ec.key')}, /must be RSA/],
			[{certificate: files('app').privateKey, privateKey: files('app').privateKey}, /holds no PEM certificate/],
			[{...files('app'), clientSecret: 'both-given-0123'}, /both a client secret and a certificate/],
		];
		for (const [entra, message] of cases) {
			assert.throws(() => certClient(entra), (error: AgentError) => error.code === 'CONFIG_ERROR' && message.test(error.message), JSON.stringify(entra));
		}
	});
});

test('callers share one token request; one giving up does not fail it for the others', async () => {
	let requests = 0;
	const server = await startApiServer((_request, response) => {
		requests++;
		setTimeout(() => {
			json(response, 200, {token_type: 'Bearer', expires_in: 3599, access_token: 'eyJ-shared-token-0123'});
		}, 100);
	});
	const dispatcher = createDispatcher({timeoutMs: 5000});
	try {
		const source = createTokenSource({credentials: {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: secret, authority: server.url}, dispatcher, timeoutMs: 5000});
		const quitter = new AbortController();
		const first = source.get(quitter.signal);
		const second = source.get(new AbortController().signal);
		quitter.abort(new Error('this caller stopped'));
		await assert.rejects(first, /this caller stopped/);
		assert.equal(await second, 'eyJ-shared-token-0123');
		assert.equal(await source.get(new AbortController().signal), 'eyJ-shared-token-0123', 'cached');
		assert.equal(requests, 1);
	} finally {
		await dispatcher.close();
		await server.close();
	}
});

test('a token request that does not answer is API_TIMEOUT; a secret echoed back encoded is hidden; a caller already aborted leaves nothing unhandled', async () => {
	const unhandled: unknown[] = [];
	const onUnhandled = (reason: unknown) => unhandled.push(reason);
	process.on('unhandledRejection', onUnhandled);
	const silent = await startApiServer(() => undefined);
	const echo = await startApiServer((request, response) => {
		json(response, 400, {error: 'invalid_request', error_description: `AADSTS900144: bad body ${request.body}`});
	});
	const dispatcher = createDispatcher({timeoutMs: 5000});
	try {
		const credentials = {tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'a~b c+d/e=f&g%h'};
		const slow = createTokenSource({credentials: {...credentials, clientSecret: secret, authority: silent.url}, dispatcher, timeoutMs: 200});
		await assert.rejects(slow.get(new AbortController().signal), (error: AgentError) => error.code === 'API_TIMEOUT' && /timed out after 200 ms/.test(error.message));
		const echoing = createTokenSource({credentials: {...credentials, clientSecret: 'Sec~ret+with/odd=chars', authority: echo.url}, dispatcher, timeoutMs: 5000});
		await assert.rejects(echoing.get(new AbortController().signal), (error: AgentError) => error.code === 'INVALID_APP_CREDENTIALS' && error.message.includes('AADSTS900144') && !error.message.includes('Sec~ret') && !error.message.includes('Sec%7Eret') && !error.message.includes(encodeURIComponent('Sec~ret+with/odd=chars')));
		const aborted = AbortSignal.abort(new Error('gone'));
		const refused = createTokenSource({credentials: {...credentials, clientSecret: secret, authority: 'http://127.0.0.1:9'}, dispatcher, timeoutMs: 5000});
		await assert.rejects(refused.get(aborted), /gone/);
		await new Promise(resolve => setTimeout(resolve, 200));
		assert.deepEqual(unhandled, []);
	} finally {
		process.off('unhandledRejection', onUnhandled);
		await dispatcher.close();
		await silent.close();
		await echo.close();
	}
});
