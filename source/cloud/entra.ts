/**
 * Microsoft Entra ID app tokens for the Defender for Cloud Apps API (SPEC §2): the OAuth 2.0
 * client credentials grant against `<authority>/<tenant>/oauth2/v2.0/token` with the API's
 * scope, sent as `Authorization: Bearer <token>`. A token lives about an hour; this one is
 * reused until five minutes before it expires, fetched again after a 401 (revoked or rotated),
 * and concurrent callers share one request. The client secret and every token are secrets:
 * errors are worded from the status and Entra's own error code, never from what was sent.
 */

import {createHash, createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject} from 'node:crypto';
import {readFileSync} from 'node:fs';
import type {Dispatcher} from 'undici';
import {AgentError} from '../errors.ts';
import {isLoopbackHost} from '../util/loopback.ts';
import {classifyError} from './classify-error.ts';
import {rejectionMessage} from './rejection-message.ts';

/** An Entra ID application (service principal) allowed to read the tenant's Defender for Cloud Apps data. */
export interface EntraCredentials {
	/** Directory (tenant) ID: a GUID, or a verified domain such as `contoso.onmicrosoft.com`. */
	tenantId: string;
	/** Application (client) ID of the app registration. */
	clientId: string;
	/** The client secret's value (not its ID). Either this or `certificate`. */
	clientSecret?: string;
	/**
	 * A certificate uploaded to the app registration instead of a secret: the PEM file of the
	 * certificate, which may also hold the private key. The agent signs a client assertion (a JWT,
	 * RS256) with the key for every token request; the key never leaves the machine.
	 */
	certificate?: string;
	/** The PEM file of the certificate's private key, when `certificate` does not hold it. */
	privateKey?: string;
	/**
	 * Where tokens come from, for sovereign clouds (e.g. `https://login.microsoftonline.us`) and
	 * the simulator. @default 'https://login.microsoftonline.com'
	 */
	authority?: string;
}

export const defaultAuthority = 'https://login.microsoftonline.com';

/** The scope of the Defender for Cloud Apps API (its application ID URI, `/.default`). */
export const defenderForCloudAppsScope = '05a65629-4c1b-48c1-a78b-804c4abdd4af/.default';

/** How the app proves itself: the secret, or the certificate and its key (read from their files). */
export type AppCredential =
	| {kind: 'secret'; secret: string}
	| {kind: 'certificate'; file: string; key: KeyObject; thumbprint: string};

export interface NormalizedEntraCredentials {
	tenantId: string;
	clientId: string;
	authority: string;
	credential: AppCredential;
}

/** A token is fetched again this long before it expires. */
const renewBeforeMs = 5 * 60_000;

export interface TokenSource {
	/**
	 * A token valid for a few minutes at least. Callers share one request; `signal` only stops
	 * this caller's wait (the request goes on for the others).
	 * @throws AgentError INVALID_APP_CREDENTIALS, API_CONNECTION_ERROR, ...
	 */
	get(signal: AbortSignal): Promise<string>;
	/** Forget the cached token (the API refused it); the next get() fetches a new one. */
	invalidate(token: string): void;
	/** The tokens handed out so far that are still cached, for redaction. */
	secrets(): string[];
}

/** A client secret as written and as a form body or a URL encodes it (what an echoing proxy or page may show). */
export function secretForms(secret: string): string[] {
	return [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({s: secret}).toString().slice(2)])];
}

/**
 * What is wrong with a token endpoint base, or undefined: an https:// URL without credentials,
 * query or fragment; http:// only on loopback (the simulator), since the secret or the signed
 * assertion travels in the request. The wizard shows the same words.
 */
export function authorityProblem(authority: string): string | undefined {
	let url: URL;
	try {
		url = new URL(authority.trim());
	} catch {
		return `not a URL; enter one such as https://login.microsoftonline.us, or leave it out for ${defaultAuthority}.`;
	}

	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
		return 'it must be an https:// URL without credentials, query or fragment, such as https://login.microsoftonline.us.';
	}

	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		return 'use https://: the client secret would travel in clear (http:// only for a simulator on this machine).';
	}

	return undefined;
}

/**
 * Checks the settings without sending anything.
 * @throws AgentError CONFIG_ERROR naming the setting
 */
