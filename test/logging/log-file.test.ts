/**
 * The --logsDirectory log file: rotation by size, a bounded number of files, secrets redacted
 * (in the file and on stderr), and file modes that keep the log away from other users.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import type {LogEntry} from '../../source/engine/protocol.ts';
import {createRedactor, LogWriter} from '../../source/logging/log-file.ts';

const logName = 'siem-agent.log';

/** A log entry whose JSON line has the same length for every sequence number below 100000. */
function entry(sequence: number, extra: Partial<LogEntry> = {}): LogEntry {
	const padded = String(sequence).padStart(5, '0');
	return {time: '2026-01-01T00:00:00.000Z', level: 'info', code: 'CHECKPOINT', msg: `line ${padded}`, sequence: padded, ...extra};
}

/** The `sequence` of every line of one file, in order; every line must be complete JSON. */
function sequences(file: string): number[] {
	return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => Number((JSON.parse(line) as {sequence: string | number}).sequence));
}

/** Runs `body` with process.stderr.write captured; returns what was written. */
function captureStderr(body: () => void): string {
	let captured = '';
	const original = process.stderr.write;
	process.stderr.write = ((chunk: string | Uint8Array) => {
		captured += String(chunk);
		return true;
	}) as typeof process.stderr.write;
	try {
		body();
	} finally {
		process.stderr.write = original;
	}
	return captured;
}

describe('LogWriter', () => {
	let directory: string;

	beforeEach(() => {
		directory = mkdtempSync(join(tmpdir(), 'siem-agent-logs-'));
	});

	afterEach(() => {
		rmSync(directory, {recursive: true, force: true});
	});

	it('rotates by size and keeps a bounded number of files, oldest dropped', () => {
		const logs = join(directory, 'logs');
		const writer = new LogWriter({directory: logs, maxBytes: 1000, keep: 3, stderr: false});
		assert.equal(writer.file, join(logs, logName));
		const total = 400;
		for (let sequence = 0; sequence < total; sequence++) {
			writer.write(entry(sequence));
		}
		writer.close();

		assert.deepEqual(readdirSync(logs).sort(), [logName, `${logName}.1`, `${logName}.2`, `${logName}.3`]);
		const files = [`${logName}.3`, `${logName}.2`, `${logName}.1`, logName].map((name) => join(logs, name));
		for (const file of files) {
			assert.ok(statSync(file).size <= 1000, `${file} is ${statSync(file).size} bytes`);
		}
		// Oldest file first, the lines run on without a gap and end with the last one written.
		const kept = files.flatMap((file) => sequences(file));
		assert.equal(kept.at(-1), total - 1);
		assert.deepEqual(kept, kept.map((_, index) => kept[0]! + index));
		assert.ok(kept[0]! > 0, 'the oldest lines were dropped');
	});

	it('counts an existing file when it reopens, and rotates it in turn', () => {
		const first = new LogWriter({directory, maxBytes: 1000, keep: 2, stderr: false});
		first.write(entry(0));
		first.close();
		const size = statSync(join(directory, logName)).size;

		const second = new LogWriter({directory, maxBytes: 1000, keep: 2, stderr: false});
		let sequence = 1;
		while ((sequence + 1) * size <= 1000) {
			second.write(entry(sequence++));
		}
		assert.deepEqual(readdirSync(directory), [logName], 'no rotation while the file still fits');
		second.write(entry(sequence));
		second.close();
		assert.deepEqual(sequences(join(directory, `${logName}.1`)), Array.from({length: sequence}, (_, index) => index));
		assert.deepEqual(sequences(join(directory, logName)), [sequence]);
	});

	it('with keep 0 holds only the current file; a line longer than the limit is still written whole', () => {
		const writer = new LogWriter({directory, maxBytes: 200, keep: 0, stderr: false});
		for (let sequence = 0; sequence < 50; sequence++) {
			writer.write(entry(sequence));
		}
		writer.write(entry(50, {msg: 'x'.repeat(500)}));
		writer.close();
		assert.deepEqual(readdirSync(directory), [logName]);
		assert.deepEqual(sequences(join(directory, logName)), [50]);
	});

	it('never writes a secret, in the file or on stderr, including after setSecrets', () => {
		const token = 'tok3n-0123456789abcdef';
		const password = 'pr0xy-pa55';
		const writer = new LogWriter({directory, secrets: [token, password]});
		const stderr = captureStderr(() => {
			writer.write(entry(1, {msg: `request with Authorization: Token ${token} failed`}));
			writer.write(entry(2, {msg: 'proxy refused', proxy: `http://user:${password}@proxy:3128`, nested: {token}}));
			writer.setSecrets(['an0ther-t0ken']);
			writer.write(entry(3, {msg: 'token an0ther-t0ken rejected'}));
		});
		writer.close();

		const file = readFileSync(join(directory, logName), 'utf8');
		for (const text of [file, stderr]) {
			assert.equal(text.split('\n').filter((line) => line !== '').length, 3);
			assert.ok(!text.includes(token) && !text.includes(password) && !text.includes('an0ther-t0ken'), text);
			assert.match(text, /Token \*\*\* failed/);
			assert.match(text, /user:\*\*\*@proxy/);
			for (const line of text.trim().split('\n')) {
				JSON.parse(line);
			}
		}
	});

	it('creates the directory 0750 and the files 0640, rotated ones included', () => {
		const previous = process.umask(0o022);
		try {
			const logs = join(directory, 'logs');
			const writer = new LogWriter({directory: logs, maxBytes: 300, keep: 2, stderr: false});
			for (let sequence = 0; sequence < 20; sequence++) {
				writer.write(entry(sequence));
			}
			writer.close();
			assert.equal(statSync(logs).mode & 0o777, 0o750);
			assert.deepEqual(readdirSync(logs).sort(), [logName, `${logName}.1`, `${logName}.2`]);
			for (const name of readdirSync(logs)) {
				assert.equal(statSync(join(logs, name)).mode & 0o777, 0o640, name);
			}
		} finally {
			process.umask(previous);
		}
	});

	it('appends to what is already there instead of truncating', () => {
		writeFileSync(join(directory, logName), '{"sequence":-1}\n', {mode: 0o640});
		const writer = new LogWriter({directory, stderr: false});
		writer.write(entry(0));
		writer.close();
		assert.deepEqual(sequences(join(directory, logName)), [-1, 0]);
	});
});

describe('createRedactor', () => {
	it('replaces every occurrence, longest secret first, and ignores values too short to be secrets', () => {
		const redact = createRedactor(['abcd', 'abcdefgh', 'xyz', '']);
		assert.equal(redact('abcdefgh abcd abc xyz'), '*** *** abc xyz');
	});

	it('redacts a secret with quotes or backslashes in its JSON-escaped form too', () => {
		const secret = 'pa"ss\\word';
		const line = JSON.stringify({msg: `proxy http://u:${secret}@proxy:8080 failed`});
		const redacted = createRedactor([secret])(line);
		assert.equal(redacted.includes('ss\\\\word'), false, redacted);
		assert.match(redacted, /u:\*\*\*@proxy/);
	});

	it('passes text through unchanged without secrets', () => {
		assert.equal(createRedactor([])('Token abc'), 'Token abc');
	});
});
