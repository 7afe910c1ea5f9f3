/**
 * The configuration model: one file holds several agents; each agent reads one tenant and
 * writes to one SIEM. Every option is documented with its default here, the one place.
 */
import type {EntraCredentials} from '../cloud/entra.ts';
import type {ApiFilters, DataType} from '../cloud/types.ts';
import {defaultRelpPort, defaultTlsPort} from '../transports/index.ts';
import type {TransportConfig} from '../transports/types.ts';

export type TimeFormat = 'rfc5424' | 'rfc3164' | 'rfc3164-year';
/** `cef` (Microsoft's original layout), `leef` (LEEF 2.0 for QRadar), `json` (a JSON object in RFC 5424). See docs/formats.md. */
export type FormatName = 'cef' | 'leef' | 'json';

/** The syslog header settings; CEF and LEEF use all three, JSON (RFC 5424) only `includeSystemName`. */
export interface CefSettings {
	/** Time format of the syslog header. @default 'rfc5424' */
	timeFormat: TimeFormat;
	/** Prefix each message with a syslog PRI `<nnn>`. @default false */
	includePri: boolean;
	/** Put the system (host) name in the syslog header. @default false */
	includeSystemName: boolean;
}

export interface LeefSettings {
	/** Attribute delimiter: tab, or one printable ASCII character such as `^` (also `xHH`). @default '\t' */
	delimiter: string;
}

export interface DataTypeSettings {
	/** @default true */
	enabled: boolean;
	/** "Apply to" filter, in the API's own filter syntax, ANDed with the agent's time window. @default {} */
	filters: ApiFilters;
}

export interface AgentConfig {
	/** Unique within the file; names the checkpoints. */
	name: string;
	/** Tenant portal URL, e.g. https://contoso.portal.cloudappsecurity.com */
	url: string;
	/** API token (legacy; `''` when `entra` is set). Lives only in the config file (mode 0600) or a flag/env var. */
	token: string;
	/** An Entra ID app instead of the API token: the client credentials grant, Bearer tokens (docs/entra-id.md). */
	entra?: EntraSettings;
	/** HTTP(S) proxy for every API call, ADDRESS[:PORT] or http://[user:pass@]host:port. */
	proxy?: string;
	/** @default 'cef' */
	format: FormatName;
	cef: CefSettings;
	/** LEEF settings, used with `format: 'leef'`. @default {delimiter: '\t'} */
	leef?: LeefSettings;
	syslog: TransportConfig;
	dataTypes: Record<DataType, DataTypeSettings>;
	/** Seconds between polls once caught up. @default 10 */
	pollIntervalSeconds: number;
	/** Client-side request budget per minute for this tenant; 0 lifts it. @default 30 */
	requestsPerMinute: number;
	/** Records younger than this many seconds are left for the next poll, so records still being indexed are not skipped. @default 5 */
	settleSeconds: number;
	/** Paused agents keep their checkpoints and pull nothing. @default false */
	paused: boolean;
}

/**
 * The Entra ID app an agent signs in as (the client's own settings, documented there). The
 * secret lives only in the config file (mode 0600) or a flag/env var.
 */
export type EntraSettings = EntraCredentials;

export interface FileConfig {
	agents: AgentConfig[];
	/** @default beside the config file */
	stateDirectory?: string;
	logsDirectory?: string;
}

export const defaults = {
	format: 'cef',
	cef: {timeFormat: 'rfc5424', includePri: false, includeSystemName: false},
	leef: {delimiter: '\t'},
	syslogPort: 514,
	protocol: 'tcp',
	framing: 'lf',
	pollIntervalSeconds: 10,
	requestsPerMinute: 30,
	settleSeconds: 5,
	/** First start and long gaps backfill this much (SPEC §1). */
	backfillMs: 2 * 24 * 60 * 60 * 1000,
} as const;

/** The default port of each protocol: 514 for TCP and UDP, 6514 for TLS, 2514 for RELP. */
export function defaultPortOf(protocol: TransportConfig['protocol']): number {
	return protocol === 'tls' ? defaultTlsPort : (protocol === 'relp' ? defaultRelpPort : defaults.syslogPort);
}

/** A data-type settings block with the defaults (enabled, no filter). */
export function defaultDataTypes(enabled: readonly DataType[] = ['alerts', 'activities']): Record<DataType, DataTypeSettings> {
	return {
		alerts: {enabled: enabled.includes('alerts'), filters: {}},
		activities: {enabled: enabled.includes('activities'), filters: {}},
	};
}
