/**
 * The Defender for Cloud Apps API client: one query in, one validated page out. It owns
 * the connection, the rate limit, throttling and retries; the engine owns paging.
 */

import {setImmediate} from 'node:timers/promises';
import type {Dispatcher} from 'undici';
import {AgentError} from '../errors.ts';
import {classifyError} from './classify-error.ts';
import {classifyResponse, type Outcome} from './classify-response.ts';
import {parsePage, readPage} from './page.ts';
import {createDispatcher} from './dispatcher.ts';
import {createTokenSource, type EntraCredentials, type TokenSource} from './entra.ts';
import {normalizeToken, parseEndpoint} from './endpoint.ts';
import {parseProxy, type ProxySettings} from './proxy.ts';
import {createRateLimiter, defaultRequestsPerMinute, type RateLimiter} from './rate-limiter.ts';
import {backoffDelay, throttleDelay} from './retry-policy.ts';
import {abortReason, sleep} from '../util/sleep.ts';
import {dataTypes, type ClientEvent, type CloudClient, type DataType, type QueryBody} from './types.ts';
import {BytePool, type ByteBuffer} from '../util/byte-pool.ts';

export interface CloudClientOptions {
	/** Tenant portal URL, e.g. `https://contoso.eu2.portal.cloudappsecurity.com`; a trailing slash is fine. */
	url: string;
	/** Legacy API token, sent as `Authorization: Token <token>`. Ignored when `entra` is given. */
	token?: string;
	/** An Entra ID app: tokens from the client credentials grant, sent as `Authorization: Bearer <token>`. */
	entra?: EntraCredentials;
	/** `ADDRESS[:PORT]` or `http(s)://[user:password@]host:port`, or an already parsed proxy. */
	proxy?: string | ProxySettings;
	/**
	 * Per attempt, covering response headers and body.
	 * @default 60_000
	 */
	timeoutMs?: number;
	/**
	 * Client-side limit; 0 turns it off. Ignored when `limiter` is given.
	 * @default 30
	 */
	requestsPerMinute?: number;
	/** A limiter to share with other clients of the same tenant (see `sharedRateLimiter`). */
	limiter?: RateLimiter;
	/**
	 * Retries after failures (network, timeout, 5xx, malformed body). 429s are not counted.
	 * @default 6
	 */
	maxRetries?: number;
	/** @default 1000 */
	backoffBaseMs?: number;
	/** @default 60_000 */
	backoffMaxMs?: number;
	/**
	 * Wait after a 429 without `Retry-After`, doubling per consecutive 429.
	 * @default 2000
	 */
	throttleBaseMs?: number;
	/**
	 * Longest wait for one 429, also caps a larger `Retry-After`.
	 * @default 600_000
	 */
	throttleMaxMs?: number;
	/** Extra CA certificates (PEM) trusted for https, in addition to the system's. */
	ca?: string | string[];
	/** Observability hook; exceptions thrown by it are ignored. */
	onEvent?: (event: ClientEvent) => void;
}

// A `Retry-After: 0` must not turn into a tight loop.
const minThrottleMs = 1000;

/**
 * Creates a client. Validates the URL, token (or Entra ID app settings) and proxy up front.
 * @throws AgentError CONFIG_ERROR, INVALID_TOKEN, INVALID_APP_CREDENTIALS or INVALID_PROXY_ADDRESS
 */
