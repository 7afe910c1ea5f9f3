/**
 * Flags → configuration. Flags win over SIEM_AGENT_* environment variables, which win over
 * the config file. With --url, --token and --syslog alone a daemon runs one agent without
 * any file. Every problem names the setting and the bad value (never a secret).
 */
import {normalizeEntraCredentials} from '../cloud/entra.ts';
import {parseProxy} from '../cloud/proxy.ts';
import type {DataType} from '../cloud/types.ts';
import {AgentError} from '../errors.ts';
import {isLoopbackHost} from '../util/loopback.ts';
import {parseSyslogAddress} from '../transports/index.ts';
import {loadTlsMaterial} from '../transports/tls-options.ts';
import type {TlsSettings, TransportConfig} from '../transports/types.ts';
import {defaultDataTypes, defaultPortOf, defaults, type AgentConfig, type FileConfig, type TimeFormat} from './schema.ts';

/** The agent-level flags, as meow parsed them (all optional). */
export interface AgentFlags {
	name?: string;
	url?: string;
	token?: string;
	/** Entra ID app: directory (tenant) ID, application (client) ID, client secret, authority. */
	tenantId?: string;
	clientId?: string;
	clientSecret?: string;
	/** Entra ID app: certificate (and key) PEM files instead of the secret. */
	clientCertificate?: string;
	clientKey?: string;
	authority?: string;
	proxy?: string;
	syslog?: string;
	protocol?: string;
	framing?: string;
	format?: string;
	dataTypes?: string;
	pollInterval?: number | string;
	timeFormat?: string;
	includePri?: boolean;
	includeSystemName?: boolean;
	requestsPerMinute?: number | string;
	settle?: number | string;
	maxMessageSize?: number | string;
	/** TLS/RELP: CA file (PEM) to trust instead of the system store. */
	ca?: string;
	/** TLS/RELP: client certificate and key files (PEM), for mutual TLS. */
	cert?: string;
	key?: string;
}

/** Flag names (camelCase, as meow gives them) that may come from SIEM_AGENT_<NAME> variables. */
const envNames = ['includePri', 'includeSystemName', 'config', 'token', 'tenantId', 'clientId', 'clientSecret', 'clientCertificate', 'clientKey', 'authority', 'url', 'proxy', 'logsDirectory', 'stateDirectory', 'syslog', 'protocol', 'framing', 'format', 'dataTypes', 'name', 'pollInterval', 'ca', 'cert', 'key', 'metrics', 'timeFormat', 'requestsPerMinute', 'settle', 'maxMessageSize'] as const;

/** Switches: SIEM_AGENT_INCLUDE_PRI=true|false (also 1/0, yes/no, on/off). */
const booleanNames = new Set<string>(['includePri', 'includeSystemName']);

function envBoolean(name: string, value: string): boolean {
	const text = value.trim().toLowerCase();
	if (['true', '1', 'yes', 'on'].includes(text)) {
		return true;
	}
	if (['false', '0', 'no', 'off'].includes(text)) {
		return false;
	}
	throw configError(envName(name), `"${value}" is not true or false`);
}

export function envName(flag: string): string {
	return 'SIEM_AGENT_' + flag.replaceAll(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/** Fills flags that were not given from SIEM_AGENT_* variables. */
export function withEnvironment<T extends Record<string, unknown>>(flags: T, env: NodeJS.ProcessEnv = process.env): T {
	const out: Record<string, unknown> = {...flags};
	for (const name of envNames) {
		const value = env[envName(name)];
		if ((out[name] === undefined || out[name] === '') && value !== undefined && value !== '') {
			out[name] = booleanNames.has(name) ? envBoolean(name, value) : value;
		}
	}
	return out as T;
}

function configError(setting: string, message: string): AgentError {
	return new AgentError('CONFIG_ERROR', `${setting}: ${message}`, {detail: {setting}});
}

function positiveNumber(value: number | string | undefined, setting: string, {min = 0, integer = false} = {}): number | undefined {
	if (value === undefined || value === '') {
		return undefined;
	}
	const number = Number(value);
	if (!Number.isFinite(number) || number < min || (integer && !Number.isInteger(number))) {
		throw configError(setting, `"${String(value)}" is not a ${integer ? 'whole ' : ''}number ≥ ${min}`);
	}
	return number;
}

/** The values a flag and the config file may give these settings. */
const protocolNames = ['udp', 'tcp', 'tls', 'relp'] as const;
const framingNames = ['lf', 'octet-counting'] as const;
const formatNames = ['cef', 'leef', 'json'] as const;
const timeFormatNames: readonly TimeFormat[] = ['rfc5424', 'rfc3164', 'rfc3164-year'];

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], setting: string): T | undefined {
	if (value === undefined || value === '') {
		return undefined;
	}
	const lower = value.toLowerCase() as T;
	if (!allowed.includes(lower)) {
		throw configError(setting, `"${value}" is not one of ${allowed.join(', ')}`);
	}
	return lower;
}

