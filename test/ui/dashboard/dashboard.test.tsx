import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../../source/ui/app.tsx';
import {fakeDeps} from '../fake-deps.ts';
import {agentConfig, agentSnapshot, dataTypeSnapshot, now, snapshot} from '../fixtures.ts';
import {keys, paste, press, tick, waitForText} from '../keys.ts';

afterEach(() => {
	cleanup();
});

async function start(options: Parameters<typeof fakeDeps>[0]) {
	const fake = fakeDeps({now, ...options});
	const instance = render(<App deps={fake.deps} />);
	await tick();
	return {fake, ...instance};
}

test('the agents table shows every status as the portal worded it', async () => {
	const names = ['created', 'connected', 'error', 'gone'];
	const {fake, lastFrame} = await start({agents: names.map(name => agentConfig(name))});
	// Before the first snapshot every agent reads as Created.
	assert.match(lastFrame()!, /› created +Alerts, Activities +Created +never +0/);
	fake.emit(snapshot(
		agentSnapshot('created', {status: 'created', lastConnectionAt: undefined}),
		agentSnapshot('connected', {status: 'connected'}),
		agentSnapshot('error', {status: 'connection-error', lastConnectionAt: now - 3 * 3_600_000}),
		agentSnapshot('gone', {status: 'disconnected', lastConnectionAt: now - 13 * 3_600_000, errors: [
			{time: now - 60_000, code: 'AGENT_DISCONNECTED', message: 'no contact for 13 h', count: 1},
			{time: now - 120_000, code: 'API_CONNECTION_ERROR', message: 'getaddrinfo ENOTFOUND', count: 4},
		]}),
	));
	await waitForText(lastFrame, 'Disconnected');
	const frame = lastFrame()!;
	assert.match(frame, /Name +Type +Status +Last connection +Notifications/);
	assert.match(frame, /› created +Alerts, Activities +Created +never +0/);
	assert.match(frame, / {2}connected +Alerts, Activities +Connected +12 s ago +0/);
	assert.match(frame, / {2}error +Alerts, Activities +Connection error +3 h ago +0/);
	assert.match(frame, / {2}gone +Alerts, Activities +Disconnected +13 h ago +2/);
	assert.match(frame, /↑↓ select · e edit · a add · d delete · t token · p pause · q quit \(stops forwarding\)/);
});

test('what is failing now shows in the Status column and the title, over the portal\'s word', async () => {
	const names = ['siem-down', 'api-down', 'refused', 'paused'];
	const {fake, lastFrame} = await start({agents: names.map(name => agentConfig(name, {paused: name === 'paused'}))});
	const base = agentSnapshot('x');
	fake.emit(snapshot(
		agentSnapshot('siem-down', {sink: {...base.sink, state: 'down', lastErrorCode: 'DATA_SERVER_CONNECTION_ERROR'}}),
		agentSnapshot('api-down', {api: {...base.api, state: 'error', lastErrorCode: 'API_CONNECTION_ERROR'}}),
		agentSnapshot('refused', {api: {...base.api, state: 'error', lastErrorCode: 'INVALID_TOKEN'}}),
		agentSnapshot('paused', {paused: true, sink: {...base.sink, state: 'down'}}),
	));
	await waitForText(lastFrame, 'SIEM down');
	const frame = lastFrame()!;
	assert.match(frame, /› siem-down +Alerts, Activities +SIEM down +12 s ago/);
	assert.match(frame, / {2}api-down +Alerts, Activities +API error +12 s ago/);
	assert.match(frame, / {2}refused +Alerts, Activities +Token refused/);
	assert.match(frame, / {2}paused +Alerts, Activities +Paused/);
	assert.match(frame, /── siem-down · Connected · SIEM down /);
});

test('a notification\'s message takes a second line rather than losing its end (the host and port, the reason)', async () => {
	const {fake, lastFrame} = await start({agents: [agentConfig('far')]});
	const message = 'Cannot connect to syslog server siem-collector-02.example.com:6514: connection refused (is the syslog server listening on that port?) (ECONNREFUSED)';
	fake.emit(snapshot(agentSnapshot('far', {errors: [{time: now - 5000, code: 'DATA_SERVER_CONNECTION_ERROR', message, count: 2}]})));
	await waitForText(lastFrame, 'ECONNREFUSED');
	// Read as one line again: the whole message is there, across the lines it took.
	const flat = lastFrame()!.replaceAll(/\n\s*/g, ' ');
	assert.ok(flat.includes(`Data server connection error ×2: ${message}`), lastFrame()!);
	assert.doesNotMatch(lastFrame()!, /…/);
});

