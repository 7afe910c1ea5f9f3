/**
 * The source runs under Deno as well as Node (design card): `deno run` on source/cli.ts, with
 * npm packages resolved from node_modules/ through package.json, no deno.json. The daemon pulls
 * from the simulator for a few seconds, its events reach a syslog receiver, and SIGTERM stops it
 * with exit 0. Deno comes from the `deno` devDependency, so a missing binary fails the test.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {externalId} from '../helpers/daemon.ts';
import {startCollector, type Collector} from '../helpers/receiver.ts';

const root = resolve(import.meta.dirname, '../..');
const day = 24 * 60 * 60 * 1000;

/**
 * The Deno executable of the npm package. Its `bin.cjs` wrapper is not used: it runs Deno with
 * spawnSync, so a signal sent to the wrapper would never reach Deno. `runInstall()` is the
 * package's own lookup (node_modules/deno/deno, else the platform package's binary), and works
 * even when npm skipped the package's install script.
 */
function denoExecutable(): string {
	try {
		const api = createRequire(import.meta.url)('deno/install_api.cjs') as {runInstall(): string};
		return api.runInstall();
	} catch (error) {
		throw new Error(`Deno not found: the "deno" devDependency should provide it (npm ci). ${(error as Error).message}`);
	}
}

describe('daemon under Deno', () => {
	let simulator: Simulator;
	let collector: Collector;
	let directory: string;

	before(async () => {
		simulator = await createSimulator({seed: 11, historyActivities: 600, historyAlerts: 20, liveActivitiesPerSecond: 10, throttle: 0});
		collector = await startCollector('tcp');
		directory = mkdtempSync(join(tmpdir(), 'siem-agent-deno-'));
	});

	after(async () => {
		await collector?.close();
		await simulator?.close();
		rmSync(directory, {recursive: true, force: true});
	});

	it('forwards events to the syslog server and exits 0 on SIGTERM', async () => {
		const deno = denoExecutable();
		const state = join(directory, 'state');
		// The permissions docs/single-executable.md gives for running from source under Deno.
		const child = spawn(deno, [
			'run', '--allow-net', '--allow-read', `--allow-write=${directory}`, '--allow-env', '--allow-sys',
			'source/cli.ts', '--daemon', '--config', join(directory, 'config.json'),
			'--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${collector.port}`,
			'--stateDirectory', state, '--logsDirectory', join(directory, 'logs'),
			'--poll-interval', '1', '--requests-per-minute', '0', '--settle', '0',
		], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe'],
			// No update check (no network here) and no colours in Deno's own messages.
			env: {...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1'},
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const exited = new Promise<number | null>((resolve) => {
			child.once('exit', (code) => resolve(code));
		});
		try {
			// Everything the two-day backfill covers, then live events created after the start.
			const start = Date.now();
			const backlog = new Set([
				...simulator.activitiesCreatedBetween(start - 2 * day, start - 1000).map((record) => String(record._id)),
				...simulator.alertsBetween(start - 2 * day, start - 1000).map((record) => String(record._id)),
			]);
			assert.ok(backlog.size > 300, `the simulator should have a backlog, has ${backlog.size}`);
			const live = () => simulator.activitiesCreatedBetween(start + 500, Date.now()).map((record) => String(record._id));
			await collector.waitUntil((messages) => {
				const ids = new Set(messages.map((message) => externalId(message)));
				const newer = live();
				return [...backlog].every((id) => ids.has(id)) && newer.length > 0 && newer.some((id) => ids.has(id));
			}, 30_000).catch((error: unknown) => {
				throw new Error(`${(error as Error).message}; Deno's stderr:\n${stderr.slice(-3000)}`);
			});
			assert.match(collector.messages[0]!, /CEF:0\|MCAS\|SIEM_Agent\|/);
		} finally {
			child.kill('SIGTERM');
		}

		assert.equal(await exited, 0, stderr.slice(-3000));
		assert.match(stderr, /"code":"STOPPED","msg":"stopped \(exit 0\)"/);
		assert.doesNotMatch(stderr, /"level":"error"/);
	});
});
