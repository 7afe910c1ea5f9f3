/**
 * The closed catalogue of codes. Daemon logs, the dashboard and error messages all read
 * from this one table, so a code always carries the same meaning, remediation and exit code.
 * Match on `code`, never on `instanceof`: errors lose their class when they cross postMessage.
 */

export type Level = 'info' | 'warn' | 'error';

export interface CodeInfo {
	/** Short title, as the original agent printed it. */
	title: string;
	level: Level;
	/** What to do about it, in words an operator can act on. */
	remediation: string;
	/** Whether retrying the same operation can help. */
	retryable: boolean;
	/** Process exit code when this error stops the process. */
	exitCode?: number;
}

const reportIt = 'Report it with the log file attached (see --logsDirectory).';
const checkSyslog =
	'Check the syslog host and port in the agent settings, that the SIEM is listening, and that no firewall blocks the connection. Pulling from the API is paused until the SIEM is reachable again; nothing is lost.';

export const catalogue = {
	BOOTSTRAP_ERROR: {title: 'General error during bootstrap', level: 'error', remediation: reportIt, retryable: false, exitCode: 1},
	INTERNAL_ERROR: {title: 'Internal error', level: 'error', remediation: reportIt, retryable: false, exitCode: 1},
	USAGE_ERROR: {title: 'Usage error', level: 'error', remediation: 'See siem-agent --help.', retryable: false, exitCode: 2},
	CONFIG_ERROR: {title: 'Configuration error', level: 'error', remediation: 'Fix the named setting in the config file or on the command line; see siem-agent --help.', retryable: false, exitCode: 2},
	INVALID_PROXY_ADDRESS: {title: 'Invalid proxy address', level: 'error', remediation: 'Make sure you entered the right proxy host and port, as ADDRESS[:PORT] or http://[user:password@]host:port.', retryable: false, exitCode: 2},
	INVALID_TOKEN: {title: 'Invalid token', level: 'error', remediation: 'Make sure you copied the whole token. In the Defender for Cloud Apps portal you can regenerate it (Settings > API tokens), then run with the new --token or press t in the dashboard.', retryable: false, exitCode: 3},
	INVALID_APP_CREDENTIALS: {title: 'Entra ID app refused', level: 'error', remediation: 'Check the Entra ID app: the directory (tenant) ID, the application (client) ID and the client secret (its Value, not its Secret ID, and not expired); the app needs the Microsoft Cloud App Security API permission (Investigation.Read) as an application permission with admin consent. Then run with the new --client-secret or edit the agent.', retryable: false, exitCode: 3},
	TOO_MANY_CRITICAL_ERRORS: {title: 'Too many critical errors', level: 'error', remediation: 'The service kept failing; shutting down. Check the earlier log lines for the cause, then ' + reportIt.toLowerCase(), retryable: false, exitCode: 4},
	API_CONNECTION_ERROR: {title: 'API connection error', level: 'warn', remediation: 'Check the portal URL, DNS and network or proxy access to the Defender for Cloud Apps service. The agent retries with backoff.', retryable: true},
	API_TIMEOUT: {title: 'API request timed out', level: 'warn', remediation: 'The service or the proxy answered too slowly. The agent retries with backoff; if it persists check the proxy and network.', retryable: true},
	API_SERVER_ERROR: {title: 'API server error', level: 'warn', remediation: 'The service answered with a server error. The agent retries with backoff; nothing is lost.', retryable: true},
	API_REQUEST_REJECTED: {title: 'API request rejected', level: 'error', remediation: 'The service refused the query (HTTP 4xx). Check the data type filters in the agent settings.', retryable: false},
	MALFORMED_RESPONSE: {title: 'Malformed API response', level: 'warn', remediation: 'The service sent a body that is not the expected JSON. The agent retries the same page; if it persists, ' + reportIt.toLowerCase(), retryable: true},
	PROXY_ERROR: {title: 'Proxy error', level: 'warn', remediation: 'The proxy refused or failed the request. Check the proxy address, its credentials and that it allows the portal URL.', retryable: true},
	TLS_ERROR: {title: 'TLS error', level: 'error', remediation: 'The certificate could not be verified. Check the system clock, the CA store (--ca) and the host name.', retryable: true},
	THROTTLED: {title: 'Throttled by the API', level: 'info', remediation: 'The tenant allows about 30 requests a minute; the agent slows down and continues. Raise --poll-interval if other tools share the tenant.', retryable: true},
	BAD_RECORD: {title: 'Bad record', level: 'warn', remediation: 'A record had missing or mistyped fields; it was forwarded with the fields that could be mapped.', retryable: false},
	DATA_SERVER_CONNECTION_ERROR: {title: 'Data server connection error', level: 'error', remediation: checkSyslog, retryable: true},
	DATA_SERVER_SEND_ERROR: {title: 'Data server send error', level: 'error', remediation: checkSyslog, retryable: true},
	DATA_SERVER_STALLED: {title: 'Syslog server not reading', level: 'error', remediation: 'The syslog server keeps the connection open but has taken no data for a while: it is overloaded or stuck (a full queue, a blocked output). Check the receiver. Nothing is lost: pulling waits, and forwarding goes on as soon as it reads again.', retryable: true},
	TLS_UNKNOWN_CA: {title: 'SIEM certificate not trusted', level: 'error', remediation: 'The syslog server\'s certificate is self-signed or issued by a CA the agent does not trust. Pass the CA certificate that issued it (PEM) with --ca FILE, or have the server present a certificate from a CA in the system store. Pulling is paused until it is fixed; nothing is lost.', retryable: true},
	TLS_CERT_EXPIRED: {title: 'SIEM certificate expired', level: 'error', remediation: 'The syslog server\'s certificate is expired or not yet valid. Renew it on the server, and check that the clocks of this machine and the server are right. Pulling is paused until it is fixed; nothing is lost.', retryable: true},
	TLS_NAME_MISMATCH: {title: 'SIEM certificate name mismatch', level: 'error', remediation: 'The syslog server\'s certificate is not issued for the host name or IP address in --syslog. Connect with a name the certificate lists (subjectAltName), or issue the certificate for the name you use. Pulling is paused until it is fixed; nothing is lost.', retryable: true},
	TLS_HANDSHAKE_FAILED: {title: 'TLS handshake failed', level: 'error', remediation: 'The syslog server refused the TLS handshake: check that the port speaks TLS, that it accepts TLS 1.2 or later, and, if it requires a client certificate, pass one it trusts with --cert FILE and --key FILE. The server\'s log usually names the reason. Pulling is paused until it is fixed; nothing is lost.', retryable: true},
	RELP_ERROR: {title: 'RELP error', level: 'error', remediation: 'The RELP receiver refused a command or sent a malformed frame. Check that the port is a RELP input (rsyslog imrelp) and read the receiver\'s log for the reason. The agent reconnects and resends every unacknowledged message; nothing is lost.', retryable: true},
	DATA_SERVER_MESSAGE_TRUNCATED: {title: 'Message truncated', level: 'warn', remediation: 'A message was longer than the UDP maximum message size and was truncated. Use TCP, or raise the maximum if your SIEM accepts it.', retryable: false},
	AGENT_DISCONNECTED: {title: 'Agent disconnected', level: 'error', remediation: 'No contact with the cloud service for hours. Check connectivity and the proxy to the service.', retryable: true},
	STATE_ERROR: {title: 'Checkpoint error', level: 'error', remediation: 'The checkpoint could not be read or written. Check that the state directory exists, is writable and has free space.', retryable: true},
	CONNECTED: {title: 'Connected', level: 'info', remediation: '', retryable: false},
	CHECKPOINT: {title: 'Checkpoint', level: 'info', remediation: '', retryable: false},
	BACKFILL: {title: 'Backfill', level: 'info', remediation: '', retryable: false},
	STARTING: {title: 'Starting', level: 'info', remediation: '', retryable: false},
	STARTED: {title: 'Started', level: 'info', remediation: '', retryable: false},
	STOPPING: {title: 'Stopping', level: 'info', remediation: '', retryable: false},
	STOPPED: {title: 'Stopped', level: 'info', remediation: '', retryable: false},
	RELOADED: {title: 'Configuration reloaded', level: 'info', remediation: '', retryable: false},
	CONFIG_FILE_EXPOSED: {title: 'Config file readable by others', level: 'warn', remediation: 'The config file holds API tokens or client secrets: make it readable by the agent\'s user alone (chmod 600, chown to that user; 640 with a group only the service is in also works).', retryable: false},
	CONFIG_UNKNOWN_SETTING: {title: 'Unknown setting in the config file', level: 'warn', remediation: 'siem-agent ignores it and uses the default: check the spelling against the example in docs/install.md (settings are case-sensitive), or remove it.', retryable: false},
	INSECURE_URL: {title: 'Insecure URL', level: 'warn', remediation: 'The portal URL uses http:// on a host that is not loopback; the token travels in clear. Use https://.', retryable: false},
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof catalogue;

/** An error with a stable code from the catalogue. */
export class AgentError extends Error {
	readonly code: Code;
	readonly retryable: boolean;
	/** Extra detail safe to log (never a secret). */
	readonly detail?: Record<string, unknown>;

	constructor(code: Code, message: string, options?: {cause?: unknown; detail?: Record<string, unknown>; retryable?: boolean}) {
		super(message, options?.cause === undefined ? undefined : {cause: options.cause});
		this.name = 'AgentError';
		this.code = code;
		this.retryable = options?.retryable ?? catalogue[code].retryable;
		this.detail = options?.detail;
	}
}

/** The plain-object form that crosses postMessage and goes into logs. */
export interface SerializedError {
	code: Code;
	message: string;
	retryable: boolean;
	detail?: Record<string, unknown>;
}

export function isCode(value: unknown): value is Code {
	return typeof value === 'string' && Object.hasOwn(catalogue, value);
}

export function serializeError(error: unknown): SerializedError {
	if (error && typeof error === 'object' && isCode((error as {code?: unknown}).code)) {
		const e = error as AgentError;
		return {code: e.code, message: String(e.message), retryable: Boolean(e.retryable), detail: e.detail};
	}
	const message = error instanceof Error ? error.message : String(error);
	return {code: 'INTERNAL_ERROR', message, retryable: false};
}

export function deserializeError(value: SerializedError): AgentError {
	return new AgentError(value.code, value.message, {retryable: value.retryable, detail: value.detail});
}

export function remediationOf(code: Code): string {
	return catalogue[code].remediation;
}

export function exitCodeOf(code: Code): number {
	return (catalogue[code] as CodeInfo).exitCode ?? 1;
}
