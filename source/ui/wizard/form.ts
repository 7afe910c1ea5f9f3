/**
 * The wizard's form: every field as the operator edits it (text stays text until saved), read
 * from an existing agent and turned back into an AgentConfig. Settings the wizard does not show
 * (poll interval, budgets, UDP size, TLS minimum version, unknown filters) pass through
 * unchanged when editing.
 */
import type {ApiFilters, DataType} from '../../cloud/types.ts';
import {defaultDataTypes, defaultPortOf, defaults, type AgentConfig, type EntraSettings, type FormatName, type LeefSettings, type TimeFormat} from '../../config/schema.ts';
import type {Framing, TlsSettings, TransportConfig} from '../../transports/types.ts';
import {absolutePath} from './file-check.ts';
import {buildFilters, readFilters, type FilterForm} from './filters.ts';
import {delimiterText, isTabDelimiter} from './leef-delimiter.ts';

export type Protocol = TransportConfig['protocol'];

export interface WizardForm {
	name: string;
	format: FormatName;
	timeFormat: TimeFormat;
	includePri: boolean;
	includeSystemName: boolean;
	/** LEEF attribute delimiter as typed; '' is tab (the default). */
	leefDelimiter: string;
	host: string;
	port: string;
	protocol: Protocol;
	framing: Framing;
	/** TLS, and RELP over TLS: CA file ('' is the system store). */
	caFile: string;
	/** Client certificate and key files, both or neither ('' is none). */
	certFile: string;
	keyFile: string;
	/** Name the server certificate must carry ('' is the host). */
	serverName: string;
	/** RELP window as typed; '' is the default. */
	relpWindow: string;
	/** RELP over TLS. */
	relpTls: boolean;
	alertsEnabled: boolean;
	activitiesEnabled: boolean;
	filters: Record<DataType, FilterForm>;
	/** Filters the editor cannot show, kept as they were. */
	extraFilters: Record<DataType, ApiFilters>;
	url: string;
	/** How the agent signs in: the legacy API token, or an Entra ID app. */
	signIn: 'token' | 'entra';
	token: string;
	/** Entra ID app: directory (tenant) ID, application (client) ID, secret, authority ('' is the default). */
	tenantId: string;
	clientId: string;
	clientSecret: string;
	/** The app proves itself with a client secret or with a certificate (PEM files). */
	entraCredential: 'secret' | 'certificate';
	certificateFile: string;
	/** '' when the certificate file holds the key too. */
	privateKeyFile: string;
	authority: string;
	proxy: string;
}


/** The certificate settings of a transport, if it has any. */
function tlsOf(syslog: TransportConfig | undefined): TlsSettings | undefined {
	return syslog?.protocol === 'tls' ? syslog : (syslog?.protocol === 'relp' ? syslog.tls : undefined);
}

/**
 * The form for a new agent (defaults) or for editing `agent`. A new agent takes the portal URL
 * and the proxy of `sibling` (an agent already configured: usually the same tenant and network,
 * while the name, the SIEM and the credentials differ).
 */
export function formFromAgent(agent?: AgentConfig, sibling?: AgentConfig): WizardForm {
	const alerts = readFilters('alerts', agent?.dataTypes.alerts?.filters);
	const activities = readFilters('activities', agent?.dataTypes.activities?.filters);
	const syslog = agent?.syslog;
	const tls = tlsOf(syslog);
	return {
		name: agent?.name ?? '',
		format: agent?.format ?? defaults.format,
		timeFormat: agent?.cef.timeFormat ?? defaults.cef.timeFormat,
		includePri: agent?.cef.includePri ?? defaults.cef.includePri,
		includeSystemName: agent?.cef.includeSystemName ?? defaults.cef.includeSystemName,
		leefDelimiter: delimiterText(agent?.leef?.delimiter),
		host: syslog?.host ?? '',
		port: String(syslog?.port ?? defaultPortOf(syslog?.protocol ?? defaults.protocol)),
		protocol: syslog?.protocol ?? defaults.protocol,
		framing: syslog?.protocol === 'tcp' ? syslog.framing : defaults.framing,
		caFile: tls?.ca ?? '',
		certFile: tls?.cert ?? '',
		keyFile: tls?.key ?? '',
		serverName: tls?.serverName ?? '',
		relpWindow: syslog?.protocol === 'relp' && syslog.window !== undefined ? String(syslog.window) : '',
		relpTls: syslog?.protocol === 'relp' && syslog.tls !== undefined,
		alertsEnabled: agent?.dataTypes.alerts?.enabled ?? true,
		activitiesEnabled: agent?.dataTypes.activities?.enabled ?? true,
		filters: {alerts: alerts.form, activities: activities.form},
		extraFilters: {alerts: alerts.extra, activities: activities.extra},
		url: agent?.url ?? sibling?.url ?? '',
		signIn: agent?.entra ? 'entra' : 'token',
		token: agent?.token ?? '',
		tenantId: agent?.entra?.tenantId ?? '',
		clientId: agent?.entra?.clientId ?? '',
		clientSecret: agent?.entra?.clientSecret ?? '',
		entraCredential: agent?.entra?.certificate ? 'certificate' : 'secret',
		certificateFile: agent?.entra?.certificate ?? '',
		privateKeyFile: agent?.entra?.privateKey ?? '',
		authority: agent?.entra?.authority ?? '',
		proxy: agent?.proxy ?? sibling?.proxy ?? '',
	};
}

