/**
 * Picks the formatter of an agent's format for one data type and adapts its output to what
 * the pipeline needs (the line, the record's id and times, and what was wrong with it).
 */
import type {ApiRecord, DataType} from '../cloud/types.ts';
import type {AgentConfig} from '../config/schema.ts';
import {AgentError} from '../errors.ts';
import {createActivityBytesTranscoder, type ActivityBytesTranscoder} from '../formats/cef-activity-bytes.ts';
import {createCefRecordFormatter, type FormattedRecord} from '../formats/cef.ts';
import {createJsonRecordFormatter} from '../formats/json.ts';
import {createLeefRecordFormatter} from '../formats/leef.ts';
import {version} from '../version.ts';
import type {Formatted} from './pipeline.ts';

/** What every formatter of an agent is told about the header and the portal. */
function headerSettings(config: AgentConfig, systemName: string) {
	return {
		portalUrl: config.url,
		agentVersion: version,
		timeFormat: config.cef.timeFormat,
		includePri: config.cef.includePri,
		includeSystemName: config.cef.includeSystemName,
		systemName,
	};
}

/** Throws AgentError CONFIG_ERROR for an unknown format or invalid format settings. */
export function createRecordFormatter(config: AgentConfig, dataType: DataType, context: {systemName: string; now: () => number}): (record: ApiRecord) => Formatted {
	const options = {...headerSettings(config, context.systemName), dataType, now: context.now};
	let format: (record: ApiRecord) => FormattedRecord;
	switch (config.format) {
		case 'cef': {
			format = createCefRecordFormatter(options);
			break;
		}

		case 'leef': {
			format = createLeefRecordFormatter({...options, delimiter: config.leef?.delimiter});
			break;
		}

		case 'json': {
			format = createJsonRecordFormatter(options);
			break;
		}

		default: {
			throw new AgentError('CONFIG_ERROR', `format: "${String(config.format)}" is not cef, leef or json.`, {detail: {setting: 'format'}});
		}
	}

	return (record) => {
		const {message, event} = format(record);
		const created = record.created;
		return {
			line: message,
			id: event.externalId || undefined,
			time: event.time,
			created: typeof created === 'number' ? created : undefined,
			problems: event.problems,
		};
	};
}

/**
 * For CEF activities (nearly all of a backfill's volume): pieces of a page straight from JSON
 * bytes to CEF bytes, byte for byte what `format` makes of them (formats/cef-activity-bytes.ts).
 * Undefined for other formats and data types, with SIEM_AGENT_NO_TRANSCODER=1, and where the
 * runtime cannot run the module (no WebAssembly, as under node --jitless, or no memory for an
 * instance): the general path then formats everything, only slower. `format` is the record
 * formatter for the same settings, used for records that are not plain.
 */
export function createRecordTranscoder(config: AgentConfig, dataType: DataType, context: {systemName: string}, format: (record: ApiRecord) => Formatted): ActivityBytesTranscoder['transcode'] | undefined {
	if (config.format !== 'cef' || dataType !== 'activities' || process.env.SIEM_AGENT_NO_TRANSCODER === '1') {
		return undefined;
	}

	try {
		return createActivityBytesTranscoder({...headerSettings(config, context.systemName), format}).transcode;
	} catch (error) {
		if (error instanceof AgentError) {
			throw error;
		}

		return undefined;
	}
}