test('messages a reconnect sent again are shown beside the count, which counts each message once', async () => {
	const {fake, lastFrame} = await start({agents: [agentConfig('replays')]});
	const base = agentSnapshot('replays');
	fake.emit(snapshot(agentSnapshot('replays', {sink: {...base.sink, messagesSent: 2200, replayed: 1494, bytesSent: 2_800_000}})));
	await waitForText(lastFrame, 'sent again');
	assert.match(lastFrame()!, /SIEM  tcp 10\.0\.0\.5:514 · connected · 2\.2k messages \(\+1\.4k sent again after reconnects\) · 2\.8 MB/);
});

test('the selected agent shows rates, totals, lag, checkpoint, API and SIEM state', async () => {
	const {fake, lastFrame, stdin} = await start({agents: [agentConfig('contoso'), agentConfig('fabrikam', {dataTypes: {alerts: {enabled: true, filters: {}}, activities: {enabled: false, filters: {}}}})]});
	fake.emit(snapshot(
		agentSnapshot('contoso', {
			api: {state: 'throttled', requests: {'200': 1500, '429': 3}, throttledMs: 95_000},
			dataTypes: [dataTypeSnapshot('alerts'), dataTypeSnapshot('activities', {state: 'throttled', rate: 0.4, read: 999, sent: 990, backlog: 1200})],
		}),
		agentSnapshot('fabrikam', {
			sink: {target: '10.9.9.9:514', protocol: 'udp', state: 'down', lastErrorCode: 'DATA_SERVER_SEND_ERROR', messagesSent: 0, bytesSent: 0, truncated: 0},
			dataTypes: [dataTypeSnapshot('alerts', {state: 'waiting-for-siem', newestEventTime: undefined, cursor: undefined}), dataTypeSnapshot('activities', {enabled: false, state: 'disabled'})],
		}),
	));
	await waitForText(lastFrame, 'SIEM  tcp');
	let frame = lastFrame()!;
	assert.match(frame, /── contoso · Connected ─/);
	assert.match(frame, /API {3}throttled \(waiting\) · 1\.5k requests · throttled 1 min 35 s in all/);
	assert.match(frame, /SIEM {2}tcp 10\.0\.0\.5:514 · connected · 12k messages · 3\.4 MB/);
	assert.match(frame, /Alerts {6}live {13}1\.2k\/s {3}[▁▂▃▄▅▆▇█]{8,} {2}read 12k {2}sent 12k/);
	assert.match(frame, /caught up · newest event 3 min 20 s ago · window 11:59:00 → 11:59:50 UTC, saved 3 s ago/);
	assert.match(frame, /Activities {2}throttled {8}0\.4\/s/);
	assert.match(frame, /read 999 {2}sent 990/);
	assert.match(frame, /~1\.2k left/);
	assert.match(frame, /No notifications\./);

	await press(stdin, keys.down);
	frame = lastFrame()!;
	assert.match(frame, /› fabrikam +Alerts +SIEM down/);
	assert.match(frame, /SIEM {2}udp 10\.9\.9\.9:514 · down \(DATA_SERVER_SEND_ERROR\)/);
	assert.match(frame, /Alerts {6}waiting for SIEM/);
	assert.match(frame, /lag – · no checkpoint yet/);
	assert.match(frame, /Activities {2}off/);
	await press(stdin, keys.up);
	assert.match(lastFrame()!, /› contoso/);
});

test('each notification shows its remediation from the catalogue', async () => {
	const {fake, lastFrame} = await start({agents: [agentConfig('contoso')]});
	fake.emit(snapshot(agentSnapshot('contoso', {
		status: 'connection-error',
		errors: [
			{time: now - 30_000, code: 'DATA_SERVER_CONNECTION_ERROR', message: 'connect ECONNREFUSED 10.0.0.5:514', count: 3},
			{time: now - 600_000, code: 'INVALID_TOKEN', message: 'the service answered 401', dataType: 'alerts', count: 1},
		],
	})));
	await waitForText(lastFrame, 'Notifications (2)');
	const frame = lastFrame()!;
	assert.match(frame, /Notifications \(2\)/);
	assert.match(frame, /30 s ago {4}Data server connection error ×3: connect ECONNREFUSED 10\.0\.0\.5:514/);
	assert.match(frame, /Check the syslog host and port in the agent settings, that the SIEM is listening/);
	assert.match(frame, /10 min ago {2}Invalid token \(alerts\): the service answered 401/);
	assert.match(frame, /Make sure you copied the whole token/);
	assert.match(frame, /contoso +Alerts, Activities +Connection error +12 s ago +2/);
});

