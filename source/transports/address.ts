/**
 * Parsing of the `--syslog HOST[:PORT]` setting.
 */
import {isIPv6} from 'node:net';
import {AgentError} from '../errors.ts';

/** The standard syslog port (RFC 5426 for UDP; rsyslog and the original agent use it for TCP too). */
export const defaultSyslogPort = 514;

export interface SyslogAddress {
	/** Host name or IP address; an IPv6 address without brackets. */
	host: string;
	port: number;
}

function invalid(value: string, why: string): AgentError {
	return new AgentError('CONFIG_ERROR', `Invalid syslog address "${value}": ${why}. Use HOST[:PORT], e.g. siem.example.com:514 or [::1]:514`, {detail: {setting: 'syslog', value}});
}

/**
 * Parse `host`, `host:port`, `[ipv6]` or `[ipv6]:port` (a bare IPv6 address is accepted
 * too, with the default port). Throws AgentError CONFIG_ERROR naming the bad value.
 * @param defaultPort Port when none is given. @default 514
 */
export function parseSyslogAddress(value: string, defaultPort: number = defaultSyslogPort): SyslogAddress {
	const text = value.trim();
	if (text === '') {
		throw invalid(value, 'it is empty');
	}
	let host: string;
	let port: string | undefined;
	if (text.startsWith('[')) {
		const close = text.indexOf(']');
		if (close === -1) {
			throw invalid(value, 'missing "]" after the IPv6 address');
		}
		host = text.slice(1, close);
		const rest = text.slice(close + 1);
		if (rest !== '' && !rest.startsWith(':')) {
			throw invalid(value, `unexpected "${rest}" after "]"`);
		}
		port = rest === '' ? undefined : rest.slice(1);
		if (!isIPv6(host)) {
			throw invalid(value, `"${host}" is not an IPv6 address`);
		}
	} else if (isIPv6(text)) {
		host = text;
	} else {
		const colon = text.lastIndexOf(':');
		if (colon !== -1 && text.indexOf(':') !== colon) {
			throw invalid(value, 'put an IPv6 address in brackets, e.g. [2001:db8::1]:514');
		}
		host = colon === -1 ? text : text.slice(0, colon);
		port = colon === -1 ? undefined : text.slice(colon + 1);
		if (host === '') {
			throw invalid(value, 'the host is missing');
		}
		if (!/^[A-Za-z0-9._-]+$/.test(host)) {
			throw invalid(value, `"${host}" is not a host name or IP address`);
		}
	}
	if (port === undefined) {
		return {host, port: defaultPort};
	}
	const number = /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN;
	if (!(number >= 1 && number <= 65_535)) {
		throw invalid(value, `port "${port}" must be a number from 1 to 65535`);
	}
	return {host, port: number};
}
