/**
 * The wizard's form: every field as the operator edits it (text stays text until saved), read
 * from an existing agent and turned back into an AgentConfig. Settings the wizard does not show
 * (poll interval, budgets, UDP size, unknown filters) pass through unchanged when editing.
 */
import type {ApiFilters, DataType} from '../../cloud/types.ts';
import {defaultDataTypes, defaults, type AgentConfig, type FormatName, type TimeFormat} from '../../config/schema.ts';
import type {Framing, TransportConfig} from '../../transports/types.ts';
import {buildFilters, readFilters, type FilterForm} from './filters.ts';

export interface WizardForm {
	name: string;
	format: FormatName;
	timeFormat: TimeFormat;
	includePri: boolean;
	includeSystemName: boolean;
	host: string;
	port: string;
	protocol: 'tcp' | 'udp';
	framing: Framing;
	alertsEnabled: boolean;
	activitiesEnabled: boolean;
	filters: Record<DataType, FilterForm>;
	/** Filters the editor cannot show, kept as they were. */
	extraFilters: Record<DataType, ApiFilters>;
	url: string;
	token: string;
	proxy: string;
}

/** The form for a new agent (defaults) or for editing `agent`. */
export function formFromAgent(agent?: AgentConfig): WizardForm {
	const alerts = readFilters('alerts', agent?.dataTypes.alerts?.filters);
	const activities = readFilters('activities', agent?.dataTypes.activities?.filters);
	const syslog = agent?.syslog;
	return {
		name: agent?.name ?? '',
		format: agent?.format ?? defaults.format,
		timeFormat: agent?.cef.timeFormat ?? defaults.cef.timeFormat,
		includePri: agent?.cef.includePri ?? defaults.cef.includePri,
		includeSystemName: agent?.cef.includeSystemName ?? defaults.cef.includeSystemName,
		host: syslog?.host ?? '',
		port: String(syslog?.port ?? defaults.syslogPort),
		protocol: syslog?.protocol ?? defaults.protocol,
		framing: syslog?.protocol === 'tcp' ? syslog.framing : defaults.framing,
		alertsEnabled: agent?.dataTypes.alerts?.enabled ?? true,
		activitiesEnabled: agent?.dataTypes.activities?.enabled ?? true,
		filters: {alerts: alerts.form, activities: activities.form},
		extraFilters: {alerts: alerts.extra, activities: activities.extra},
		url: agent?.url ?? '',
		token: agent?.token ?? '',
		proxy: agent?.proxy ?? '',
	};
}

/** The transport of the form (port as typed must already be valid). */
export function transportFromForm(form: WizardForm, base?: TransportConfig): TransportConfig {
	const host = form.host.trim();
	const port = Number(form.port.trim());
	if (form.protocol === 'tcp') {
		return {protocol: 'tcp', host, port, framing: form.framing};
	}

	const maxMessageSize = base?.protocol === 'udp' ? base.maxMessageSize : undefined;
	return maxMessageSize === undefined ? {protocol: 'udp', host, port} : {protocol: 'udp', host, port, maxMessageSize};
}

/** The AgentConfig the form describes; `base` (the agent being edited) supplies what the wizard does not show. */
export function agentFromForm(form: WizardForm, base?: AgentConfig): AgentConfig {
	const dataTypes = defaultDataTypes();
	dataTypes.alerts = {enabled: form.alertsEnabled, filters: buildFilters('alerts', form.filters.alerts, form.extraFilters.alerts)};
	dataTypes.activities = {enabled: form.activitiesEnabled, filters: buildFilters('activities', form.filters.activities, form.extraFilters.activities)};
	const agent: AgentConfig = {
		name: form.name.trim(),
		url: form.url.trim().replace(/\/+$/, ''),
		token: form.token.trim(),
		format: form.format,
		cef: {timeFormat: form.timeFormat, includePri: form.includePri, includeSystemName: form.includeSystemName},
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
