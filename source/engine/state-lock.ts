/**
 * One process per state directory. Two agents writing the same checkpoints would each resend
 * what the other delivered; the lock file (`siem-agent.lock`, holding the pid) makes the second
 * process refuse with a clear message instead. A lock left by a dead process is taken over.
 */
import {mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync} from 'node:fs';
import path from 'node:path';
import {AgentError} from '../errors.ts';

export interface StateLock {
	readonly file: string;
	release(): void;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to another user; still alive.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function acquireStateLock(stateDirectory: string): StateLock {
	mkdirSync(stateDirectory, {recursive: true, mode: 0o700});
	const file = path.join(stateDirectory, 'siem-agent.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx', 0o600);
			writeSync(fd, `${process.pid}\n`);
			closeSync(fd);
			let released = false;
			return {
				file,
				release() {
					if (!released) {
						released = true;
						rmSync(file, {force: true});
					}
				},
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw new AgentError('STATE_ERROR', `cannot create ${file}: ${(error as Error).message}`);
			}
		}
		const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
		if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
			throw new AgentError('CONFIG_ERROR', `the state directory ${stateDirectory} is in use by another siem-agent (pid ${pid}); stop it first (e.g. systemctl stop siem-agent), or give this one its own --stateDirectory`, {detail: {pid}});
		}
		// Left behind by a process that is gone.
		rmSync(file, {force: true});
	}
	throw new AgentError('STATE_ERROR', `cannot take the lock ${file}`);
}
