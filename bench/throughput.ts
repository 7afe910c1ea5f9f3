/**
 * Benchmark 1, throughput: a 1,000,000-activity backfill through the agent (the daemon, a child
 * process) as CEF over TCP into rsyslog, against rsyslog relaying the same lines and the raw
 * ceiling of writing them straight into the same socket. Every repetition runs all routes in
 * turn, so each ratio compares runs made minutes apart on the same machine state.
 */
import {AgentProcess, agentCommand, daemonArgs, type AgentCommand} from './lib/agent.ts';
import {buildCefPool, type CefPool} from './lib/cef-pool.ts';
import {NodeChild} from './lib/child.ts';
import {mb, num, percent, spread} from './lib/format.ts';
import {cpuSeconds, peakRss, RssSampler, threadCpuSeconds} from './lib/proc.ts';
import {startSection, type Section, type Table} from './lib/report.ts';
import {BenchRsyslog} from './lib/rsyslog.ts';
import {median, summarize} from './lib/stats.ts';
import type {ApiStats} from './children/api-server.ts';
import {profileAgent, type ProfileRow} from './profile.ts';

export interface ThroughputOptions {
	events: number;
	runs: number;
	scratch: string;
	/** Also profile one replay run with --cpu-prof. */
	profile: boolean;
}

export interface AgentRun {
	seconds: number;
	/** From the first event at rsyslog to the last. */
	streamSeconds: number;
	cpuSeconds: number;
	peakRss: number;
	/** Largest anonymous RSS sampled (heaps and buffers, without the executable's file pages). */
	peakAnonymous: number;
	requests: number;
	delivered: number;
	/** CPU seconds over the run: the agent by kind of thread, the receiving rsyslog, the API server. */
	cpu: {engine: number; helpers: number; rest: number; rsyslog: number; api: number};
}

/** The scan-mode request numbers the API economy section reports. */
export interface ThroughputResult {
	section: Section;
	simulatorRequests: number[];
	replayRequests: number[];
	events: number;
	peakRss1M: number;
}

type Ready = {type: 'ready'; url: string; records: number};
type Stats = {type: 'stats'; stats: ApiStats};

