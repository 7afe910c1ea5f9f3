/**
 * TLS failures turned into catalogue errors, one code per thing an operator fixes differently:
 * a CA to trust (TLS_UNKNOWN_CA), a certificate to renew or a clock to set (TLS_CERT_EXPIRED),
 * a name to use (TLS_NAME_MISMATCH), a server that refused the handshake (TLS_HANDSHAKE_FAILED).
 * Each message names the server and says what to do first.
 */
import {AgentError, type Code} from '../errors.ts';
import {connectError, sendError} from './socket-errors.ts';

/** OpenSSL's verification results (as node:tls reports them in `error.code`) by cause. */
const untrusted = new Set([
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'CERT_UNTRUSTED',
	'CERT_REJECTED',
	'CERT_SIGNATURE_FAILURE',
	'INVALID_CA',
	'CERT_CHAIN_TOO_LONG',
	'PATH_LENGTH_EXCEEDED',
]);
const outOfDate = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

const hints: Partial<Record<Code, string>> = {
	TLS_UNKNOWN_CA: 'pass the CA that issued it with --ca FILE',
	TLS_CERT_EXPIRED: 'renew it on the server, and check both clocks',
	TLS_NAME_MISMATCH: 'connect with a name the certificate lists, or set serverName',
	TLS_HANDSHAKE_FAILED: 'check that the port speaks TLS 1.2 or later and whether it requires a client certificate (--cert/--key)',
};

function errno(cause: unknown): string | undefined {
	const code = (cause as {code?: unknown})?.code;
	return typeof code === 'string' ? code : undefined;
}

function tlsError(code: Code, address: string, what: string, cause: unknown): AgentError {
	// Node's own advice ("try running Node.js with --use-system-ca") means nothing for a single
	// executable; the hint after the reason says what to do here (--ca).
	const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/[;,]?\s*(?:if the root CA is installed locally, )?try running Node(?:\.js)? with --use-system-ca\.?/i, '');
	return new AgentError(code, `TLS to syslog server ${address}: ${what} (${reason}); ${hints[code]}`, {cause, detail: {address, errno: errno(cause)}});
}

/** Whether `cause` is TLS speaking (an alert, a protocol error) rather than the network. */
export function isTlsProtocolError(cause: unknown): boolean {
	const code = errno(cause) ?? '';
	return code.startsWith('ERR_SSL_') || code === 'EPROTO' || (code.startsWith('ERR_TLS_') && code !== 'ERR_TLS_CERT_ALTNAME_INVALID');
}

/**
 * The error for a failed TLS connection attempt.
 * @param tcpConnected Whether the TCP connection was up: a reset, close or timeout after that
 * means the server did not complete the handshake, before it means the server is unreachable.
 */
export function tlsConnectError(address: string, cause: unknown, tcpConnected: boolean): AgentError {
	const code = errno(cause);
	if (code && untrusted.has(code)) {
		return tlsError('TLS_UNKNOWN_CA', address, 'the server\'s certificate is not trusted', cause);
	}
	if (code && outOfDate.has(code)) {
		return tlsError('TLS_CERT_EXPIRED', address, code === 'CERT_NOT_YET_VALID' ? 'the server\'s certificate is not valid yet' : 'the server\'s certificate has expired', cause);
	}
	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
		return tlsError('TLS_NAME_MISMATCH', address, 'the server\'s certificate is not for this name', cause);
	}
	if (isTlsProtocolError(cause) || tcpConnected) {
		return tlsError('TLS_HANDSHAKE_FAILED', address, 'the server refused or did not complete the TLS handshake', cause);
	}
	return connectError(address, cause);
}

/** The error for an established TLS connection that broke: a late alert is a refusal, the rest is the network. */
export function tlsSendError(address: string, cause: unknown): AgentError {
	if (isTlsProtocolError(cause)) {
		return tlsError('TLS_HANDSHAKE_FAILED', address, 'the server ended the TLS session with an alert', cause);
	}
	return sendError(address, cause);
}
