/**
 * Picks the formatter of an agent's format for one data type and adapts its output to what
 * the pipeline needs (the line, the record's id and times, and what was wrong with it).
 */
import type {ApiRecord, DataType} from '../cloud/types.ts';
import type {AgentConfig} from '../config/schema.ts';
import {createCefRecordFormatter} from '../formats/cef.ts';
import {version} from '../version.ts';
import type {Formatted} from './pipeline.ts';

export function createRecordFormatter(config: AgentConfig, dataType: DataType, context: {systemName: string; now: () => number}): (record: ApiRecord) => Formatted {
	const format = createCefRecordFormatter({
		dataType,
		portalUrl: config.url,
		agentVersion: version,
		timeFormat: config.cef.timeFormat,
		includePri: config.cef.includePri,
		includeSystemName: config.cef.includeSystemName,
		systemName: context.systemName,
		now: context.now,
	});
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
