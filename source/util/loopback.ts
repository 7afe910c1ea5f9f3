/** Loopback addresses: the only hosts where plain http cannot be read on the way. */
import {isIP} from 'node:net';

/**
 * True for `localhost`, `::1` and 127.0.0.0/8 as an IP address. A host name that merely starts
 * with `127.` (`127.0.0.1.nip.io`, `127.evil.example`) is not loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