export function normalizeEntraCredentials(credentials: EntraCredentials): NormalizedEntraCredentials {
	const tenantId = String(credentials.tenantId ?? '').trim();
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '').trim();
	const certificate = String(credentials.certificate ?? '').trim();
	const authority = String(credentials.authority ?? defaultAuthority).trim().replace(/\/+$/, '');
	if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(tenantId)) {
		// Not quoted: a secret pasted into the wrong field must not reach the log.
		throw new AgentError('CONFIG_ERROR', `Entra ID tenant ID (${tenantId.length} characters) is not a directory ID (a GUID) or a domain name; see the app's Overview page in the Entra admin center.`, {detail: {setting: 'entra.tenantId'}});
	}

	if (!/^[A-Za-z0-9-]+$/.test(clientId)) {
		throw new AgentError('CONFIG_ERROR', `Entra ID client ID (${clientId.length} characters) is not an application ID (a GUID); see the app's Overview page in the Entra admin center.`, {detail: {setting: 'entra.clientId'}});
	}

	if (certificate !== '' && clientSecret !== '') {
		throw new AgentError('CONFIG_ERROR', 'The Entra ID app has both a client secret and a certificate; give one of them.', {detail: {setting: 'entra.certificate'}});
	}

	if (certificate === '' && (clientSecret === '' || /[^\u0021-\u007E]/.test(clientSecret))) {
		throw new AgentError('INVALID_APP_CREDENTIALS', clientSecret === '' ? 'No client secret (or certificate) was given for the Entra ID app.' : 'The client secret contains characters a secret cannot have (spaces, line breaks, control or non-ASCII characters).');
	}

	const problem = authorityProblem(authority);
	if (problem !== undefined) {
		throw new AgentError('CONFIG_ERROR', `Entra ID authority "${authority.slice(0, 120).replace(/\/\/[^@/]*@/, '//***@')}": ${problem}`, {detail: {setting: 'entra.authority'}});
	}

	const credential: AppCredential = certificate === ''
		? {kind: 'secret', secret: clientSecret}
		: readCertificate(certificate, String(credentials.privateKey ?? '').trim() || certificate);
	return {tenantId, clientId, authority, credential};
}

/**
 * The certificate and its key from their PEM files, checked against each other, with the
 * certificate's SHA-1 thumbprint (the `x5t` Entra ID looks the certificate up by).
 * @throws AgentError CONFIG_ERROR naming the file
 */
function readCertificate(certificateFile: string, keyFile: string): AppCredential {
	const setting = 'entra.certificate';
	const read = (file: string, what: string): string => {
		try {
			return readFileSync(file, 'utf8');
		} catch (error) {
			const code = (error as {code?: string}).code;
			throw new AgentError('CONFIG_ERROR', `Entra ID ${what} file "${file}" cannot be read: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}.`, {detail: {setting, file}});
		}
	};

	let x509: X509Certificate;
	try {
		x509 = new X509Certificate(read(certificateFile, 'certificate'));
	} catch (error) {
		if (error instanceof AgentError) {
			throw error;
		}

		throw new AgentError('CONFIG_ERROR', `Entra ID certificate file "${certificateFile}" holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----").`, {detail: {setting, file: certificateFile}});
	}

	const keyText = read(keyFile, 'private key');
	let key: KeyObject;
	try {
		key = createPrivateKey(keyText);
	} catch {
		throw new AgentError('CONFIG_ERROR', `Entra ID private key file "${keyFile}" holds no unencrypted PEM private key${keyFile === certificateFile ? ' (give it with privateKey / --client-key when it is a file of its own)' : ''}.`, {detail: {setting: 'entra.privateKey', file: keyFile}});
	}

	if (key.asymmetricKeyType !== 'rsa' || !x509.checkPrivateKey(key)) {
		throw new AgentError('CONFIG_ERROR', key.asymmetricKeyType === 'rsa' ? `The private key in "${keyFile}" does not belong to the certificate in "${certificateFile}".` : `Entra ID certificates must be RSA (the assertion is signed RS256); "${keyFile}" holds a ${String(key.asymmetricKeyType)} key.`, {detail: {setting: 'entra.privateKey', file: keyFile}});
	}

	return {kind: 'certificate', file: certificateFile, key, thumbprint: createHash('sha1').update(x509.raw).digest('base64url')};
}

/** A client assertion (RFC 7523, as Entra ID takes it): a JWT for the token endpoint, signed RS256, 10 minutes valid. */
function clientAssertion(credential: Extract<AppCredential, {kind: 'certificate'}>, clientId: string, audience: string, nowMs: number): string {
	const seconds = Math.floor(nowMs / 1000);
	const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const unsigned = part({alg: 'RS256', typ: 'JWT', x5t: credential.thumbprint}) + '.' + part({aud: audience, iss: clientId, sub: clientId, jti: randomUUID(), nbf: seconds, iat: seconds, exp: seconds + 600});
	return unsigned + '.' + sign('sha256', Buffer.from(unsigned), credential.key).toString('base64url');
}

export interface TokenSourceOptions {
	credentials: EntraCredentials;
	dispatcher: Dispatcher;
	timeoutMs: number;
	/** For proxy wording in connection errors. */
	proxyDisplay?: string;
	/** Aborts a token request in flight (the client closing). */
	signal?: AbortSignal;
	/** Told how each token request ended: its HTTP status, 0 without an answer. */
	onResult?: (status: number, ms: number) => void;
	now?: () => number;
}

