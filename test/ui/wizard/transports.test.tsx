import assert from 'node:assert/strict';
import {after, afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../../source/ui/app.tsx';
import {fakeDeps} from '../fake-deps.ts';
import {agentConfig} from '../fixtures.ts';
import {keys, paste, press, tick, type, waitForText} from '../keys.ts';
import {pemFiles} from './pem-files.ts';

const files = pemFiles();

afterEach(() => {
	cleanup();
});

after(() => {
	files.remove();
});

const goodToken = 'good-token-0123456789';

type Stdin = {write(data: string): void};

/** Step 1 with a name, then Enter: the frame shows step 2 with the host field focused. */
async function toSyslogStep(stdin: Stdin, name: string) {
	await tick();
	await type(stdin, name);
	await press(stdin, keys.enter);
}

/** From a valid step 2: Enter, default data types, a good connection; waits for the dashboard. */
async function finish(stdin: Stdin, lastFrame: () => string | undefined) {
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'step 3 of 4');
	await press(stdin, keys.enter);
	await type(stdin, 'https://contoso.portal.cloudappsecurity.com');
	await press(stdin, keys.tab, 2);
	await paste(stdin, goodToken);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
}

test('TLS: port 6514, certificate fields checked as typed, both-or-neither client files, saved as a TLS transport', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await toSyslogStep(stdin, 'tls-agent');
	await type(stdin, '192.0.2.10');
	assert.doesNotMatch(lastFrame()!, /CA file/);
	await press(stdin, keys.tab, 2);
	await press(stdin, keys.right, 2);
	let frame = lastFrame()!;
	assert.match(frame, /Protocol +‹ TLS \(syslog over TLS, RFC 5425\) ›/);
	assert.match(frame, /Syslog port +6514/);
	assert.doesNotMatch(frame, /TCP framing/);
	assert.match(frame, /CA file +empty: the system store; or a PEM file/);
	assert.match(frame, /Client certificate +none; or a PEM file \(mutual TLS, needs the key\)/);
	assert.match(frame, /Client key +none; or the PEM key file/);
	assert.match(frame, /Server name +the host above; or the name on the certificate/);

	// A CA file that is not there, a directory, a file without a certificate: each said in words.
	await press(stdin, keys.tab);
	await paste(stdin, '/nonexistent/siem-ca.pem');
	assert.match(lastFrame()!, /CA file +\/nonexistent\/siem-ca\.pem\s*\n +✗ "\/nonexistent\/siem-ca\.pem" does not exist\./);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /step 2 of 4/);
	await press(stdin, keys.ctrlU);
	await paste(stdin, files.directory);
	assert.ok(lastFrame()!.includes(`✗ "${files.directory}" is a directory; enter the certificate file in it.`), lastFrame()!);
	await press(stdin, keys.ctrlU);
	await paste(stdin, files.key);
	assert.ok(lastFrame()!.includes(`✗ "${files.key}" holds no PEM certificate.`), lastFrame()!);
	await press(stdin, keys.ctrlU);
	await paste(stdin, files.ca);
	assert.doesNotMatch(lastFrame()!, /✗/);

	// A client certificate needs its key.
	await press(stdin, keys.tab);
	await paste(stdin, files.cert);
	await press(stdin, keys.enter);
	frame = lastFrame()!;
	assert.match(frame, /step 2 of 4/);
	assert.match(frame, /Client key +none.*\n +✗ Enter the key file of the client certificate too \(both or neither\)\./);
	await press(stdin, keys.tab);
	await paste(stdin, files.text);
	assert.ok(lastFrame()!.includes(`✗ "${files.text}" holds no PEM private key`), lastFrame()!);
	await press(stdin, keys.ctrlU);
	await paste(stdin, files.key);
	await press(stdin, keys.tab);
	await type(stdin, 'bad name');
	assert.match(lastFrame()!, /✗ "bad name" is not a host name or an IP address; leave empty to check the host above\./);
	await press(stdin, keys.ctrlU);
	await type(stdin, 'siem.contoso.com');
	assert.doesNotMatch(lastFrame()!, /✗/);
	await finish(stdin, lastFrame);

	const transport = {protocol: 'tls', host: '192.0.2.10', port: 6514, ca: files.ca, cert: files.cert, key: files.key, serverName: 'siem.contoso.com'};
	assert.deepEqual(fake.calls.testSyslog, [transport]);
	assert.deepEqual(fake.calls.saveAgent[0].agent.syslog, transport);
});

test('RELP over TLS with the system store: the connection step names the transport it tried', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await toSyslogStep(stdin, 'relp-tls');
	await type(stdin, '192.0.2.10');
	await press(stdin, keys.tab, 2);
	await press(stdin, keys.left);
	await press(stdin, keys.tab, 2);
	await press(stdin, keys.space);
	await press(stdin, keys.enter, 2);
	await type(stdin, 'https://contoso.portal.cloudappsecurity.com');
	await press(stdin, keys.tab, 2);
	await paste(stdin, 'wrong-token-abcdefgh');
	await press(stdin, keys.enter);
	const frame = await waitForText(lastFrame, 'Invalid token');
	assert.match(frame, /SIEM {2}✓ relp over tls 192\.0\.2\.10:2514 reachable/);
	assert.deepEqual(fake.calls.testSyslog, [{protocol: 'relp', host: '192.0.2.10', port: 2514, tls: {}}]);
	assert.equal(fake.calls.saveAgent.length, 0);
});

