/**
 * Parsing of the `--metrics HOST:PORT` setting: where the Prometheus endpoint listens.
 */
import {isIPv6} from 'node:net';
import {AgentError} from '../errors.ts';

export interface MetricsAddress {
	/** Host name or IP address to bind; an IPv6 address without brackets. */
	host: string;
	/** 0 picks a free port (the daemon logs the one it got). */
	port: number;
}

function invalid(value: string, why: string): AgentError {
	return new AgentError('CONFIG_ERROR', `--metrics "${value}": ${why}. Use HOST:PORT, e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464`, {detail: {setting: 'metrics', value}});
}

/**
 * Parses `host:port` or `[ipv6]:port`. The port is required: there is no customary one.
 * @throws AgentError CONFIG_ERROR naming the bad value.
 */
export function parseMetricsAddress(value: string): MetricsAddress {
	const text = value.trim();
	if (text === '') {
		throw invalid(value, 'it is empty');
	}
	let host: string;
	let port: string;
	if (text.startsWith('[')) {
		const close = text.indexOf(']');
		if (close === -1) {
			throw invalid(value, 'missing "]" after the IPv6 address');
		}
		host = text.slice(1, close);
		if (!isIPv6(host)) {
			throw invalid(value, `"${host}" is not an IPv6 address`);
		}
		const rest = text.slice(close + 1);
		if (!rest.startsWith(':')) {
			throw invalid(value, 'the port is missing');
		}
		port = rest.slice(1);
	} else {
		const colon = text.lastIndexOf(':');
		if (colon === -1) {
			throw invalid(value, 'the port is missing');
		}
		if (text.indexOf(':') !== colon) {
			throw invalid(value, 'put an IPv6 address in brackets, e.g. [::1]:9464');
		}
		host = text.slice(0, colon);
		port = text.slice(colon + 1);
		if (host === '') {
			throw invalid(value, 'the host is missing');
		}
		if (!/^[A-Za-z0-9._-]+$/.test(host)) {
			throw invalid(value, `"${host}" is not a host name or IP address`);
		}
	}
	const number = /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN;
	if (!(number >= 0 && number <= 65_535)) {
		throw invalid(value, `port "${port}" must be a number from 0 to 65535`);
	}
	return {host, port: number};
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatMetricsAddress(address: MetricsAddress): string {
	return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
