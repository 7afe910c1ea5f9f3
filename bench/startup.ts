/**
 * Benchmark 5, start-up and size of the single executable: its size, `--version`, and
 * `--daemon` up to its first API request, against the plain bundle run by the same Node.
 */
import {spawnSync} from 'node:child_process';
import {statSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {AgentProcess, agentCommand, bundlePath, cleanEnvironment, daemonArgs, seaPath, type AgentCommand} from './lib/agent.ts';
import {mb, num, spread} from './lib/format.ts';
import {rss, rssParts} from './lib/proc.ts';
import {startSection, type Section} from './lib/report.ts';
import {summarize} from './lib/stats.ts';

export interface StartupOptions {
	runs: number;
	/** How long the idle daemon runs before its RSS is read, ms. */
	idleMs: number;
}

export async function startup(options: StartupOptions): Promise<Section> {
	const timing = startSection();
	const sea = agentCommand('sea');
	const bundle = agentCommand('bundle');
	const commands = sea.file !== process.execPath ? [sea, bundle] : [bundle];
	const version = new Map<AgentCommand, number[]>(commands.map((command) => [command, []]));
	const daemon = new Map<AgentCommand, number[]>(commands.map((command) => [command, []]));
	const idle = new Map<AgentCommand, {rss: number; anonymous: number; file: number}>();
	const api = await firstRequestServer();
	try {
		// Both builds idle side by side: polling both data types every 10 s, with nothing to read.
		const idlers = commands.map((command) => ({command, agent: new AgentProcess(command, daemonArgs({url: api.url, syslogPort: 9, dataTypes: 'alerts,activities', pollIntervalSeconds: 10}))}));
		await new Promise((resolve) => setTimeout(resolve, options.idleMs));
		for (const {command, agent} of idlers) {
			agent.check();
			idle.set(command, {rss: rss(agent.pid), ...rssParts(agent.pid)});
			await agent.stop();
		}

		// Interleaved, so both see the same machine state.
		for (let run = 0; run < options.runs; run++) {
			for (const command of commands) {
				const started = performance.now();
				const result = spawnSync(command.file, [...command.args, '--version'], {env: cleanEnvironment(), encoding: 'utf8'});
				if (result.status !== 0) {
					throw new Error(`${command.label} --version failed: ${result.stderr}`);
				}
				version.get(command)!.push(performance.now() - started);
			}
			for (const command of commands) {
				const arrived = api.next();
				const agent = new AgentProcess(command, daemonArgs({url: api.url, syslogPort: 9, dataTypes: 'activities'}));
				try {
					daemon.get(command)!.push((await arrived) - agent.startedAt);
				} finally {
					await agent.stop();
				}
			}
		}
	} finally {
		await api.close();
	}
	const size = commands.includes(sea) ? statSync(seaPath).size : Number.NaN;
	const rows = commands.map((command) => [
		command.label,
		command === sea ? `${num(size)} bytes (${mb(size, 1)})` : `${num(statSync(bundlePath).size)} bytes + chunks, needs Node ${process.version}`,
		spread(summarize(version.get(command)!), 0, ' ms'),
		spread(summarize(daemon.get(command)!), 0, ' ms'),
		`${mb(idle.get(command)!.rss)} (${mb(idle.get(command)!.anonymous)} anonymous + ${mb(idle.get(command)!.file)} file)`,
	]);
	return timing.finish({
		title: '5. Start-up and size of the single executable',
		method: 'Wall time from spawn to exit of `--version`, and from spawn of `--daemon` to the first API request reaching a local HTTP server (which answers with an empty page), interleaved run by run with the plain bundle on the same Node. The single executable is built by `npm run bench` (scripts/build-sea.ts) when missing.',
		parameters: [`${options.runs} runs of each; idle RSS read after ${num(options.idleMs / 1000)} s of \`--daemon\` polling both data types every 10 s with nothing to read`],
		tables: [{columns: ['build', 'size', '`--version`', '`--daemon` to first API request', 'idle RSS'], rows}],
		notes: [
			'Idle RSS splits into anonymous memory (the two V8 heaps, buffers) and file-backed pages (the executable and libraries: clean, shared between instances and reclaimable). The single executable runs from a copy installed with `install -m 0755` (as docs/install.md does): run from the file the build just wrote, the same bytes show about 30 MB more file pages, because the page cache holds a freshly written file in large folios and a mapping takes whole folios. It holds more anonymous memory than the bundle from the start (its embedded script, assets and code cache).',
			...(commands.includes(sea) ? [] : ['**dist/siem-agent was not built**: run `npm run build`.']),
		],
	});
}

/** A fake API that records when each request arrives (performance.now()). */
async function firstRequestServer(): Promise<{url: string; next(): Promise<number>; close(): Promise<void>}> {
	let waiting: ((at: number) => void) | undefined;
	const server = http.createServer((request, response) => {
		const at = performance.now();
		waiting?.(at);
		waiting = undefined;
		request.resume();
		request.on('end', () => {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end('{"data":[],"hasNext":false,"total":0}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		next: () => new Promise((resolve) => {
			waiting = resolve;
		}),
		close: () => new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}
