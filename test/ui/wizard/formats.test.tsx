import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../../source/ui/app.tsx';
import {version} from '../../../source/version.ts';
import {fakeDeps} from '../fake-deps.ts';
import {keys, paste, press, tick, type, waitForText} from '../keys.ts';

afterEach(() => {
	cleanup();
});

const goodToken = 'good-token-0123456789';

type Stdin = {write(data: string): void};

/** From step 2: an IP address (no DNS), default data types, a good connection; waits for the dashboard. */
async function finish(stdin: Stdin, lastFrame: () => string | undefined) {
	await type(stdin, '192.0.2.10');
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /step 3 of 4/);
	await press(stdin, keys.enter);
	await type(stdin, 'https://contoso.portal.cloudappsecurity.com');
	await press(stdin, keys.tab, 2);
	await paste(stdin, goodToken);
	await press(stdin, keys.enter);
	await waitForText(lastFrame, 'SIEM agents (1)');
}

test('LEEF: its settings include the attribute delimiter, checked as typed; the example follows', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await type(stdin, 'qradar');
	await press(stdin, keys.tab);
	await press(stdin, keys.right);
	let frame = lastFrame()!;
	assert.match(frame, /SIEM format +‹ LEEF 2\.0 \(IBM QRadar\) ›/);
	assert.match(frame, /Time format +RFC 5424/);
	assert.match(frame, /Include PRI +\[ \] off/);
	assert.match(frame, /Include system name +\[ \] off/);
	assert.match(frame, /Attribute delimiter +tab \(default\); or one character, e\.g\. \^/);
	assert.ok(frame.includes(`Example header: 2017-01-02T16:38:38.383Z LEEF:2.0|Microsoft|Defender for Cloud Apps|${version}|…|x09|…`), frame);
	assert.match(frame, /Behind an rsyslog relay use \^/);

	// PRI and time format apply to LEEF as to CEF.
	await press(stdin, keys.tab);
	await press(stdin, keys.right);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	assert.ok(lastFrame()!.includes(`Example header: <132>Jan 02 16:38:38 LEEF:2.0|Microsoft|`), lastFrame()!);

	await press(stdin, keys.tab, 2);
	await type(stdin, 'a');
	assert.match(lastFrame()!, /✗ "a" cannot separate attributes: not a letter, digit, space, = or \\ \(e\.g\. \^; empty is tab\)\./);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /step 1 of 4/);
	await press(stdin, keys.backspace);
	await type(stdin, '^');
	frame = lastFrame()!;
	assert.doesNotMatch(frame, /cannot separate/);
	assert.match(frame, /Attribute delimiter +\^/);
	assert.ok(frame.includes(`LEEF:2.0|Microsoft|Defender for Cloud Apps|${version}|…|^|…`), frame);
	assert.doesNotMatch(frame, /rsyslog relay/);
	await press(stdin, keys.enter);
	assert.match(lastFrame()!, /step 2 of 4/);
	await finish(stdin, lastFrame);

	const saved = fake.calls.saveAgent[0].agent;
	assert.equal(saved.format, 'leef');
	assert.deepEqual(saved.leef, {delimiter: '^'});
	assert.deepEqual(saved.cef, {timeFormat: 'rfc3164', includePri: true, includeSystemName: false});
});

test('an example too long for the label\'s line gets a line of its own', async () => {
	const fake = fakeDeps();
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await type(stdin, 'qradar');
	await press(stdin, keys.tab);
	await press(stdin, keys.right);
	await press(stdin, keys.tab);
	await press(stdin, keys.right, 2);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	const frame = lastFrame()!;
	assert.ok(frame.includes(`\nExample header:\n  <132>Jan 02 2017 16:38:38 myhost LEEF:2.0|Microsoft|Defender for Cloud Apps|${version}|…|x09|…\n`), frame);
});

test('LEEF with the default delimiter saves tab', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await type(stdin, 'qradar');
	await press(stdin, keys.tab);
	await press(stdin, keys.right);
	await press(stdin, keys.enter);
	await finish(stdin, lastFrame);
	assert.equal(fake.calls.saveAgent[0].agent.format, 'leef');
	assert.deepEqual(fake.calls.saveAgent[0].agent.leef, {delimiter: '\t'});
});

test('JSON: only the system name is a choice (RFC 5424 fixes PRI and time); over UDP a warning', async () => {
	const fake = fakeDeps({validToken: goodToken});
	const {stdin, lastFrame} = render(<App deps={fake.deps} />);
	await tick();
	await type(stdin, 'splunk');
	await press(stdin, keys.tab);
	// ← from the first format wraps to the last.
	await press(stdin, keys.left);
	let frame = lastFrame()!;
	assert.match(frame, /SIEM format +‹ JSON \(RFC 5424: Splunk, Elastic, Sentinel\) ›/);
	assert.doesNotMatch(frame, /Time format/);
	assert.doesNotMatch(frame, /Include PRI/);
	assert.doesNotMatch(frame, /Attribute delimiter/);
	assert.match(frame, /Include system name +\[ \] off/);
	assert.ok(frame.includes('Example header: <132>1 2017-01-02T16:38:38.383Z - siem-agent - alert - {"type":"alert",…}'), frame);
	assert.match(frame, /RFC 5424 always writes the PRI and the time in RFC 3339 \(UTC\)\./);
	await press(stdin, keys.tab);
	await press(stdin, keys.space);
	frame = lastFrame()!;
	assert.match(frame, /Include system name +\[x\] on/);
	assert.ok(frame.includes('Example header: <132>1 2017-01-02T16:38:38.383Z myhost siem-agent - alert - {"type":"alert",…}'), frame);
	await press(stdin, keys.enter);

	assert.match(lastFrame()!, /step 2 of 4/);
	await press(stdin, keys.tab, 2);
	await press(stdin, keys.right);
	assert.match(lastFrame()!, /Protocol +‹ UDP ›/);
	assert.match(lastFrame()!, /JSON over UDP: most messages exceed 2048 bytes and are cut; prefer TCP, TLS or RELP\./);
	await press(stdin, keys.left);
	assert.doesNotMatch(lastFrame()!, /JSON over UDP/);
	await press(stdin, keys.shiftTab, 2);
	await finish(stdin, lastFrame);

	const saved = fake.calls.saveAgent[0].agent;
	assert.equal(saved.format, 'json');
	assert.equal(saved.leef, undefined);
	assert.deepEqual(saved.cef, {timeFormat: 'rfc5424', includePri: false, includeSystemName: true});
	assert.deepEqual(saved.syslog, {protocol: 'tcp', host: '192.0.2.10', port: 514, framing: 'lf'});
});
