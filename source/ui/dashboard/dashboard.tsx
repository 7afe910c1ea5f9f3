/**
 * The monitoring screen: the agents table, the selected agent's detail and its notifications,
 * and the keys. A reducer over engine snapshots; keys dispatch at once while snapshots arrive
 * as transitions, so typing never waits behind a render of fresh numbers.
 */
import {Box, Text, useInput, useWindowSize} from 'ink';
import {startTransition, useCallback, useEffect, useMemo} from 'react';
import type {AgentConfig} from '../../config/schema.ts';
import type {AppDeps} from '../deps.ts';
import type {SnapshotStore} from '../snapshot-store.ts';
import {useTheme} from '../theme.ts';
import {useSyncReducer} from '../use-sync-state.ts';
import {AgentDetail} from './agent-detail.tsx';
import {AgentsTable} from './agents-table.tsx';
import {ErrorsPanel} from './errors-panel.tsx';
import {buildRows, initialState, reduce, selectedName, type Mode} from './state.ts';
import {TokenPrompt} from './token-prompt.tsx';

export interface DashboardProps {
	/** Whether this window runs the agents itself (no service beside it): quitting then stops forwarding. @default true */
	forwardsHere?: boolean;
	agents: readonly AgentConfig[];
	store: SnapshotStore;
	now(): number;
	checkToken: AppDeps['checkToken'];
	/** Agent to select first (e.g. the one just saved). */
	initialSelected?: string;
	onEdit(name: string): void;
	onAdd(): void;
	onDelete(name: string): Promise<void>;
	onReplaceToken(name: string, token: string): Promise<void>;
	onPause(name: string, paused: boolean): void;
	onQuit(): void;
}

const noErrors: [] = [];
/** Narrower than this, nothing useful fits on a line. */
const minWidth = 40;

function KeyBar({mode, hasAgents, paused, forwardsHere}: {mode: Mode; hasAgents: boolean; paused: boolean; forwardsHere: boolean}) {
	const theme = useTheme();
	if (mode.kind === 'confirm-delete') {
		return (
			<Text>
				<Text color={theme.warn}>{`Delete agent "${mode.name}"? It stops and its checkpoints are removed. `}</Text>
				y delete · n keep
			</Text>
		);
	}

	// Quitting a window that runs the agents itself stops forwarding; say so where the key is.
	const quit = forwardsHere && hasAgents ? 'q quit (stops forwarding)' : 'q quit';
	const keys = hasAgents
		? ['↑↓ select', 'e edit', 'a add', 'd delete', 't token', `p ${paused ? 'resume' : 'pause'}`, quit]
		: ['a add', quit];
	return <Text color={theme.muted} wrap="truncate-end">{keys.join(' · ')}</Text>;
}

export function Dashboard(props: DashboardProps) {
	const {agents, store, now, onEdit, onAdd, onDelete, onReplaceToken, onPause, onQuit} = props;
	const theme = useTheme();
	const {columns, rows: height} = useWindowSize();
	// The terminal's own width: every line is cut to it rather than wrapped, so a narrow terminal
	// (or one made narrower) shows a shorter frame instead of a scrambled one.
	const width = Math.max(minWidth, columns);
	const [state, dispatch, latest] = useSyncReducer(reduce, () => initialState(store.get(), now(), props.initialSelected));
	useEffect(() => store.listen(snapshot => {
		startTransition(() => {
			dispatch({type: 'snapshot', snapshot, now: now()});
		});
	}), [store, now]);

	const rows = useMemo(() => buildRows(agents, state.snapshot), [agents, state.snapshot]);
	const names = useMemo(() => rows.map(row => row.name), [rows]);
	const selected = selectedName(state, names);
	const row = rows.find(candidate => candidate.name === selected);
	const setMode = useCallback((mode: Mode) => {
		dispatch({type: 'mode', mode});
	}, [dispatch]);

	useInput((input, key) => {
		// The latest state, not this render's: a second key in the same chunk sees the first one's effect.
		const {mode} = latest.current;
		const target = rows.find(candidate => candidate.name === selectedName(latest.current, names));
		if (mode.kind === 'token') {
			return;
		}

		if (mode.kind === 'confirm-delete') {
			if (input === 'y' || input === 'Y') {
				setMode({kind: 'browse'});
				onDelete(mode.name).catch((error: unknown) => {
					dispatch({type: 'message', message: `Could not delete "${mode.name}": ${error instanceof Error ? error.message : String(error)}`});
				});
			} else if (input === 'n' || input === 'N' || key.escape) {
				setMode({kind: 'browse'});
			}

			return;
		}

		if (key.upArrow || key.downArrow || input === 'k' || input === 'j') {
			dispatch({type: 'move', delta: key.upArrow || input === 'k' ? -1 : 1, names});
		} else if (input === 'a') {
			onAdd();
		} else if (input === 'q') {
			onQuit();
		} else if (target && input === 'e') {
			onEdit(target.name);
		} else if (target && input === 'd') {
			setMode({kind: 'confirm-delete', name: target.name});
		} else if (target && input === 't') {
			setMode({kind: 'token', name: target.name});
		} else if (target && input === 'p') {
			onPause(target.name, !target.paused);
		}
	}, {isActive: state.mode.kind !== 'token'});

	const tokenAgent = state.mode.kind === 'token' ? agents.find(agent => agent.name === (state.mode as {name: string}).name) : undefined;
	const detailLines = row?.snapshot ? 3 + row.snapshot.dataTypes.reduce((sum, data) => sum + (data.enabled ? 2 : 1), 0) : 2;
	const tableRows = Math.max(3, height - 16);
	const used = 1 + 1 + Math.min(rows.length, tableRows) + 1 + detailLines + 1 + 1 + (state.message ? 1 : 0) + 1;
	return (
		// No fixed width: Ink lays the frame out at the terminal's width the moment it changes, and
		// every line is cut to it, even before this component has heard of the new size.
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">{`SIEM agents (${rows.length})`}</Text>
			{rows.length === 0 ? (
				<Text>No agents yet. Press a to add one.</Text>
			) : (
				<AgentsTable rows={rows} selected={selected} now={state.now} width={width} maxRows={tableRows} />
			)}
			{row ? (
				<Box flexDirection="column" marginTop={1}>
					<AgentDetail row={row} now={state.now} width={width} />
					<ErrorsPanel errors={row.snapshot?.errors ?? noErrors} now={state.now} width={width} height={Math.max(2, height - used)} />
				</Box>
			) : null}
			{state.message ? <Text color={theme.error} wrap="truncate-end">{state.message}</Text> : null}
			{tokenAgent ? (
				<TokenPrompt
					agent={tokenAgent}
					checkToken={props.checkToken}
					onSubmit={async token => {
						await onReplaceToken(tokenAgent.name, token);
						setMode({kind: 'browse'});
					}}
					onCancel={() => {
						setMode({kind: 'browse'});
					}}
				/>
			) : (
				<KeyBar mode={state.mode} hasAgents={rows.length > 0} paused={row?.paused ?? false} forwardsHere={props.forwardsHere ?? true} />
			)}
		</Box>
	);
}
