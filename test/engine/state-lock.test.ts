import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {acquireStateLock, lockHolder} from '../../source/engine/state-lock.ts';

test('an empty lock file made a moment ago is someone taking the directory, not a stale lock', () => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-lock-'));
	const file = path.join(directory, 'siem-agent.lock');
	writeFileSync(file, '');
	assert.throws(() => acquireStateLock(directory), (error: Error & {code?: string}) => error.code === 'STATE_ERROR' && /taking the state directory .* right now; try again/.test(error.message));
	// Left empty by a process that died before writing its pid: stale once it is not new.
	const old = (Date.now() / 1000) - 60;
	utimesSync(file, old, old);
	const lock = acquireStateLock(directory);
	assert.equal(readFileSync(file, 'utf8'), `${process.pid}\n`);
	lock.annotate({kind: 'interactive'});
	assert.equal(readFileSync(file, 'utf8'), `${process.pid}\n{"kind":"interactive"}\n`);
	assert.deepEqual(lockHolder(directory), {pid: process.pid, interactive: true});
	lock.release();
	assert.equal(lockHolder(directory), undefined);
});
