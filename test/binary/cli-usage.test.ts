/**
 * The command line as a user types it (the bundle npm test builds): `--help` after any
 * command prints the help and starts nothing; mistakes exit 2 with a pointer to --help.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {join, resolve} from 'node:path';
import {test} from 'node:test';

const bundle = join(resolve(import.meta.dirname, '../..'), 'dist', 'siem-agent.js');

function run(args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((done) => {
		// A command that started instead of printing help would be killed by the timeout (code null).
		execFile(process.execPath, [bundle, ...args], {timeout: 10_000}, (error, stdout, stderr) => {
			done({code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr});
		});
	});
}

for (const command of ['', 'simulate', 'listen', 'test', 'demo']) {
	test(`siem-agent ${command ? command + ' ' : ''}--help prints the help and exits 0`, async () => {
		const {code, stdout} = await run([...(command ? [command] : []), '--help']);
		assert.equal(code, 0);
		assert.match(stdout, /Usage/);
		assert.match(stdout, /siem-agent simulate/);
	});
}

test('an unknown command or a stray argument exits 2 and points to --help', async () => {
	for (const args of [['frobnicate'], ['listen', 'extra'], ['--daemon', 'simulate']]) {
		const {code, stderr} = await run(args);
		assert.equal(code, 2, args.join(' '));
		assert.match(stderr, /See siem-agent --help/);
	}
});

test('a flag given twice is a usage error (exit 2, one line), not a crash', async () => {
	const {code, stderr} = await run(['--daemon', '--url', 'http://a', '--url', 'http://b']);
	assert.equal(code, 2);
	assert.equal(stderr, 'siem-agent: The flag --url can only be set once. See siem-agent --help.\n');
});

test('siem-agent test gives advice for a check, not what a running agent does meanwhile', async () => {
	const {stdout} = await run(['test', '--url', 'http://127.0.0.1:9', '--token', 'token-0123456789', '--syslog', '127.0.0.1:9', '--config', join(import.meta.dirname, 'no-such-config.json')]);
	assert.match(stdout, /✗ default: syslog 127\.0\.0\.1:9\/tcp: Cannot connect/);
	assert.match(stdout, /Check the syslog host and port in the agent settings, that the SIEM is listening, and that no firewall blocks the connection\.\n/);
	assert.doesNotMatch(stdout, /Pulling from the API is paused|The agent retries/);
});

test('a flag that needs a value and got none is a usage error, not its default in silence', async () => {
	for (const [args, flag] of [[['--daemon', '--format', '--url', 'http://127.0.0.1:9'], '--format'], [['--daemon', '--syslog='], '--syslog'], [['--daemon', '--stateDirectory='], '--stateDirectory'], [['listen', '--port='], '--port']] as const) {
		const {code, stderr} = await run([...args]);
		assert.equal(code, 2, args.join(' '));
		assert.equal(stderr, `siem-agent: ${flag} needs a value. See siem-agent --help.\n`);
	}
});
