/**
 * Picks the formatter of an agent's format for one data type and adapts its output to what
 * the pipeline needs (the line, the record's id and times, and what was wrong with it).
 */
import type {ApiRecord, DataType} from '../cloud/types.ts';
import type {AgentConfig} from '../config/schema.ts';
import {AgentError} from '../errors.ts';
import {canTranscode, createActivityBytesTranscoder} from '../formats/cef-activity-bytes.ts';
import {createCefRecordFormatter, type FormattedRecord} from '../formats/cef.ts';
import {MessageBatch} from '../transports/batch.ts';
import {createJsonRecordFormatter} from '../formats/json.ts';
import {createLeefRecordFormatter} from '../formats/leef.ts';
import {version} from '../version.ts';
import type {Formatted} from './pipeline.ts';
import type {PieceOutput} from './piece-format.ts';

/** Throws AgentError CONFIG_ERROR for an unknown format or invalid format settings. */
export function createRecordFormatter(config: AgentConfig, dataType: DataType, context: {systemName: string; now: () => number}): (record: ApiRecord) => Formatted {
	const options = {
		dataType,
		portalUrl: config.url,
		agentVersion: version,
		timeFormat: config.cef.timeFormat,
		includePri: config.cef.includePri,
		includeSystemName: config.cef.includeSystemName,
		systemName: context.systemName,
		now: context.now,
	};
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
 * bytes to CEF bytes, byte for byte what `format` makes of them (formats/cef-activity-bytes.ts);
 * undefined for other formats and data types, with SIEM_AGENT_NO_TRANSCODER=1 and where the
 * runtime cannot run the module (no WebAssembly, or no memory for an instance). `format` is the record formatter for the same settings, used for
 * records that are not plain.
 */
export function createRecordTranscoder(config: AgentConfig, dataType: DataType, context: {systemName: string}, format: (record: ApiRecord) => Formatted): ((bytes: Uint8Array, start: number, end: number) => (PieceOutput & {records: number; plain: number}) | undefined) | undefined {
	// Without WebAssembly (node --jitless) the general path does everything, only slower.
	if (config.format !== 'cef' || dataType !== 'activities' || process.env.SIEM_AGENT_NO_TRANSCODER === '1' || !canTranscode()) {
		return undefined;
	}

	let transcoder: ReturnType<typeof createActivityBytesTranscoder>;
	try {
		transcoder = createActivityBytesTranscoder({
			agentVersion: version,
			portalUrl: config.url,
			timeFormat: config.cef.timeFormat,
			includePri: config.cef.includePri,
			includeSystemName: config.cef.includeSystemName,
			systemName: context.systemName,
			format,
			cleanLine: line => MessageBatch.run([line]),
		});
	} catch (error) {
		if (error instanceof AgentError) {
			throw error;
		}

		// The runtime could not set the module up (no memory for it, say): the general path
		// formats everything, only slower.
		return undefined;
	}

	return (bytes, start, end) => transcoder.transcode(bytes, start, end);
}
