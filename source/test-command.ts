/**
 * `siem-agent test`: one test message per agent to its syslog server, and, when a token is
 * configured, one cheap API call. Prints a line per check; exit 0 only when all passed.
 */
import os from 'node:os';
import {createCloudClient} from './cloud/client.ts';
import {resolveAgents, validateAgent, type AgentFlags} from './config/resolve.ts';
import type {AgentConfig} from './config/schema.ts';
import {readConfig} from './config/store.ts';
import {catalogue, exitCodeOf, serializeError} from './errors.ts';
import {createRecordFormatter} from './engine/record-formatter.ts';
import {createSink} from './transports/index.ts';
import type {TransportConfig} from './transports/types.ts';

/**
 * A test event in the agent's own format and header settings (CEF, LEEF or JSON), made by the
 * same formatter as real events, so the SIEM's parser sees exactly what real alerts look like.
 */
export function testMessage(agent: AgentConfig, now: number, systemName: string): string {
	const record = {
		_id: `siem-agent-test-${now}`,
		timestamp: now,
		alertType: 'SIEM_AGENT_TEST',
		title: 'siem-agent test message',
		description: `Test message from siem-agent agent ${agent.name}; no action needed`,
		severityValue: 3,
		entities: [],
	};
	return createRecordFormatter({...agent, url: agent.url || 'https://test.invalid'}, 'alerts', {systemName, now: () => now})(record).line;
}

/** Sends one message and closes; resolves with undefined on success or the coded error. */
export async function sendTestMessage(transport: TransportConfig, message: string): Promise<{code: string; message: string} | undefined> {
	const sink = createSink(transport, {connectTimeoutMs: 5000});
	try {
		await sink.send([message]);
		return undefined;
	} catch (error) {
		const e = serializeError(error);
		return {code: e.code, message: e.message};
	} finally {
		await sink.close();
	}
}

export async function runTest(flags: AgentFlags & {config?: string}): Promise<number> {
	const agents = resolveAgents(readConfig(flags.config), flags);
	if (agents.length === 0) {
		process.stderr.write('siem-agent test: no agent configured; pass --syslog (and --url/--token to check the API too), or set one up with siem-agent\n');
		return 2;
	}
	let worst = 0;
	for (const agent of agents) {
		const target = `${agent.syslog.host}:${agent.syslog.port}/${agent.syslog.protocol}`;
		if (agent.syslog.host) {
			const failure = await sendTestMessage(agent.syslog, testMessage(agent, Date.now(), os.hostname()));
			if (failure) {
				worst = Math.max(worst, 1);
				process.stdout.write(`✗ ${agent.name}: syslog ${target}: ${failure.message}\n  ${oneCheck(catalogue[failure.code as keyof typeof catalogue]?.remediation ?? '')}\n`);
			} else {
				process.stdout.write(`✓ ${agent.name}: syslog ${target}: test message sent${agent.syslog.protocol === 'udp' ? ' (UDP cannot confirm delivery; check the SIEM)' : ''}\n`);
			}
		}
		if (agent.url && (agent.token || agent.entra)) {
			try {
				validateAgent(agent);
				const client = createCloudClient({url: agent.url, token: agent.token, entra: agent.entra, proxy: agent.proxy, maxRetries: 1});
				try {
					await client.query('alerts', {limit: 1});
				} finally {
					await client.close();
				}
				process.stdout.write(`✓ ${agent.name}: API ${new URL(agent.url).origin}: ${agent.entra ? 'Entra ID app' : 'token'} accepted\n`);
			} catch (error) {
				const e = serializeError(error);
				worst = Math.max(worst, exitCodeOf(e.code));
				process.stdout.write(`✗ ${agent.name}: API: ${e.message}\n  ${oneCheck(catalogue[e.code].remediation)}\n`);
			}
		}
	}
	return worst;
}

/**
 * A remediation as advice for a one-off check: without what a running agent does meanwhile
 * (retrying, pausing the pull), which the catalogue's texts also say for the daemon's log.
 */
export function oneCheck(remediation: string): string {
	return remediation
		.replace(/\s*Pulling from the API is paused until the SIEM is reachable again; nothing is lost\./, '')
		.replace(/\s*The agent retries with backoff; nothing is lost\./, '')
		.replace(/\s*The agent retries with backoff\./, '')
		.replace(/The agent retries with backoff; if it persists check/, 'If it persists, check')
		.replace(/The agent retries the same page; if it persists,/, 'If it persists,');
}