export async function throughput(options: ThroughputOptions): Promise<ThroughputResult> {
	const timing = startSection();
	const {events, runs} = options;
	const simulatorOptions = {seed: 1, historyDays: 1, historyActivities: 0, historyAlerts: 0, backlogActivities: events, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0};
	const pool = await buildCefPool(options.scratch, Math.min(events, 10_000), 1);
	const receiver = await BenchRsyslog.counter();
	const relay = await BenchRsyslog.relay(receiver);
	const replay = new NodeChild('api-server.ts', [JSON.stringify({mode: 'replay', simulator: simulatorOptions})]);
	const simulator = new NodeChild('api-server.ts', [JSON.stringify({mode: 'simulator', simulator: simulatorOptions})]);
	const command = agentCommand();
	try {
		const [replayReady, simulatorReady] = await Promise.all([replay.next<Ready>('ready'), simulator.next<Ready>('ready')]);
		if (replayReady.records !== events || simulatorReady.records !== events) {
			throw new Error(`expected ${events} activities, the API holds ${replayReady.records} (replay) and ${simulatorReady.records} (simulator)`);
		}

		const replayRuns: AgentRun[] = [];
		const simulatorRuns: AgentRun[] = [];
		const raw: Array<{seconds: number; cpuSeconds: number}> = [];
		const relayed: Array<{seconds: number; cpuSeconds: number; peakRss: number}> = [];
		for (let run = 0; run < runs; run++) {
			await replay.ask('reset');
			replayRuns.push(await agentRun(command, replay, replayReady.url, receiver, events));
			log(`  run ${run + 1}/${runs}: agent ← replay ${num(events / replayRuns.at(-1)!.seconds)} events/s`);
			simulatorRuns.push(await agentRun(command, simulator, simulatorReady.url, receiver, events));
			log(`  run ${run + 1}/${runs}: agent ← simulator ${num(events / simulatorRuns.at(-1)!.seconds)} events/s`);
			raw.push(await writeLines(pool, receiver.port, receiver, events, []));
			log(`  run ${run + 1}/${runs}: raw ceiling ${num(events / raw.at(-1)!.seconds)} events/s`);
			const relayRun = await writeLines(pool, relay.port, receiver, events, [relay.pid]);
			relayed.push({...relayRun, peakRss: peakRss(relay.pid)});
			log(`  run ${run + 1}/${runs}: rsyslog relay ${num(events / relayed.at(-1)!.seconds)} events/s`);
		}

		let profile: ProfileRow[] | undefined;
		if (options.profile) {
			await replay.ask('reset');
			profile = await profileAgent(replayReady.url, receiver, events, options.scratch);
		}

		const rate = (seconds: number): number => events / seconds;
		const ratio = (ours: AgentRun[], theirs: Array<{seconds: number}>): string =>
			percent(median(ours.map((run, index) => theirs[index].seconds / run.seconds)));
		const perMillion = (cpu: number): number => cpu / events * 1_000_000;
		const agentRow = (label: string, list: AgentRun[]): string[] => [
			label,
			spread(summarize(list.map((run) => rate(run.seconds)))),
			spread(summarize(list.map((run) => events / run.streamSeconds))),
			spread(summarize(list.map((run) => perMillion(run.cpuSeconds))), 1),
			spread(summarize(list.map((run) => run.peakRss / 1024 / 1024))) + ' MB',
			spread(summarize(list.map((run) => run.peakAnonymous / 1024 / 1024))) + ' MB',
			ratio(list, raw),
			ratio(list, relayed),
		];
		const replayRate = median(replayRuns.map((run) => rate(run.seconds)));
		const simulatorRate = median(simulatorRuns.map((run) => rate(run.seconds)));
		const peakRss1M = median(replayRuns.map((run) => run.peakRss));
		const target = 150_000;
		const notes = [
			`Target ≥ ${num(target)} events/s end to end: ${replayRate >= target ? `met: ${num(replayRate)} events/s from the replayed API${simulatorRate < target ? ` (from the live simulator ${num(simulatorRate)} events/s: there the simulator derives every record while serving it, on the same two cores, and the agent waits for it; the agent's CPU per event is the same on both routes)` : ''}` : `**not met**: ${num(replayRate)} events/s from the replayed API (${percent(replayRate / target)} of the target), ${num(simulatorRate)} events/s from the live simulator`}.`,
			`Target peak RSS ≤ 150 MB during a ${num(events)}-event backfill: ${peakRss1M <= 150 * 1024 * 1024 ? 'met' : '**not met**'} (${mb(peakRss1M)} median; for the idle agent see start-up).`,
			`Every agent run delivered exactly ${num(events)} events to rsyslog (${[...replayRuns, ...simulatorRuns].every((run) => run.delivered === events) ? 'checked' : '**not so: see delivered counts**'}).`,
			'"events/s" runs from spawning the agent to the last event counted by rsyslog, so it includes start-up (about 0.1 s); "streaming" runs from the first event to the last.',
			'The raw ceiling and the relay are bounded by rsyslog\'s own ingest on the same two cores; our rate as a fraction of each is the median of the per-repetition ratios.',
		];
		const tables: Table[] = [{
			columns: ['route', 'events/s', 'streaming events/s', 'CPU s per 1M events', 'peak RSS', 'peak anonymous RSS', 'vs raw ceiling', 'vs rsyslog relay'],
			rows: [
				agentRow(`siem-agent ← API replay (pre-rendered simulator pages)`, replayRuns),
				agentRow(`siem-agent ← simulator (records generated while served)`, simulatorRuns),
				['rsyslog relay: node writer → rsyslog A → omfwd TCP → rsyslog B', spread(summarize(relayed.map((run) => rate(run.seconds)))), '', `${spread(summarize(relayed.map((run) => perMillion(run.cpuSeconds))), 1)} (rsyslog A)`, `${spread(summarize(relayed.map((run) => run.peakRss / 1024 / 1024)))} MB (rsyslog A)`, '', '', ''],
				['raw ceiling: node writer → the same rsyslog socket', spread(summarize(raw.map((run) => rate(run.seconds)))), '', '', '', '', '', ''],
			],
		}];
		const perEvent = (pick: (run: AgentRun) => number): number => median(replayRuns.map((run) => pick(run) / events * 1_000_000));
		const engine = perEvent((run) => run.cpu.engine);
		const agentTotal = perEvent((run) => run.cpu.engine + run.cpu.helpers + run.cpu.rest);
		const machineTotal = perEvent((run) => run.cpu.engine + run.cpu.helpers + run.cpu.rest + run.cpu.rsyslog + run.cpu.api);
		const micro = (value: number): string => `${value.toFixed(2)} µs`;
		tables.push({
			caption: 'Where the CPU of one event goes (API replay route, median over its runs; user + system time per thread from /proc/<pid>/task)',
			columns: ['where', 'CPU per event', 'cores at 150,000 events/s'],
			rows: [
				['agent: engine worker thread (HTTP, JSON to CEF, socket writes)', micro(engine), (engine * 0.15).toFixed(2)],
				['agent: V8 helper threads (concurrent and parallel GC)', micro(perEvent((run) => run.cpu.helpers)), (perEvent((run) => run.cpu.helpers) * 0.15).toFixed(2)],
				['agent: main thread and the rest', micro(perEvent((run) => run.cpu.rest)), (perEvent((run) => run.cpu.rest) * 0.15).toFixed(2)],
				['**agent, all threads**', micro(agentTotal), (agentTotal * 0.15).toFixed(2)],
				['rsyslog receiving and counting', micro(perEvent((run) => run.cpu.rsyslog)), (perEvent((run) => run.cpu.rsyslog) * 0.15).toFixed(2)],
				['API replay server', micro(perEvent((run) => run.cpu.api)), (perEvent((run) => run.cpu.api) * 0.15).toFixed(2)],
				['**the whole route**', micro(machineTotal), (machineTotal * 0.15).toFixed(2)],
			],
		});
		notes.push(`What bounds the rate: one engine thread spends ${micro(engine)} per event (reading the API, the WebAssembly module turning JSON into CEF, socket writes), so it cannot pass ${num(1_000_000 / engine)} events/s even with a core to itself; the whole route costs ${micro(machineTotal)} per event, so 150,000 events/s takes ${(machineTotal * 0.15).toFixed(2)} of this machine's 2 cores, rsyslog's share included.`);
		if (profile) {
			tables.push({
				caption: 'Where the agent\'s CPU goes: self time of the engine worker thread during one replay run (node --cpu-prof, run from source), share of its busy time',
				columns: ['function', 'share'],
				rows: profile.map((row) => [row.name, percent(row.share, 1)]),
			});
		}
		return {
			section: timing.finish({
				title: `1. Throughput: a ${num(events)}-activity backfill`,
				method: [
					`The agent (\`${command.label} --daemon\`, a child process) backfills ${num(events)} activities in scan mode and forwards them as CEF over TCP (LF framing) to Debian's rsyslogd, which counts them (one \`x\\n\` per message into a file: no parsing of our own).`,
					'Two API sources: the simulator itself, which derives each record while serving it and competes for the same two cores, and a replay of the same simulator\'s pages rendered once before the runs, which leaves the agent as the thing measured.',
					'Side by side in every repetition: the raw ceiling (a tiny Node script writing the same CEF lines, formatted by the agent\'s formatter from the same records, into the same rsyslog socket) and an rsyslog relay (the same lines into rsyslog A, which forwards them with omfwd over TCP to the counting rsyslog).',
					'CPU is user + system time of the agent process (all threads) from /proc/<pid>/stat; peak RSS is its VmHWM; peak anonymous RSS is the largest RssAnon sampled every 200 ms (heaps and buffers, without the clean, shared pages of the executable file).',
					'The single executable runs from a copy made with `install`, as docs/install.md installs it (see start-up for why that matters to RSS).',
				].join(' '),
				parameters: [
					`${num(events)} activities, ${runs} repetition(s) of each route; alerts disabled; mean CEF line ${num(pool.meanBytes)} bytes with LF`,
					'agent flags: `--requests-per-minute 0 --settle 0 --poll-interval 1 --data-types activities` (format cef, TCP, LF framing: the defaults)',
					'API: scan pages of 5,000 (the agent\'s page size), throttle lifted; rsyslog: imtcp with octet-counting detection off, omfile',
				],
				tables,
				notes,
			}),
			simulatorRequests: simulatorRuns.map((run) => run.requests),
			replayRequests: replayRuns.map((run) => run.requests),
			events,
			peakRss1M,
		};
	} finally {
		await Promise.allSettled([replay.stop(), simulator.stop()]);
		await relay.stop();
		await receiver.stop();
	}
}

