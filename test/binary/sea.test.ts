/**
 * The single executable on its own: copied into an empty directory (no node_modules, no
 * package.json beside it) and run with a scrubbed environment (`env -i`), as a service
 * manager would: --version, --help, the daemon against the simulator (served by the same
 * binary) and a real rsyslog, and the set-up wizard in a pseudo-terminal (tmux).
 * Builds dist/siem-agent first when it is missing or older than the sources.
 */
import assert from 'node:assert/strict';
import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {promisify} from 'node:util';
import {externalId} from '../helpers/daemon.ts';
import {Rsyslog} from '../helpers/rsyslog.ts';
import {waitFor} from '../helpers/wait.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const binary = join(root, 'dist', 'siem-agent');
const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string};

/** Newest modification time among the inputs of the build. */
function newestInput(): number {
	const files = [
		...readdirSync(join(root, 'source'), {recursive: true, withFileTypes: true})
			.filter((entry) => entry.isFile())
			.map((entry) => join(entry.parentPath, entry.name)),
		join(root, 'scripts', 'build.ts'),
		join(root, 'scripts', 'build-sea.ts'),
		join(root, 'package.json'),
		join(root, 'package-lock.json'),
	];
	return Math.max(...files.filter((file) => existsSync(file)).map((file) => statSync(file).mtimeMs));
}

function ensureFreshBinary(): void {
	if (existsSync(binary) && statSync(binary).mtimeMs >= newestInput()) {
		return;
	}

	execFileSync(process.execPath, ['scripts/build-sea.ts', '--quiet'], {cwd: root, stdio: 'inherit'});
}

/** A process started from the copied binary, its output collected. */
interface Started {
	child: ChildProcess;
	stdout: string;
	stderr: string;
	exited: Promise<number | null>;
}

/** Polls `read` until `ready` holds; the error names what was awaited and shows `read()`. */
async function until(what: string, read: () => string, ready: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
	return waitFor(what, () => ready(read()) && read(), {timeoutMs, intervalMs: 50, detail: () => `have:\n${read().slice(-3000)}`});
}

