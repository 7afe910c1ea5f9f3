/**
 * Benchmark 3, latency (and the idle agent): live activities arrive at a steady rate; for each
 * one, the time from the moment it becomes visible in the API (its `created`) to its arrival at
 * the receiver. Poll interval and settle time are compared side by side: one simulator, agent
 * and receiver per setting, all running during the same minute. A fourth agent with nothing new
 * to read shows the idle cost.
 */
import net from 'node:net';
import {AgentProcess, agentCommand, daemonArgs} from './lib/agent.ts';
import {num, percent, spread} from './lib/format.ts';
import {startSection, type Section} from './lib/report.ts';
import {percentile, summarize} from './lib/stats.ts';
import {createSimulator, type Simulator} from '../source/simulate/simulator.ts';

export interface LatencyOptions {
	/** Measured window, seconds. */
	seconds: number;
	/** Live activities per second. */
	rate: number;
}

interface Setting {
	label: string;
	pollIntervalSeconds: number;
	settleSeconds: number;
	dataTypes: string;
	live: boolean;
}

interface Lane {
	setting: Setting;
	simulator: Simulator;
	receiver: net.Server;
	arrivals: Map<string, number>;
	agent?: AgentProcess;
}

/** What the economy and start-up sections reuse. */
export interface LatencyResult {
	section: Section;
	/** API requests per minute by setting label during the window. */
	requestsPerMinute: Map<string, number>;
	idleCpuPercent: number;
	idleRss: number;
}

const settings: Setting[] = [
	{label: 'default: poll 10 s, settle 5 s', pollIntervalSeconds: 10, settleSeconds: 5, dataTypes: 'activities', live: true},
	{label: 'poll 1 s (the minimum), settle 5 s', pollIntervalSeconds: 1, settleSeconds: 5, dataTypes: 'activities', live: true},
	{label: 'poll 1 s, settle 0 s', pollIntervalSeconds: 1, settleSeconds: 0, dataTypes: 'activities', live: true},
	{label: 'idle: nothing new, both data types, defaults', pollIntervalSeconds: 10, settleSeconds: 5, dataTypes: 'alerts,activities', live: false},
];

export const idleLabel = settings[3].label;
export const defaultLabel = settings[0].label;