test('p pauses and resumes the selected agent', async () => {
	const {fake, lastFrame, stdin} = await start({agents: [agentConfig('contoso'), agentConfig('fabrikam')]});
	fake.emit(snapshot(agentSnapshot('contoso'), agentSnapshot('fabrikam')));
	await waitForText(lastFrame, 'SIEM  tcp');
	await press(stdin, keys.down);
	await press(stdin, 'p');
	assert.deepEqual(fake.calls.setPaused, [{name: 'fabrikam', paused: true}]);
	assert.match(lastFrame()!, /› fabrikam +Alerts, Activities +Paused/);
	assert.match(lastFrame()!, /p resume/);
	await press(stdin, 'p');
	assert.deepEqual(fake.calls.setPaused, [{name: 'fabrikam', paused: true}, {name: 'fabrikam', paused: false}]);
	assert.match(lastFrame()!, /› fabrikam +Alerts, Activities +Connected/);
});

test('d asks before deleting; n keeps the agent, y deletes it', async () => {
	const {fake, lastFrame, stdin} = await start({agents: [agentConfig('contoso'), agentConfig('fabrikam')]});
	await press(stdin, 'd');
	assert.match(lastFrame()!, /Delete agent "contoso"\? It stops and its checkpoints are removed\. y delete · n keep/);
	// Other keys do nothing while the question is open.
	await press(stdin, 'q');
	assert.equal(fake.calls.quit, 0);
	await press(stdin, 'n');
	assert.deepEqual(fake.calls.deleteAgent, []);
	assert.match(lastFrame()!, /SIEM agents \(2\)/);
	await press(stdin, 'd');
	await press(stdin, 'y');
	await tick();
	assert.deepEqual(fake.calls.deleteAgent, ['contoso']);
	assert.match(lastFrame()!, /SIEM agents \(1\)/);
	assert.match(lastFrame()!, /› fabrikam/);
	await press(stdin, 'd');
	await press(stdin, 'y');
	await tick();
	assert.match(lastFrame()!, /No agents yet\. Press a to add one\./);
	assert.match(lastFrame()!, /a add · q quit/);
});

test('e opens the wizard prefilled with the selected agent; Esc returns', async () => {
	const {lastFrame, stdin} = await start({agents: [agentConfig('contoso'), agentConfig('fabrikam', {cef: {timeFormat: 'rfc3164-year', includePri: true, includeSystemName: false}})]});
	await press(stdin, keys.down);
	await press(stdin, 'e');
	const frame = lastFrame()!;
	assert.match(frame, /Edit agent "fabrikam" · step 1 of 4: General/);
	assert.match(frame, /Agent name +fabrikam/);
	assert.match(frame, /Time format +RFC 3164 with year/);
	assert.match(frame, /Include PRI +\[x\] on/);
	assert.match(frame, /Example header: <132>Jan 02 2017 16:38:38 CEF:0/);
	await press(stdin, keys.escape);
	assert.match(lastFrame()!, /› fabrikam/);
});

test('t replaces the token: masked, checked, remediation on refusal, saved under the same name', async () => {
	const agent = agentConfig('contoso');
	const newToken = 'brand-new-token-9876543210';
	const {fake, lastFrame, stdin, frames} = await start({agents: [agent], validToken: newToken});
	await press(stdin, 't');
	assert.match(lastFrame()!, /Replace the API token of "contoso"/);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /Paste the new token first/);
	await paste(stdin, 'not-the-token-000');
	assert.match(lastFrame()!, /New token {2}•{17}/);
	await press(stdin, keys.enter);
	const refused = await waitForText(lastFrame, 'Invalid token');
	assert.match(refused, /Make sure you copied the whole token/);
	assert.equal(fake.calls.saveAgent.length, 0);
	await press(stdin, keys.ctrlU);
	await paste(stdin, newToken);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'q quit');
	assert.deepEqual(fake.calls.saveAgent, [{agent: {...agent, token: newToken}, previousName: 'contoso'}]);
	const everything = frames.join('\n');
	assert.ok(!everything.includes(newToken));
	assert.ok(!everything.includes('not-the-token-000'));
	assert.ok(!everything.includes(agent.token));
});

