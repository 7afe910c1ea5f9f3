/**
 * Benchmark 2, memory under backlog: the agent drains a backlog into a syslog server that reads
 * slower than the API serves, so the agent is the one holding back. Its peak RSS must not grow
 * with the backlog: pulling stops while the SIEM is behind.
 */
import {AgentProcess, agentCommand, daemonArgs} from './lib/agent.ts';
import {NodeChild} from './lib/child.ts';
import {mb, num, spread} from './lib/format.ts';
import {RssSampler} from './lib/proc.ts';
import {startSection, type Section} from './lib/report.ts';
import {median, percentile, summarize} from './lib/stats.ts';

export interface MemoryOptions {
	backlogs: number[];
	runs: number;
	/** How fast the slow SIEM reads. */
	linesPerSecond: number;
}

type Ready = {type: 'ready'; url: string; records: number};

interface DrainRun {
	seconds: number;
	peakRss: number;
	/** Largest anonymous RSS sampled: heaps and buffers, without the executable's file pages. */
	peakAnonymous: number;
	/** Median of the RSS samples over the drain. */
	typicalRss: number;
}

/** The section, and the median peak RSS of the largest backlog (for the targets table). */
export async function memory(options: MemoryOptions): Promise<{section: Section; peakRssLargest: number}> {
	const timing = startSection();
	const command = agentCommand();
	const results = new Map<number, DrainRun[]>();
	for (const backlog of options.backlogs) {
		const simulator = new NodeChild('api-server.ts', [JSON.stringify({mode: 'simulator', simulator: {seed: 2, historyDays: 1, historyActivities: 0, historyAlerts: 0, backlogActivities: backlog, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: 0}})]);
		try {
			const {url, records} = await simulator.next<Ready>('ready');
			const runs: DrainRun[] = [];
			for (let run = 0; run < options.runs; run++) {
				runs.push(await drain(command, url, records, options.linesPerSecond));
				process.stderr.write(`  ${num(backlog)} backlog, run ${run + 1}/${options.runs}: peak RSS ${mb(runs.at(-1)!.peakRss)}\n`);
			}
			results.set(backlog, runs);
		} finally {
			await simulator.stop();
		}
	}

	const smallest = median(results.get(options.backlogs[0])!.map((run) => run.peakRss));
	const largest = median(results.get(options.backlogs.at(-1)!)!.map((run) => run.peakRss));
	const growth = largest / smallest;
	const section = timing.finish({
		title: '2. Memory under backlog: the SIEM slower than the API',
		method: `The agent (\`${command.label} --daemon\`) drains a backlog of activities from the simulator (throttle lifted) into a TCP syslog server that reads at most ${num(options.linesPerSecond)} messages a second, well under what the agent and the API manage, so TCP backpressure reaches the agent for the whole drain. RSS is sampled every 200 ms; the peak is VmHWM; the anonymous part (RssAnon: heaps and buffers, without the clean pages of the executable file) is the largest sample.`,
		parameters: [
			`backlogs: ${options.backlogs.map((value) => num(value)).join(' and ')} activities; ${options.runs} run(s) each`,
			'agent flags: `--requests-per-minute 0 --settle 0 --poll-interval 1 --data-types activities`',
		],
		tables: [{
			columns: ['backlog', 'drain time', 'events/s (SIEM-bound)', 'peak RSS', 'peak anonymous RSS', 'median RSS during the drain'],
			rows: options.backlogs.map((backlog) => {
				const runs = results.get(backlog)!;
				return [
					num(backlog),
					spread(summarize(runs.map((run) => run.seconds)), 1, ' s'),
					spread(summarize(runs.map((run) => backlog / run.seconds))),
					spread(summarize(runs.map((run) => run.peakRss / 1024 / 1024)), 0, ' MB'),
					spread(summarize(runs.map((run) => run.peakAnonymous / 1024 / 1024)), 0, ' MB'),
					spread(summarize(runs.map((run) => run.typicalRss / 1024 / 1024)), 0, ' MB'),
				];
			}),
		}],
		notes: [
			`Bounded: the peak for ${num(options.backlogs.at(-1)!)} is ${(growth).toFixed(2)}× the peak for ${num(options.backlogs[0])} (${growth <= 1.15 ? 'independent of the backlog' : '**it grows with the backlog**'}). What the agent holds, whatever the backlog: the formatted bytes of the page being delivered and of the one prefetched (about 3.7 MB each for 5,000 activities, in buffers it reuses page after page), the body of the page being read, one piece of about 64 KB of it at a time (CEF activities: in the WebAssembly module's memory with its output; other formats and alerts: parsed into objects), and the sink's 1 MiB replay window.`,
			`Target ≤ 150 MB: ${largest <= 150 * 1024 * 1024 ? 'met' : `**not met** (${mb(largest)})`}.`,
		],
	});
	return {section, peakRssLargest: largest};
}

async function drain(command: ReturnType<typeof agentCommand>, url: string, events: number, linesPerSecond: number): Promise<DrainRun> {
	const receiver = new NodeChild('slow-receiver.ts', [String(linesPerSecond)]);
	try {
		const {port} = await receiver.next<{type: 'ready'; port: number}>('ready');
		const agent = new AgentProcess(command, daemonArgs({url, syslogPort: port}));
		const sampler = new RssSampler(agent.pid, 200);
		try {
			const deadline = Date.now() + 60_000 + (events / linesPerSecond) * 3000;
			for (;;) {
				agent.check();
				const {count} = await receiver.ask<{type: 'count'; count: number}>('count');
				if (count >= events) {
					break;
				}
				if (Date.now() > deadline) {
					throw new Error(`the slow receiver got ${count} of ${events} messages in time`);
				}
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			const seconds = (performance.now() - agent.startedAt) / 1000;
			const peakRss = agent.peakRss();
			const peakAnonymous = sampler.peakAnonymous;
			const samples = sampler.stop().map((sample) => sample.rss).sort((a, b) => a - b);
			return {seconds, peakRss, peakAnonymous, typicalRss: percentile(samples, 50)};
		} finally {
			sampler.stop();
			await agent.stop();
		}
	} finally {
		await receiver.stop();
	}
}
