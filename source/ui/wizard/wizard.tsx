/**
 * The set-up wizard (SPEC §1): General, Remote syslog, Data types, Connection. Enter goes on
 * (after the step's checks pass), Esc goes back, Tab/↑/↓ move between fields. Used to add an
 * agent and, prefilled, to edit one.
 */
import {Box, Text, useInput, useWindowSize, type Key} from 'ink';
import {useEffect, useRef} from 'react';
import type {DataType} from '../../cloud/types.ts';
import type {AgentConfig} from '../../config/schema.ts';
import type {AppDeps, CheckResult} from '../deps.ts';
import {redact} from '../notice.ts';
import {splitKeys} from '../text-edit.ts';
import {useTheme} from '../theme.ts';
import {useSyncState} from '../use-sync-state.ts';
import {checkDone, checkPassed, ConnectionPanel, type ConnectionCheck} from './connection-panel.tsx';
import {DataTypesPanel, type PreviewState} from './data-types-panel.tsx';
import {exampleHeader, exampleNote} from './example-header.ts';
import {applyFieldKey} from './field-keys.ts';
import {FieldRow} from './field-row.tsx';
import {fieldsFor, liveErrors, steps, type InputField, type StepId} from './fields.ts';
import {agentFromForm, entraFromForm, formFromAgent, transportFromForm, type WizardForm} from './form.ts';
import {syslogNote, transportLabel} from './syslog-fields.ts';
import {isIpAddress, validateHost} from './validate.ts';

export type WizardDeps = Pick<AppDeps, 'checkToken' | 'testSyslog' | 'preview' | 'resolveHost' | 'systemName'>;

export interface WizardProps {
	/** The agent to edit; a new agent when absent. */
	initial?: AgentConfig;
	/** For a new agent: one already configured, whose portal URL and proxy it starts with. */
	sibling?: AgentConfig;
	/** Names already in use (the edited agent's own name excluded). */
	takenNames: readonly string[];
	deps: WizardDeps;
	/** Saves the agent; a rejection is shown and the wizard stays open. */
	onSave(agent: AgentConfig): Promise<void>;
	/** Esc on the first step. */
	onCancel(): void;
	/** What Esc on the first step does, for the key hints. @default 'cancel' */
	cancelLabel?: string;
}

interface HostCheck {
	host: string;
	state: 'checking' | 'ok' | 'fail';
}

interface WizardState {
	stepIndex: number;
	form: WizardForm;
	/** Index among the step's input fields. */
	focus: number;
	/** Position inside a checklist. */
	cursor: number;
	/** Steps on which Enter was pressed: their empty fields now show errors too. */
	attempted: Partial<Record<StepId, boolean>>;
	hostCheck?: HostCheck;
	preview?: PreviewState;
	check?: ConnectionCheck;
	saving: boolean;
	saveError?: string;
	/** Esc on the first step after edits: one more Esc discards them. */
	confirmCancel?: boolean;
}

function failure(error: unknown): CheckResult {
	return {ok: false, code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error)};
}

/** What the screen shows for a state: the step, its fields, the focused one and the errors. */
function derive(state: WizardState, takenNames: readonly string[]) {
	const step = steps[state.stepIndex].id;
	const {form, hostCheck} = state;
	const fields = fieldsFor(step, form);
	const inputs = fields.filter((field): field is InputField => field.kind !== 'heading');
	const focusIndex = Math.min(state.focus, inputs.length - 1);
	const errors = liveErrors(step, form, takenNames, state.attempted[step] ?? false);
	if (step === 'syslog' && !errors['host'] && hostCheck?.host === form.host.trim() && hostCheck.state === 'fail') {
		errors['host'] = `Cannot resolve "${hostCheck.host}": check the name, or enter an IP address.`;
	}

	return {step, fields, inputs, focusIndex, focused: inputs[focusIndex], errors};
}

