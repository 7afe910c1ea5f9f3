/**
 * Maps what undici and the socket layer throw to catalogue codes. Messages are built here
 * from codes and the target, never from request headers, so the token cannot leak.
 */

import {AgentError, type Code} from '../errors.ts';

const tlsCodes = new Set([
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_REVOKED',
	'CERT_SIGNATURE_FAILURE',
	'CERT_UNTRUSTED',
	'CERT_REJECTED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
	'INVALID_CA',
	'HOSTNAME_MISMATCH',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'UND_ERR_PRX_TLS',
]);

// Failures that happen before a request reaches the proxy; when proxied, the proxy is at fault.
const connectCodes = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EHOSTDOWN',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_PRX_CONN',
]);

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The most specific code along `cause` and AggregateError chains. */
export function errorCodeOf(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let found: string | undefined;
	const stack = [error];
	while (stack.length > 0) {
		const current = stack.pop();
		if (!current || typeof current !== 'object' || seen.has(current)) {
			continue;
		}

		seen.add(current);
		const {code, cause, errors} = current as {code?: unknown; cause?: unknown; errors?: unknown};
		if (typeof code === 'string' && (found === undefined || tlsCodes.has(code) || found.startsWith('UND_ERR_PRX'))) {
			found = code;
		}

		stack.push(cause);
		if (Array.isArray(errors)) {
			stack.push(...errors);
		}
	}

	return found;
}

/**
 * The proxy's refusal status. undici reports a refused `CONNECT` as an abort whose message
 * names the status, and a 407 to a forwarded plain-http request as an invalid argument.
 */
export function tunnelStatusOf(error: unknown): number | undefined {
	const message = error instanceof Error ? error.message : '';
	const match = /^Proxy response \((\d{3})\) !== 200/.exec(message) ?? /^Proxy Authentication Required \((407)\)/.exec(message);
	return match ? Number(match[1]) : undefined;
}

export interface FailureContext {
	/** `origin + path` of the request, without credentials. */
	target: string;
	/** Display form of the proxy, when proxied. */
	proxy?: string;
	redact: (text: string) => string;
}

/**
 * Classifies a thrown transport error. `fatal` means retrying the same request cannot help
 * (certificate problems, proxy authentication).
 */
export function classifyError(error: unknown, context: FailureContext): {error: AgentError; fatal: boolean} {
	const code = errorCodeOf(error) ?? 'UNKNOWN';
	const reason = context.redact(error instanceof Error ? error.message : String(error));
	const make = (agentCode: Code, message: string, retryable?: boolean) =>
		new AgentError(agentCode, context.redact(message), {detail: {target: context.target, cause: code, ...(context.proxy ? {proxy: context.proxy} : {})}, retryable});

	const tunnelStatus = tunnelStatusOf(error);
	if (tunnelStatus !== undefined) {
		// Refusals do not change on retry; a 5xx from the proxy (target unreachable) may.
		const auth = tunnelStatus === 401 || tunnelStatus === 407;
		const fatal = auth || tunnelStatus === 403;
		const why = auth ? ': proxy authentication required or wrong credentials' : tunnelStatus === 403 ? ': the proxy does not allow this destination' : '';
		return {
			error: make('PROXY_ERROR', `Proxy ${context.proxy ?? ''} refused the request to ${context.target} (HTTP ${tunnelStatus}${why}).`, fatal ? false : undefined),
			fatal,
		};
	}

	if (tlsCodes.has(code) || code.startsWith('ERR_SSL_')) {
		const via = code === 'UND_ERR_PRX_TLS' ? ` of the proxy ${context.proxy ?? ''}` : '';
		return {error: make('TLS_ERROR', `TLS certificate${via} not accepted for ${context.target}: ${code} (${reason})`), fatal: true};
	}

	if (context.proxy && connectCodes.has(code)) {
		return {error: make('PROXY_ERROR', `Cannot connect through proxy ${context.proxy} to ${context.target}: ${code}`), fatal: false};
	}

	if (timeoutCodes.has(code)) {
		return {error: make('API_TIMEOUT', `API request to ${context.target} timed out (${code})`), fatal: false};
	}

	return {error: make('API_CONNECTION_ERROR', `API request to ${context.target} failed: ${code} (${reason})`), fatal: false};
}
