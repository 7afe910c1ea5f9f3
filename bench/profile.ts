/**
 * Where the agent's CPU goes: one backfill run from source (`node --cpu-prof source/cli.ts`,
 * so frames name source files) and the self time per function of the engine worker thread.
 */
import {mkdirSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {AgentProcess, daemonArgs} from './lib/agent.ts';
import type {BenchRsyslog} from './lib/rsyslog.ts';

export interface ProfileRow {
	name: string;
	/** Fraction of the thread's busy (non-idle) time. */
	share: number;
}

interface CpuProfile {
	nodes: Array<{id: number; callFrame: {functionName: string; url: string; lineNumber: number}}>;
	samples: number[];
	timeDeltas: number[];
}

const root = fileURLToPath(new URL('../', import.meta.url));

export async function profileAgent(url: string, receiver: BenchRsyslog, events: number, scratch: string, top = 12): Promise<ProfileRow[]> {
	const directory = path.join(scratch, 'cpu-profile');
	mkdirSync(directory, {recursive: true});
	const start = receiver.count();
	const agent = new AgentProcess({file: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${directory}`, path.join(root, 'source', 'cli.ts')], label: 'source'}, daemonArgs({url, syslogPort: receiver.port}));
	try {
		await receiver.waitForCount(start + events, 300_000, () => agent.check());
	} finally {
		// Profiles are written as each thread exits.
		await agent.stop();
	}
	const profiles = readdirSync(directory).filter((name) => name.endsWith('.cpuprofile')).map((name) => summarize(JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as CpuProfile));
	const worker = profiles.sort((a, b) => b.busy - a.busy)[0];
	return [...worker.self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, time]) => ({name, share: time / worker.busy}));
}

function summarize(profile: CpuProfile): {busy: number; self: Map<string, number>} {
	const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map<string, number>();
	let busy = 0;
	profile.samples.forEach((id, index) => {
		const frame = nodes.get(id)!.callFrame;
		if (frame.functionName === '(idle)') {
			return;
		}
		const time = profile.timeDeltas[index] ?? 0;
		busy += time;
		const name = label(frame);
		self.set(name, (self.get(name) ?? 0) + time);
	});
	return {busy, self};
}

function label(frame: CpuProfile['nodes'][number]['callFrame']): string {
	if (!frame.url) {
		return frame.functionName || '(native)';
	}
	const file = frame.url.startsWith('file://') ? path.relative(root, fileURLToPath(frame.url)) : frame.url;
	const where = file.startsWith('node:') || file.includes('node_modules') ? file.replace(/^.*node_modules\//, '') : file;
	return `${frame.functionName || '(anonymous)'} (${where}${frame.functionName ? '' : `:${frame.lineNumber + 1}`})`;
}
