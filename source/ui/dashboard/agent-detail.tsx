/**
 * The selected agent: API and SIEM state, then per data type its rate with a sparkline of the
 * last minutes, totals, lag, throttling and checkpoint window.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {AgentSnapshot, DataTypeSnapshot} from '../../engine/protocol.ts';
import {cell, dataTypeLabel, formatAgo, formatBytes, formatCount, formatDuration, formatLag, formatRate, formatWindow, pipelineLabel, sparkline, statusLabel} from '../format.ts';
import {useTheme} from '../theme.ts';
import type {AgentRow} from './state.ts';

const labelWidth = 12;
const stateWidth = 17;
const rateWidth = 9;

/** Where the agent reads and how it signs in, e.g. `contoso.portal.cloudappsecurity.com (Entra ID app 0b6c…)`. */
function apiTarget(config: AgentRow['config']): string {
	let host: string;
	try {
		host = new URL(config.url).host;
	} catch {
		host = config.url;
	}

	const app = config.entra?.clientId;
	return app === undefined ? `${host} (API token)` : `${host} (Entra ID app ${app.length > 8 ? `${app.slice(0, 8)}…` : app})`;
}

function ApiLine({api, target}: {api: AgentSnapshot['api']; target: string}) {
	const theme = useTheme();
	const requests = Object.values(api.requests).reduce((sum, count) => sum + count, 0);
	const colour = {unknown: undefined, connected: theme.ok, throttled: theme.warn, error: theme.error}[api.state];
	const state = api.state === 'throttled' ? 'throttled (waiting)' : (api.state === 'error' ? `error${api.lastErrorCode ? ` (${api.lastErrorCode})` : ''}` : api.state);
	return (
		<Text wrap="truncate-end">
			{cell('API', 6)}
			<Text color={colour}>{state}</Text>
			{` · ${formatCount(requests)} ${requests === 1 ? 'request' : 'requests'}${api.throttledMs > 0 ? ` · throttled ${formatDuration(api.throttledMs)} in all` : ''} · ${target}`}
		</Text>
	);
}

function SiemLine({sink}: {sink: AgentSnapshot['sink']}) {
	const theme = useTheme();
	const colour = {connecting: theme.warn, connected: theme.ok, down: theme.error}[sink.state];
	const state = sink.state === 'down' && sink.lastErrorCode ? `down (${sink.lastErrorCode})` : sink.state;
	return (
		<Text wrap="truncate-end">
			{cell('SIEM', 6)}
			{`${sink.protocol} ${sink.target} · `}
			<Text color={colour}>{state}</Text>
			{` · ${formatCount(sink.messagesSent)} ${sink.messagesSent === 1 ? 'message' : 'messages'}${sink.replayed ? ` (+${formatCount(sink.replayed)} sent again after reconnects)` : ''} · ${formatBytes(sink.bytesSent)}${sink.truncated > 0 ? ` · ${formatCount(sink.truncated)} truncated` : ''}`}
		</Text>
	);
}

function DataTypeLines({data, now, width}: {data: DataTypeSnapshot; now: number; width: number}) {
	const theme = useTheme();
	const label = cell(dataTypeLabel(data.dataType), labelWidth);
	if (!data.enabled || data.state === 'disabled') {
		return <Text wrap="truncate-end">{label}<Text dimColor>off</Text></Text>;
	}

	const totals = `  read ${formatCount(data.read)}  sent ${formatCount(data.sent)}${data.badRecords > 0 ? `  bad ${formatCount(data.badRecords)}` : ''}`;
	const sparkWidth = Math.max(8, Math.min(data.history.length || 8, width - 1 - labelWidth - stateWidth - rateWidth - totals.length));
	const warn = data.state === 'throttled' || data.state === 'waiting-for-siem' || data.state === 'api-error';
	const span = data.cursor ? `window ${formatWindow(data.cursor, now)}` : 'no checkpoint yet';
	const saved = data.checkpointSavedAt ? `, saved ${formatAgo(data.checkpointSavedAt, now)}` : '';
	const backlog = data.backlog ? ` · ~${formatCount(data.backlog)} left` : '';
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				{label}
				<Text color={warn ? theme.warn : undefined}>{cell(pipelineLabel(data.state), stateWidth)}</Text>
				{cell(formatRate(data.rate), rateWidth)}
				<Text color={theme.accent}>{sparkline(data.history, sparkWidth)}</Text>
				{totals}
			</Text>
			<Text wrap="truncate-end">{`${' '.repeat(labelWidth)}${lagText(data, now)} · ${span}${saved}${backlog}`}</Text>
		</Box>
	);
}

/**
 * How far behind the data type is. Caught up, the age of the newest event says only how long
 * the tenant has been quiet (alerts may be hours apart), so it is not called lag then.
 */
function lagText(data: DataTypeSnapshot, now: number): string {
	const age = formatLag(data.newestEventTime, now);
	return data.state === 'live' && age !== '–' ? `caught up · newest event ${age} ago` : `lag ${age}`;
}

interface Props {
	row: AgentRow;
	now: number;
	width: number;
}

export const AgentDetail = memo(function AgentDetail({row, now, width}: Props) {
	const theme = useTheme();
	const agent = row.snapshot;
	const title = `── ${row.name} · ${statusLabel(row.status)}${row.problem ? ` · ${row.problem}` : ''}${row.paused ? ' · paused (p resumes)' : ''} `;
	return (
		<Box flexDirection="column">
			<Text color={theme.accent} wrap="truncate-end">{title + '─'.repeat(Math.max(0, width - 1 - title.length))}</Text>
			{agent ? (
				<>
					<ApiLine api={agent.api} target={apiTarget(row.config)} />
					<SiemLine sink={agent.sink} />
					{agent.dataTypes.map(data => <DataTypeLines key={data.dataType} data={data} now={now} width={width} />)}
				</>
			) : (
				<Text dimColor>Waiting for the engine to report this agent…</Text>
			)}
		</Box>
	);
});
