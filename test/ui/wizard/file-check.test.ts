import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, test} from 'node:test';
import {absolutePath, checkPemFile} from '../../../source/ui/wizard/file-check.ts';
import {pemFiles} from './pem-files.ts';

const files = pemFiles();

after(() => {
	files.remove();
});

test('a readable PEM file of the right kind passes; empty is not checked (the fields are optional)', () => {
	assert.equal(checkPemFile('', 'certificate'), undefined);
	assert.equal(checkPemFile('  ', 'certificate'), undefined);
	assert.equal(checkPemFile(files.ca, 'certificate'), undefined);
	assert.equal(checkPemFile(` ${files.key} `, 'private key'), undefined);
});

test('each problem is said in words, naming the file as typed', () => {
	assert.equal(checkPemFile('/nonexistent/ca.pem', 'certificate'), '"/nonexistent/ca.pem" does not exist.');
	assert.equal(checkPemFile(`${files.ca}/x`, 'certificate'), `"${files.ca}/x" does not exist.`);
	assert.equal(checkPemFile(files.directory, 'certificate'), `"${files.directory}" is a directory; enter the certificate file in it.`);
	assert.equal(checkPemFile(files.key, 'certificate'), `"${files.key}" holds no PEM certificate.`);
	assert.equal(checkPemFile(files.ca, 'private key'), `"${files.ca}" holds no PEM private key.`);
	assert.equal(checkPemFile(files.text, 'certificate'), `"${files.text}" holds no PEM certificate.`);
});

test('a file changed after a check is checked again', () => {
	const file = path.join(files.directory, 'changing.pem');
	writeFileSync(file, 'nothing yet\n');
	assert.match(checkPemFile(file, 'certificate')!, /holds no PEM certificate/);
	writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIBxx\n-----END CERTIFICATE-----\n');
	assert.equal(checkPemFile(file, 'certificate'), undefined);
});

test('an unreadable file says permission denied', () => {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-perm-'));
	chmodSync(directory, 0o755);
	const file = path.join(directory, 'secret.key');
	writeFileSync(file, '-----BEGIN PRIVATE KEY-----\n');
	chmodSync(file, 0o000);
	try {
		const expected = `"${file}" cannot be read: permission denied.`;
		if (process.getuid?.() !== 0) {
			assert.equal(checkPemFile(file, 'private key'), expected);
			return;
		}
		// Root reads every file: ask as an unprivileged user (CI runs as root).
		const module = new URL('../../../source/ui/wizard/file-check.ts', import.meta.url).href;
		const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const {checkPemFile} = await import(${JSON.stringify(module)}); process.stdout.write(String(checkPemFile(${JSON.stringify(file)}, 'private key')));`], {uid: 65_534, gid: 65_534, encoding: 'utf8', cwd: fileURLToPath(new URL('../../..', import.meta.url))});
		assert.equal(result.stdout, expected, result.stderr);
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
});

test('paths: ~ is the home directory, relative paths are taken from the current directory', () => {
	assert.equal(absolutePath('~/certs/ca.pem'), path.join(os.homedir(), 'certs/ca.pem'));
	assert.equal(absolutePath('~'), os.homedir());
	assert.equal(absolutePath(' ca.pem '), path.resolve('ca.pem'));
	assert.equal(absolutePath('/etc/ca.pem'), '/etc/ca.pem');
});