export function Wizard({initial, sibling, takenNames, deps, onSave, onCancel, cancelLabel = 'cancel'}: WizardProps) {
	const theme = useTheme();
	const {columns, rows} = useWindowSize();
	const [state, update, latest] = useSyncState<WizardState>(() => ({
		stepIndex: 0, form: formFromAgent(initial, sibling), focus: 0, cursor: 0, attempted: {}, saving: false,
	}));
	const mounted = useRef(true);
	useEffect(() => () => {
		mounted.current = false;
	}, []);

	const go = (stepIndex: number) => {
		update({stepIndex, focus: 0, cursor: 0, check: undefined});
	};

	const resolve = (host: string, advance: boolean) => {
		update({hostCheck: {host, state: 'checking'}});
		deps.resolveHost(host).catch(() => false).then(ok => {
			const current = latest.current;
			if (!mounted.current || current.form.host.trim() !== host) {
				return;
			}

			update({hostCheck: {host, state: ok ? 'ok' : 'fail'}});
			if (ok && advance && steps[current.stepIndex].id === 'syslog') {
				go(current.stepIndex + 1);
			}
		});
	};

	const runPreview = (dataType: DataType) => {
		const {form} = latest.current;
		const signedIn = form.signIn === 'entra'
			? form.tenantId.trim() !== '' && form.clientId.trim() !== '' && (form.entraCredential === 'certificate' ? form.certificateFile.trim() !== '' : form.clientSecret.trim() !== '')
			: form.token.trim() !== '';
		if (form.url.trim() === '' || !signedIn) {
			update({preview: {dataType, blocked: `it asks the API, so fill in the portal URL and ${form.signIn === 'entra' ? 'the Entra ID app' : 'token'} first (step 4), then come back with Esc.`}});
			return;
		}

		const request: PreviewState = {dataType};
		update({preview: request});
		deps.preview(agentFromForm(form, initial), dataType)
			.catch((error: unknown) => ({error: {code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error)}}))
			.then(result => {
				// A newer preview or an edit replaced this request meanwhile.
				if (mounted.current && latest.current.preview === request) {
					update({preview: {dataType, result}});
				}
			});
	};

	const save = () => {
		const {form} = latest.current;
		update({saving: true, saveError: undefined});
		onSave(agentFromForm(form, initial)).catch((error: unknown) => {
			if (mounted.current) {
				update({saving: false, saveError: redact(redact(error instanceof Error ? error.message : String(error), form.token), form.clientSecret)});
			}
		});
	};

	const connect = () => {
		const {form, check} = latest.current;
		const transport = transportFromForm(form, initial?.syslog);
		const proxy = form.proxy.trim() || undefined;
		const entra = entraFromForm(form);
		const token = entra ? '' : form.token.trim();
		const signature = JSON.stringify([form.url.trim(), token, entra, proxy, transport]);
		if (check?.signature === signature) {
			// A second Enter after a failed check saves anyway (e.g. the SIEM is not up yet).
			if (checkDone(check)) {
				save();
			}

			return;
		}

		update({check: {signature}});
		const settle = (part: 'api' | 'siem') => (result: CheckResult): CheckResult => {
			const clean: CheckResult = result.ok ? result : {...result, message: redact(redact(result.message, token), entra?.clientSecret)};
			const current = latest.current.check;
			if (mounted.current && current?.signature === signature) {
				update({check: {...current, [part]: clean}});
			}

			return clean;
		};

		Promise.all([
			deps.checkToken(form.url.trim().replace(/\/+$/, ''), token, proxy, entra).catch(failure).then(settle('api')),
			deps.testSyslog(transport).catch(failure).then(settle('siem')),
		]).then(([api, siem]) => {
			if (mounted.current && latest.current.check?.signature === signature && api.ok && siem.ok) {
				save();
			}
		});
	};

	const submit = () => {
		const current = latest.current;
		const {step} = derive(current, takenNames);
		if (Object.keys(liveErrors(step, current.form, takenNames, true)).length > 0) {
			update({attempted: {...current.attempted, [step]: true}});
			return;
		}

		if (step === 'syslog') {
			const host = current.form.host.trim();
			const {hostCheck} = current;
			if (isIpAddress(host) || (hostCheck?.host === host && hostCheck.state === 'ok')) {
				go(current.stepIndex + 1);
			} else if (!(hostCheck?.host === host && hostCheck.state === 'checking')) {
				resolve(host, true);
			}
		} else if (step === 'connection') {
			connect();
		} else {
			go(current.stepIndex + 1);
		}
	};

	const move = (delta: number) => {
		const current = latest.current;
		const {inputs, focusIndex, focused} = derive(current, takenNames);
		const host = current.form.host.trim();
		if (focused?.id === 'host' && !validateHost(host) && !isIpAddress(host) && current.hostCheck?.host !== host) {
			// Leaving the host field checks it, so a typo shows before Enter.
			resolve(host, false);
		}

		update({focus: Math.min(inputs.length - 1, Math.max(0, focusIndex + delta)), cursor: 0});
	};

	const handleKey = (input: string, key: Key) => {
		const current = latest.current;
		if (current.saving) {
			return;
		}

		const {step, focused} = derive(current, takenNames);
		if (current.confirmCancel && !key.escape) {
			update({confirmCancel: false});
		}

		if (key.escape) {
			if (current.stepIndex !== 0) {
				go(current.stepIndex - 1);
			} else if (current.confirmCancel || JSON.stringify(current.form) === JSON.stringify(formFromAgent(initial, sibling))) {
				onCancel();
			} else {
				// What was typed over four steps is not thrown away by one Esc too many.
				update({confirmCancel: true});
			}
		} else if (key.return) {
			submit();
		} else if (key.tab || key.upArrow || key.downArrow) {
			move(key.upArrow || (key.tab && key.shift) ? -1 : 1);
		} else if (key.ctrl && input === 'p' && step === 'data-types') {
			runPreview(focused?.dataType ?? 'alerts');
		} else if (focused) {
			const edit = applyFieldKey(focused, current.form, input, key, current.cursor);
			if (edit && edit.form !== current.form) {
				// Any edit makes earlier previews, checks and save errors stale.
				update({form: edit.form, cursor: edit.cursor, preview: undefined, check: undefined, saveError: undefined});
			} else if (edit) {
				update({cursor: edit.cursor});
			}
		}
	};

	useInput((input: string, key: Key) => {
		for (const typed of splitKeys(input, key)) {
			handleKey(typed.input, typed.key);
		}
	});

	const {form, stepIndex, cursor, hostCheck, preview, check, saving, saveError} = state;
	const {step, fields, focused, errors} = derive(state, takenNames);
	const agent = step === 'data-types' ? agentFromForm(form, initial) : undefined;
	const last = stepIndex === steps.length - 1;
	const example = step === 'general' ? exampleHeader(form, deps.systemName) : undefined;
	const note = step === 'general' ? exampleNote(form) : (step === 'syslog' ? syslogNote(form) : undefined);
	const hints = [
		last ? 'Enter check & save' : 'Enter next',
		`Esc ${stepIndex === 0 ? cancelLabel : 'back'}`,
		'Tab/↑↓ field',
		'←→/Space change',
		...(step === 'data-types' ? ['Ctrl+P preview'] : []),
	];
	return (
		<Box flexDirection="column">
			<Text bold>{`${initial ? `Edit agent "${initial.name}"` : 'Add SIEM agent'} · step ${stepIndex + 1} of ${steps.length}: ${steps[stepIndex].title}`}</Text>
			<Text>
				{steps.map((candidate, index) => (
					<Text key={candidate.id} color={index === stepIndex ? theme.accent : theme.muted} bold={index === stepIndex}>
						{`${index > 0 ? ' › ' : ''}${index + 1} ${candidate.title}`}
					</Text>
				))}
			</Text>
			<Text> </Text>
			{fields.map(field => (
				<FieldRow key={field.id} field={field} form={form} focused={field === focused} cursor={cursor} error={errors[field.id]} />
			))}
			<Text> </Text>
			{example === undefined ? null : (
				// A header too long for the label's line gets its own, so it breaks at most once.
				`Example header: ${example}`.length <= columns
					? <Text>{`Example header: ${example}`}</Text>
					: <Box flexDirection="column"><Text>Example header:</Text><Text>{`  ${example}`}</Text></Box>
			)}
			{note ? <Text color={step === 'syslog' ? theme.warn : theme.muted}>{note}</Text> : null}
			{step === 'syslog' && hostCheck?.state === 'checking' && hostCheck.host === form.host.trim() ? <Text>{`Resolving ${hostCheck.host}…`}</Text> : null}
			{step === 'data-types' && agent ? <DataTypesPanel agent={agent} preview={preview} width={columns} maxLines={Math.max(3, rows - 18)} /> : null}
			{errors['step'] ? <Text color={theme.error}>{`✗ ${errors['step']}`}</Text> : null}
			{last ? <ConnectionPanel check={check} apiOk={form.signIn === 'entra' ? 'Entra ID app accepted' : 'token accepted'} target={`${transportLabel(form)} ${form.host.trim()}:${form.port.trim()}`} /> : null}
			{last && checkDone(check) && !checkPassed(check) && !saving ? <Text color={theme.warn}>Enter again to save anyway, or fix the settings (Esc goes back).</Text> : null}
			{saving ? <Text>Saving…</Text> : null}
			{saveError ? <Text color={theme.error}>{`✗ Could not save: ${saveError}`}</Text> : null}
			{state.confirmCancel ? <Text color={theme.warn}>{`Esc again discards ${initial ? 'these changes' : 'this agent'}; any other key keeps editing.`}</Text> : null}
			<Text color={theme.muted}>{hints.join(' · ')}</Text>
		</Box>
	);
}
