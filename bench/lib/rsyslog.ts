/**
 * Debian's rsyslogd for the benchmarks, in two roles: a receiver that counts what arrives
 * (each message becomes "x\n" in a file, so the count is the file size / 2 and costs no
 * parsing of our own), and a relay that forwards every line over TCP to another rsyslog, which
 * is what a site would run instead of an agent that formats for itself.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {track} from './child.ts';

const rsyslogd = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((file) => existsSync(file));

/** `rsyslogd 8.2302.0`, or undefined when it is not installed. */
export function rsyslogVersion(): string | undefined {
	if (!rsyslogd) {
		return undefined;
	}
	const output = spawnSync(rsyslogd, ['-v'], {encoding: 'utf8'}).stdout;
	return /rsyslogd\s+(\S+)/.exec(output)?.[1];
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function sendLine(port: number, line: string): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.end(`${line}\n`, () => resolve(true)));
		socket.once('error', () => resolve(false));
	});
}

export class BenchRsyslog {
	readonly port: number;
	readonly directory: string;
	/** Where a counter writes "x\n" per message. */
	readonly countFile: string;
	readonly #child: ChildProcess;

	private constructor(port: number, directory: string, child: ChildProcess) {
		this.port = port;
		this.directory = directory;
		this.countFile = path.join(directory, 'count');
		this.#child = child;
	}

	/** A receiver on a free port that counts every LF-framed message. */
	static async counter(): Promise<BenchRsyslog> {
		const server = await BenchRsyslog.#start((directory) => [
			'ruleset(name="in") {',
			`  action(type="omfile" file="${path.join(directory, 'count')}" template="count" asyncWriting="off" flushOnTXEnd="on")`,
			'}',
		]);
		await server.#ready(() => server.count() > 0, server.port);
		return server;
	}

	/** A relay on a free port that forwards every line, unchanged, over TCP to `target`. */
	static async relay(target: BenchRsyslog): Promise<BenchRsyslog> {
		const server = await BenchRsyslog.#start(() => [
			'ruleset(name="in") {',
			`  action(type="omfwd" target="127.0.0.1" port="${target.port}" protocol="tcp" TCP_Framing="traditional" template="raw")`,
			'}',
		]);
		const before = target.count();
		await server.#ready(() => target.count() > before, server.port);
		return server;
	}

	static async #start(ruleset: (directory: string) => string[]): Promise<BenchRsyslog> {
		if (!rsyslogd) {
			throw new Error('rsyslogd not found: install Debian\'s rsyslog package (apt-get install rsyslog)');
		}
		const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-bench-rsyslog-'));
		const port = await freePort();
		const config = path.join(directory, 'rsyslog.conf');
		writeFileSync(config, [
			`global(workDirectory="${directory}" maxMessageSize="64k")`,
			'template(name="count" type="string" string="x\\n")',
			'template(name="raw" type="string" string="%rawmsg%")',
			...ruleset(directory),
			'module(load="imtcp")',
			// CEF lines without PRI start with the year: without this, imtcp would take the digits for an octet count.
			`input(type="imtcp" port="${port}" address="127.0.0.1" ruleset="in" supportOctetCountedFraming="off")`,
			'',
		].join('\n'));
		const check = spawnSync(rsyslogd, ['-N1', '-f', config], {encoding: 'utf8'});
		if (check.status !== 0) {
			throw new Error(`rsyslog config invalid: ${check.stderr}`);
		}
		const child = spawn(rsyslogd, ['-n', '-f', config, '-i', path.join(directory, 'rsyslogd.pid')], {stdio: ['ignore', 'ignore', 'ignore']});
		track(child);
		return new BenchRsyslog(port, directory, child);
	}

	get pid(): number {
		return this.#child.pid!;
	}

	/** Messages counted so far (counter role). */
	count(): number {
		try {
			return Math.floor(statSync(this.countFile).size / 2);
		} catch {
			return 0;
		}
	}

	/** Waits until count() reaches `target`; resolves with performance.now() at that moment. */
	async waitForCount(target: number, timeoutMs: number, onPoll?: () => void): Promise<number> {
		const end = Date.now() + timeoutMs;
		while (Date.now() < end) {
			if (this.count() >= target) {
				return performance.now();
			}
			onPoll?.();
			await delay(10);
		}
		throw new Error(`rsyslog counted ${this.count()} of ${target} messages in ${timeoutMs / 1000} s`);
	}

	async stop(): Promise<void> {
		if (this.#child.exitCode === null) {
			const exited = new Promise((resolve) => this.#child.once('exit', resolve));
			this.#child.kill('SIGTERM');
			await exited;
		}
		rmSync(this.directory, {recursive: true, force: true});
	}

	async #ready(arrived: () => boolean, port: number): Promise<void> {
		for (let attempt = 0; attempt < 100; attempt++) {
			if (this.#child.exitCode !== null) {
				throw new Error(`rsyslogd exited with ${this.#child.exitCode}`);
			}
			if (await sendLine(port, 'siem-agent-bench-probe')) {
				for (let i = 0; i < 20; i++) {
					if (arrived()) {
						return;
					}
					await delay(25);
				}
			}
			await delay(50);
		}
		throw new Error(`rsyslogd did not come up on port ${port}`);
	}
}