export async function latency(options: LatencyOptions): Promise<LatencyResult> {
	const timing = startSection();
	const command = agentCommand();
	const lanes: Lane[] = [];
	try {
		for (const setting of settings) {
			const simulator = await createSimulator({seed: 3, historyDays: 1, historyActivities: setting.live ? 200 : 0, historyAlerts: setting.live ? 0 : 0, liveActivitiesPerSecond: setting.live ? options.rate : 0, liveAlertsPerMinute: 0});
			const arrivals = new Map<string, number>();
			const receiver = await listen(arrivals);
			lanes.push({setting, simulator, receiver, arrivals});
		}
		for (const lane of lanes) {
			const port = (lane.receiver.address() as net.AddressInfo).port;
			lane.agent = new AgentProcess(command, daemonArgs({
				url: lane.simulator.url, syslogPort: port, dataTypes: lane.setting.dataTypes,
				pollIntervalSeconds: lane.setting.pollIntervalSeconds, settleSeconds: lane.setting.settleSeconds, requestsPerMinute: 30,
			}));
		}
		// Past the start-up backfill and the first full poll cycle of the slowest setting.
		await sleep(15_000, lanes);
		const from = Date.now();
		const before = lanes.map((lane) => ({cpu: lane.agent!.cpuSeconds(), requests: lane.simulator.stats().requests, throttled: lane.simulator.stats().throttled}));
		await sleep(options.seconds * 1000, lanes);
		const to = Date.now();
		const after = lanes.map((lane) => ({cpu: lane.agent!.cpuSeconds(), requests: lane.simulator.stats().requests, throttled: lane.simulator.stats().throttled, rss: lane.agent!.rss()}));

		// Wait for the stragglers of the window: at most a poll interval plus the settle time, and a margin.
		const tailUntil = Date.now() + 25_000;
		while (Date.now() < tailUntil && !lanes.every((lane) => !lane.setting.live || pending(lane, from, to) === 0)) {
			await sleep(200, lanes);
		}

		const requestsPerMinute = new Map<string, number>();
		const rows: string[][] = [];
		let fastestP50 = Number.NaN;
		let throttled = 0;
		let idleCpuPercent = Number.NaN;
		let idleRss = Number.NaN;
		lanes.forEach((lane, index) => {
			const minutes = (to - from) / 60_000;
			requestsPerMinute.set(lane.setting.label, (after[index].requests - before[index].requests) / minutes);
			const cpuPercent = (after[index].cpu - before[index].cpu) / ((to - from) / 1000);
			const answered429 = after[index].throttled - before[index].throttled;
			throttled += answered429;
			if (!lane.setting.live) {
				idleCpuPercent = cpuPercent;
				idleRss = after[index].rss;
				rows.push([lane.setting.label, '–', '–', '–', '–', '–', percent(cpuPercent, 2), num(requestsPerMinute.get(lane.setting.label)!, 1), num(answered429)]);
				return;
			}
			const {latencies, missing, thirds} = measure(lane, from, to);
			if (lane.setting.pollIntervalSeconds === 1 && lane.setting.settleSeconds === 0) {
				fastestP50 = percentile(latencies, 50) / 1000;
			}
			rows.push([
				lane.setting.label,
				num(latencies.length + missing),
				spread(summarize(thirds), 2, ' s'),
				`${num(percentile(latencies, 90) / 1000, 2)} s`,
				`${num(percentile(latencies, 99) / 1000, 2)} s`,
				`${num(latencies.at(-1)! / 1000, 2)} s`,
				percent(cpuPercent, 2),
				num(requestsPerMinute.get(lane.setting.label)!, 1),
				num(answered429),
			]);
			if (missing > 0) {
				rows.at(-1)![1] += ` (${num(missing)} not arrived)`;
			}
		});
		return {
			section: timing.finish({
				title: '3. Latency: from visible in the API to arrival at the receiver',
				method: `Live activities appear in the simulator at ${num(options.rate)} a second (an activity is visible from its \`created\` time on). Each setting has its own simulator (default 30 requests/minute throttle), agent (\`${command.label} --daemon\`, default 30 requests/minute budget) and TCP receiver, all running during the same ${options.seconds} s window after a 15 s warm-up; latency = arrival time at the receiver − \`created\`, for every activity created in the window. The p50 column shows the median over the whole window and, in brackets, the spread of the medians of its three thirds.`,
				parameters: [
					`${options.seconds} s window, ${num(options.rate)} activities/s per lane; alerts disabled in the latency lanes`,
					'agent flags: `--data-types activities --requests-per-minute 30` plus the poll interval and settle time of the row',
				],
				tables: [{
					columns: ['setting', 'events', 'p50', 'p90', 'p99', 'max', 'agent CPU (one core = 100 %)', 'API requests/min', '429 answers'],
					rows,
				}],
				notes: [
					'The settle time (default 5 s) is a floor by design: records younger than it are left for the next poll, because the service may still be indexing them. The rest is the poll interval: an event waits on average half an interval, at most a whole one.',
					`With a 1 s poll interval the 30 requests/minute budget paces the polls instead (${num(requestsPerMinute.get(settings[2].label)!, 1)} requests/min measured: one every ${num(60 / requestsPerMinute.get(settings[2].label)!, 1)} s). A window is opened only once the budget allows its request (its end is not fixed before that wait), so an event waits on average half of that interval: hence the ${num(fastestP50, 1)} s p50 with settle 0.`,
					...(throttled > 0 ? [`**${num(throttled)} × 429 in the window.** The client's token bucket (a burst of 2, refilled at 28 a minute) should keep every rolling minute within the 30 the API and the simulator count, so a 429 here means the two disagree about the budget; each one stalls the data type for the server's Retry-After (the tails of the poll-1 s rows).`] : []),
					`Idle CPU near zero: ${idleCpuPercent < 0.01 ? 'met' : '**not met**'} (${percent(idleCpuPercent, 2)} of one core while polling both data types every 10 s with nothing new).`,
				],
			}),
			requestsPerMinute,
			idleCpuPercent,
			idleRss,
		};
	} finally {
		await Promise.allSettled(lanes.map(async (lane) => {
			await lane.agent?.stop();
			await new Promise((resolve) => lane.receiver.close(resolve));
			await lane.simulator.close();
		}));
	}
}

function pending(lane: Lane, from: number, to: number): number {
	return lane.simulator.activitiesCreatedBetween(from, to).filter((record) => !lane.arrivals.has(String(record._id))).length;
}

function measure(lane: Lane, from: number, to: number): {latencies: number[]; missing: number; thirds: number[]} {
	const records = lane.simulator.activitiesCreatedBetween(from, to);
	const third = (to - from) / 3;
	const buckets: number[][] = [[], [], []];
	const latencies: number[] = [];
	let missing = 0;
	for (const record of records) {
		const arrived = lane.arrivals.get(String(record._id));
		if (arrived === undefined) {
			missing++;
			continue;
		}
		const latency = arrived - Number(record.created);
		latencies.push(latency);
		buckets[Math.min(2, Math.floor((Number(record.created) - from) / third))].push(latency);
	}
	latencies.sort((a, b) => a - b);
	const thirds = buckets.filter((bucket) => bucket.length > 0).map((bucket) => percentile(bucket.sort((a, b) => a - b), 50) / 1000);
	return {latencies, missing, thirds};
}

/** A TCP syslog receiver recording when each externalId arrived. */
async function listen(arrivals: Map<string, number>): Promise<net.Server> {
	const server = net.createServer((socket) => {
		let pending = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			const now = Date.now();
			pending += chunk;
			let newline = pending.indexOf('\n');
			while (newline !== -1) {
				const id = /externalId=(\S+)/.exec(pending.slice(0, newline))?.[1];
				if (id !== undefined && !arrivals.has(id)) {
					arrivals.set(id, now);
				}
				pending = pending.slice(newline + 1);
				newline = pending.indexOf('\n');
			}
		});
		socket.on('error', () => undefined);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return server;
}

/** Sleeps, failing early if an agent died. */
async function sleep(ms: number, lanes: Lane[]): Promise<void> {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		for (const lane of lanes) {
			lane.agent?.check();
		}
		await new Promise((resolve) => setTimeout(resolve, Math.min(500, until - Date.now())));
	}
}
