/**
 * The `/healthz` verdict, a pure function of the latest engine snapshot: healthy when every
 * running agent has its API answering and its syslog server taking data.
 */
import type {AgentSnapshot, EngineSnapshot} from '../engine/protocol.ts';

/** A snapshot older than this means the engine stopped reporting (it sends one every 250 ms). */
export const staleSnapshotMs = 15_000;

export interface AgentHealth {
	agent: string;
	status: 'ok' | 'paused' | 'unhealthy';
	api: AgentSnapshot['api']['state'];
	siem: AgentSnapshot['sink']['state'];
	/** Why the agent is unhealthy; absent when it is not. */
	reason?: string;
}

export interface Health {
	/** 200 or 503. */
	statusCode: number;
	body: {status: 'ok'} | {status: 'starting' | 'unavailable'; reason?: string; agents?: AgentHealth[]};
}

/**
 * Judges one agent. A paused agent pulls nothing by choice and does not count against health.
 * A syslog connection not yet opened (no data to send so far) is not a failure; one that
 * failed is, until it works again.
 */
export function agentHealth(agent: AgentSnapshot): AgentHealth {
	const base = {agent: agent.name, api: agent.api.state, siem: agent.sink.state};
	if (agent.paused) {
		return {...base, status: 'paused'};
	}
	const reasons: string[] = [];
	if (agent.api.state === 'unknown') {
		reasons.push('no answer from the API yet');
	} else if (agent.api.state === 'error') {
		reasons.push(`the API is failing (${agent.api.lastErrorCode ?? 'unknown error'})`);
	}
	const sinkFailed = agent.sink.state === 'down'
		|| (agent.sink.state === 'connecting' && agent.sink.lastErrorCode !== undefined)
		|| agent.dataTypes.some((dataType) => dataType.state === 'waiting-for-siem');
	if (sinkFailed) {
		reasons.push(`syslog server ${agent.sink.target} is not taking data (${agent.sink.lastErrorCode ?? agent.sink.state})`);
	}
	return reasons.length === 0 ? {...base, status: 'ok'} : {...base, status: 'unhealthy', reason: reasons.join('; ')};
}

/** The verdict for the whole process. `now` is epoch ms. */
export function healthOf(snapshot: EngineSnapshot | undefined, now: number): Health {
	if (!snapshot) {
		return {statusCode: 503, body: {status: 'starting', reason: 'the engine has not reported yet'}};
	}
	if (now - snapshot.time > staleSnapshotMs) {
		return {statusCode: 503, body: {status: 'unavailable', reason: `the engine has not reported for ${Math.round((now - snapshot.time) / 1000)} s`}};
	}
	if (snapshot.agents.length === 0) {
		return {statusCode: 503, body: {status: 'unavailable', reason: 'no agent is running'}};
	}
	const agents = snapshot.agents.map((agent) => agentHealth(agent));
	if (agents.every((agent) => agent.status !== 'unhealthy')) {
		return {statusCode: 200, body: {status: 'ok'}};
	}
	return {statusCode: 503, body: {status: 'unavailable', agents}};
}
