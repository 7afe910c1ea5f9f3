import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {defaultDataTypes} from '../../../source/config/schema.ts';
import {App} from '../../../source/ui/app.tsx';
import {version} from '../../../source/version.ts';
import {fakeDeps} from '../fake-deps.ts';
import {agentConfig} from '../fixtures.ts';
import {keys, paste, press, tick, type, waitForText} from '../keys.ts';

afterEach(() => {
	cleanup();
});

const goodToken = 'good-token-0123456789';
const badToken = 'wrong-token-abcdefgh';

/** A new agent through steps 1–3 (name, SIEM 192.0.2.10, default data types), then the portal URL typed on step 4. */
async function toConnection(fake: ReturnType<typeof fakeDeps>, name: string) {
	const rendered = render(<App deps={fake.deps} />);
	await tick();
	await type(rendered.stdin, name);
	await press(rendered.stdin, keys.enter);
	await type(rendered.stdin, '192.0.2.10');
	await press(rendered.stdin, keys.enter, 2);
	assert.match(rendered.lastFrame()!, /step 4 of 4: Connection/);
	await type(rendered.stdin, 'https://contoso.portal.cloudappsecurity.com');
	return rendered;
}

test('first run: the wizard checks every step, masks the token and saves the agent', async () => {
	const fake = fakeDeps({validToken: goodToken, hosts: ['siem.contoso.com']});
	const {stdin, lastFrame, frames} = render(<App deps={fake.deps} />);
	await tick();
	assert.match(lastFrame()!, /Add SIEM agent · step 1 of 4: General/);
	assert.match(lastFrame()!, /Enter next · Esc quit · Tab\/↑↓ field/);

	// Step 1: an empty name is refused in words.
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /Enter a name for the agent\./);
	assert.match(lastFrame()!, /step 1 of 4/);
	await type(stdin, 'contoso-siem');
	assert.doesNotMatch(lastFrame()!, /Enter a name/);
	assert.ok(lastFrame()!.includes(`Example header: 2017-01-02T16:38:38.383Z CEF:0|MCAS|SIEM_Agent|${version}|…`));

	// Advanced settings: each choice shows in the example header at once.
	await press(stdin, keys.tab, 2);
	await press(stdin, keys.right);
	assert.match(lastFrame()!, /Example header: Jan 02 16:38:38 CEF:0/);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	assert.match(lastFrame()!, /Example header: <132>Jan 02 16:38:38 CEF:0/);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	assert.match(lastFrame()!, /Example header: <132>Jan 02 16:38:38 myhost CEF:0\|MCAS\|SIEM_Agent/);
	await press(stdin, keys.enter);

	// Step 2: an unresolvable host and a port out of range are named before moving on.
	assert.match(lastFrame()!, /step 2 of 4: Remote syslog/);
	await type(stdin, 'nosuch.invalid');
	await press(stdin, keys.tab);
	await waitForText(lastFrame, 'Cannot resolve "nosuch.invalid"');
	await press(stdin, keys.ctrlU);
	await type(stdin, '70000');
	assert.match(lastFrame()!, /The port must be a number from 1 to 65535; "70000" is not\./);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /step 2 of 4/);
	await press(stdin, keys.backspace, 5);
	await type(stdin, '6514');
	assert.doesNotMatch(lastFrame()!, /The port must be/);
	await press(stdin, keys.shiftTab);
	await press(stdin, keys.ctrlU);
	await type(stdin, 'siem.contoso.com');
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'step 3 of 4: Data types');
	assert.deepEqual(fake.calls.resolveHost, ['nosuch.invalid', 'siem.contoso.com']);

	// Step 3: filters; a bad app id is refused; preview needs the connection first.
	await press(stdin, keys.tab);
	await type(stdin, '11161, abc');
	assert.match(lastFrame()!, /App ids are numbers, e\.g\. 11161 for Office 365; "abc" is not\./);
	await press(stdin, keys.backspace, 5);
	await press(stdin, keys.tab);
	await press(stdin, keys.right, 2);
	await press(stdin, keys.space);
	assert.match(lastFrame()!, /\[ \] Low {2}\[ \] Medium {2}\[x\] High/);
	assert.match(lastFrame()!, /Apply to alerts: entity\.service is 11161 · severity is 2/);
	await press(stdin, keys.tab, 3);
	await type(stdin, 'alice@contoso.com, bob@contoso.com');
	assert.match(lastFrame()!, /Apply to activities: user\.username is alice@contoso\.com or bob@contoso\.com/);
	await press(stdin, keys.ctrlP);
	assert.match(lastFrame()!, /Preview of activities: it asks the API, so fill in the portal URL and token first/);
	assert.equal(fake.calls.preview.length, 0);
	await press(stdin, keys.enter);

	// Step 4: a wrong token shows the catalogue's remediation; the token is never drawn.
	assert.match(lastFrame()!, /step 4 of 4: Connection/);
	await type(stdin, 'https://contoso.portal.cloudappsecurity.com/');
	assert.match(lastFrame()!, /Sign in with +API token/);
	await press(stdin, keys.tab, 2);
	await type(stdin, badToken);
	assert.match(lastFrame()!, new RegExp(`API token +${'•'.repeat(badToken.length)}\n`));
	await press(stdin, keys.enter);
	const refused = await waitForText(lastFrame, 'Invalid token');
	assert.match(refused, /Make sure you copied the whole token/);
	assert.match(refused, /SIEM {2}✓ tcp siem\.contoso\.com:6514 reachable/);
	assert.match(refused, /Enter again to save anyway/);
	assert.equal(fake.calls.saveAgent.length, 0);
	await press(stdin, keys.ctrlU);
	await paste(stdin, goodToken);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');

	assert.deepEqual(fake.calls.checkToken, [
		{url: 'https://contoso.portal.cloudappsecurity.com', token: badToken, proxy: undefined},
		{url: 'https://contoso.portal.cloudappsecurity.com', token: goodToken, proxy: undefined},
	]);
	assert.equal(fake.calls.saveAgent.length, 1);
	assert.deepEqual(fake.calls.saveAgent[0], {
		previousName: undefined,
		agent: {
			name: 'contoso-siem',
			url: 'https://contoso.portal.cloudappsecurity.com',
			token: goodToken,
			format: 'cef',
			cef: {timeFormat: 'rfc3164', includePri: true, includeSystemName: true},
			syslog: {protocol: 'tcp', host: 'siem.contoso.com', port: 6514, framing: 'lf'},
			dataTypes: {
				alerts: {enabled: true, filters: {'entity.service': {eq: [11161]}, severity: {eq: [2]}}},
				activities: {enabled: true, filters: {'user.username': {eq: ['alice@contoso.com', 'bob@contoso.com']}}},
			},
			pollIntervalSeconds: 10,
			requestsPerMinute: 30,
			settleSeconds: 5,
			paused: false,
		},
	});
	const everything = frames.join('\n');
	assert.ok(!everything.includes(goodToken), 'the valid token was drawn');
	assert.ok(!everything.includes(badToken), 'the wrong token was drawn');
	assert.match(lastFrame()!, /contoso-siem +Alerts, Activities +Created +never +0/);
});