function parseDataTypes(value: string): DataType[] {
	const list = value.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean);
	for (const item of list) {
		if (item !== 'alerts' && item !== 'activities') {
			throw configError('--data-types', `"${item}" is not alerts or activities`);
		}
	}
	if (list.length === 0) {
		throw configError('--data-types', 'name at least one of alerts, activities');
	}
	return list as DataType[];
}

/** Applies the agent flags on top of `base` (or on the defaults when there is no base). */
export function applyFlags(base: AgentConfig | undefined, flags: AgentFlags): AgentConfig {
	const agent: AgentConfig = base ? structuredClone(base) : {
		name: 'default',
		url: '',
		token: '',
		format: defaults.format,
		cef: {...defaults.cef},
		syslog: {protocol: 'tcp', host: '', port: defaults.syslogPort, framing: defaults.framing},
		dataTypes: defaultDataTypes(),
		pollIntervalSeconds: defaults.pollIntervalSeconds,
		requestsPerMinute: defaults.requestsPerMinute,
		settleSeconds: defaults.settleSeconds,
		paused: false,
	};
	if (flags.name) {
		agent.name = flags.name;
	}
	if (flags.url) {
		agent.url = flags.url;
	}
	const entraFlags = {tenantId: flags.tenantId, clientId: flags.clientId, clientSecret: flags.clientSecret, certificate: flags.clientCertificate, privateKey: flags.clientKey, authority: flags.authority};
	const entraGiven = Object.values(entraFlags).some(value => value !== undefined && value !== '');
	if (flags.token && entraGiven) {
		throw configError('--token', 'give either an API token (--token) or an Entra ID app (--tenant-id, --client-id, --client-secret), not both');
	}
	if (flags.clientSecret && flags.clientCertificate) {
		throw configError('--client-secret', 'give the Entra ID app either a client secret or a certificate (--client-certificate), not both');
	}
	if (flags.token) {
		// A token on the command line replaces the app of the file's agent.
		agent.token = flags.token;
		delete agent.entra;
	}
	if (entraGiven) {
		const entra: NonNullable<AgentConfig['entra']> = {tenantId: '', clientId: '', ...agent.entra};
		// A secret given now replaces the file's certificate, and the other way round.
		if (flags.clientSecret) {
			delete entra.certificate;
			delete entra.privateKey;
		} else if (flags.clientCertificate) {
			delete entra.clientSecret;
			// A new certificate without --client-key holds its key (the old key file belongs to the old one).
			if (!flags.clientKey) {
				delete entra.privateKey;
			}
		}
		for (const [name, value] of Object.entries(entraFlags)) {
			if (value !== undefined && value !== '') {
				Object.assign(entra, {[name]: value});
			}
		}
		agent.entra = entra;
		agent.token = '';
	}
	if (flags.proxy !== undefined && flags.proxy !== '') {
		agent.proxy = flags.proxy;
	}
	const protocol = oneOf(flags.protocol, protocolNames, '--protocol');
	if (flags.syslog || protocol || flags.framing || flags.maxMessageSize !== undefined || flags.ca || flags.cert || flags.key) {
		const chosen = protocol ?? agent.syslog.protocol;
		const address = flags.syslog ? parseSyslogAddress(flags.syslog, defaultPortOf(chosen)) : {host: agent.syslog.host, port: agent.syslog.port};
		const framing = oneOf(flags.framing, framingNames, '--framing') ?? (agent.syslog.protocol === 'tcp' ? agent.syslog.framing : defaults.framing);
		const transport: TransportConfig = chosen === 'tls' || chosen === 'relp'
			? secureTransport(chosen, address, agent.syslog, flags)
			: chosen === 'udp'
			? {protocol: 'udp', host: address.host, port: address.port, maxMessageSize: positiveNumber(flags.maxMessageSize, '--max-message-size', {min: 480, integer: true}) ?? (agent.syslog.protocol === 'udp' ? agent.syslog.maxMessageSize : undefined)}
			: {protocol: 'tcp', host: address.host, port: address.port, framing};
		agent.syslog = transport;
	}
	const format = oneOf(flags.format, formatNames, '--format');
	if (format) {
		agent.format = format;
	}
	if (flags.dataTypes) {
		const enabled = parseDataTypes(flags.dataTypes);
		for (const type of ['alerts', 'activities'] as const) {
			agent.dataTypes[type] = {...agent.dataTypes[type], enabled: enabled.includes(type)};
		}
	}
	const timeFormat = oneOf(flags.timeFormat, timeFormatNames, '--time-format');
	if (timeFormat) {
		agent.cef.timeFormat = timeFormat;
	}
	if (flags.includePri !== undefined) {
		agent.cef.includePri = flags.includePri;
	}
	if (flags.includeSystemName !== undefined) {
		agent.cef.includeSystemName = flags.includeSystemName;
	}
	agent.pollIntervalSeconds = positiveNumber(flags.pollInterval, '--poll-interval', {min: 1}) ?? agent.pollIntervalSeconds;
	agent.requestsPerMinute = positiveNumber(flags.requestsPerMinute, '--requests-per-minute', {min: 0}) ?? agent.requestsPerMinute;
	agent.settleSeconds = positiveNumber(flags.settle, '--settle', {min: 0}) ?? agent.settleSeconds;
	return agent;
}


