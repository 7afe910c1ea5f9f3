/**
 * Checks of the certificate files typed in the wizard: the file exists, is readable and holds
 * the PEM block the agent will look for at start-up (transports/tls-options.ts), so a wrong path
 * shows beside the field instead of stopping the agent later. Reads the file system (the only
 * wizard check that does); a file is read again only when its size or time changes.
 */
import {accessSync, constants, readFileSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `~/x` → the home directory's `x`; relative paths against the current directory. */
export function absolutePath(typed: string): string {
	const text = typed.trim();
	const home = text === '~' || text.startsWith('~/') ? os.homedir() + text.slice(1) : text;
	return path.resolve(home);
}

/** What a file must hold. */
export type PemKind = 'certificate' | 'private key';

const markers: Record<PemKind, RegExp> = {
	certificate: /-----BEGIN CERTIFICATE-----/,
	'private key': /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
};

/** Whether a file (by path, size and modification time) holds each kind of PEM block. */
const pemCache = new Map<string, boolean>();

function errnoOf(error: unknown): string | undefined {
	return (error as {code?: string}).code;
}

function holds(file: string, signature: string, kind: PemKind): boolean {
	const key = `${kind}\n${signature}\n${file}`;
	let found = pemCache.get(key);
	if (found === undefined) {
		found = markers[kind].test(readFileSync(file, 'latin1'));
		if (pemCache.size > 100) {
			pemCache.clear();
		}

		pemCache.set(key, found);
	}

	return found;
}

/**
 * Message for a PEM file that cannot be used ('' is not checked: the field is optional), e.g.
 * `"/etc/ca.pem" does not exist.`
 */
export function checkPemFile(typed: string, kind: PemKind): string | undefined {
	const text = typed.trim();
	if (text === '') {
		return undefined;
	}

	const file = absolutePath(text);
	try {
		const stat = statSync(file);
		if (stat.isDirectory()) {
			return `"${text}" is a directory; enter the ${kind} file in it.`;
		}

		accessSync(file, constants.R_OK);
		if (!holds(file, `${stat.size}:${stat.mtimeMs}`, kind)) {
			return `"${text}" holds no PEM ${kind}.`;
		}

		return undefined;
	} catch (error) {
		switch (errnoOf(error)) {
			case 'ENOENT':
			case 'ENOTDIR': {
				return `"${text}" does not exist.`;
			}

			case 'EACCES':
			case 'EPERM': {
				return `"${text}" cannot be read: permission denied.`;
			}

			default: {
				return `"${text}" cannot be read: ${(error as Error).message}`;
			}
		}
	}
}
