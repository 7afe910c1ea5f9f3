/**
 * The wizard's input checks, as pure functions returning the message to show (or undefined).
 * Messages say what is wrong and what a good value looks like.
 */
import {isIP} from 'node:net';
import {authorityProblem} from '../../cloud/entra.ts';
import {defaultRelpWindow} from '../../transports/index.ts';

/** Longest agent name; it names checkpoint files. */
export const maxNameLength = 64;

export function validateName(name: string, takenNames: readonly string[]): string | undefined {
	const trimmed = name.trim();
	if (trimmed === '') {
		return 'Enter a name for the agent.';
	}

	if (trimmed.length > maxNameLength) {
		return `The name is too long (${trimmed.length} characters; at most ${maxNameLength}).`;
	}

	if (/[/\\\p{Cc}]/u.test(trimmed)) {
		return 'The name cannot contain / or \\ or control characters: it names the checkpoint files.';
	}

	if (takenNames.includes(trimmed)) {
		return `An agent named "${trimmed}" already exists; choose another name.`;
	}

	return undefined;
}

/** Host name per RFC 1123 (letters, digits, hyphens; dot-separated labels). */
const hostName = /^(?=.{1,253}\.?$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*\.?$/i;

/** True for an IPv4 or IPv6 literal, which needs no DNS lookup. */
export function isIpAddress(host: string): boolean {
	return isIP(host.trim()) !== 0;
}

export function validateHost(host: string): string | undefined {
	const trimmed = host.trim();
	if (trimmed === '') {
		return 'Enter the syslog host: an IP address or a host name.';
	}

	if (isIpAddress(trimmed) || hostName.test(trimmed)) {
		return undefined;
	}

	return `"${trimmed}" is not an IP address or a host name.`;
}

/** @param usual The protocol's default port, named in the message. @default 514 */
export function validatePort(port: string, usual = 514): string | undefined {
	const trimmed = port.trim();
	if (trimmed === '') {
		return `Enter the syslog port, a number from 1 to 65535 (usually ${usual}).`;
	}

	const value = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
	if (!(value >= 1 && value <= 65_535)) {
		return `The port must be a number from 1 to 65535; "${trimmed}" is not.`;
	}

	return undefined;
}

/** Optional name the server certificate must carry: a host name or an IP address. */
export function validateServerName(name: string): string | undefined {
	const trimmed = name.trim();
	if (trimmed === '' || isIpAddress(trimmed) || hostName.test(trimmed)) {
		return undefined;
	}

	return `"${trimmed}" is not a host name or an IP address; leave empty to check the host above.`;
}

/** Largest RELP window the wizard accepts. */
export const maxRelpWindow = 100_000;

/** Optional RELP window: messages sent and not yet acknowledged. */
export function validateRelpWindow(window: string): string | undefined {
	const trimmed = window.trim();
	if (trimmed === '') {
		return undefined;
	}

	const value = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
	if (!(value >= 1 && value <= maxRelpWindow)) {
		return `The window must be a whole number from 1 to ${maxRelpWindow} (leave empty for ${defaultRelpWindow}); "${trimmed}" is not.`;
	}

	return undefined;
}

export function validateUrl(url: string): string | undefined {
	const trimmed = url.trim();
	if (trimmed === '') {
		return 'Enter the portal URL, e.g. https://contoso.portal.cloudappsecurity.com';
	}

	let parsed: URL;
	try {
		parsed = new URL(trimmed);
	} catch {
		return `"${trimmed}" is not a URL; it looks like https://contoso.portal.cloudappsecurity.com`;
	}

	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		return 'The portal URL must start with https://';
	}

	return undefined;
}

export function validateToken(token: string): string | undefined {
	return token.trim() === '' ? 'Paste the API token (portal: Settings > API tokens).' : undefined;
}

/** Entra ID directory (tenant) ID: a GUID or a domain of the tenant. */
export function validateTenantId(value: string): string | undefined {
	const text = value.trim();
	if (text === '') {
		return 'Enter the directory (tenant) ID (Entra admin center: the app registration\'s Overview).';
	}

	return /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(text) ? undefined : 'A tenant ID is a GUID, or a domain such as contoso.onmicrosoft.com.';
}

/** Entra ID application (client) ID: a GUID. */
export function validateClientId(value: string): string | undefined {
	const text = value.trim();
	if (text === '') {
		return 'Enter the application (client) ID (the app registration\'s Overview).';
	}

	return /^[A-Za-z0-9-]+$/.test(text) ? undefined : 'An application (client) ID is a GUID, e.g. 0b6c7d3e-1111-4222-8333-944455556666.';
}

/** The client secret's Value; never echoed. */
export function validateClientSecret(value: string): string | undefined {
	return value.trim() === '' ? 'Paste the client secret\'s Value (app registration: Certificates & secrets).' : undefined;
}

/** Token endpoint base: empty for the default (https://login.microsoftonline.com). */
export function validateAuthority(value: string): string | undefined {
	const text = value.trim();
	if (text === '') {
		return undefined;
	}

	const problem = authorityProblem(text);
	return problem === undefined ? undefined : `Authority: ${problem}`;
}

/** Proxy as ADDRESS[:PORT] or http://[user:password@]host:port; empty means no proxy. The value is never echoed (it may hold a password). */
export function validateProxy(proxy: string): string | undefined {
	const trimmed = proxy.trim();
	if (trimmed === '') {
		return undefined;
	}

	const bad = 'Invalid proxy address: enter ADDRESS[:PORT] or http://[user:password@]host:port.';
	if (trimmed.includes('://')) {
		try {
			const parsed = new URL(trimmed);
			return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '' ? undefined : bad;
		} catch {
			return bad;
		}
	}

	const match = /^(\[[\da-f:.]+\]|[^\s:/@[\]]+)(?::(\d{1,5}))?$/i.exec(trimmed);
	if (!match || (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > 65_535))) {
		return bad;
	}

	return undefined;
}
