/**
 * Everything the UI needs from the rest of the program, passed in as one object. The UI never
 * imports the engine: the CLI wires these to the engine worker, tests to fakes.
 */
import type {DataType} from '../cloud/types.ts';
import type {AgentConfig, EntraSettings} from '../config/schema.ts';
import type {EngineSnapshot} from '../engine/protocol.ts';
import type {TransportConfig} from '../transports/types.ts';

/** Outcome of a live check; `code` is a catalogue code (its remediation is shown). */
export type CheckResult = {ok: true} | {ok: false; code: string; message: string};

/** One record of a preview: its line (in the agent's format), and whether the filter lets it through. */
export interface PreviewLine {
	sent: boolean;
	line: string;
	/** Why it would not be sent. */
	reason?: string;
}

export type PreviewResult = {records: number; lines: PreviewLine[]} | {error: {code: string; message: string}};

export interface AppDeps {
	/** The agents in the config file when the UI starts. */
	config: {agents: AgentConfig[]};
	/** Calls `callback` with each engine snapshot (a few per second); returns the unsubscribe. */
	subscribe(callback: (snapshot: EngineSnapshot) => void): () => void;
	/** Persists the agent and applies it to the running engine; `previousName` when editing (renames included). */
	saveAgent(agent: AgentConfig, previousName?: string): Promise<void>;
	/** Removes the agent from the config, stops it, and removes its checkpoints. */
	deleteAgent(name: string): Promise<void>;
	setPaused(name: string, paused: boolean): void;
	/** Stops the engine gracefully (batch in flight finished, checkpoints saved). */
	quit(): Promise<void>;
	/** Asks the API whether the token (or, when `entra` is given, the Entra ID app) is accepted. */
	checkToken(url: string, token: string, proxy?: string, entra?: EntraSettings): Promise<CheckResult>;
	/** What the agent's filter for `dataType` would send now, as lines in the agent's format. */
	preview(agent: AgentConfig, dataType: DataType): Promise<PreviewResult>;
	/** Connects (and for TCP sends nothing harmful) to see whether the SIEM is reachable. */
	testSyslog(transport: TransportConfig): Promise<CheckResult>;
	/** Whether `host` resolves in DNS. */
	resolveHost(host: string): Promise<boolean>;
	/** Wall clock in epoch ms (tests pass a fixed one). */
	now(): number;
	/** A standing notice shown above every screen (e.g. that a running service applies the edits). */
	notice?: string;
	/** Follows changes of the notice (the service stopped, this window took over); returns the unsubscribe. */
	watchNotice?(listener: (notice: string | undefined) => void): () => void;
	/** System name shown in the wizard's example syslog header. @default 'myhost' */
	systemName?: string;
	/** Environment read for NO_COLOR. @default process.env */
	env?: Record<string, string | undefined>;
}
