/**
 * Creates a directory the agent writes to (logs, state), or says in words what is wrong with
 * it: a directory the service user may not create is a configuration problem (exit 2), not an
 * internal error.
 */
import {mkdirSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {AgentError} from '../errors.ts';

/**
 * mkdir -p one level at a time: Node's own recursive mkdir spins for ever on a path the kernel
 * refuses with ENOENT (anything under /proc), at 100 % CPU and deaf to SIGTERM.
 */
function makeEach(directory: string, mode: number): void {
	const absolute = path.resolve(directory);
	let current = path.parse(absolute).root;
	for (const part of absolute.slice(current.length).split(path.sep).filter(Boolean)) {
		current = path.join(current, part);
		// Levels that exist are only looked at (a sandbox such as Deno's may allow writing to
		// the directory alone, not to its parents).
		if (isDirectory(current)) {
			continue;
		}

		try {
			mkdirSync(current, {mode});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}

			if (!statSync(current).isDirectory()) {
				throw Object.assign(new Error(`${current} is not a directory`), {code: 'ENOTDIR'});
			}
		}
	}
}

function isDirectory(candidate: string): boolean {
	try {
		return statSync(candidate).isDirectory();
	} catch {
		return false;
	}
}

/** Why a directory cannot be made, in words, by errno (permissions name the user, below). */
const reasons: Record<string, string> = {
	EROFS: 'the file system is read-only',
	ENOTDIR: 'a file of that name is in the way',
	EEXIST: 'a file of that name is in the way',
	ENOENT: 'the system allows no directory there',
};

export function makeDirectory(directory: string, what: string, flag: string, mode = 0o750): void {
	try {
		makeEach(directory, mode);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		const reason = code === 'EACCES' || code === 'EPERM' ? `permission denied for ${userName()}` : (reasons[code] ?? (error as Error).message);
		throw new AgentError('CONFIG_ERROR', `${flag}: cannot create the ${what} directory ${directory}: ${reason}. Create it for the user the agent runs as, or choose another ${flag}`, {detail: {setting: flag}});
	}
}

function userName(): string {
	try {
		return `user ${os.userInfo().username}`;
	} catch {
		return `uid ${process.getuid?.() ?? '?'}`;
	}
}
