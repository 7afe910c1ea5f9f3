/**
 * What an administrator copies from the docs and packaging/ must work as written: the config
 * example of docs/install.md validates, the unit's ExecStart uses only flags the CLI knows, and
 * the unit passes `systemd-analyze verify` where systemd's tools are installed.
 */
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import {resolveDaemonConfig} from '../../source/daemon.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const unit = readFileSync(join(root, 'packaging', 'siem-agent.service'), 'utf8');
const execStart = /^ExecStart=(.+)$/m.exec(unit)![1]!.trim().split(/\s+/);
const systemdAnalyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((file) => existsSync(file));

describe('service packaging', () => {
	let directory: string;

	before(() => {
		directory = mkdtempSync(join(tmpdir(), 'siem-agent-packaging-'));
	});

	after(() => {
		rmSync(directory, {recursive: true, force: true});
	});

	it('the hand-written config of docs/install.md is a valid config file', () => {
		const markdown = readFileSync(join(root, 'docs', 'install.md'), 'utf8');
		const example = /```json\n([\s\S]+?)```/.exec(markdown)?.[1];
		assert.ok(example, 'docs/install.md has a json example');
		const file = join(directory, 'config.json');
		writeFileSync(file, example, {mode: 0o600});
		const resolved = resolveDaemonConfig({config: file});
		assert.equal(resolved.engine.agents.length, 1);
		const [agent] = resolved.engine.agents;
		assert.equal(agent!.name, 'contoso');
		assert.deepEqual(agent!.syslog, {protocol: 'tcp', host: 'siem.example.com', port: 514, framing: 'lf'});
		assert.equal(agent!.dataTypes.alerts.enabled && agent!.dataTypes.activities.enabled, true);
	});

	it('the unit runs the daemon with flags the CLI knows', async () => {
		assert.equal(execStart[0], '/usr/local/bin/siem-agent');
		assert.ok(execStart.includes('--daemon'));
		const {stdout: help} = await run(process.execPath, [join(root, 'source', 'cli.ts'), '--help']);
		const flags = execStart.filter((word) => word.startsWith('--'));
		assert.ok(flags.length >= 4);
		for (const flag of flags) {
			assert.match(help, new RegExp(`${flag}\\b`), `${flag} is in --help`);
		}
	});

	it('the unit passes systemd-analyze verify', {skip: !systemdAnalyze && 'systemd-analyze is not installed'}, async () => {
		// verify checks that ExecStart's program exists; point it at a stand-in.
		const program = join(directory, 'siem-agent');
		writeFileSync(program, '#!/bin/sh\n', {mode: 0o755});
		const copy = join(directory, 'siem-agent.service');
		writeFileSync(copy, unit.replaceAll('/usr/local/bin/siem-agent', program));
		const {stderr} = await run(systemdAnalyze!, ['verify', copy]);
		assert.equal(stderr.trim(), '');
	});
});
