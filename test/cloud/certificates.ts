/** The shared test certificates (test/helpers/certificates.ts) as PEM texts, the way the API tests' servers take them. */
import {testCertificates} from '../helpers/certificates.ts';

export interface TestCertificates {
	ca: string;
	key: string;
	cert: string;
}

/** A server certificate for 127.0.0.1/localhost (`server`), or one for another name (`wrongName`), with its CA. */
export function makeCertificates(kind: 'server' | 'wrongName' = 'server'): TestCertificates {
	const made = testCertificates();
	return {ca: made.caPem, key: made[kind].keyPem, cert: made[kind].certPem};
}
