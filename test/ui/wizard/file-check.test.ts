import assert from 'node:assert/strict';
import {chmodSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

test('an unreadable file says permission denied', {skip: process.getuid?.() === 0 ? 'root reads every file' : false}, () => {
	const file = path.join(files.directory, 'secret.key');
	writeFileSync(file, '-----BEGIN PRIVATE KEY-----\n');
	chmodSync(file, 0o000);
	assert.equal(checkPemFile(file, 'private key'), `"${file}" cannot be read: permission denied.`);
});

test('paths: ~ is the home directory, relative paths are taken from the current directory', () => {
	assert.equal(absolutePath('~/certs/ca.pem'), path.join(os.homedir(), 'certs/ca.pem'));
	assert.equal(absolutePath('~'), os.homedir());
	assert.equal(absolutePath(' ca.pem '), path.resolve('ca.pem'));
	assert.equal(absolutePath('/etc/ca.pem'), '/etc/ca.pem');
});
