/**
 * Maps an HTTP answer to what the client does next: return the page, retry, wait (429),
 * or give up with an error. Pure, so every status is covered by a table of tests.
 */

import {AgentError} from '../errors.ts';
import {MalformedPageError} from './page.ts';
import type {ProxySettings} from './proxy.ts';
import {rejectionMessage} from './rejection-message.ts';
import {parseRetryAfter} from './retry-policy.ts';

export type Outcome<P> =
	| {kind: 'page'; page: P}
	/** Counts against maxRetries; wait at least `minDelayMs` when the server said so. */
	| {kind: 'retry'; error: AgentError; minDelayMs?: number}
	/** HTTP 429: slow down, not a failure. */
	| {kind: 'throttle'; retryAfterMs?: number};

export interface ResponseContext {
	/** `origin + path`, without credentials. */
	target: string;
	proxy?: ProxySettings;
	/** The API is reached over plain http (so a proxy sees and answers the request itself). */
	plainHttp: boolean;
	redact: (text: string) => string;
}

/**
 * Classifies a complete response.
 * @throws AgentError for answers no retry can fix (INVALID_TOKEN, PROXY_ERROR on 407, API_REQUEST_REJECTED).
 */
export function classifyResponse<P, B extends string | Uint8Array>(status: number, headers: Record<string, string | string[] | undefined>, body: B, context: ResponseContext, parse: (body: B) => P): Outcome<P> {
	const {target, proxy, redact} = context;
	const detail = {target, status};
	if (status >= 200 && status < 300) {
		try {
			return {kind: 'page', page: parse(body)};
		} catch (error) {
			if (error instanceof MalformedPageError) {
				return {kind: 'retry', error: new AgentError('MALFORMED_RESPONSE', redact(`Malformed response from ${target}: ${error.message}.`), {detail})};
			}

			throw error;
		}
	}

	const server = redact(rejectionMessage(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')));
	const suffix = server === '' ? '' : `: ${server}`;
	if (status === 407 || (proxy && headers['proxy-authenticate'] !== undefined)) {
		throw new AgentError('PROXY_ERROR', `Proxy ${proxy?.display ?? ''} requires authentication or rejected its credentials (HTTP ${status}).`, {detail, retryable: false});
	}

	if (status === 401 || status === 403) {
		// Some proxies (tinyproxy) answer wrong credentials with 401 to a forwarded plain-http request.
		const maybeProxy = status === 401 && proxy?.hasCredentials && context.plainHttp ? ', or the proxy rejected its credentials' : '';
		throw new AgentError('INVALID_TOKEN', `The API token was not accepted (HTTP ${status} from ${target}${maybeProxy}).`, {detail});
	}

	if (status === 429) {
		return {kind: 'throttle', retryAfterMs: parseRetryAfter(headers['retry-after'])};
	}

	if (status === 408) {
		return {kind: 'retry', error: new AgentError('API_TIMEOUT', `API request to ${target} timed out on the server (HTTP 408).`, {detail})};
	}

	if (status >= 500) {
		const minDelayMs = parseRetryAfter(headers['retry-after']);
		return {kind: 'retry', error: new AgentError('API_SERVER_ERROR', `API server error HTTP ${status} from ${target}${suffix}`, {detail}), minDelayMs};
	}

	if (status >= 300 && status < 400) {
		const location = redact(String(headers.location ?? ''));
		throw new AgentError('API_REQUEST_REJECTED', `API request to ${target} was redirected (HTTP ${status}${location ? ` to ${location}` : ''}); check the portal URL.`, {detail});
	}

	throw new AgentError('API_REQUEST_REJECTED', `API request to ${target} rejected with HTTP ${status}${suffix}`, {detail});
}
