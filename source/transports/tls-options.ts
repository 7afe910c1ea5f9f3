/**
 * The certificate files of a TLS (or RELP over TLS) transport, read once when the sink is
 * created, so a wrong path stops the agent at start-up with the file named, instead of
 * failing every connection attempt later.
 */
import {readFileSync} from 'node:fs';
import * as tls from 'node:tls';
import {AgentError} from '../errors.ts';
import type {TlsSettings} from './types.ts';

/** What node:tls needs: PEM texts, the name to verify and the oldest version. */
export interface TlsMaterial {
	/** Trusted CA certificates: the `ca` file's, or the system store's. */
	ca?: string | string[];
	cert?: string;
	key?: string;
	/** Name checked against the certificate, and sent as SNI when it is not an IP address. */
	serverName: string;
	minVersion: 'TLSv1.2' | 'TLSv1.3';
}

function configError(setting: string, message: string, file?: string): AgentError {
	return new AgentError('CONFIG_ERROR', `${setting}: ${message}`, {detail: {setting, file}});
}

function readPem(file: string, setting: string, marker: RegExp, what: string): string {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as {code?: string}).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
		throw configError(setting, `cannot read ${what} file "${file}": ${why}`, file);
	}
	if (!marker.test(text)) {
		// Say what the file does hold: a key given for a certificate is the usual mix-up.
		const found = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
		throw configError(setting, `"${file}" holds no PEM ${what}${found ? ` (it holds a "${found}" block: another file?)` : ' (no "-----BEGIN ...-----" block at all)'}`, file);
	}
	return text;
}

/**
 * The system's trusted CAs together with Node's bundled ones (and NODE_EXTRA_CA_CERTS), so a
 * SIEM certificate from a CA installed on the machine (/etc/ssl/certs) verifies. Undefined
 * where node:tls cannot list them (Deno): its own default store then applies.
 */
function systemStore(): string[] | undefined {
	const list = (tls as {getCACertificates?: (kind: string) => string[]}).getCACertificates;
	if (!list) {
		return undefined;
	}
	try {
		return [...new Set([...list('default'), ...list('system')])];
	} catch {
		return undefined;
	}
}

/**
 * Read and check the certificate files. Throws CONFIG_ERROR naming the setting and the file
 * when one is missing, unreadable or not PEM, when only one of cert and key is given, or when
 * the key does not belong to the certificate.
 * @param host The server's host, the name verified unless `serverName` is set.
 */
export function loadTlsMaterial(settings: TlsSettings, host: string): TlsMaterial {
	const minVersion = settings.minVersion ?? 'TLSv1.2';
	if (minVersion !== 'TLSv1.2' && minVersion !== 'TLSv1.3') {
		throw configError('minVersion', `"${String(minVersion)}" is not TLSv1.2 or TLSv1.3`);
	}
	if (Boolean(settings.cert) !== Boolean(settings.key)) {
		throw configError(settings.cert ? '--key' : '--cert', 'a client certificate needs both --cert FILE and --key FILE');
	}
	const material: TlsMaterial = {
		ca: settings.ca ? readPem(settings.ca, '--ca', /-----BEGIN CERTIFICATE-----/, 'CA certificate') : systemStore(),
		cert: settings.cert ? readPem(settings.cert, '--cert', /-----BEGIN CERTIFICATE-----/, 'certificate') : undefined,
		key: settings.key ? readPem(settings.key, '--key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'private key') : undefined,
		serverName: settings.serverName || host,
		minVersion,
	};
	if (settings.ca) {
		check('--ca', {ca: material.ca}, settings.ca);
	}
	if (settings.cert) {
		check('--cert', {cert: material.cert, key: material.key}, settings.cert);
	}
	return material;
}

/** Let OpenSSL parse the files now (a broken PEM, a key of another certificate). */
function check(setting: string, options: tls.SecureContextOptions, file: string): void {
	if (typeof tls.createSecureContext !== 'function') {
		return;
	}
	try {
		tls.createSecureContext(options);
	} catch (error) {
		throw configError(setting, `"${file}" cannot be used: ${(error as Error).message}`, file);
	}
}