describe('single executable (dist/siem-agent)', () => {
	let directory: string;
	let copy: string;

	before(() => {
		ensureFreshBinary();
		directory = mkdtempSync(join(tmpdir(), 'siem-agent-sea-'));
		copy = join(directory, 'siem-agent');
		copyFileSync(binary, copy);
	});

	after(() => {
		rmSync(directory, {recursive: true, force: true});
	});

	/** Runs the copied binary in its empty directory with nothing in the environment. */
	async function runScrubbed(...args: string[]): Promise<{stdout: string; stderr: string}> {
		return run('env', ['-i', copy, ...args], {cwd: directory});
	}

	/** Starts the copied binary with nothing in the environment but `env`. */
	function startScrubbed(args: string[], env: Record<string, string> = {}): Started {
		const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
		// env execs the binary, so the child's pid is the agent's own and signals reach it.
		const child = spawn('env', ['-i', ...assignments, copy, ...args], {cwd: directory, stdio: ['ignore', 'pipe', 'pipe']});
		const started: Started = {
			child,
			stdout: '',
			stderr: '',
			exited: new Promise((resolve) => {
				child.once('exit', (code) => resolve(code));
			}),
		};
		child.stdout!.on('data', (chunk: Buffer) => {
			started.stdout += chunk.toString();
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			started.stderr += chunk.toString();
		});
		return started;
	}

	async function terminate(started: Started | undefined): Promise<number | null | undefined> {
		if (!started) {
			return undefined;
		}
		if (started.child.exitCode === null && started.child.signalCode === null) {
			started.child.kill('SIGTERM');
		}
		return started.exited;
	}

	test('--version prints the package version', async () => {
		const {stdout, stderr} = await runScrubbed('--version');
		assert.equal(stdout.trim(), version);
		assert.equal(stderr, '');
	});

	test('--help prints usage', async () => {
		const {stdout, stderr} = await runScrubbed('--help');
		assert.match(stdout, /usage/i);
		assert.match(stdout, /--daemon/);
		assert.equal(stderr, '');
	});

	test('--daemon forwards the simulator\'s events to rsyslog and stops cleanly on SIGTERM', async () => {
		let simulator: Started | undefined;
		let daemon: Started | undefined;
		const rsyslog = await Rsyslog.start('tcp-lf');
		try {
			simulator = startScrubbed(['simulate', '--port', '0', '--no-throttle', '--seed', '5']);
			const banner = await until('the simulator', () => simulator!.stdout, (text) => /tenant at http:\/\/127\.0\.0\.1:\d+/.test(text));
			const url = /tenant at (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;

			const state = join(directory, 'state');
			const logs = join(directory, 'logs');
			daemon = startScrubbed([
				'--daemon', '--config', join(directory, 'config.json'), '--url', url, '--token', 'sim-token',
				'--syslog', `127.0.0.1:${rsyslog.port}`, '--stateDirectory', state, '--logsDirectory', logs,
				'--poll-interval', '1', '--requests-per-minute', '0',
			]);
			await until('STARTED', () => daemon!.stderr, (text) => text.includes('"code":"STARTED"'));

			// The two-day backfill holds about 2000 activities and 40 alerts (simulator defaults).
			const lines = await rsyslog.waitFor((all) => all.some((line) => line.includes('|ALERT_')) && all.filter((line) => externalId(line)).length >= 1000, 30_000, 'the backfill');
			const activity = lines.find((line) => line.includes('|EVENT_CATEGORY_'));
			assert.match(activity ?? '', new RegExp(String.raw`^\d{4}-\d\d-\d\dT[\d:.]+Z CEF:0\|MCAS\|SIEM_Agent\|${version.replaceAll('.', String.raw`\.`)}\|EVENT_CATEGORY_\w+\|`));

			assert.equal(await terminate(daemon), 0, daemon.stderr.slice(-3000));
			assert.match(daemon.stderr, /"code":"STOPPED"/);
			assert.doesNotMatch(daemon.stderr, /"level":"error"/);
			// --logsDirectory gets the same JSON lines, in a file only the service's group may read.
			const logFile = join(logs, 'siem-agent.log');
			assert.match(readFileSync(logFile, 'utf8'), /"code":"STOPPED"/);
			assert.equal(statSync(logFile).mode & 0o777 & ~0o640, 0);
			assert.ok(readdirSync(state).length > 0, 'checkpoints were saved');

			assert.equal(await terminate(simulator), 0, simulator.stderr);
		} finally {
			await terminate(daemon);
			await terminate(simulator);
			await rsyslog.stop();
			rmSync(rsyslog.directory, {recursive: true, force: true});
		}
	});

	test('in a terminal with no agent configured it opens the set-up wizard', async () => {
		if (!existsSync('/usr/bin/tmux') && !existsSync('/bin/tmux')) {
			throw new Error('tmux not found: install Debian\'s tmux package; .ci/run does this');
		}
		const home = join(directory, 'home');
		mkdirSync(home);
		const config = join(home, 'config.json');
		// A private tmux server (own socket, no user config). The exit status goes through a
		// file written by sh: tmux's own #{pane_dead_status} sometimes stays empty because its
		// server leaves the exited child unreaped.
		const socket = join(directory, 'tmux.sock');
		const statusFile = join(directory, 'tui-status');
		const tmux = async (...args: string[]): Promise<string> => (await run('tmux', ['-S', socket, '-f', '/dev/null', ...args], {cwd: directory})).stdout;
		const screen = async (): Promise<string> => tmux('capture-pane', '-p');
		let text = '';
		const poll = async (what: string, ready: () => Promise<boolean>): Promise<void> => {
			await waitFor(what, ready, {intervalMs: 100, detail: async () => `the screen shows:\n${await screen()}`});
		};
		const shows = (pattern: RegExp) => async (): Promise<boolean> => pattern.test(text = await screen());

		await tmux('new-session', '-d', '-x', '100', '-y', '30',
			`env -i TERM=xterm-256color HOME=${home} ./siem-agent --config ${config}; echo $? > ${statusFile}; sleep 60`);
		try {
			await poll('the wizard', shows(/Agent name/));
			assert.match(text, /Add SIEM agent · step 1 of 4/);
			assert.match(text, /Remote syslog/);

			await tmux('send-keys', '-l', 'binary-test');
			await poll('the typed name', shows(/Agent name\s+binary-test/));

			await tmux('send-keys', 'Escape');
			await poll('the question before what was typed is discarded', shows(/Esc again discards this agent/));
			await tmux('send-keys', 'Escape');
			await poll('Esc to quit the wizard', async () => existsSync(statusFile) && readFileSync(statusFile, 'utf8').endsWith('\n'));
			assert.equal(readFileSync(statusFile, 'utf8').trim(), '0', 'the UI exits with status 0');
			assert.equal(existsSync(config), false, 'quitting the wizard saves nothing');
		} finally {
			await tmux('kill-server').catch(() => undefined);
		}
	});
});
