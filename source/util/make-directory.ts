/**
 * Creates a directory the agent writes to (logs, state), or says in words what is wrong with
 * it: a directory the service user may not create is a configuration problem (exit 2), not an
 * internal error.
 */
import {mkdirSync} from 'node:fs';
import os from 'node:os';
import {AgentError} from '../errors.ts';

export function makeDirectory(directory: string, what: string, flag: string, mode = 0o750): void {
	try {
		mkdirSync(directory, {recursive: true, mode});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const reason = code === 'EACCES' || code === 'EPERM'
			? `permission denied for ${userName()}`
			: (code === 'EROFS' ? 'the file system is read-only' : (code === 'ENOTDIR' || code === 'EEXIST' ? 'a file of that name is in the way' : (error as Error).message));
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
