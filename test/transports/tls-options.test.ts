import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {loadTlsMaterial} from '../../source/transports/tls-options.ts';

test('a file that is not what the flag wants says what it does hold', () => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-tls-options-'));
	const key = path.join(directory, 'server.key');
	writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
	const text = path.join(directory, 'notes.txt');
	writeFileSync(text, 'hello\n');
	assert.throws(() => loadTlsMaterial({ca: key}, 'siem'), (error: Error & {code?: string}) => error.code === 'CONFIG_ERROR' && /--ca: ".*server\.key" holds no PEM CA certificate \(it holds a "PRIVATE KEY" block: another file\?\)/.test(error.message));
	assert.throws(() => loadTlsMaterial({ca: text}, 'siem'), /holds no PEM CA certificate \(no "-----BEGIN \.\.\.-----" block at all\)/);
});
