/**
 * One process per state directory. Two agents writing the same checkpoints would each resend
 * what the other delivered; the lock file (`siem-agent.lock`, holding the pid) makes the second
 * process refuse with a clear message instead. A lock left by a dead process is taken over.
 */
import {closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs';
import path from 'node:path';
import {AgentError} from '../errors.ts';
import {makeDirectory} from '../util/make-directory.ts';

export interface StateLock {
	readonly file: string;
	/** Records facts for other processes to read beside the pid (e.g. the metrics URL). */
	annotate(info: LockInfo): void;
	release(): void;
}

/** What the holder of a lock tells other processes. */
export interface LockInfo {
	/** Base URL of its `--metrics` endpoint (`/snapshot` there serves its engine snapshot). */
	metrics?: string;
	/** Whether the holder is the interactive UI (absent: a `--daemon` service). */
	kind?: 'interactive';
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

function lockFile(stateDirectory: string): string {
	return path.join(stateDirectory, 'siem-agent.lock');
}

/** A lock file's pid (undefined when there is none yet) and note; undefined when there is no file. */
function readLock(file: string): {pid?: number; info: LockInfo} | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}

	const [first = '', second = ''] = text.split('\n');
	const pid = Number.parseInt(first, 10);
	let info: LockInfo = {};
	try {
		info = second ? JSON.parse(second) as LockInfo : {};
	} catch {
		// An older or damaged note: the pid is what matters (and no kind means a service).
	}

	return {pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, info};
}

/** Who holds the state directory now, if a live process does (without taking it). */
export function lockHolder(stateDirectory: string): {pid: number; interactive: boolean} | undefined {
	const lock = readLock(lockFile(stateDirectory));
	return lock?.pid !== undefined && alive(lock.pid) ? {pid: lock.pid, interactive: lock.info.kind === 'interactive'} : undefined;
}

export function acquireStateLock(stateDirectory: string): StateLock {
	makeDirectory(stateDirectory, 'state', '--stateDirectory', 0o700);
	const file = lockFile(stateDirectory);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx', 0o600);
			writeSync(fd, `${process.pid}\n`);
			closeSync(fd);
			let released = false;
			return {
				file,
				annotate(info) {
					if (!released) {
						// Replaced whole (rename), never truncated: a reader must never see it empty.
						const temporary = `${file}.${process.pid}.tmp`;
						writeFileSync(temporary, `${process.pid}\n${JSON.stringify(info)}\n`, {mode: 0o600});
						renameSync(temporary, file);
					}
				},
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
		const lock = readLock(file);
		if (!lock) {
			// Gone since the open failed: try again.
			continue;
		}

		const {pid, info} = lock;
		if (pid === undefined && Date.now() - (statSync(file, {throwIfNoEntry: false})?.mtimeMs ?? 0) < 2000) {
			// Created a moment ago and not written yet: another process is taking it right now.
			throw new AgentError('STATE_ERROR', `another siem-agent is taking the state directory ${stateDirectory} right now; try again in a moment`);
		}
		if (pid !== undefined && pid !== process.pid && alive(pid)) {
			throw new AgentError('CONFIG_ERROR', `the state directory ${stateDirectory} is in use by another siem-agent (pid ${pid}); stop it first (e.g. systemctl stop siem-agent), or give this one its own --stateDirectory`, {detail: {pid, metrics: typeof info.metrics === 'string' ? info.metrics : undefined, interactive: info.kind === 'interactive'}});
		}
		// Left behind by a process that is gone.
		rmSync(file, {force: true});
	}
	throw new AgentError('STATE_ERROR', `cannot take the lock ${file}`);
}