test('RELP: port 2514 unless one was typed; window checked; "Use TLS" reveals the certificate fields', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await toSyslogStep(stdin, 'relp-agent');
	await type(stdin, '192.0.2.10');
	await press(stdin, keys.tab, 2);
	// ← from TCP wraps to RELP, the last protocol.
	await press(stdin, keys.left);
	let frame = lastFrame()!;
	assert.match(frame, /Protocol +‹ RELP \(every message acknowledged\) ›/);
	assert.match(frame, /Syslog port +2514/);
	assert.match(frame, /RELP window +128 \(default\): messages awaiting acknowledgement/);
	assert.match(frame, /Use TLS +\[ \] off/);
	assert.doesNotMatch(frame, /CA file/);

	// The default follows the protocol; a typed port stays.
	await press(stdin, keys.left);
	assert.match(lastFrame()!, /Syslog port +6514/);
	await press(stdin, keys.right, 2);
	assert.match(lastFrame()!, /Syslog port +514\n/);
	await press(stdin, keys.right, 3);
	assert.match(lastFrame()!, /Syslog port +2514/);
	await press(stdin, keys.shiftTab);
	await press(stdin, keys.ctrlU);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /✗ Enter the syslog port, a number from 1 to 65535 \(usually 2514\)\./);
	await type(stdin, '20514');
	await press(stdin, keys.tab);
	await press(stdin, keys.right);
	assert.match(lastFrame()!, /Syslog port +20514/);
	await press(stdin, keys.left);
	assert.match(lastFrame()!, /Protocol +‹ RELP/);

	await press(stdin, keys.tab);
	await type(stdin, '0');
	assert.match(lastFrame()!, /✗ The window must be a whole number from 1 to 100000 \(leave empty for 128\); "0" is not\./);
	await press(stdin, keys.backspace);
	await type(stdin, '64');
	assert.doesNotMatch(lastFrame()!, /✗/);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	frame = lastFrame()!;
	assert.match(frame, /Use TLS +\[x\] on/);
	assert.match(frame, /CA file +empty: the system store/);
	await press(stdin, keys.tab);
	await paste(stdin, '/nonexistent/ca.pem');
	assert.match(lastFrame()!, /✗ "\/nonexistent\/ca\.pem" does not exist\./);
	await press(stdin, keys.ctrlU);
	await paste(stdin, files.ca);
	await finish(stdin, lastFrame);
	assert.deepEqual(fake.calls.saveAgent[0].agent.syslog, {protocol: 'relp', host: '192.0.2.10', port: 20_514, window: 64, tls: {ca: files.ca}});
});

test('RELP without TLS saves no certificate settings', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await toSyslogStep(stdin, 'relp-plain');
	await type(stdin, '192.0.2.10');
	await press(stdin, keys.tab, 2);
	await press(stdin, keys.right, 3);
	await finish(stdin, lastFrame);
	assert.deepEqual(fake.calls.saveAgent[0].agent.syslog, {protocol: 'relp', host: '192.0.2.10', port: 2514});
});

test('editing an agent with a TLS transport and LEEF shows and keeps every setting', async () => {
	const agent = agentConfig('contoso', {
		format: 'leef',
		leef: {delimiter: '^'},
		syslog: {protocol: 'tls', host: 'siem.contoso.com', port: 6514, ca: files.ca, cert: files.cert, key: files.key, serverName: 'siem', minVersion: 'TLSv1.3'},
	});
	const fake = fakeDeps({agents: [agent], validToken: agent.token, hosts: ['siem.contoso.com']});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await press(stdin, 'e');
	let frame = lastFrame()!;
	assert.match(frame, /Edit agent "contoso" · step 1 of 4: General/);
	assert.match(frame, /SIEM format +LEEF 2\.0 \(IBM QRadar\)/);
	assert.match(frame, /Attribute delimiter +\^/);
	await press(stdin, keys.enter);
	frame = lastFrame()!;
	assert.match(frame, /Protocol +TLS \(syslog over TLS, RFC 5425\)/);
	assert.match(frame, /Syslog port +6514/);
	assert.ok(frame.includes(`    CA file               ${files.ca}\n`), frame);
	assert.ok(frame.includes(`    Client certificate    ${files.cert}\n`), frame);
	assert.ok(frame.includes(`    Client key            ${files.key}\n`), frame);
	assert.match(frame, /Server name +siem\n/);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'step 3 of 4');
	await press(stdin, keys.enter);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
	assert.deepEqual(fake.calls.saveAgent, [{previousName: 'contoso', agent}]);
	assert.deepEqual(fake.calls.testSyslog, [agent.syslog]);
});
