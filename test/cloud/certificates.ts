/** A throw-away CA and a server certificate for 127.0.0.1/localhost, made with openssl. */

import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export interface TestCertificates {
	ca: string;
	key: string;
	cert: string;
}

/** @param names subjectAltName entries of the server certificate. */
export function makeCertificates(names = 'IP:127.0.0.1,DNS:localhost'): TestCertificates {
	const directory = mkdtempSync(path.join(tmpdir(), 'siem-agent-tls-'));
	const file = (name: string) => path.join(directory, name);
	const openssl = (...args: string[]) => {
		try {
			execFileSync('openssl', args, {cwd: directory, stdio: 'pipe'});
		} catch (error) {
			throw new Error(`openssl is required by the TLS tests and failed: ${(error as Error).message}`);
		}
	};

	try {
		const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
		openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=siem-agent test CA');
		openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
		writeFileSync(file('server.ext'), [
			`subjectAltName=${names}`,
			'basicConstraints=CA:FALSE',
			'keyUsage=digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
		].join('\n') + '\n');
		openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
		return {ca: readFileSync(file('ca.pem'), 'utf8'), key: readFileSync(file('server.key'), 'utf8'), cert: readFileSync(file('server.pem'), 'utf8')};
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}