test('Esc goes back a step and keeps what was typed; Esc on the first run quits', async () => {
	const fake = fakeDeps();
	const {stdin, lastFrame, frames} = render(<App deps={fake.deps} />);
	await tick();
	await type(stdin, 'keep-me');
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /step 2 of 4/);
	await press(stdin, keys.escape);
	assert.match(lastFrame()!, /step 1 of 4/);
	assert.match(lastFrame()!, /Agent name +keep-me/);
	// One Esc too many does not throw away what was typed: it asks first.
	await press(stdin, keys.escape);
	assert.equal(fake.calls.quit, 0);
	assert.match(lastFrame()!, /Esc again discards this agent; any other key keeps editing\./);
	await type(stdin, 's');
	assert.doesNotMatch(lastFrame()!, /Esc again discards/);
	assert.match(lastFrame()!, /Agent name +keep-mes/);
	await press(stdin, keys.escape, 2);
	assert.equal(fake.calls.quit, 1);
	assert.ok(frames.some(frame => frame.includes('Stopping: finishing the batch in flight')));
});

test('UDP hides the framing; turning both data types off is refused', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await type(stdin, 'udp-agent');
	await press(stdin, keys.enter);
	await type(stdin, '192.0.2.10');
	assert.match(lastFrame()!, /TCP framing/);
	await press(stdin, keys.tab, 2);
	await press(stdin, keys.right);
	assert.doesNotMatch(lastFrame()!, /TCP framing/);
	await press(stdin, keys.enter);
	// An IP address needs no DNS lookup.
	assert.match(lastFrame()!, /step 3 of 4/);
	assert.deepEqual(fake.calls.resolveHost, []);
	await press(stdin, keys.space);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /Turn on Alerts or Activities/);
	await press(stdin, keys.space);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /step 4 of 4/);
	await type(stdin, 'https://contoso.portal.cloudappsecurity.com');
	await press(stdin, keys.tab, 2);
	await paste(stdin, goodToken);
	await press(stdin, keys.tab);
	await type(stdin, 'proxy.contoso.com:3128');
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
	const saved = fake.calls.saveAgent[0].agent;
	assert.deepEqual(saved.syslog, {protocol: 'udp', host: '192.0.2.10', port: 514});
	assert.deepEqual(saved.dataTypes, {alerts: {enabled: false, filters: {}}, activities: {enabled: true, filters: {}}});
	assert.equal(saved.proxy, 'proxy.contoso.com:3128');
	assert.deepEqual(fake.calls.checkToken[0], {url: 'https://contoso.portal.cloudappsecurity.com', token: goodToken, proxy: 'proxy.contoso.com:3128'});
});

