/**
 * The agents table of the original portal: Name, Type, Status, Last connection, Notifications.
 * One Text per row keeps the tree small; it re-renders only when rows, selection or time change.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {AgentStatus} from '../../engine/protocol.ts';
import {cell, formatAgo, statusLabel} from '../format.ts';
import {useTheme, type Theme} from '../theme.ts';
import type {AgentRow} from './state.ts';

const widths = {type: 19, status: 17, last: 16, notifications: 13};

function statusColour(status: AgentStatus, paused: boolean, theme: Theme): string | undefined {
	if (paused) {
		return theme.warn;
	}

	return {created: undefined, connected: theme.ok, 'connection-error': theme.warn, disconnected: theme.error}[status];
}

interface Props {
	rows: readonly AgentRow[];
	selected?: string;
	now: number;
	width: number;
	/** Rows that fit; the window follows the selection. */
	maxRows: number;
}

export const AgentsTable = memo(function AgentsTable({rows, selected, now, width, maxRows}: Props) {
	const theme = useTheme();
	// The name gives way first (down to 10), then the columns on the right are cut off.
	const name = Math.max(10, Math.min(32, width - 1 - 2 - widths.type - widths.status - widths.last - widths.notifications));
	const index = Math.max(0, rows.findIndex(row => row.name === selected));
	const start = Math.min(Math.max(0, index - maxRows + 1), Math.max(0, rows.length - maxRows));
	const visible = rows.slice(start, start + Math.max(1, maxRows));
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{`  ${cell('Name', name)}${cell('Type', widths.type)}${cell('Status', widths.status)}${cell('Last connection', widths.last)}Notifications`}
			</Text>
			{visible.map(row => {
				const isSelected = row.name === selected;
				return (
					<Text key={row.name} bold={isSelected} wrap="truncate-end">
						<Text color={isSelected ? theme.accent : undefined}>{isSelected ? '› ' : '  '}</Text>
						{cell(row.name, name - 1).padEnd(name)}
						{cell(row.types, widths.type - 1).padEnd(widths.type)}
						<Text color={row.problem ? theme.error : statusColour(row.status, row.paused, theme)}>
							{cell(row.paused ? 'Paused' : (row.problem ?? statusLabel(row.status)), widths.status - 1).padEnd(widths.status)}
						</Text>
						{cell(formatAgo(row.lastConnectionAt, now), widths.last)}
						<Text color={row.notifications > 0 ? theme.warn : undefined}>{String(row.notifications)}</Text>
					</Text>
				);
			})}
			{rows.length > visible.length ? <Text dimColor>{`  ${rows.length - visible.length} more (↑/↓)`}</Text> : null}
		</Box>
	);
});
