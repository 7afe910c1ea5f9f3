/** Validation of the portal URL and the token, before anything is sent. */

import {AgentError} from '../errors.ts';
import {isLoopbackHost} from '../util/loopback.ts';

/** Where the API lives. */
export interface Endpoint {
	/** `https://host[:port]`. */
	origin: string;
	/** URL path prefix, no trailing slash; empty for a bare portal URL. */
	prefix: string;
}

/**
 * Accepts `http(s)://host[:port][/prefix][/]`.
 * @throws AgentError CONFIG_ERROR
 */
export function parseEndpoint(url: string): Endpoint {
	const shown = String(url).replace(/\/\/[^@/]*@/, '//***@');
	let parsed: URL;
	try {
		parsed = new URL(String(url).trim());
	} catch {
		throw new AgentError('CONFIG_ERROR', `Invalid portal URL "${shown}": expected https://<tenant>.portal.cloudappsecurity.com.`);
	}

	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new AgentError('CONFIG_ERROR', `Invalid portal URL "${shown}": it must start with https:// (or http://).`);
	}

	if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
		throw new AgentError('CONFIG_ERROR', `Invalid portal URL "${shown}": it takes no credentials, query or fragment.`);
	}

	return {origin: parsed.origin, prefix: parsed.pathname.replace(/\/+$/, '')};
}

/**
 * The token, trimmed; refuses what a header cannot carry. Never echoes it.
 * @throws AgentError INVALID_TOKEN
 */
export function normalizeToken(token: string): string {
	const trimmed = String(token ?? '').trim();
	if (trimmed === '') {
		throw new AgentError('INVALID_TOKEN', 'No API token was given.');
	}

	// A header cannot carry these; undici would fail later with a less helpful message.
	if (/[^\u0021-\u007E ]/.test(trimmed)) {
		throw new AgentError('INVALID_TOKEN', 'The API token contains characters a token cannot have (line breaks, control or non-ASCII characters).');
	}

	return trimmed;
}

/**
 * True for an http:// portal URL on a host that is not loopback: the token would travel in
 * clear (warn with INSECURE_URL). The client still accepts it, for labs and the simulator.
 */
export function isInsecureUrl(url: string): boolean {
	const {origin} = parseEndpoint(url);
	if (!origin.startsWith('http:')) {
		return false;
	}

	return !isLoopbackHost(new URL(origin).hostname);
}
