/**
 * The interactive UI: the set-up wizard when there is no agent yet, the dashboard after. It
 * never imports the engine; everything arrives through AppDeps, so tests drive it with fakes.
 */
import process from 'node:process';
import {Box, render, Text, useApp, useInput} from 'ink';
import {useCallback, useEffect, useMemo, useState} from 'react';
import type {AgentConfig} from '../config/schema.ts';
import {Dashboard} from './dashboard/dashboard.tsx';
import type {AppDeps} from './deps.ts';
import {createSnapshotStore} from './snapshot-store.ts';
import {ThemeContext, themeFor} from './theme.ts';
import {Wizard} from './wizard/wizard.tsx';

export type {AppDeps} from './deps.ts';

type View =
	| {kind: 'dashboard'; selected?: string}
	| {kind: 'wizard'; editing?: AgentConfig}
	| {kind: 'quitting'};

/** Replaces the agent named `previousName` (or appends), keeping the table's order. */
function upsert(agents: readonly AgentConfig[], agent: AgentConfig, previousName?: string): AgentConfig[] {
	const index = agents.findIndex(candidate => candidate.name === (previousName ?? agent.name));
	return index === -1 ? [...agents, agent] : agents.with(index, agent);
}

export function App({deps}: {deps: AppDeps}) {
	const {exit} = useApp();
	const [agents, setAgents] = useState<readonly AgentConfig[]>(() => deps.config.agents);
	const [view, setView] = useState<View>(() => (deps.config.agents.length === 0 ? {kind: 'wizard'} : {kind: 'dashboard'}));
	const [store] = useState(createSnapshotStore);
	const theme = useMemo(() => themeFor(deps.env ?? process.env), [deps.env]);
	useEffect(() => deps.subscribe(store.push), [deps, store]);
	const [notice, setNotice] = useState(deps.notice);
	useEffect(() => {
		const unsubscribe = deps.watchNotice?.(setNotice);
		return () => {
			unsubscribe?.();
		};
	}, [deps]);

	const quit = useCallback(() => {
		setView({kind: 'quitting'});
		deps.quit().then(() => {
			exit();
		}, (error: unknown) => {
			exit(error instanceof Error ? error : new Error(String(error)));
		});
	}, [deps, exit]);

	// Ink's own Ctrl+C handling is off (see runApp) so that Ctrl+C stops the engine gracefully too.
	useInput((input, key) => {
		if (key.ctrl && input === 'c' && view.kind !== 'quitting') {
			quit();
		}
	});

	const onSave = useCallback(async (agent: AgentConfig, previousName?: string) => {
		await deps.saveAgent(agent, previousName);
		setAgents(current => upsert(current, agent, previousName));
		setView({kind: 'dashboard', selected: agent.name});
	}, [deps]);

	const now = useCallback(() => deps.now(), [deps]);
	let screen;
	switch (view.kind) {
		case 'quitting': {
			screen = <Text>Stopping: finishing the batch in flight and saving checkpoints…</Text>;
			break;
		}

		case 'wizard': {
			const {editing} = view;
			screen = (
				<Wizard
					initial={editing}
					sibling={editing ? undefined : agents.at(-1)}
					takenNames={agents.map(agent => agent.name).filter(name => name !== editing?.name)}
					deps={deps}
					cancelLabel={agents.length === 0 ? 'quit' : 'cancel'}
					onSave={agent => onSave(agent, editing?.name)}
					onCancel={() => {
						if (agents.length === 0) {
							quit();
						} else {
							setView({kind: 'dashboard', selected: editing?.name});
						}
					}}
				/>
			);
			break;
		}

		case 'dashboard': {
			screen = (
				<Dashboard
					agents={agents}
					forwardsHere={!notice}
					store={store}
					now={now}
					checkToken={deps.checkToken}
					initialSelected={view.selected}
					onEdit={name => {
						setView({kind: 'wizard', editing: agents.find(agent => agent.name === name)});
					}}
					onAdd={() => {
						setView({kind: 'wizard'});
					}}
					onDelete={async name => {
						await deps.deleteAgent(name);
						setAgents(current => current.filter(agent => agent.name !== name));
					}}
					onReplaceToken={async (name, token) => {
						const agent = agents.find(candidate => candidate.name === name);
						if (agent) {
							// An Entra ID app's new secret, or a new API token.
							const updated = agent.entra ? {...agent, entra: {...agent.entra, clientSecret: token}} : {...agent, token};
							await deps.saveAgent(updated, name);
							setAgents(current => upsert(current, updated, name));
						}
					}}
					onPause={(name, paused) => {
						deps.setPaused(name, paused);
						setAgents(current => current.map(agent => (agent.name === name ? {...agent, paused} : agent)));
					}}
					onQuit={quit}
				/>
			);
			break;
		}
	}

	return (
		<ThemeContext value={theme}>
			<Box flexDirection="column">
				{notice ? <Text color={theme.warn}>{notice}</Text> : null}
				{screen}
			</Box>
		</ThemeContext>
	);
}

/** Renders the UI on the terminal and resolves once the operator has quit and the engine stopped. */
export async function runApp(deps: AppDeps): Promise<void> {
	// The CLI only gets here with a terminal on stdin and stdout; a CI variable in the
	// environment (ink's is-in-ci) must not turn the dashboard into a final-frame-only print.
	// A terminal made narrower reflows the lines already drawn, so Ink's own erase (by its count of
	// lines) leaves pieces of old frames behind: clear the screen first, and Ink draws afresh.
	let columns = process.stdout.columns;
	const onResize = (): void => {
		if (process.stdout.columns < columns) {
			process.stdout.write('\u001B[2J\u001B[H');
		}

		columns = process.stdout.columns;
	};
	process.stdout.prependListener('resize', onResize);
	const instance = render(<App deps={deps} />, {exitOnCtrlC: false, interactive: true});
	try {
		await instance.waitUntilExit();
	} finally {
		process.stdout.off('resize', onResize);
	}
}
