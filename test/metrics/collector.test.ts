/**
 * The collector against fixed snapshots: exact exposition lines, since dashboards and alert
 * rules depend on names, labels and units.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {EngineSnapshot} from '../../source/engine/protocol.ts';
import {createMetricsRegistry} from '../../source/metrics/collector.ts';
import {version} from '../../source/version.ts';
import {agent, busy, dataType, now, snapshot} from './fixtures.ts';

async function scrape(current: () => EngineSnapshot | undefined, defaultMetrics = false): Promise<string[]> {
	const registry = createMetricsRegistry({getSnapshot: current, now: () => now, defaultMetrics});
	return (await registry.metrics()).split('\n');
}

function samples(lines: string[], name: string): string[] {
	return lines.filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('metrics collector', () => {
	it('exports event counts per agent and enabled data type', async () => {
		const lines = await scrape(() => busy());
		assert.deepEqual(samples(lines, 'siem_agent_events_read_total'), [
			'siem_agent_events_read_total{agent="soc",data_type="alerts"} 120',
			'siem_agent_events_read_total{agent="soc",data_type="activities"} 205000',
			'siem_agent_events_read_total{agent="lab",data_type="activities"} 15',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_events_sent_total'), [
			'siem_agent_events_sent_total{agent="soc",data_type="alerts"} 120',
			'siem_agent_events_sent_total{agent="soc",data_type="activities"} 200000',
			'siem_agent_events_sent_total{agent="lab",data_type="activities"} 10',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_events_bad_total'), [
			'siem_agent_events_bad_total{agent="soc",data_type="alerts"} 1',
			'siem_agent_events_bad_total{agent="soc",data_type="activities"} 7',
			'siem_agent_events_bad_total{agent="lab",data_type="activities"} 0',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_events_dropped_total'), [
			'siem_agent_events_dropped_total{agent="soc",data_type="alerts"} 0',
			'siem_agent_events_dropped_total{agent="soc",data_type="activities"} 2',
			'siem_agent_events_dropped_total{agent="lab",data_type="activities"} 0',
		]);
		assert.ok(lines.includes('# TYPE siem_agent_events_sent_total counter'));
		assert.ok(lines.includes('siem_agent_siem_messages_truncated_total{agent="lab"} 4'));
		assert.ok(lines.includes('siem_agent_siem_messages_replayed_total{agent="soc"} 3'));
		assert.ok(lines.includes('siem_agent_siem_bytes_sent_total{agent="soc"} 190000000'));
	});

	it('exports queue depth, rates, backlog, checkpoint age and lag in seconds', async () => {
		const lines = await scrape(() => busy());
		assert.deepEqual(samples(lines, 'siem_agent_in_flight_events'), [
			'siem_agent_in_flight_events{agent="soc",data_type="alerts"} 0',
			'siem_agent_in_flight_events{agent="soc",data_type="activities"} 5000',
			'siem_agent_in_flight_events{agent="lab",data_type="activities"} 5',
		]);
		assert.ok(lines.includes('siem_agent_events_per_second{agent="soc",data_type="activities"} 81234.5'));
		assert.ok(lines.includes('siem_agent_backlog_events{agent="soc",data_type="activities"} 795000'));
		assert.deepEqual(samples(lines, 'siem_agent_checkpoint_age_seconds'), [
			'siem_agent_checkpoint_age_seconds{agent="soc",data_type="alerts"} 4',
			'siem_agent_checkpoint_age_seconds{agent="soc",data_type="activities"} 1.5',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_lag_seconds'), [
			'siem_agent_lag_seconds{agent="soc",data_type="alerts"} 90',
			'siem_agent_lag_seconds{agent="soc",data_type="activities"} 3600',
		]);
		assert.ok(lines.includes(`siem_agent_newest_event_timestamp_seconds{agent="soc",data_type="alerts"} ${(now - 90_000) / 1000}`));
		assert.ok(lines.includes(`siem_agent_last_poll_timestamp_seconds{agent="soc",data_type="activities"} ${(now - 200) / 1000}`));
	});

	it('exports API requests by status, throttled seconds and API state', async () => {
		const lines = await scrape(() => busy());
		assert.deepEqual(samples(lines, 'siem_agent_api_requests_total'), [
			'siem_agent_api_requests_total{agent="soc",status="200"} 41',
			'siem_agent_api_requests_total{agent="soc",status="429"} 2',
			'siem_agent_api_requests_total{agent="lab",status="200"} 3',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_api_throttled_seconds_total'), [
			'siem_agent_api_throttled_seconds_total{agent="soc"} 12.5',
			'siem_agent_api_throttled_seconds_total{agent="lab"} 0',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_api_state').filter((line) => line.includes('agent="lab"')), [
			'siem_agent_api_state{agent="lab",state="unknown"} 0',
			'siem_agent_api_state{agent="lab",state="connected"} 0',
			'siem_agent_api_state{agent="lab",state="throttled"} 1',
			'siem_agent_api_state{agent="lab",state="error"} 0',
		]);
		assert.ok(lines.includes(`siem_agent_api_last_success_timestamp_seconds{agent="soc"} ${(now - 2000) / 1000}`));
	});

	it('exports the SIEM connection as 1/0 and as a state set, and the agent status', async () => {
		const lines = await scrape(() => busy());
		assert.deepEqual(samples(lines, 'siem_agent_siem_connected'), [
			'siem_agent_siem_connected{agent="soc"} 1',
			'siem_agent_siem_connected{agent="lab"} 0',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_siem_state').filter((line) => line.includes('agent="lab"')), [
			'siem_agent_siem_state{agent="lab",state="connecting"} 0',
			'siem_agent_siem_state{agent="lab",state="connected"} 0',
			'siem_agent_siem_state{agent="lab",state="down"} 1',
		]);
		assert.deepEqual(samples(lines, 'siem_agent_agent_status').filter((line) => line.includes('agent="soc"')), [
			'siem_agent_agent_status{agent="soc",status="created"} 0',
			'siem_agent_agent_status{agent="soc",status="connected"} 1',
			'siem_agent_agent_status{agent="soc",status="connection-error"} 0',
			'siem_agent_agent_status{agent="soc",status="disconnected"} 0',
		]);
		assert.ok(lines.includes('siem_agent_pipeline_state{agent="lab",data_type="activities",state="waiting-for-siem"} 1'));
		assert.ok(lines.includes('siem_agent_pipeline_state{agent="soc",data_type="activities",state="backfill"} 1'));
		assert.equal(samples(lines, 'siem_agent_pipeline_state').filter((line) => line.endsWith(' 1')).length, 3, 'one current state per enabled data type');
	});

	it('leaves out disabled data types and values the snapshot does not have', async () => {
		const lines = await scrape(() => busy());
		assert.ok(!lines.some((line) => line.includes('agent="lab",data_type="alerts"')), 'lab has alerts disabled');
		assert.ok(!lines.some((line) => line.startsWith('siem_agent_lag_seconds{agent="lab"')), 'lab forwarded nothing with a time yet');
	});

	it('exports the engine thread\'s own heap when the snapshot has it', async () => {
		const lines = await scrape(() => ({...busy(), memory: {heapUsed: 12_000_000, heapSize: 20_000_000, external: 5_000_000}}));
		assert.deepEqual(samples(lines, 'siem_agent_engine_memory_bytes'), [
			'siem_agent_engine_memory_bytes{kind="heap_used"} 12000000',
			'siem_agent_engine_memory_bytes{kind="heap_size"} 20000000',
			'siem_agent_engine_memory_bytes{kind="external"} 5000000',
		]);
		assert.deepEqual(samples(await scrape(() => busy()), 'siem_agent_engine_memory_bytes'), [], 'left out when unknown');
	});

	it('reads the newest snapshot on every scrape', async () => {
		let current = snapshot([agent({dataTypes: [dataType({sent: 10})]})]);
		const registry = createMetricsRegistry({getSnapshot: () => current, now: () => now, defaultMetrics: false});
		assert.match(await registry.metrics(), /^siem_agent_events_sent_total\{agent="default",data_type="activities"\} 10$/m);
		current = snapshot([agent({dataTypes: [dataType({sent: 25})]})]);
		assert.match(await registry.metrics(), /^siem_agent_events_sent_total\{agent="default",data_type="activities"\} 25$/m);
		// An agent removed by a reload disappears instead of keeping its last values.
		current = snapshot([agent({name: 'other'})]);
		const text = await registry.metrics();
		assert.doesNotMatch(text, /agent="default"/);
		assert.match(text, /agent="other"/);
	});

	it('before the first snapshot: build info and zero agents, no per-agent series', async () => {
		const lines = await scrape(() => undefined);
		assert.ok(lines.includes(`siem_agent_build_info{version="${version}"} 1`));
		assert.ok(lines.includes('siem_agent_agents 0'));
		assert.ok(!lines.some((line) => line.includes('agent="')));
	});

	it('escapes label values as the exposition format requires', async () => {
		const lines = await scrape(() => snapshot([agent({name: 'a"b\\c', dataTypes: [dataType({sent: 1})]})]));
		assert.ok(lines.includes('siem_agent_events_sent_total{agent="a\\"b\\\\c",data_type="activities"} 1'));
	});

	it('adds the process metrics of prom-client by default', async () => {
		const lines = await scrape(() => busy(), true);
		assert.ok(lines.some((line) => line.startsWith('process_resident_memory_bytes ')));
		assert.ok(lines.some((line) => line.startsWith('process_cpu_seconds_total ')));
	});
});
