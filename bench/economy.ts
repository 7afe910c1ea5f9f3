/**
 * Benchmark 4, API economy: requests made per 10,000 events against the floor the documented
 * limits allow (scan pages of 5,000 activities, pages of 100 alerts, 30 requests a minute).
 * The activity backfill numbers come from the throughput runs and the live ones from the
 * latency lanes; this adds an alerts backfill and a backfill under the real 30/minute limit.
 */
import {AgentProcess, agentCommand, daemonArgs} from './lib/agent.ts';
import {num} from './lib/format.ts';
import {startSection, type Section} from './lib/report.ts';
import {BenchRsyslog} from './lib/rsyslog.ts';
import {median} from './lib/stats.ts';
import {createSimulator} from '../source/simulate/simulator.ts';

export interface EconomyOptions {
	/** From the throughput section: activities per backfill and requests each run made. */
	scan: {events: number; requests: number[]};
	/** From the latency section: requests per minute of the default lane and the idle lane. */
	live: {activitiesPerMinute: number; bothPerMinute: number};
	alerts: number;
	/** Backfill under the default limit: activities and alerts. */
	limited: {activities: number; alerts: number};
}

const scanPage = 5000;
const alertPage = 100;

export async function economy(options: EconomyOptions): Promise<Section> {
	const timing = startSection();
	const command = agentCommand();
	const receiver = await BenchRsyslog.counter();
	try {
		const alerts = await backfill(command, receiver, {alerts: options.alerts, activities: 0, throttle: 0, requestsPerMinute: 0, dataTypes: 'alerts'});
		const limited = await backfill(command, receiver, {...options.limited, throttle: 30, requestsPerMinute: 30, dataTypes: 'alerts,activities'});
		const per10k = (requests: number, events: number): string => num((requests / events) * 10_000, 2);
		const scanRequests = median(options.scan.requests);
		const scanFloor = Math.ceil(options.scan.events / scanPage);
		const alertFloor = Math.ceil(options.alerts / alertPage);
		const limitedFloor = Math.ceil(options.limited.activities / scanPage) + Math.ceil(options.limited.alerts / alertPage);
		const limitedEvents = options.limited.activities + options.limited.alerts;
		const rows = [
			[`activities backfill, scan mode (${num(options.scan.events)} events, limit lifted)`, num(scanRequests), num(scanFloor), per10k(scanRequests, options.scan.events), per10k(scanFloor, options.scan.events), '–'],
			[`alerts backfill (${num(options.alerts)} alerts, limit lifted)`, num(alerts.requests), num(alertFloor), per10k(alerts.requests, options.alerts), per10k(alertFloor, options.alerts), '–'],
			[`both, under the 30/min limit (${num(options.limited.activities)} activities + ${num(options.limited.alerts)} alerts, ${num(limited.seconds)} s)`, `${num(limited.requests)} (${num(limited.throttled)} × 429)`, num(limitedFloor), per10k(limited.requests, limitedEvents), per10k(limitedFloor, limitedEvents), `${num(limited.busiestMinute)} in the busiest minute`],
			['live, activities, poll 10 s (latency lane)', '–', '–', '–', '–', `${num(options.live.activitiesPerMinute, 1)} (floor 6)`],
			['live, both data types, poll 10 s, nothing new (idle lane)', '–', '–', '–', '–', `${num(options.live.bothPerMinute, 1)} (floor 12)`],
		];
		return timing.finish({
			title: '4. API economy: requests per 10,000 events',
			method: `Requests counted by the simulator (or the replay server) during each backfill, against the floor: one request per full page (5,000 activities in scan mode, 100 alerts, the largest pages the API allows, SPEC §2). A scan also ends with one request whose page says there is no more. The limited run uses the documented 30 requests/minute on both sides (\`--requests-per-minute 30\`, simulator throttle 30) and counts 429 answers; its last column is the most requests it made in any 60 s.`,
			parameters: [
				`agent: \`${command.label} --daemon --settle 0 --poll-interval 1\` with the data types and request budget of the row`,
			],
			tables: [{
				columns: ['case', 'requests', 'floor', 'requests per 10,000 events', 'floor per 10,000', 'requests/min'],
				rows,
			}],
			notes: [
				`Scan: ${scanRequests <= scanFloor + 1 ? 'at the floor' : '**above the floor**'} (${num(scanRequests)} requests for ${num(scanFloor)} full pages; the extra one is the page that says "no more"). Alerts: ${alerts.requests <= alertFloor + 1 ? 'at the floor' : '**above the floor**'}.`,
				`Under the 30/minute limit the agent ${limited.throttled === 0 ? 'never drew a 429' : `drew ${limited.throttled} × 429`}; at most ${num(limited.busiestMinute)} requests fell in any 60 s${limited.seconds < 60 ? ` (the run took only ${num(limited.seconds)} s)` : ''} (the client allows a burst of 2, then 28 a minute: one every 2.1 s).`,
				'Live polling costs one request per data type per poll interval (the poll interval is the only knob); nothing is re-read.',
			],
		});
	} finally {
		await receiver.stop();
	}
}

interface Backfill {
	requests: number;
	throttled: number;
	seconds: number;
	/** Most requests the simulator saw in any 60 s (or in the whole run, if shorter). */
	busiestMinute: number;
}

async function backfill(command: ReturnType<typeof agentCommand>, receiver: BenchRsyslog, options: {alerts: number; activities: number; throttle: number; requestsPerMinute: number; dataTypes: string}): Promise<Backfill> {
	const simulator = await createSimulator({seed: 4, historyDays: 1, historyActivities: 0, historyAlerts: options.alerts, backlogActivities: options.activities, liveActivitiesPerSecond: 0, liveAlertsPerMinute: 0, throttle: options.throttle});
	const start = receiver.count();
	const agent = new AgentProcess(command, daemonArgs({url: simulator.url, syslogPort: receiver.port, dataTypes: options.dataTypes, requestsPerMinute: options.requestsPerMinute}));
	// The simulator keeps no request times; sampling its counter is precise enough for a minute.
	const counts: Array<{at: number; requests: number}> = [];
	try {
		const events = options.alerts + options.activities;
		const doneAt = await receiver.waitForCount(start + events, 600_000, () => {
			agent.check();
			counts.push({at: performance.now(), requests: simulator.stats().requests});
		});
		const stats = simulator.stats();
		let busiestMinute = 0;
		let end = 0;
		for (let first = 0; first < counts.length; first++) {
			while (end + 1 < counts.length && counts[end + 1].at - counts[first].at <= 60_000) {
				end++;
			}
			// Requests counted at `first` may have been made just before it: start from the sample before.
			busiestMinute = Math.max(busiestMinute, counts[end].requests - (first > 0 ? counts[first - 1].requests : 0));
		}
		return {requests: stats.requests, throttled: stats.throttled, seconds: (doneAt - agent.startedAt) / 1000, busiestMinute};
	} finally {
		await agent.stop();
		await simulator.close();
	}
}