test('t on an Entra ID agent replaces its client secret: checked with the app, saved in the app, never drawn', async () => {
	const entra = {tenantId: 'contoso.onmicrosoft.com', clientId: '0b6c7d3e-1111-4222-8333-944455556666', clientSecret: 'old-secret-0123456789'};
	const agent = {...agentConfig('contoso'), token: '', entra};
	const newSecret = 'rotated-secret-9876543210';
	const {fake, lastFrame, stdin, frames} = await start({agents: [agent], validSecret: newSecret});
	fake.emit(snapshot(agentSnapshot('contoso')));
	await tick();
	assert.match(lastFrame()!, /API {3}connected · \d+ requests · contoso\.portal\.cloudappsecurity\.com \(Entra ID app 0b6c7d3e…\)/);
	await press(stdin, 't');
	assert.match(lastFrame()!, /Replace the client secret of "contoso" \(Entra ID app 0b6c7d3e-1111-4222-8333-944455556666\)/);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /Paste the new client secret first/);
	await paste(stdin, newSecret + '\n');
	await waitForText(lastFrame, 'q quit');
	assert.deepEqual(fake.calls.checkToken.at(-1)?.entra, {...entra, clientSecret: newSecret});
	assert.deepEqual(fake.calls.saveAgent, [{agent: {...agent, entra: {...entra, clientSecret: newSecret}}, previousName: 'contoso'}]);
	assert.ok(!frames.join('\n').includes(newSecret));
});

test('t on an agent that signs in with a certificate says how to rotate it and changes nothing', async () => {
	const agent = {...agentConfig('contoso'), token: '', entra: {tenantId: 'contoso.onmicrosoft.com', clientId: '0b6c7d3e-1111-4222-8333-944455556666', certificate: '/etc/siem-agent/app.pem'}};
	const {fake, lastFrame, stdin} = await start({agents: [agent]});
	await press(stdin, 't');
	assert.match(lastFrame()!, /"contoso" signs in as Entra ID app 0b6c7d3e-1111-4222-8333-944455556666 with a certificate/);
	assert.match(lastFrame()!, /Certificate file: \/etc\/siem-agent\/app\.pem\. To rotate it, press e/);
	await paste(stdin, 'typed-by-mistake');
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'q quit');
	assert.equal(fake.calls.saveAgent.length, 0);
	assert.equal(fake.calls.checkToken.length, 0);
});

test('a token pasted with its trailing newline is checked and saved at once', async () => {
	const agent = agentConfig('contoso');
	const newToken = 'copied-from-a-file-0123456789';
	const {fake, lastFrame, stdin, frames} = await start({agents: [agent], validToken: newToken});
	await press(stdin, 't');
	await paste(stdin, newToken + '\n');
	await waitForText(lastFrame, 'q quit');
	assert.deepEqual(fake.calls.saveAgent, [{agent: {...agent, token: newToken}, previousName: 'contoso'}]);
	assert.ok(!frames.join('\n').includes(newToken));
});

test('q stops the engine and exits; the snapshot subscription ends with the app', async () => {
	const {fake, stdin, frames} = await start({agents: [agentConfig('contoso')]});
	assert.equal(fake.listeners, 1);
	await press(stdin, 'q');
	assert.equal(fake.calls.quit, 1);
	assert.ok(frames.some(frame => frame.includes('Stopping')));
	assert.equal(fake.listeners, 0);
});

test('Ctrl+C stops gracefully too', async () => {
	const {fake, stdin} = await start({agents: [agentConfig('contoso')]});
	await press(stdin, keys.ctrlC);
	assert.equal(fake.calls.quit, 1);
});

test('keys that arrive together are each applied (d then y in one chunk)', async () => {
	const {fake, stdin} = await start({agents: [agentConfig('contoso'), agentConfig('fabrikam')]});
	stdin.write(keys.down);
	stdin.write('d');
	stdin.write('y');
	await tick();
	assert.deepEqual(fake.calls.deleteAgent, ['fabrikam']);
});

test('beside a service, q only closes the window; the notice follows the service', async () => {
	const fake = fakeDeps({now, agents: [agentConfig('prod')]});
	let tell: ((notice: string | undefined) => void) | undefined;
	const deps = {...fake.deps, notice: 'The siem-agent service (pid 42) runs these agents', watchNotice: (listener: (notice: string | undefined) => void) => {
		tell = listener;
		return () => undefined;
	}};
	const {lastFrame} = render(<App deps={deps} />);
	await tick();
	assert.match(lastFrame()!, /The siem-agent service \(pid 42\) runs these agents/);
	assert.match(lastFrame()!, /p pause · q quit$/m);
	tell!(undefined);
	await waitForText(lastFrame, 'q quit (stops forwarding)');
	assert.doesNotMatch(lastFrame()!, /runs these agents/);
});
