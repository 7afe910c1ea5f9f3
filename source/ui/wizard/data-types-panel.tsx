/**
 * Under the data-type fields: the filter each data type will use (the API filter object, in
 * words) and the preview of what it would send.
 */
import {Box, Text} from 'ink';
import type {DataType} from '../../cloud/types.ts';
import type {AgentConfig} from '../../config/schema.ts';
import type {PreviewResult} from '../deps.ts';
import {dataTypeLabel, truncate} from '../format.ts';
import {useTheme} from '../theme.ts';
import {describeFilters} from './filters.ts';
import {NoticeLines} from '../notice-lines.tsx';


export interface PreviewState {
	dataType: DataType;
	/** Undefined while the request runs. */
	result?: PreviewResult;
	/** Set when the preview cannot run yet (no URL or token). */
	blocked?: string;
}

interface Props {
	agent: AgentConfig;
	preview?: PreviewState;
	width: number;
	/** Preview lines shown at most; the rest are counted. */
	maxLines: number;
}

function Preview({preview, width, maxLines}: {preview: PreviewState; width: number; maxLines: number}) {
	const theme = useTheme();
	const title = `Preview of ${preview.dataType}`;
	if (preview.blocked) {
		return <Text>{`${title}: ${preview.blocked}`}</Text>;
	}

	const {result} = preview;
	if (!result) {
		return <Text>{`${title}: asking the API…`}</Text>;
	}

	if ('error' in result) {
		return (
			<Box flexDirection="column">
				<Text>{`${title} failed:`}</Text>
				<NoticeLines prefix="  " code={result.error.code} message={result.error.message} />
			</Box>
		);
	}

	const sent = result.lines.filter(line => line.sent).length;
	const shown = result.lines.slice(0, maxLines);
	return (
		<Box flexDirection="column">
			<Text>{`${title}: ${result.records} records read, ${sent} of ${result.lines.length} shown would be sent`}</Text>
			{shown.map((line, index) => (
				<Text key={index} color={line.sent ? undefined : theme.muted}>
					{truncate(line.sent ? `  ✓ ${line.line}` : `  ✗ ${line.reason ? `${line.reason}: ` : ''}${line.line}`, width)}
				</Text>
			))}
			{result.lines.length > shown.length ? <Text dimColor>{`  … ${result.lines.length - shown.length} more`}</Text> : null}
		</Box>
	);
}

export function DataTypesPanel({agent, preview, width, maxLines}: Props) {
	const types = (['alerts', 'activities'] as const).filter(type => agent.dataTypes[type].enabled);
	return (
		<Box flexDirection="column">
			{types.map(type => (
				<Text key={type} wrap="truncate-end">{`Apply to ${dataTypeLabel(type).toLowerCase()}: ${describeFilters(type, agent.dataTypes[type].filters)}`}</Text>
			))}
			{preview ? <Preview preview={preview} width={width} maxLines={maxLines} /> : null}
		</Box>
	);
}