test('a typo in the middle of a field is fixed in place: ←/→ move the caret, text goes in at it', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await type(stdin, 'contso-siem');
	await press(stdin, keys.left, 7);
	await type(stdin, 'o');
	assert.match(lastFrame()!, /contoso-siem/);
	await press(stdin, keys.right, 20);
	await type(stdin, '2');
	assert.match(lastFrame()!, /contoso-siem2/);
});

test('a proxy password is masked on screen while typed and when shown again', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame, frames} = await toConnection(fake, 'proxied');
	await press(stdin, keys.tab, 2);
	await paste(stdin, goodToken);
	await press(stdin, keys.tab);
	await type(stdin, 'http://svc:Pr0xyS3cret@127.0.0.1:3128');
	assert.match(lastFrame()!, /Proxy \(optional\) +http:\/\/svc:•{11}@127\.0\.0\.1:3128/);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
	assert.equal(fake.calls.saveAgent[0].agent.proxy, 'http://svc:Pr0xyS3cret@127.0.0.1:3128');
	// Not one frame, from the first character of the password on, showed any of it.
	assert.ok(frames.every(frame => !frame.includes('Pr0x') && !frame.includes('S3cret')), 'a frame shows the proxy password');
});

test('an unreachable SIEM is reported with its remediation and can be saved anyway', async () => {
	const fake = fakeDeps({validToken: goodToken, syslog: {ok: false, code: 'DATA_SERVER_CONNECTION_ERROR', message: 'connect ECONNREFUSED 192.0.2.10:514'}});
	const {stdin, lastFrame} = await toConnection(fake, 'later');
	await press(stdin, keys.tab, 2);
	await paste(stdin, goodToken);
	await press(stdin, keys.enter);
	const frame = await waitForText(lastFrame, 'Data server connection error');
	assert.match(frame, /API {3}✓ token accepted/);
	assert.match(frame, /connect ECONNREFUSED 192\.0\.2\.10:514/);
	assert.match(frame, /Check the syslog host and port in the agent settings/);
	assert.equal(fake.calls.saveAgent.length, 0);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
	assert.equal(fake.calls.saveAgent.length, 1);
});

test('the edit wizard is prefilled, previews with the saved connection and saves under the old name', async () => {
	const agent = agentConfig('contoso', {
		dataTypes: {...defaultDataTypes(), alerts: {enabled: true, filters: {severity: {eq: [1, 2]}, alertOpen: {eq: true}}}},
	});
	const fake = fakeDeps({
		agents: [agent],
		validToken: agent.token,
		preview: {records: 3, lines: [
			{sent: true, line: '2024-05-01T11:00:00.000Z CEF:0|MCAS|SIEM_Agent|0.1.0|ALERT_X|Mass download|3|externalId=a1'},
			{sent: false, reason: 'severity', line: '2024-05-01T11:01:00.000Z CEF:0|MCAS|SIEM_Agent|0.1.0|ALERT_Y|Low thing|3|externalId=a2'},
		]},
	});
	const {stdin, lastFrame, frames} = render(<App deps={fake.deps} />);
	await tick();
	await press(stdin, 'e');
	assert.match(lastFrame()!, /Edit agent "contoso" · step 1 of 4: General/);
	assert.match(lastFrame()!, /Agent name +contoso/);
	await press(stdin, keys.backspace, 7);
	await type(stdin, 'contoso-eu');
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /Remote syslog host +10\.0\.0\.5/);
	assert.match(lastFrame()!, /Syslog port +514/);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /\[ \] Low {2}\[x\] Medium {2}\[x\] High/);
	assert.match(lastFrame()!, /Apply to alerts: alertOpen \{"eq":true\} · severity is 1 or 2/);
	await press(stdin, keys.ctrlP);
	const preview = await waitForText(lastFrame, 'Preview of alerts: 3 records read, 1 of 2 shown would be sent');
	assert.match(preview, /✓ 2024-05-01T11:00:00\.000Z CEF:0\|MCAS\|SIEM_Agent\|0\.1\.0\|ALERT_X\|Mass download/);
	assert.match(preview, /✗ severity: 2024-05-01T11:01:00\.000Z CEF:0/);
	assert.equal(fake.calls.preview[0].dataType, 'alerts');
	assert.deepEqual(fake.calls.preview[0].agent.dataTypes.alerts.filters, {alertOpen: {eq: true}, severity: {eq: [1, 2]}});
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, new RegExp(`API token +${'•'.repeat(32)} \\(${agent.token.length} characters\\)`));
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
	assert.deepEqual(fake.calls.saveAgent, [{previousName: 'contoso', agent: {...agent, name: 'contoso-eu'}}]);
	assert.match(lastFrame()!, /› contoso-eu/);
	assert.ok(!frames.join('\n').includes(agent.token));
});