function log(line: string): void {
	process.stderr.write(`${line}\n`);
}

/** One backfill of `events` through a fresh agent (new state directory). */
export async function agentRun(command: AgentCommand, api: NodeChild, url: string, receiver: BenchRsyslog, events: number, nodeArgs: string[] = []): Promise<AgentRun> {
	const before = (await api.ask<Stats>('stats')).stats;
	const start = receiver.count();
	const rsyslogBefore = cpuSeconds(receiver.pid);
	const apiBefore = cpuSeconds(api.pid);
	const agent = new AgentProcess(nodeArgs.length > 0 ? agentCommand('bundle', nodeArgs) : command, daemonArgs({url, syslogPort: receiver.port}));
	let firstAt: number | undefined;
	const sampler = new RssSampler(agent.pid, 200);
	try {
		const doneAt = await receiver.waitForCount(start + events, 120_000 + events / 5, () => {
			agent.check();
			if (firstAt === undefined && receiver.count() > start) {
				firstAt = performance.now();
			}
		});
		const cpu = agent.cpuSeconds();
		const threads = threadCpuSeconds(agent.pid);
		const rsyslogCpu = cpuSeconds(receiver.pid) - rsyslogBefore;
		const apiCpu = cpuSeconds(api.pid) - apiBefore;
		const peak = agent.peakRss();
		const peakAnonymous = sampler.peakAnonymous;
		sampler.stop();
		await agent.stop();
		const after = (await api.ask<Stats>('stats')).stats;
		// Let rsyslog write anything still queued before the exact count is read.
		await new Promise((resolve) => setTimeout(resolve, 300));
		return {
			seconds: (doneAt - agent.startedAt) / 1000,
			streamSeconds: (doneAt - (firstAt ?? agent.startedAt)) / 1000,
			cpuSeconds: cpu,
			peakRss: peak,
			peakAnonymous,
			requests: (after.byRoute.activities['200'] ?? 0) - (before.byRoute.activities['200'] ?? 0),
			delivered: receiver.count() - start,
			cpu: {
				engine: threads.get('WorkerThread') ?? 0,
				helpers: threads.get('node-V8Worker') ?? 0,
				rest: [...threads].filter(([name]) => name !== 'WorkerThread' && name !== 'node-V8Worker').reduce((sum, [, seconds]) => sum + seconds, 0),
				rsyslog: rsyslogCpu,
				api: apiCpu,
			},
		};
	} finally {
		sampler.stop();
		await agent.stop();
	}
}

/** The line writer into `port`, until `counter` has `events` more; CPU of `pids` over the run. */
async function writeLines(pool: CefPool, port: number, counter: BenchRsyslog, events: number, pids: number[]): Promise<{seconds: number; cpuSeconds: number}> {
	const start = counter.count();
	const cpuBefore = pids.map((pid) => cpuSeconds(pid));
	const writer = new NodeChild('line-writer.ts', [String(port), pool.file, String(events)]);
	try {
		await writer.next('started');
		const startedAt = performance.now();
		const doneAt = await counter.waitForCount(start + events, 120_000 + events / 5);
		const cpu = pids.reduce((sum, pid, index) => sum + cpuSeconds(pid) - cpuBefore[index], 0);
		return {seconds: (doneAt - startedAt) / 1000, cpuSeconds: cpu};
	} finally {
		await writer.stop();
	}
}
