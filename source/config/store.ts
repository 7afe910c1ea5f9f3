/**
 * The config file: read and written with conf (atomic writes, mode 0600), at the per-user
 * config location unless --config names a file. A broken file is an error with its path,
 * never silently reset.
 */
import Conf from 'conf';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {AgentError} from '../errors.ts';
import type {DataType} from '../cloud/types.ts';
import type {TransportConfig} from '../transports/types.ts';
import {defaultPortOf, defaults, type AgentConfig, type DataTypeSettings, type FileConfig} from './schema.ts';

export interface ConfigLocation {
	/** Absolute path of the config file. */
	file: string;
	/** Default state directory: beside the config file. */
	stateDirectory: string;
}

function confOptions(file?: string): ConstructorParameters<typeof Conf<FileConfig>>[0] {
	const base = {
		projectName: 'siem-agent',
		projectSuffix: '',
		configFileMode: 0o600,
		clearInvalidConfig: false,
		accessPropertiesByDotNotation: false,
		defaults: {agents: []} as FileConfig,
	};
	if (!file) {
		return base;
	}
	const absolute = path.resolve(file);
	const extension = path.extname(absolute);
	return {
		...base,
		cwd: path.dirname(absolute),
		configName: path.basename(absolute, extension),
		fileExtension: extension.slice(1),
	};
}

function open(file?: string): Conf<FileConfig> {
	try {
		return new Conf<FileConfig>(confOptions(file));
	} catch (error) {
		throw new AgentError('CONFIG_ERROR', `cannot read the config file${file ? ` ${file}` : ''}: ${(error as Error).message}`, {cause: error});
	}
}

export function locate(file?: string): ConfigLocation {
	const resolved = file ? path.resolve(file) : open().path;
	return {file: resolved, stateDirectory: path.join(path.dirname(resolved), 'state')};
}

/** Every setting the config file may hold, by where it sits (filters are free-form). */
const knownSettings = {
	top: ['agents', 'stateDirectory', 'logsDirectory'],
	agent: ['name', 'url', 'token', 'entra', 'proxy', 'format', 'cef', 'leef', 'syslog', 'dataTypes', 'pollIntervalSeconds', 'requestsPerMinute', 'settleSeconds', 'paused'],
	cef: ['timeFormat', 'includePri', 'includeSystemName'],
	leef: ['delimiter'],
	entra: ['tenantId', 'clientId', 'clientSecret', 'certificate', 'privateKey', 'authority'],
	syslog: ['protocol', 'host', 'port', 'maxMessageSize', 'framing', 'ca', 'cert', 'key', 'serverName', 'minVersion', 'window', 'tls'],
	tls: ['ca', 'cert', 'key', 'serverName', 'minVersion'],
	dataTypes: ['alerts', 'activities'],
	dataType: ['enabled', 'filters'],
} as const;

/**
 * Settings in a config file that siem-agent does not know, as paths (`agents[0].syslog.protocl`):
 * a typo there would otherwise be ignored without a word and the default used instead.
 */
export function unknownSettings(raw: unknown): string[] {
	const found: string[] = [];
	const check = (value: unknown, known: readonly string[], where: string): Record<string, unknown> | undefined => {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			return undefined;
		}

		for (const key of Object.keys(value)) {
			if (!known.includes(key)) {
				found.push(where === '' ? key : `${where}.${key}`);
			}
		}

		return value as Record<string, unknown>;
	};
	const top = check(raw, knownSettings.top, '');
	for (const [index, agent] of (Array.isArray(top?.agents) ? top.agents as unknown[] : []).entries()) {
		const where = `agents[${index}]`;
		const settings = check(agent, knownSettings.agent, where);
		check(settings?.cef, knownSettings.cef, `${where}.cef`);
		check(settings?.leef, knownSettings.leef, `${where}.leef`);
		check(settings?.entra, knownSettings.entra, `${where}.entra`);
		const syslog = check(settings?.syslog, knownSettings.syslog, `${where}.syslog`);
		check(syslog?.tls, knownSettings.tls, `${where}.syslog.tls`);
		const dataTypes = check(settings?.dataTypes, knownSettings.dataTypes, `${where}.dataTypes`);
		for (const dataType of knownSettings.dataTypes) {
			check(dataTypes?.[dataType], knownSettings.dataType, `${where}.dataTypes.${dataType}`);
		}
	}

	return found;
}

/** The file's content; an absent file reads as no agents (and is not created). */
export function readConfig(file?: string): FileConfig & {unknownSettings?: string[]} {
	const location = file ? path.resolve(file) : undefined;
	if (location && !existsSync(location)) {
		if (file) {
			return {agents: []};
		}
	}
	const store = open(file);
	const agents = store.get('agents') as unknown;
	if (agents !== undefined && !Array.isArray(agents)) {
		throw new AgentError('CONFIG_ERROR', `${store.path}: "agents" must be a list`);
	}
	for (const [index, agent] of (agents ?? []).entries()) {
		if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) {
			throw new AgentError('CONFIG_ERROR', `${store.path}: agents[${index}] must be an object`);
		}
	}
	return {...store.store, agents: ((agents ?? []) as Array<Partial<AgentConfig>>).map(agent => withDefaults(agent)), unknownSettings: unknownSettings(store.store)};
}

/**
 * An agent as written by hand, with every setting it leaves out at its default (schema.ts):
 * only name, url, token (or entra) and syslog's host need to be there. What is missing beyond
 * that is left for validateAgent to name.
 */
export function withDefaults(agent: Partial<AgentConfig>): AgentConfig {
	const syslog = agent.syslog as Partial<TransportConfig> | undefined;
	const protocol = syslog?.protocol ?? defaults.protocol;
	const data = (type: DataType): DataTypeSettings => ({enabled: agent.dataTypes?.[type]?.enabled ?? true, filters: agent.dataTypes?.[type]?.filters ?? {}});
	return {
		...agent,
		name: agent.name ?? '',
		url: agent.url ?? '',
		token: agent.token ?? '',
		format: agent.format ?? defaults.format,
		cef: {...defaults.cef, ...agent.cef},
		syslog: (syslog === undefined ? undefined : {
			...syslog,
			protocol,
			port: syslog.port ?? defaultPortOf(protocol),
			...(protocol === 'tcp' ? {framing: (syslog as {framing?: string}).framing ?? defaults.framing} : {}),
		}) as TransportConfig,
		dataTypes: {alerts: data('alerts'), activities: data('activities')},
		pollIntervalSeconds: agent.pollIntervalSeconds ?? defaults.pollIntervalSeconds,
		requestsPerMinute: agent.requestsPerMinute ?? defaults.requestsPerMinute,
		settleSeconds: agent.settleSeconds ?? defaults.settleSeconds,
		paused: agent.paused ?? false,
	};
}

/** Adds or replaces an agent (by `previousName`, else by its name). */
export function saveAgent(agent: AgentConfig, options: {file?: string; previousName?: string} = {}): void {
	const store = open(options.file);
	const agents = [...(store.get('agents') ?? [])];
	const key = options.previousName ?? agent.name;
	const index = agents.findIndex((a) => a.name === key);
	if (index === -1) {
		agents.push(agent);
	} else {
		agents[index] = agent;
	}
	store.set('agents', agents);
}

export function deleteAgent(name: string, options: {file?: string} = {}): void {
	const store = open(options.file);
	store.set('agents', (store.get('agents') ?? []).filter((a) => a.name !== name));
}