/**
 * A TLS or RELP transport from the flags, keeping the certificate settings (and the RELP
 * window) of the agent's current transport. RELP runs over TLS when a certificate file is set.
 */
function secureTransport(protocol: 'tls' | 'relp', address: {host: string; port: number}, current: TransportConfig, flags: AgentFlags): TransportConfig {
	if (flags.framing && flags.framing.toLowerCase() !== 'octet-counting') {
		throw configError('--framing', `${protocol} has its own framing (TLS is always octet-counting, RFC 5425); leave --framing out`);
	}
	const previous: TlsSettings = current.protocol === 'tls' ? current : current.protocol === 'relp' ? current.tls ?? {} : {};
	const settings: TlsSettings = {};
	for (const name of ['ca', 'cert', 'key', 'serverName', 'minVersion'] as const) {
		const value = name === 'ca' || name === 'cert' || name === 'key' ? flags[name] || previous[name] : previous[name];
		if (value) {
			Object.assign(settings, {[name]: value});
		}
	}
	if (protocol === 'tls') {
		return {protocol, host: address.host, port: address.port, ...settings};
	}
	const window = current.protocol === 'relp' ? current.window : undefined;
	return {protocol, host: address.host, port: address.port, ...(window === undefined ? {} : {window}), ...(settings.ca || settings.cert ? {tls: settings} : {})};
}

/**
 * Checks one agent completely. Throws the first problem: INVALID_PROXY_ADDRESS for the
 * proxy, CONFIG_ERROR naming the setting otherwise.
 */
