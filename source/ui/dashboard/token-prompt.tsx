/**
 * Replacing an agent's token (`t`): a masked input, a live check against the API, then save.
 * For an agent that signs in as an Entra ID app, the same for its client secret. The
 * characters are never rendered; a failed check shows the catalogue remediation.
 */
import {Box, Text, useInput, type Key} from 'ink';
import {useEffect, useRef} from 'react';
import type {AgentConfig} from '../../config/schema.ts';
import type {AppDeps, CheckResult} from '../deps.ts';
import {NoticeLines} from '../notice-lines.tsx';
import {redact} from '../notice.ts';
import {editText, mask, splitKeys} from '../text-edit.ts';
import {useTheme} from '../theme.ts';
import {useSyncState} from '../use-sync-state.ts';

interface PromptState {
	token: string;
	/** The last token checked, and the answer once it came. */
	checked?: {token: string; result?: CheckResult};
	error?: string;
	busy: boolean;
}

interface Props {
	agent: AgentConfig;
	checkToken: AppDeps['checkToken'];
	/** Saves the agent with the new token. */
	onSubmit(token: string): Promise<void>;
	onCancel(): void;
}

export function TokenPrompt({agent, checkToken, onSubmit, onCancel}: Props) {
	const theme = useTheme();
	const [state, update, latest] = useSyncState<PromptState>(() => ({token: '', busy: false}));
	const {entra} = agent;
	const what = entra ? 'client secret' : 'token';
	const mounted = useRef(true);
	useEffect(() => () => {
		mounted.current = false;
	}, []);

	const submit = (value: string) => {
		update({busy: true});
		onSubmit(value).catch((error: unknown) => {
			if (mounted.current) {
				update({busy: false, error: redact(error instanceof Error ? error.message : String(error), value)});
			}
		});
	};

	const handleKey = (input: string, key: Key) => {
		const {token, checked, busy} = latest.current;
		if (busy) {
			return;
		}

		if (key.escape || (entra?.certificate && key.return)) {
			onCancel();
			return;
		}

		if (entra?.certificate) {
			return;
		}

		if (!key.return) {
			const next = editText(token, input, key);
			if (next !== undefined) {
				update({token: next, error: undefined});
			}

			return;
		}

		const value = token.trim();
		if (value === '') {
			update({error: entra ? 'Paste the new client secret first (app registration: Certificates & secrets, its Value).' : 'Paste the new token first (portal: Settings > API tokens).'});
		} else if (checked?.token === value && checked.result) {
			// Checked and refused: a second Enter saves anyway (e.g. the tenant is unreachable from here).
			submit(value);
		} else if (checked?.token !== value) {
			update({checked: {token: value}});
			(entra ? checkToken(agent.url, '', agent.proxy, {...entra, clientSecret: value}) : checkToken(agent.url, value, agent.proxy)).catch((error: unknown): CheckResult => ({ok: false, code: 'INTERNAL_ERROR', message: String(error)})).then(answer => {
				if (!mounted.current || latest.current.checked?.token !== value) {
					return;
				}

				const result: CheckResult = answer.ok ? answer : {...answer, message: redact(answer.message, value)};
				update({checked: {token: value, result}});
				if (result.ok) {
					submit(value);
				}
			});
		}
	};

	useInput((input, key) => {
		for (const typed of splitKeys(input, key)) {
			handleKey(typed.input, typed.key);
		}
	});

	const {token, checked, error, busy} = state;
	const answer = checked?.token === token.trim() ? checked.result : undefined;
	if (entra?.certificate) {
		return (
			<Box flexDirection="column">
				<Text bold>{`"${agent.name}" signs in as Entra ID app ${entra.clientId} with a certificate`}</Text>
				<Text>{`Certificate file: ${entra.certificate}. To rotate it, press e and give the new file (the agent restarts with it), or replace the file and restart siem-agent.`}</Text>
				<Text color={theme.muted}>Enter or Esc back</Text>
			</Box>
		);
	}

	return (
		<Box flexDirection="column">
			<Text bold>{entra ? `Replace the client secret of "${agent.name}" (Entra ID app ${entra.clientId})` : `Replace the API token of "${agent.name}"`}</Text>
			<Text>
				{entra ? 'New secret  ' : 'New token  '}
				{token === '' ? <Text dimColor>{`paste the ${what}`}</Text> : mask(token)}
				<Text inverse> </Text>
			</Text>
			{checked && checked.token === token.trim() && !answer ? <Text>{`Checking the ${what}…`}</Text> : null}
			{answer?.ok ? <Text color={theme.ok}>{`✓ ${what} accepted; saving…`}</Text> : null}
			{answer && !answer.ok ? <NoticeLines code={answer.code} message={answer.message} /> : null}
			{answer && !answer.ok && !busy ? <Text color={theme.warn}>Enter again to save it anyway · Esc cancel</Text> : null}
			{error ? <Text color={theme.error}>{`✗ ${error}`}</Text> : null}
			<Text color={theme.muted}>Enter check & save · Esc cancel</Text>
		</Box>
	);
}
