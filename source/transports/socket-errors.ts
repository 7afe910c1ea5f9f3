/**
 * Socket failures turned into catalogue errors that name the syslog server, so an operator
 * reading one log line knows which host and port to check.
 */
import {isIPv6} from 'node:net';
import {AgentError} from '../errors.ts';

const reasons: Record<string, string> = {
	ECONNREFUSED: 'connection refused (is the syslog server listening on that port?)',
	ECONNRESET: 'connection reset by the server',
	EPIPE: 'connection closed by the server',
	ETIMEDOUT: 'timed out',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed temporarily',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EADDRNOTAVAIL: 'address not available',
	EMSGSIZE: 'message too long for a datagram',
};

/** `host:port`, with an IPv6 address in brackets. */
export function formatHostPort(host: string, port: number): string {
	return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

function describe(error: unknown): {reason: string; errno?: string} {
	const errno = (error as {code?: unknown})?.code;
	const message = error instanceof Error ? error.message : String(error);
	if (typeof errno === 'string' && reasons[errno]) {
		return {reason: `${reasons[errno]} (${errno})`, errno};
	}
	return {reason: typeof errno === 'string' && !message.includes(errno) ? `${message} (${errno})` : message, errno: typeof errno === 'string' ? errno : undefined};
}

/** Cannot reach the server: refused, DNS, timeout. */
export function connectError(address: string, cause: unknown): AgentError {
	const {reason, errno} = describe(cause);
	return new AgentError('DATA_SERVER_CONNECTION_ERROR', `Cannot connect to syslog server ${address}: ${reason}`, {cause, detail: {address, errno}});
}

/** The connection broke during or after a write. */
export function sendError(address: string, cause: unknown): AgentError {
	const {reason, errno} = describe(cause);
	return new AgentError('DATA_SERVER_SEND_ERROR', `Sending to syslog server ${address} failed: ${reason}`, {cause, detail: {address, errno}});
}