test('a name already in use is refused while typing', async () => {
	const fake = fakeDeps({agents: [agentConfig('contoso')]});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await press(stdin, 'a');
	assert.match(lastFrame()!, /Add SIEM agent · step 1 of 4/);
	await type(stdin, 'contoso');
	assert.match(lastFrame()!, /An agent named "contoso" already exists/);
	await press(stdin, keys.escape, 2);
	assert.match(lastFrame()!, /SIEM agents \(1\)/);
});

test('fast typing: keys delivered before React re-renders are all kept', async () => {
	const fake = fakeDeps();
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	for (const character of 'fast-agent') {
		stdin.write(character);
	}

	stdin.write(keys.enter);
	stdin.write('1');
	stdin.write('0');
	await tick();
	assert.match(lastFrame()!, /step 2 of 4/);
	assert.match(lastFrame()!, /Remote syslog host +10/);
	await press(stdin, keys.escape);
	assert.match(lastFrame()!, /Agent name +fast-agent/);
});

test('values, Tab and Enter in one chunk (a paste, or typing over a slow SSH link) are the values, Tab and Enter', async () => {
	const fake = fakeDeps();
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await paste(stdin, 'pasted-agent\r');
	assert.match(lastFrame()!, /step 2 of 4: Remote syslog/);
	await paste(stdin, '10.0.0.5\t');
	assert.match(lastFrame()!, /› Syslog port +514\n/);
	await paste(stdin, '\t\r\n');
	assert.match(lastFrame()!, /step 3 of 4/);
	await press(stdin, keys.escape);
	assert.match(lastFrame()!, /Remote syslog host +10\.0\.0\.5/);
	await press(stdin, keys.escape);
	assert.match(lastFrame()!, /Agent name +pasted-agent/);
});

