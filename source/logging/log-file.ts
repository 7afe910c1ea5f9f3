/**
 * JSON-lines log output: stderr and, with --logsDirectory, `<dir>/siem-agent.log`, rotated by
 * size (siem-agent.log.1 … .N, oldest dropped). Every line passes the redactor first, so a
 * secret that slipped into a message still never reaches a screen or a file.
 */
import {closeSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import {makeDirectory} from '../util/make-directory.ts';
import path from 'node:path';
import type {LogEntry} from '../engine/protocol.ts';

export interface LogFileOptions {
	directory?: string;
	/** Rotate when the file would grow past this. @default 10 MiB */
	maxBytes?: number;
	/** Rotated files kept besides the current one. @default 5 */
	keep?: number;
	/** Write to stderr too. @default true */
	stderr?: boolean;
	/** Values that must never be written (tokens, proxy passwords). */
	secrets?: readonly string[];
}

export function createRedactor(secrets: readonly string[]): (text: string) => string {
	// Lines are redacted after JSON encoding, so a secret holding `"` or `\\` appears escaped there:
	// match both spellings.
	const plain = secrets.filter((s) => typeof s === 'string' && s.length >= 4);
	const list = [...new Set([...plain, ...plain.map((s) => JSON.stringify(s).slice(1, -1))])].sort((a, b) => b.length - a.length);
	if (list.length === 0) {
		return (text) => text;
	}
	return (text) => {
		let out = text;
		for (const secret of list) {
			if (out.includes(secret)) {
				out = out.replaceAll(secret, '***');
			}
		}
		return out;
	};
}

export class LogWriter {
	readonly #file?: string;
	readonly #maxBytes: number;
	readonly #keep: number;
	readonly #stderr: boolean;
	#redact: (text: string) => string;
	#fd?: number;
	#size = 0;

	constructor(options: LogFileOptions = {}) {
		this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
		this.#keep = options.keep ?? 5;
		this.#stderr = options.stderr ?? true;
		this.#redact = createRedactor(options.secrets ?? []);
		if (options.directory) {
			makeDirectory(options.directory, 'logs', '--logsDirectory');
			this.#file = path.join(options.directory, 'siem-agent.log');
			this.#open();
		}
	}

	get file(): string | undefined {
		return this.#file;
	}

	setSecrets(secrets: readonly string[]): void {
		this.#redact = createRedactor(secrets);
	}

	write(entry: LogEntry): void {
		const line = this.#redact(JSON.stringify(entry)) + '\n';
		if (this.#stderr) {
			process.stderr.write(line);
		}
		if (this.#fd === undefined) {
			return;
		}
		const bytes = Buffer.byteLength(line);
		if (this.#size + bytes > this.#maxBytes && this.#size > 0) {
			this.#rotate();
		}
		writeSync(this.#fd!, line);
		this.#size += bytes;
	}

	close(): void {
		if (this.#fd !== undefined) {
			closeSync(this.#fd);
			this.#fd = undefined;
		}
	}

	#open(): void {
		this.#fd = openSync(this.#file!, 'a', 0o640);
		try {
			this.#size = statSync(this.#file!).size;
		} catch {
			this.#size = 0;
		}
	}

	#rotate(): void {
		this.close();
		const file = this.#file!;
		rmSync(`${file}.${this.#keep}`, {force: true});
		for (let i = this.#keep - 1; i >= 1; i--) {
			try {
				renameSync(`${file}.${i}`, `${file}.${i + 1}`);
			} catch {
				// A gap in the numbering is fine.
			}
		}
		if (this.#keep > 0) {
			renameSync(file, `${file}.1`);
		} else {
			rmSync(file, {force: true});
		}
		this.#open();
	}
}