/** The Entra ID app of the form, or undefined when the agent signs in with a token. */
export function entraFromForm(form: WizardForm): EntraSettings | undefined {
	if (form.signIn !== 'entra') {
		return undefined;
	}

	const authority = form.authority.trim().replace(/\/+$/, '');
	const keyFile = form.privateKeyFile.trim();
	const credential = form.entraCredential === 'certificate'
		? {certificate: absolutePath(form.certificateFile), ...(keyFile === '' ? {} : {privateKey: absolutePath(keyFile)})}
		: {clientSecret: form.clientSecret.trim()};
	return {tenantId: form.tenantId.trim(), clientId: form.clientId.trim(), ...credential, ...(authority === '' ? {} : {authority})};
}

/**
 * The form with another protocol. The port follows the protocol's default while it still holds
 * the previous protocol's default (or nothing): a port the operator typed stays.
 */
export function withProtocol(form: WizardForm, protocol: Protocol): WizardForm {
	const port = form.port.trim();
	const follows = port === '' || port === String(defaultPortOf(form.protocol));
	return {...form, protocol, port: follows ? String(defaultPortOf(protocol)) : form.port};
}

/** A file path as saved: absolute (the daemon runs elsewhere), or the stored text when unchanged. */
function filePath(typed: string, previous: string | undefined): string | undefined {
	const text = typed.trim();
	if (text === '') {
		return undefined;
	}

	return text === previous ? previous : absolutePath(text);
}

/** The certificate settings of the form; `previous` supplies what the wizard does not show. */
function tlsFromForm(form: WizardForm, previous?: TlsSettings): TlsSettings {
	const settings: TlsSettings = {};
	const ca = filePath(form.caFile, previous?.ca);
	const cert = filePath(form.certFile, previous?.cert);
	const key = filePath(form.keyFile, previous?.key);
	const serverName = form.serverName.trim();
	if (ca !== undefined) {
		settings.ca = ca;
	}

	if (cert !== undefined) {
		settings.cert = cert;
	}

	if (key !== undefined) {
		settings.key = key;
	}

	if (serverName !== '') {
		settings.serverName = serverName;
	}

	if (previous?.minVersion !== undefined) {
		settings.minVersion = previous.minVersion;
	}

	return settings;
}

/** The transport of the form (port and window as typed must already be valid). */
export function transportFromForm(form: WizardForm, base?: TransportConfig): TransportConfig {
	const host = form.host.trim();
	const port = Number(form.port.trim());
	switch (form.protocol) {
		case 'tcp': {
			return {protocol: 'tcp', host, port, framing: form.framing};
		}

		case 'udp': {
			const maxMessageSize = base?.protocol === 'udp' ? base.maxMessageSize : undefined;
			return maxMessageSize === undefined ? {protocol: 'udp', host, port} : {protocol: 'udp', host, port, maxMessageSize};
		}

		case 'tls': {
			return {protocol: 'tls', host, port, ...tlsFromForm(form, tlsOf(base))};
		}

		case 'relp': {
			const window = form.relpWindow.trim();
			return {
				protocol: 'relp',
				host,
				port,
				...(window === '' ? {} : {window: Number(window)}),
				...(form.relpTls ? {tls: tlsFromForm(form, tlsOf(base))} : {}),
			};
		}
	}
}

/** LEEF settings to save: the typed delimiter for a LEEF agent; otherwise what the agent had. */
function leefFromForm(form: WizardForm, base?: LeefSettings): LeefSettings | undefined {
	if (form.format !== 'leef') {
		return base;
	}

	const typed = form.leefDelimiter === '' ? defaults.leef.delimiter : form.leefDelimiter;
	// Another spelling of the same delimiter (`tab`, `x5E`) stays as the operator wrote it.
	const same = base !== undefined && delimiterText(base.delimiter) === form.leefDelimiter;
	return {delimiter: same ? base.delimiter : (isTabDelimiter(typed) ? defaults.leef.delimiter : typed)};
}

/** The AgentConfig the form describes; `base` (the agent being edited) supplies what the wizard does not show. */
export function agentFromForm(form: WizardForm, base?: AgentConfig): AgentConfig {
	const dataTypes = defaultDataTypes();
	dataTypes.alerts = {enabled: form.alertsEnabled, filters: buildFilters('alerts', form.filters.alerts, form.extraFilters.alerts)};
	dataTypes.activities = {enabled: form.activitiesEnabled, filters: buildFilters('activities', form.filters.activities, form.extraFilters.activities)};
	const leef = leefFromForm(form, base?.leef);
	const agent: AgentConfig = {
		name: form.name.trim(),
		url: form.url.trim().replace(/\/+$/, ''),
		token: form.signIn === 'entra' ? '' : form.token.trim(),
		...(form.signIn === 'entra' ? {entra: entraFromForm(form)} : {}),
		format: form.format,
		cef: {timeFormat: form.timeFormat, includePri: form.includePri, includeSystemName: form.includeSystemName},
		...(leef === undefined ? {} : {leef}),
		syslog: transportFromForm(form, base?.syslog),
		dataTypes,
		pollIntervalSeconds: base?.pollIntervalSeconds ?? defaults.pollIntervalSeconds,
		requestsPerMinute: base?.requestsPerMinute ?? defaults.requestsPerMinute,
		settleSeconds: base?.settleSeconds ?? defaults.settleSeconds,
		paused: base?.paused ?? false,
	};
	const proxy = form.proxy.trim();
	return proxy === '' ? agent : {...agent, proxy};
}