/** Creates the token source of one client. @throws AgentError CONFIG_ERROR, INVALID_APP_CREDENTIALS */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
	const credentials = normalizeEntraCredentials(options.credentials);
	const now = options.now ?? Date.now;
	const target = `${credentials.authority}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`;
	const {credential} = credentials;
	const secret = credential.kind === 'secret' ? credential.secret : '';
	const form = (): string => new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: credentials.clientId,
		scope: defenderForCloudAppsScope,
		...(credential.kind === 'secret'
			? {client_secret: credential.secret}
			: {client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: clientAssertion(credential, credentials.clientId, target, now())}),
	}).toString();
	const forms = secret.length < 4 ? [] : secretForms(secret);
	const hide = (text: string): string => forms.reduce((out, form) => out.replaceAll(form, '***'), text);
	let cached: {token: string; renewAt: number} | undefined;
	let pending: Promise<string> | undefined;

	async function fetchToken(signal: AbortSignal): Promise<string> {
		const url = new URL(target);
		const started = performance.now();
		let status = 0;
		let text: string;
		const report = () => {
			try {
				options.onResult?.(status, Math.round(performance.now() - started));
			} catch {
				// An observer must never break sign-in.
			}
		};

		try {
			const response = await options.dispatcher.request({
				origin: url.origin,
				path: url.pathname,
				method: 'POST',
				headers: {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'},
				body: form(),
				signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
			});
			status = response.statusCode;
			text = await response.body.text();
		} catch (error) {
			if (signal.aborted) {
				throw error;
			}

			status = 0;
			report();

			if ((error as {name?: unknown}).name === 'TimeoutError') {
				throw new AgentError('API_TIMEOUT', `Entra ID token request to ${target} timed out after ${options.timeoutMs} ms.`, {detail: {target}});
			}

			// A certificate that does not verify (TLS_ERROR) will not verify on the next try either.
			const {error: classified, fatal} = classifyError(error, {target, proxy: options.proxyDisplay, redact: hide});
			throw fatal ? new AgentError(classified.code, classified.message, {detail: classified.detail, retryable: false}) : classified;
		}

		report();
		const reason = hide(entraReason(text));
		if (status === 200) {
			let body: {access_token?: unknown; expires_in?: unknown};
			try {
				body = JSON.parse(text) as typeof body;
			} catch {
				throw new AgentError('MALFORMED_RESPONSE', `Entra ID answered ${target} with a body that is not JSON.`, {detail: {target}});
			}

			const token = typeof body.access_token === 'string' ? body.access_token.trim() : '';
			if (token === '' || /[^\u0021-\u007E]/.test(token)) {
				throw new AgentError('MALFORMED_RESPONSE', `Entra ID answered ${target} without a usable access_token.`, {detail: {target}});
			}

			const lifetimeSeconds = Number(body.expires_in);
			const lifetimeMs = Number.isFinite(lifetimeSeconds) && lifetimeSeconds > 0 ? lifetimeSeconds * 1000 : 3_600_000;
			// A token that lives less than twice the margin is renewed after half its life.
			cached = {token, renewAt: now() + Math.max(lifetimeMs - renewBeforeMs, lifetimeMs / 2)};
			return token;
		}

		if (status === 400 || status === 401 || status === 403) {
			throw new AgentError('INVALID_APP_CREDENTIALS', `Entra ID did not issue a token for the app (HTTP ${status} from ${target}${reason === '' ? '' : `: ${reason}`}).`, {detail: {target, status}});
		}

		if (status === 429 || status >= 500) {
			throw new AgentError('API_SERVER_ERROR', `Entra ID answered HTTP ${status} from ${target}${reason === '' ? '' : `: ${reason}`}; retrying.`, {detail: {target, status}});
		}

		throw new AgentError('API_REQUEST_REJECTED', `Entra ID answered HTTP ${status} from ${target}${reason === '' ? '' : `: ${reason}`}; check the authority URL.`, {detail: {target, status}});
	}

	return {
		async get(signal) {
			if (cached && now() < cached.renewAt) {
				return cached.token;
			}

			signal.throwIfAborted();
			if (!pending) {
				pending = fetchToken(options.signal ?? new AbortController().signal).finally(() => {
					pending = undefined;
				});
				// Every caller may give up before it settles: its failure is theirs to see, not an unhandled rejection.
				pending.catch(() => undefined);
			}

			// One caller giving up must not fail the request the others wait for.
			let onAbort = (): void => undefined;
			const aborted = new Promise<never>((_resolve, reject) => {
				onAbort = () => {
					reject(signal.reason as Error);
				};

				signal.addEventListener('abort', onAbort, {once: true});
			});
			try {
				return await Promise.race([pending, aborted]);
			} finally {
				signal.removeEventListener('abort', onAbort);
			}
		},
		invalidate(token) {
			if (cached?.token === token) {
				cached = undefined;
			}
		},
		secrets: () => [...forms, ...(cached ? [cached.token] : [])],
	};
}

/**
 * Entra ID's own words: `<error>: <error_description>` up to its trace and correlation IDs
 * (`invalid_client: AADSTS7000215: Invalid client secret provided. …`), else what any error
 * body says.
 */
function entraReason(text: string): string {
	try {
		const body = JSON.parse(text) as {error?: unknown; error_description?: unknown};
		if (typeof body.error_description === 'string') {
			const description = body.error_description.split(/\s*(?:\r?\n|Trace ID:)/)[0].trim();
			return rejectionMessage(JSON.stringify(typeof body.error === 'string' ? `${body.error}: ${description}` : description));
		}
	} catch {
		// Not JSON: fall through.
	}

	return rejectionMessage(text);
}
