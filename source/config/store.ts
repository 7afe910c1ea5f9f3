/**
 * The config file: read and written with conf (atomic writes, mode 0600), at the per-user
 * config location unless --config names a file. A broken file is an error with its path,
 * never silently reset.
 */
import Conf from 'conf';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {AgentError} from '../errors.ts';
import type {AgentConfig, FileConfig} from './schema.ts';

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

/** The file's content; an absent file reads as no agents (and is not created). */
export function readConfig(file?: string): FileConfig {
	const location = file ? path.resolve(file) : undefined;
	if (location && !existsSync(location)) {
		if (file) {
			return {agents: []};
		}
	}
	const store = open(file);
	const agents = store.get('agents');
	if (agents !== undefined && !Array.isArray(agents)) {
		throw new AgentError('CONFIG_ERROR', `${store.path}: "agents" must be a list`);
	}
	return {...store.store, agents: (agents ?? [])};
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