test('signing in as an Entra ID app: its fields replace the token, the secret is masked and redacted, the app is saved', async () => {
	const secret = 'good-secret-0123456789';
	const fake = fakeDeps({validSecret: secret});
	const {stdin, lastFrame, frames} = await toConnection(fake, 'entra-agent');
	await press(stdin, keys.tab);
	await press(stdin, keys.right);
	let frame = lastFrame()!;
	assert.match(frame, /Sign in with +‹ Entra ID app ›/);
	assert.match(frame, /Tenant ID +directory \(tenant\) ID or contoso\.onmicrosoft\.com/);
	assert.doesNotMatch(frame, /API token/);
	// Enter with the app's fields empty names each of them.
	await press(stdin, keys.enter);
	frame = lastFrame()!;
	assert.match(frame, /Enter the directory \(tenant\) ID/);
	assert.match(frame, /Enter the application \(client\) ID/);
	assert.match(frame, /Paste the client secret's Value/);
	await press(stdin, keys.tab);
	await type(stdin, 'contoso.onmicrosoft.com');
	await press(stdin, keys.tab);
	await type(stdin, '0b6c7d3e-1111-4222-8333-944455556666');
	assert.match(lastFrame()!, /Credential +client secret/);
	await press(stdin, keys.tab, 2);
	await paste(stdin, 'wrong-secret-000');
	assert.match(lastFrame()!, /Client secret +•{16}\n/);
	await press(stdin, keys.enter);
	const refused = await waitForText(lastFrame, 'Entra ID app refused');
	assert.match(refused, /AADSTS7000215/);
	assert.match(refused, /its Value, not its Secret ID/);
	await press(stdin, keys.ctrlU);
	await paste(stdin, secret);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
	assert.deepEqual(fake.calls.checkToken.at(-1), {url: 'https://contoso.portal.cloudappsecurity.com', token: '', proxy: undefined, entra: {tenantId: 'contoso.onmicrosoft.com', clientId: '0b6c7d3e-1111-4222-8333-944455556666', clientSecret: secret}});
	const saved = fake.calls.saveAgent[0].agent;
	assert.equal(saved.token, '');
	assert.deepEqual(saved.entra, {tenantId: 'contoso.onmicrosoft.com', clientId: '0b6c7d3e-1111-4222-8333-944455556666', clientSecret: secret});
	const everything = frames.join('\n');
	assert.ok(!everything.includes(secret), 'the secret was drawn');
	assert.ok(!everything.includes('wrong-secret-000'), 'the wrong secret was drawn (or echoed by the check)');
});

test('editing an Entra ID agent shows and keeps its app', async () => {
	const agent = {...agentConfig('fabrikam'), token: '', entra: {tenantId: 'fabrikam.onmicrosoft.com', clientId: '22222222-1111-4222-8333-944455556666', clientSecret: 'kept-secret-0123456789', authority: 'https://login.microsoftonline.us'}};
	const fake = fakeDeps({agents: [agent], validSecret: 'kept-secret-0123456789'});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await press(stdin, 'e');
	await press(stdin, keys.enter, 2);
	await waitForText(lastFrame, 'step 3 of 4');
	// The preview asks the API as the app.
	await press(stdin, keys.ctrlP);
	await waitForText(lastFrame, 'Preview of alerts');
	assert.deepEqual(fake.calls.preview[0]?.agent.entra, agent.entra);
	await press(stdin, keys.enter);
	const frame = await waitForText(lastFrame, 'step 4 of 4');
	assert.match(frame, /Sign in with +Entra ID app/);
	assert.match(frame, /Tenant ID +fabrikam\.onmicrosoft\.com/);
	assert.match(frame, /Authority +https:\/\/login\.microsoftonline\.us/);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
	assert.deepEqual(fake.calls.saveAgent[0].agent.entra, agent.entra);
});

test('an Entra ID app with a certificate: the files are checked as typed and saved as absolute paths', async () => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-wizard-'));
	const certificate = path.join(directory, 'app.pem');
	writeFileSync(certificate, '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
	try {
		const fake = fakeDeps({validSecret: 'unused'});
		const {stdin, lastFrame} = await toConnection(fake, 'cert-agent');
		await press(stdin, keys.tab);
		await press(stdin, keys.right);
		await press(stdin, keys.tab);
		await type(stdin, 'contoso.onmicrosoft.com');
		await press(stdin, keys.tab);
		await type(stdin, '0b6c7d3e-1111-4222-8333-944455556666');
		await press(stdin, keys.tab);
		await press(stdin, keys.right);
		assert.match(lastFrame()!, /Credential +‹ certificate ›/);
		assert.doesNotMatch(lastFrame()!, /Client secret/);
		await press(stdin, keys.tab);
		await type(stdin, path.join(directory, 'nope.pem'));
		assert.match(lastFrame()!, /nope\.pem" does not exist/);
		await press(stdin, keys.ctrlU);
		await type(stdin, certificate);
		assert.doesNotMatch(lastFrame()!, /does not exist/);
		await press(stdin, keys.enter);
		await waitForText(lastFrame, 'SIEM agents (1)');
		const saved = fake.calls.saveAgent[0].agent;
		assert.deepEqual(saved.entra, {tenantId: 'contoso.onmicrosoft.com', clientId: '0b6c7d3e-1111-4222-8333-944455556666', certificate});
		assert.equal(fake.calls.checkToken.at(-1)?.entra?.certificate, certificate);
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
});

test('a second agent starts with the first one\'s portal URL and proxy (not its token); Esc with nothing typed still leaves at once', async () => {
	const fake = fakeDeps({agents: [{...agentConfig('contoso'), url: 'https://contoso.portal.cloudappsecurity.com', proxy: 'http://proxy.contoso.example:3128'}]});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await press(stdin, 'a');
	await press(stdin, keys.escape);
	assert.match(lastFrame()!, /SIEM agents \(1\)/, 'nothing typed: the prefilled URL is not an edit to confirm');
	await press(stdin, 'a');
	await type(stdin, 'second');
	await press(stdin, keys.enter);
	await type(stdin, '192.0.2.10');
	await press(stdin, keys.enter, 2);
	const frame = lastFrame()!;
	assert.match(frame, /step 4 of 4: Connection/);
	assert.match(frame, /Portal URL +https:\/\/contoso\.portal\.cloudappsecurity\.com/);
	assert.match(frame, /proxy\.contoso\.example:3128/);
	assert.doesNotMatch(frame, /API token +•/, 'the token is not copied');
});
