/**
 * Certificates for TLS tests, made with the `openssl` command line (CI installs it, .ci/run)
 * in a temporary directory: a CA, a server certificate for localhost/127.0.0.1/::1, one that is
 * expired, one for another name, a self-signed one, a second CA that issued nothing the
 * servers use, and a client certificate for mutual TLS. EC P-256 keys, so it takes well under a
 * second. Made once per process and removed when it exits.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface KeyPair {
	/** PEM file paths. */
	cert: string;
	key: string;
	/** The PEM texts, for node:tls servers. */
	certPem: string;
	keyPem: string;
}

export interface TestCertificates {
	directory: string;
	/** The CA that issued server, expired, wrongName and client (PEM file path). */
	ca: string;
	caPem: string;
	/** A CA that issued none of these certificates. */
	otherCa: string;
	/** Server certificate for localhost, 127.0.0.1 and ::1. */
	server: KeyPair;
	/** Like `server`, but its validity ended yesterday. */
	expired: KeyPair;
	/** Issued by the CA for wrong.example.com only. */
	wrongName: KeyPair;
	/** Self-signed, for localhost and 127.0.0.1. */
	selfSigned: KeyPair;
	/** Client certificate (extendedKeyUsage clientAuth) issued by the CA. */
	client: KeyPair;
}

function openssl(directory: string, args: string[]): void {
	try {
		execFileSync('openssl', args, {cwd: directory, stdio: ['ignore', 'ignore', 'pipe']});
	} catch (error) {
		const stderr = String((error as {stderr?: Buffer}).stderr ?? '');
		throw new Error(`openssl ${args[0]} failed (is openssl installed? .ci/run installs it): ${stderr || (error as Error).message}`);
	}
}

const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function makeCa(directory: string, name: string): void {
	openssl(directory, ['req', '-x509', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=siem-agent test ${name}`,
		'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

function pair(directory: string, name: string): KeyPair {
	const cert = path.join(directory, `${name}.pem`);
	const key = path.join(directory, `${name}.key`);
	return {cert, key, certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8')};
}

/** A key and a certificate signed by the CA `ca`; negative `days` makes one that already expired. */
function issue(directory: string, name: string, {ca = 'ca', subject, extensions, days = 30}: {ca?: string; subject: string; extensions: string[]; days?: number}): KeyPair {
	openssl(directory, ['req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
	writeFileSync(path.join(directory, `${name}.ext`), extensions.join('\n') + '\n');
	openssl(directory, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
	return pair(directory, name);
}

const serverExtensions = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'];

function create(): TestCertificates {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-certs-'));
	process.once('exit', () => rmSync(directory, {recursive: true, force: true}));
	makeCa(directory, 'ca');
	makeCa(directory, 'other-ca');
	const server = issue(directory, 'server', {subject: '/CN=localhost', extensions: [...serverExtensions, 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1']});
	// -days -1: notBefore is now, notAfter a day earlier, which OpenSSL reports as expired.
	const expired = issue(directory, 'expired', {subject: '/CN=localhost', extensions: [...serverExtensions, 'subjectAltName=DNS:localhost,IP:127.0.0.1'], days: -1});
	const wrongName = issue(directory, 'wrong-name', {subject: '/CN=wrong.example.com', extensions: [...serverExtensions, 'subjectAltName=DNS:wrong.example.com']});
	const client = issue(directory, 'client', {subject: '/CN=siem-agent test client', extensions: ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth']});
	openssl(directory, ['req', '-x509', ...newKey, '-keyout', 'self-signed.key', '-out', 'self-signed.pem', '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
	const ca = path.join(directory, 'ca.pem');
	return {
		directory,
		ca,
		caPem: readFileSync(ca, 'utf8'),
		otherCa: path.join(directory, 'other-ca.pem'),
		server,
		expired,
		wrongName,
		selfSigned: pair(directory, 'self-signed'),
		client,
	};
}

let made: TestCertificates | undefined;

/** The test certificates, made on first use. */
export function testCertificates(): TestCertificates {
	made ??= create();
	return made;
}