export function validateAgent(agent: AgentConfig): void {
	const where = agent.name ? `agent "${agent.name}"` : 'agent';
	if (!agent.name || /[\u0000-\u001F]/.test(agent.name)) {
		throw configError('--name', 'an agent needs a name without control characters');
	}
	if (!agent.url) {
		throw configError('--url', `${where} has no portal URL (e.g. https://contoso.portal.cloudappsecurity.com)`);
	}
	let url: URL;
	try {
		url = new URL(agent.url);
	} catch {
		throw configError('--url', `"${agent.url}" is not a URL (e.g. https://contoso.portal.cloudappsecurity.com)`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw configError('--url', `"${agent.url}" must start with https://`);
	}
	if (url.username || url.password) {
		throw configError('--url', 'the portal URL must not contain credentials; use --token');
	}
	if (agent.entra) {
		for (const [name, flag, what] of [['tenantId', '--tenant-id', 'directory (tenant) ID'], ['clientId', '--client-id', 'application (client) ID']] as const) {
			if (!agent.entra[name]) {
				throw configError(flag, `${where} signs in as an Entra ID app but has no ${what} (see the app registration in the Entra admin center)`);
			}
		}
		if (agent.entra.privateKey && !agent.entra.certificate) {
			throw configError('--client-key', `${where}: a private key file belongs with a certificate (--client-certificate); a client secret needs none`);
		}
		if (!agent.entra.clientSecret && !agent.entra.certificate) {
			throw configError('--client-secret', `${where} signs in as an Entra ID app but has neither a client secret nor a certificate (--client-certificate)`);
		}
		normalizeEntraCredentials(agent.entra);
	} else if (!agent.token) {
		throw configError('--token', `${where} has no API token (create one in the Defender for Cloud Apps portal: Settings > API tokens) and no Entra ID app (--tenant-id, --client-id, --client-secret)`);
	}
	if (agent.proxy) {
		parseProxy(agent.proxy);
	}
	if (!agent.syslog?.host) {
		throw configError('--syslog', `${where} has no syslog server (HOST[:PORT])`);
	}
	if (!Number.isInteger(agent.syslog.port) || agent.syslog.port < 1 || agent.syslog.port > 65_535) {
		throw configError('--syslog', `${where}: the syslog port must be a whole number from 1 to 65535, not ${JSON.stringify(agent.syslog.port)}`);
	}
	checkSettingValues(agent, where);
	// Certificate files are read now, so a wrong path stops start-up naming the file.
	if (agent.syslog.protocol === 'tls') {
		loadTlsMaterial(agent.syslog, agent.syslog.host);
	} else if (agent.syslog.protocol === 'relp' && agent.syslog.tls) {
		loadTlsMaterial(agent.syslog.tls, agent.syslog.host);
	}
	if (!agent.dataTypes?.alerts?.enabled && !agent.dataTypes?.activities?.enabled) {
		throw configError('--data-types', `${where} has neither alerts nor activities enabled`);
	}
}

/**
 * The settings a config file may get wrong by hand (the flags are parsed into the right types
 * already): each must have its type and range, or start-up (and a reload) is refused naming it,
 * instead of an agent silently paused by `"paused": "false"` or polling flat out with a
 * negative interval.
 */
function checkSettingValues(agent: AgentConfig, where: string): void {
	const oneOf = (value: unknown, allowed: readonly string[], setting: string, flag: string): void => {
		if (!allowed.includes(value as string)) {
			throw configError(flag, `${where}: ${setting} is ${JSON.stringify(value)}; use one of ${allowed.join(', ')}`);
		}
	};
	const flag = (value: unknown, setting: string, cliFlag: string): void => {
		if (typeof value !== 'boolean') {
			throw configError(cliFlag, `${where}: ${setting} is ${JSON.stringify(value)}; use true or false (without quotes)`);
		}
	};
	const number = (value: unknown, setting: string, cliFlag: string, min: number): void => {
		if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
			throw configError(cliFlag, `${where}: ${setting} is ${JSON.stringify(value)}; use a number of at least ${min} (without quotes)`);
		}
	};
	oneOf(agent.format, formatNames, 'format', '--format');
	oneOf(agent.cef?.timeFormat, timeFormatNames, 'cef.timeFormat', '--time-format');
	flag(agent.cef?.includePri, 'cef.includePri', '--include-pri');
	flag(agent.cef?.includeSystemName, 'cef.includeSystemName', '--include-system-name');
	oneOf(agent.syslog.protocol, protocolNames, 'syslog.protocol', '--protocol');
	if (agent.syslog.protocol === 'tcp') {
		oneOf(agent.syslog.framing ?? 'lf', framingNames, 'syslog.framing', '--framing');
	}
	for (const dataType of ['alerts', 'activities'] as const) {
		const settings = agent.dataTypes?.[dataType];
		if (settings !== undefined) {
			flag(settings.enabled, `dataTypes.${dataType}.enabled`, '--data-types');
		}
	}
	flag(agent.paused, 'paused', 'paused');
	number(agent.pollIntervalSeconds, 'pollIntervalSeconds', '--poll-interval', 1);
	number(agent.settleSeconds, 'settleSeconds', '--settle', 0);
	number(agent.requestsPerMinute, 'requestsPerMinute', '--requests-per-minute', 0);
}

/** True for loopback hosts, where http:// is acceptable (the simulator). */
export function isLoopbackUrl(value: string): boolean {
	return isLoopbackHost(new URL(value).hostname);
}

/**
 * The agents a run uses: the file's agents with the flags applied (to the agent named by
 * --name, to the only agent, or to all when the file has several and no --name), or one agent
 * made from flags alone.
 */
export function resolveAgents(file: FileConfig, flags: AgentFlags): AgentConfig[] {
	const agents = file.agents ?? [];
	const hasAgentFlags = Object.entries(flags).some(([key, value]) => key !== 'name' && value !== undefined && value !== '');
	if (agents.length === 0) {
		return flags.url || flags.token || flags.clientSecret || flags.syslog ? [applyFlags(undefined, flags)] : [];
	}
	if (flags.name) {
		const match = agents.find((agent) => agent.name === flags.name);
		if (match) {
			return agents.map((agent) => agent === match ? applyFlags(agent, flags) : agent);
		}
		return [...agents, applyFlags(undefined, flags)];
	}
	if (!hasAgentFlags) {
		return agents;
	}
	return agents.map((agent) => applyFlags(agent, flags));
}
