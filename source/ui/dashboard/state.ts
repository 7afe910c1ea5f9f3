/**
 * The dashboard as a reducer: engine snapshots and key presses in, what to show out. Rows are
 * derived from the config (what the operator set up) joined with the newest snapshot (what
 * the engine reports), so an agent the engine has not reported yet still has a row.
 */
import type {AgentConfig} from '../../config/schema.ts';
import type {AgentSnapshot, AgentStatus, EngineSnapshot} from '../../engine/protocol.ts';
import {typesLabel} from '../format.ts';

export interface AgentRow {
	name: string;
	config: AgentConfig;
	snapshot?: AgentSnapshot;
	status: AgentStatus;
	paused: boolean;
	/** Enabled data types, e.g. `Alerts, Activities`. */
	types: string;
	lastConnectionAt?: number;
	/** Distinct recent errors. */
	notifications: number;
	/** What is wrong right now, for the Status column (`SIEM down`, `API error`), if anything. */
	problem?: string;
}

/** One row per configured agent, in config order. */
export function buildRows(agents: readonly AgentConfig[], snapshot: EngineSnapshot | undefined): AgentRow[] {
	const byName = new Map(snapshot?.agents.map(agent => [agent.name, agent]));
	return agents.map(config => {
		const agent = byName.get(config.name);
		return {
			name: config.name,
			config,
			snapshot: agent,
			status: agent?.status ?? 'created',
			// The config holds the operator's latest choice; the snapshot catches up within a tick.
			paused: config.paused,
			types: typesLabel(config),
			lastConnectionAt: agent?.lastConnectionAt,
			notifications: agent?.errors.length ?? 0,
			problem: problemOf(agent),
		};
	});
}

export type Mode = {kind: 'browse'} | {kind: 'confirm-delete'; name: string} | {kind: 'token'; name: string};

export interface DashboardState {
	snapshot?: EngineSnapshot;
	/** Wall clock at the last snapshot; relative times and lag are computed against it. */
	now: number;
	selected?: string;
	mode: Mode;
	/** One line of feedback, e.g. a failed delete. */
	message?: string;
}

export type DashboardAction =
	| {type: 'snapshot'; snapshot: EngineSnapshot; now: number}
	| {type: 'move'; delta: number; names: readonly string[]}
	| {type: 'select'; name?: string}
	| {type: 'mode'; mode: Mode}
	| {type: 'message'; message?: string};

export function initialState(snapshot: EngineSnapshot | undefined, now: number, selected?: string): DashboardState {
	return {snapshot, now, selected, mode: {kind: 'browse'}};
}

/** The selected name, falling back to the first row when the selection is gone. */
export function selectedName(state: DashboardState, names: readonly string[]): string | undefined {
	return state.selected !== undefined && names.includes(state.selected) ? state.selected : names[0];
}

export function reduce(state: DashboardState, action: DashboardAction): DashboardState {
	switch (action.type) {
		case 'snapshot': {
			return {...state, snapshot: action.snapshot, now: action.now};
		}

		case 'move': {
			if (action.names.length === 0) {
				return state;
			}

			const current = Math.max(0, action.names.indexOf(selectedName(state, action.names)!));
			const next = Math.min(action.names.length - 1, Math.max(0, current + action.delta));
			return {...state, selected: action.names[next], message: undefined};
		}

		case 'select': {
			return {...state, selected: action.name};
		}

		case 'mode': {
			return {...state, mode: action.mode, message: undefined};
		}

		case 'message': {
			return {...state, message: action.message};
		}
	}
}

const refused: Record<string, string> = {INVALID_TOKEN: 'Token refused', INVALID_APP_CREDENTIALS: 'App refused'};

/** The status the original portal's column cannot show: an API or a SIEM failing now. */
function problemOf(agent: AgentSnapshot | undefined): string | undefined {
	if (!agent || agent.paused) {
		return undefined;
	}

	if (agent.api.state === 'error') {
		return refused[agent.api.lastErrorCode ?? ''] ?? 'API error';
	}

	if (agent.sink.stalledSince !== undefined) {
		return 'SIEM not reading';
	}

	return agent.sink.state === 'down' ? 'SIEM down' : undefined;
}
