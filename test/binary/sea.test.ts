/**
 * The single executable on its own: copied into an empty directory (no node_modules, no
 * package.json beside it) and run with a scrubbed environment (`env -i`), as a service
 * manager would. Builds dist/siem-agent first when it is missing or older than the sources.
 */
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {promisify} from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const binary = join(root, 'dist', 'siem-agent');
const hasEntry = ['source/cli.ts', 'source/cli.tsx'].some((file) => existsSync(join(root, file)));
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

describe('single executable (dist/siem-agent)', {skip: !hasEntry && 'source/cli.ts does not exist yet'}, () => {
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
});