export function createCloudClient(options: CloudClientOptions): CloudClient {
	const endpoint = parseEndpoint(options.url);
	const token = options.entra ? undefined : normalizeToken(options.token ?? '');
	const proxy = typeof options.proxy === 'string' ? parseProxy(options.proxy) : options.proxy;
	const timeoutMs = options.timeoutMs ?? 60_000;
	const maxRetries = options.maxRetries ?? 6;
	const backoffBaseMs = options.backoffBaseMs ?? 1000;
	const backoffMaxMs = options.backoffMaxMs ?? 60_000;
	const throttle = {baseMs: options.throttleBaseMs ?? 2000, minMs: Math.min(minThrottleMs, options.throttleBaseMs ?? minThrottleMs), maxMs: options.throttleMaxMs ?? 600_000};
	const limiter = options.limiter ?? createRateLimiter({requestsPerMinute: options.requestsPerMinute ?? defaultRequestsPerMinute});
	const dispatcher: Dispatcher = createDispatcher({proxy, ca: options.ca, timeoutMs});
	const closing = new AbortController();
	const tokens: TokenSource | undefined = options.entra ? createTokenSource({credentials: options.entra, dispatcher, timeoutMs, proxyDisplay: proxy?.display, signal: closing.signal, onResult: (status, ms) => emit({type: 'token', status, ms})}) : undefined;
	let closed: Promise<void> | undefined;
	// Response bodies, reused: a scan page is several MB.
	const bodies = new BytePool(2, 256 * 1024);

	const secrets = token === undefined ? [] : [token];
	if (proxy?.hasCredentials) {
		const password = new URL(proxy.uri).password;
		if (password !== '') {
			secrets.push(password, decodeURIComponent(password));
		}
	}

	// Very short secrets would mangle every message and cannot be told apart from normal text.
	const redact = (text: string): string => [...secrets, ...(tokens?.secrets() ?? [])].filter(secret => secret.length >= 4).reduce((result, secret) => result.replaceAll(secret, '***'), text);
	const headers = {
		authorization: `Token ${token ?? ''}`,
		accept: 'application/json',
		'content-type': 'application/json',
	};

	const emit = (event: ClientEvent): void => {
		try {
			options.onEvent?.(event);
		} catch {
			// An observer must never break a query.
		}
	};

	async function attempt<P>(dataType: DataType, path: string, payload: string, signal: AbortSignal, parse: (body: Uint8Array) => P, authorization: string): Promise<Outcome<P>> {
		const target = endpoint.origin + path;
		const timer = new AbortController();
		const timeout = setTimeout(() => {
			timer.abort(new DOMException('API request timed out', 'TimeoutError'));
		}, timeoutMs);
		const started = performance.now();
		let status = 0;
		let body: Uint8Array;
		let received: ByteBuffer | undefined;
		let responseHeaders: Record<string, string | string[] | undefined>;
		try {
			const response = await dispatcher.request({
				origin: endpoint.origin,
				path,
				method: 'POST',
				headers: {...headers, authorization},
				body: payload,
				signal: AbortSignal.any([signal, timer.signal]),
			});
			status = response.statusCode;
			responseHeaders = response.headers;
			// Bytes, into a buffer used again for the next page: the page reader decodes a piece at a
			// time, never the whole body at once.
			received = bodies.acquire();
			for await (const chunk of response.body) {
				received.append(chunk as Buffer);
			}
			body = received.view();
			// undici frees the socket just after the body ends; without this turn, a query sent
			// right away would open a second connection instead of reusing the first.
			await setImmediate();
		} catch (error) {
			if (signal.aborted) {
				throw abortReason(signal);
			}

			if (timer.signal.aborted) {
				const what = status === 0 ? 'response headers' : 'the response body';
				return {kind: 'retry', error: new AgentError('API_TIMEOUT', `API request to ${target} timed out after ${timeoutMs} ms waiting for ${what}.`, {detail: {target, timeoutMs}})};
			}

			const {error: agentError, fatal} = classifyError(error, {target, proxy: proxy?.display, redact});
			if (fatal) {
				throw agentError;
			}

			return {kind: 'retry', error: agentError};
		} finally {
			clearTimeout(timeout);
		}

		emit({type: 'request', dataType, status, ms: Math.round(performance.now() - started)});
		try {
			return classifyResponse(status, responseHeaders, body, {target, proxy, plainHttp: endpoint.origin.startsWith('http:'), redact}, parse);
		} finally {
			// Parsed (pieces are decoded copies) or rejected: nothing refers to the bytes any more.
			bodies.release(received!);
		}
	}

	async function run<P>(dataType: DataType, body: QueryBody, callerSignal: AbortSignal | undefined, parse: (body: Uint8Array) => P): Promise<P> {
		if (!dataTypes.includes(dataType)) {
			throw new AgentError('INTERNAL_ERROR', `Unknown data type "${String(dataType)}".`);
		}

		const signal = callerSignal ? AbortSignal.any([callerSignal, closing.signal]) : closing.signal;
		const path = `${endpoint.prefix}/api/v1/${dataType}/`;
		let payload: string;
		try {
			payload = JSON.stringify(body);
		} catch (error) {
			throw new AgentError('INTERNAL_ERROR', `The ${dataType} query body cannot be serialised: ${(error as Error).message}`);
		}

		let failures = 0;
		let throttles = 0;
		let refreshed = false;
		for (;;) {
			if (signal.aborted) {
				throw abortReason(signal);
			}

			await limiter.acquire({
				signal,
				onWait(waitMs) {
					emit({type: 'throttled', dataType, waitMs, source: 'local'});
				},
			});

			let bearer: string | undefined;
			let outcome: Outcome<P> | undefined;
			if (tokens) {
				try {
					bearer = await tokens.get(signal);
				} catch (error) {
					if (!(error instanceof AgentError) || signal.aborted || !error.retryable) {
						throw error;
					}

					// Entra ID unreachable or failing: like any other API failure, retried with backoff.
					outcome = {kind: 'retry', error};
				}
			}

			if (!outcome) {
				try {
					outcome = await attempt(dataType, path, payload, signal, parse, bearer === undefined ? headers.authorization : `Bearer ${bearer}`);
				} catch (error) {
					if (!tokens || bearer === undefined || !(error instanceof AgentError) || error.code !== 'INVALID_TOKEN' || signal.aborted) {
						throw error;
					}

					// A token Entra ID issued and the API refused: revoked, or issued before a
					// permission change. One fresh token; if that is refused too, the app lacks access.
					tokens.invalidate(bearer);
					if (!refreshed) {
						refreshed = true;
						continue;
					}

					throw new AgentError('INVALID_APP_CREDENTIALS', `The API refused the Entra ID app's token (${/HTTP \d+ from [^)]*/.exec(error.message)?.[0] ?? 'HTTP 401'}): the app needs the Microsoft Cloud App Security API permission (application, with admin consent) in this tenant.`, {detail: error.detail});
				}
			}

			if (outcome.kind === 'page') {
				return outcome.page;
			}

			if (outcome.kind === 'throttle') {
				throttles++;
				const waitMs = throttleDelay(outcome.retryAfterMs, throttles, throttle);
				limiter.pause(waitMs);
				emit({type: 'throttled', dataType, waitMs, source: 'server'});
				await sleep(waitMs, signal);
				continue;
			}

			throttles = 0;
			failures++;
			if (failures > maxRetries) {
				throw outcome.error;
			}

			const delayMs = Math.max(backoffDelay(failures, backoffBaseMs, backoffMaxMs), Math.min(outcome.minDelayMs ?? 0, throttle.maxMs));
			// The request budget may hold the retry longer than the backoff: announce when it goes.
			emit({type: 'retry', dataType, attempt: failures, delayMs: Math.max(delayMs, limiter.delay()), code: outcome.error.code, message: outcome.error.message});
			await sleep(delayMs, signal);
		}
	}

	return {
		async query(dataType, body, {signal} = {}) {
			return run(dataType, body, signal, parsePage);
		},
		async read(dataType, body, createReader, {signal} = {}) {
			return run(dataType, body, signal, bytes => readPage(bytes, createReader));
		},
		async close() {
			closed ??= (async () => {
				closing.abort(new DOMException('The API client was closed', 'AbortError'));
				await dispatcher.close();
			})();
			return closed;
		},
	};
}

/** What `checkToken` learned. */
export interface TokenCheck {
	/** Round trip of the successful query, retries included. */
	ms: number;
	/** Number of records of that type, when the service reports it. */
	total?: number;
}

/**
 * Validates URL and token with one cheap query (`limit: 1`), for the wizard and `test`.
 * Fewer retries and a shorter timeout than a running agent unless given.
 * @throws AgentError (INVALID_TOKEN, API_CONNECTION_ERROR, ...)
 */
export async function checkToken(options: CloudClientOptions & {dataType?: DataType; signal?: AbortSignal}): Promise<TokenCheck> {
	const client = createCloudClient({
		...options,
		maxRetries: options.maxRetries ?? 1,
		timeoutMs: options.timeoutMs ?? 15_000,
	});
	try {
		const started = performance.now();
		const page = await client.query(options.dataType ?? 'alerts', {limit: 1}, {signal: options.signal});
		return {ms: Math.round(performance.now() - started), total: page.total};
	} finally {
		await client.close();
	}
}
