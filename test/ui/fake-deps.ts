/**
 * AppDeps for tests: records every call and answers from a small script (which token is valid,
 * which hosts resolve, whether the SIEM answers). `emit` pushes an engine snapshot.
 */
import type {DataType} from '../../source/cloud/types.ts';
import type {AgentConfig, EntraSettings} from '../../source/config/schema.ts';
import type {EngineSnapshot} from '../../source/engine/protocol.ts';
import type {TransportConfig} from '../../source/transports/types.ts';
import type {AppDeps, CheckResult, PreviewResult} from '../../source/ui/deps.ts';

export interface FakeOptions {
	agents?: AgentConfig[];
	/** The token checkToken accepts. */
	validToken?: string;
	/** The Entra ID client secret checkToken accepts. */
	validSecret?: string;
	/** Host names resolveHost knows. */
	hosts?: string[];
	syslog?: CheckResult;
	preview?: PreviewResult;
	now?: number;
	env?: Record<string, string | undefined>;
}

export interface Calls {
	saveAgent: Array<{agent: AgentConfig; previousName?: string}>;
	deleteAgent: string[];
	setPaused: Array<{name: string; paused: boolean}>;
	quit: number;
	checkToken: Array<{url: string; token: string; proxy?: string; entra?: EntraSettings}>;
	preview: Array<{agent: AgentConfig; dataType: DataType}>;
	testSyslog: TransportConfig[];
	resolveHost: string[];
}

export function fakeDeps(options: FakeOptions = {}) {
	const calls: Calls = {saveAgent: [], deleteAgent: [], setPaused: [], quit: 0, checkToken: [], preview: [], testSyslog: [], resolveHost: []};
	const listeners = new Set<(snapshot: EngineSnapshot) => void>();
	const deps: AppDeps = {
		config: {agents: options.agents ?? []},
		subscribe(callback) {
			listeners.add(callback);
			return () => {
				listeners.delete(callback);
			};
		},
		async saveAgent(agent, previousName) {
			calls.saveAgent.push({agent, previousName});
		},
		async deleteAgent(name) {
			calls.deleteAgent.push(name);
		},
		setPaused(name, paused) {
			calls.setPaused.push({name, paused});
		},
		async quit() {
			calls.quit++;
		},
		async checkToken(url, token, proxy, entra) {
			calls.checkToken.push(entra ? {url, token, proxy, entra} : {url, token, proxy});
			if (entra) {
				return entra.certificate !== undefined || entra.clientSecret === (options.validSecret ?? 'good-secret-0123456789')
					? {ok: true}
					: {ok: false, code: 'INVALID_APP_CREDENTIALS', message: `Entra ID did not issue a token for the app (HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided; the secret ${entra.clientSecret} ...)`};
			}

			return token === (options.validToken ?? 'good-token-0123456789')
				? {ok: true}
				: {ok: false, code: 'INVALID_TOKEN', message: 'the service answered 401 Unauthorized'};
		},
		async preview(agent, dataType) {
			calls.preview.push({agent, dataType});
			return options.preview ?? {records: 0, lines: []};
		},
		async testSyslog(transport) {
			calls.testSyslog.push(transport);
			return options.syslog ?? {ok: true};
		},
		async resolveHost(host) {
			calls.resolveHost.push(host);
			return (options.hosts ?? ['siem.contoso.com']).includes(host);
		},
		now: () => options.now ?? Date.UTC(2024, 4, 1, 12, 0, 0),
		systemName: 'myhost',
		env: options.env ?? {},
	};
	return {
		deps,
		calls,
		emit(snapshot: EngineSnapshot) {
			for (const listener of listeners) {
				listener(snapshot);
			}
		},
		get listeners() {
			return listeners.size;
		},
	};
}
