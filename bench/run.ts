/**
 * `npm run bench`: every benchmark in turn, each printing its table, then the whole report
 * written to docs/benchmarks.md. `BENCH_QUICK=1` is a short smoke run (written to the temporary
 * directory instead, so it never replaces the committed results); `BENCH_ONLY=throughput,latency`
 * picks benchmarks; `BENCH_OUTPUT=file` writes elsewhere.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {economy} from './economy.ts';
import {num, percent} from './lib/format.ts';
import {machineLine} from './lib/machine.ts';
import {renderSection, type Section} from './lib/report.ts';
import {defaultLabel, idleLabel, latency, type LatencyResult} from './latency.ts';
import {memory} from './memory.ts';
import {startup} from './startup.ts';
import {throughput, type ThroughputResult} from './throughput.ts';

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
const wanted = (name: string): boolean => !only || only.includes(name);
const root = fileURLToPath(new URL('../', import.meta.url));
const output = process.env.BENCH_OUTPUT ?? (quick || only ? path.join(os.tmpdir(), 'siem-agent-benchmarks.md') : path.join(root, 'docs', 'benchmarks.md'));

const plan = quick
	? {events: 100_000, runs: 1, profile: false, backlogs: [10_000, 100_000], memoryRuns: 1, latencySeconds: 15, alerts: 1000, limited: {activities: 20_000, alerts: 400}, startupRuns: 5}
	: {events: 1_000_000, runs: 3, profile: true, backlogs: [100_000, 1_000_000], memoryRuns: 3, latencySeconds: 60, alerts: 5000, limited: {activities: 100_000, alerts: 2000}, startupRuns: 15};

const machine = machineLine();
const started = performance.now();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'siem-bench-'));
// Every temporary directory of the run (agent state, rsyslog work directories) lands in the
// scratch directory, removed at the end.
process.env.TMPDIR = scratch;
const sections: Section[] = [];
const summary: string[][] = [];

function done(section: Section): void {
	sections.push(section);
	process.stdout.write(`\n${renderSection(section, machine)}\n`);
	write();
}

function write(): void {
	const minutes = (performance.now() - started) / 60_000;
	writeFileSync(output, [
		'# Benchmarks',
		'',
		`Produced by \`${quick ? 'BENCH_QUICK=1 ' : ''}npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)} in ${num(minutes, 1)} minutes${quick ? ' (**quick smoke run**: small sizes, one repetition)' : ''}. Every number below comes from that run; run it again to reproduce them on your machine (it needs Debian's rsyslog: \`apt-get install rsyslog\`).`,
		'',
		`Machine: ${machine}. Other work on the machine skews the numbers: each section gives the load average when it started.`,
		'',
		'## Targets',
		'',
		'| target | measured | verdict |',
		'|---|---|---|',
		...summary.map((row) => `| ${row.join(' | ')} |`),
		'',
		...sections.map((section) => renderSection(section, machine)),
	].join('\n'));
}

try {
	let scan: ThroughputResult | undefined;
	if (wanted('throughput')) {
		process.stderr.write(`throughput: ${num(plan.events)} events × ${plan.runs}\n`);
		scan = await throughput({events: plan.events, runs: plan.runs, scratch, profile: plan.profile});
		const rate = scan.section.tables[0].rows[0][1];
		const best = Number(rate.split(' ')[0].replaceAll(',', ''));
		summary.push([`≥ 150,000 events/s end to end`, `${rate} events/s (API replay); ${scan.section.tables[0].rows[1][1]} events/s (live simulator)`, best >= 150_000 ? 'met' : '**not met**']);
		done(scan.section);
	}
	// Both benchmarks drain the largest backlog; the target holds only if it holds in both.
	const peaks: Array<[string, number]> = scan ? [['SIEM keeping up', scan.peakRss1M]] : [];
	if (wanted('memory')) {
		process.stderr.write(`memory: backlogs ${plan.backlogs.join(', ')}\n`);
		const drained = await memory({backlogs: plan.backlogs, runs: plan.memoryRuns, linesPerSecond: 40_000});
		peaks.push(['SIEM slower than the API', drained.peakRssLargest]);
		done(drained.section);
	}
	if (peaks.length > 0) {
		const worst = Math.max(...peaks.map(([, peak]) => peak));
		summary.push([`peak RSS ≤ 150 MB during a ${num(plan.events)} backfill`, peaks.map(([label, peak]) => `${num(peak / 1024 / 1024)} MB (${label})`).join('; '), worst <= 150 * 1024 * 1024 ? 'met' : '**not met**']);
	}
	let live: LatencyResult | undefined;
	if (wanted('latency')) {
		process.stderr.write(`latency: ${plan.latencySeconds} s window\n`);
		live = await latency({seconds: plan.latencySeconds, rate: 20});
		summary.push(['idle CPU near zero', `${percent(live.idleCpuPercent, 2)} of one core`, live.idleCpuPercent < 0.01 ? 'met' : '**not met**']);
		done(live.section);
	}
	if (wanted('economy') && scan && live) {
		process.stderr.write('economy\n');
		done(await economy({
			scan: {events: scan.events, requests: scan.simulatorRequests},
			live: {activitiesPerMinute: live.requestsPerMinute.get(defaultLabel)!, bothPerMinute: live.requestsPerMinute.get(idleLabel)!},
			alerts: plan.alerts,
			limited: plan.limited,
		}));
	}
	if (wanted('startup')) {
		process.stderr.write('start-up\n');
		done(await startup({runs: plan.startupRuns, idleMs: quick ? 3000 : 15_000}));
	}
	write();
	process.stderr.write(`\nwritten to ${path.relative(process.cwd(), output) || output} in ${num((performance.now() - started) / 60_000, 1)} minutes\n`);
} finally {
	rmSync(scratch, {recursive: true, force: true});
}
