/**
 * Parses the `--proxy` value. Two spellings are accepted: the original agent's
 * `ADDRESS[:PORT]` and a URL `http(s)://[user[:password]@]host[:port]`. A password never
 * leaves this module except inside `uri`, which only the HTTP dispatcher reads.
 */

import {isIP} from 'node:net';
import {AgentError} from '../errors.ts';

/** A validated proxy. */
export interface ProxySettings {
	/** Full URI for the dispatcher, credentials included (percent-encoded). Never log it. */
	uri: string;
	protocol: 'http:' | 'https:';
	/** Host name or IP; IPv6 without brackets. */
	host: string;
	port: number;
	hasCredentials: boolean;
	/** Safe to show and log: `http://user:***@host:port` or `host:port`. */
	display: string;
}

/**
 * Port used when `ADDRESS` comes without `:PORT` (URLs use their scheme's port).
 * @default 8080
 */
export const defaultProxyPort = 8080;

// Underscores are not legal in DNS names but common in Windows intranet host names.
const hostnamePattern = /^(?=.{1,253}$)[a-z\d_](?:[a-z\d_-]{0,61}[a-z\d_])?(?:\.[a-z\d_](?:[a-z\d_-]{0,61}[a-z\d_])?)*\.?$/i;
const schemePattern = /^([a-z][a-z\d+.-]*):\/\//i;

/**
 * Masks the password of anything that looks like `[scheme://]user:password@host`, so that
 * even a value we failed to parse can be named in an error message.
 */
export function maskProxy(value: string): string {
	const scheme = schemePattern.exec(value)?.[0] ?? '';
	const rest = value.slice(scheme.length);
	// The last '@' wins: an unencoded '@' or '/' in a password must not leak its tail.
	const at = rest.lastIndexOf('@');
	if (at === -1) {
		return value;
	}

	const userinfo = rest.slice(0, at);
	const colon = userinfo.indexOf(':');
	if (colon === -1) {
		return value;
	}

	return `${scheme}${userinfo.slice(0, colon)}:***${rest.slice(at)}`;
}

function invalid(value: string, why: string): AgentError {
	const shown = maskProxy(value);
	return new AgentError('INVALID_PROXY_ADDRESS', `Invalid proxy address "${shown}": ${why}.`, {detail: {proxy: shown}});
}

/**
 * Validates a proxy address and returns its parts.
 * @throws AgentError INVALID_PROXY_ADDRESS naming the value with its password masked.
 */
export function parseProxy(value: string): ProxySettings {
	const raw = String(value ?? '').trim();
	if (raw === '') {
		throw invalid(raw, 'it is empty');
	}

	if (/[\s\u0000-\u001F\u007F]/.test(raw)) {
		throw invalid(raw, 'it contains spaces or control characters');
	}

	const scheme = schemePattern.exec(raw)?.[1]?.toLowerCase();
	if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
		throw invalid(raw, `the scheme "${scheme}" is not supported (use http:// or https://)`);
	}

	if (isIP(raw) === 6) {
		throw invalid(raw, 'write an IPv6 address in brackets, as [ADDRESS]:PORT');
	}

	const bare = scheme === undefined;
	let url: URL;
	try {
		url = new URL(bare ? `http://${raw}` : raw);
	} catch {
		const digits = /:(\d+)\/?$/.exec(raw)?.[1];
		throw invalid(raw, digits !== undefined && Number(digits) > 65_535
			? 'the port must be between 1 and 65535'
			: 'expected ADDRESS[:PORT] or http://[user:password@]host:port');
	}

	if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
		throw invalid(raw, 'a proxy address has no path, query or fragment');
	}

	const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
	if (host === '' || (isIP(host) === 0 && !hostnamePattern.test(host))) {
		throw invalid(raw, 'the host is not a valid host name or IP address');
	}

	// WHATWG URL silently drops an empty port and one equal to the scheme's default.
	if (/:\/?$/.test(raw)) {
		throw invalid(raw, 'the port is empty');
	}

	let port: number;
	if (url.port !== '') {
		port = Number(url.port);
	} else if (bare) {
		port = /:\d+\/?$/.test(raw) ? 80 : defaultProxyPort;
	} else {
		port = url.protocol === 'https:' ? 443 : 80;
	}

	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		throw invalid(raw, 'the port must be between 1 and 65535');
	}

	const protocol = url.protocol as 'http:' | 'https:';
	const hasCredentials = url.username !== '' || url.password !== '';
	const hostPart = isIP(host) === 6 ? `[${host}]` : host;
	const userPart = url.username === '' ? '' : url.username + (url.password === '' ? '' : ':***') + '@';
	const uri = `${protocol}//${url.username === '' ? '' : url.username + (url.password === '' ? '' : ':' + url.password) + '@'}${hostPart}:${port}`;
	const display = bare && !hasCredentials ? `${hostPart}:${port}` : `${protocol}//${userPart}${hostPart}:${port}`;
	return {uri, protocol, host, port, hasCredentials, display};
}
