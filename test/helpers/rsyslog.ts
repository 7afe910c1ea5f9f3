/**
 * A real rsyslog (Debian's rsyslogd) for integration tests: started in the foreground on a free
 * loopback port with its own config and work directory, writing every message it receives,
 * raw, one per line, to a file. It can be stopped and started again on the same port.
 *
 * Note what the LF input sets: rsyslog's imtcp guesses octet-counted framing when a frame
 * starts with a digit, and a CEF line without PRI starts with the year. The LF input turns that
 * guess off; the octet-counting input keeps it on (README: "rsyslog and LF framing").
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import dgram from 'node:dgram';

export type RsyslogInput = 'tcp-lf' | 'tcp-octet' | 'udp';

const rsyslogd = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((file) => existsSync(file));

/** Fails loudly: CI installs rsyslog (.ci/run), so a missing binary is a broken set-up, not a skip. */
export function requireRsyslog(): string {
	if (!rsyslogd) {
		throw new Error('rsyslogd not found: install Debian\'s rsyslog package (apt-get install rsyslog); .ci/run does this');
	}
	return rsyslogd;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export class Rsyslog {
	readonly input: RsyslogInput;
	readonly port: number;
	readonly directory: string;
	readonly output: string;
	#child?: ChildProcess;
	#probes = 0;

	private constructor(input: RsyslogInput, port: number, directory: string) {
		this.input = input;
		this.port = port;
		this.directory = directory;
		this.output = path.join(directory, 'received.log');
	}

	static async start(input: RsyslogInput, port?: number): Promise<Rsyslog> {
		requireRsyslog();
		const directory = await mkdtemp(path.join(os.tmpdir(), 'siem-rsyslog-'));
		const server = new Rsyslog(input, port ?? await freePort(), directory);
		await server.#writeConfig();
		await server.restart();
		return server;
	}

	get running(): boolean {
		return this.#child !== undefined && this.#child.exitCode === null;
	}

	/** Starts (again) on the same port and waits until a probe message comes through. */
	async restart(): Promise<void> {
		if (this.running) {
			return;
		}
		const config = path.join(this.directory, 'rsyslog.conf');
		const check = spawnSync(rsyslogd!, ['-N1', '-f', config], {encoding: 'utf8'});
		if (check.status !== 0) {
			throw new Error(`rsyslog config invalid: ${check.stderr}`);
		}
		const child = spawn(rsyslogd!, ['-n', '-f', config, '-i', path.join(this.directory, 'rsyslogd.pid')], {stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		this.#child = child;
		for (let attempt = 0; attempt < 100; attempt++) {
			if (child.exitCode !== null) {
				throw new Error(`rsyslogd exited with ${child.exitCode}: ${stderr}`);
			}
			if (await this.#probe()) {
				return;
			}
			await delay(100);
		}
		throw new Error(`rsyslogd did not come up on port ${this.port}: ${stderr}`);
	}

	/** Stops rsyslog (SIGTERM, as `systemctl stop` does) and waits for it to exit. */
	async stop(): Promise<void> {
		const child = this.#child;
		if (!child || child.exitCode !== null) {
			return;
		}
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
		this.#child = undefined;
	}

	/** Every message received so far, probes left out. */
	async messages(): Promise<string[]> {
		let text = '';
		try {
			text = await readFile(this.output, 'utf8');
		} catch {
			return [];
		}
		return text.split('\n').filter((line) => line !== '' && !line.startsWith('siem-agent-test-probe'));
	}

	/** Waits until `predicate(messages)` holds, polling the output file. */
	async waitFor(predicate: (messages: string[]) => boolean, timeoutMs = 30_000, what = 'messages'): Promise<string[]> {
		const until = Date.now() + timeoutMs;
		let last: string[] = [];
		while (Date.now() < until) {
			last = await this.messages();
			if (predicate(last)) {
				return last;
			}
			await delay(100);
		}
		throw new Error(`rsyslog: timed out waiting for ${what}; have ${last.length} messages`);
	}

	async #writeConfig(): Promise<void> {
		const inputs: Record<RsyslogInput, string> = {
			'tcp-lf': `module(load="imtcp")\ninput(type="imtcp" port="${this.port}" address="127.0.0.1" ruleset="in" supportOctetCountedFraming="off")`,
			'tcp-octet': `module(load="imtcp")\ninput(type="imtcp" port="${this.port}" address="127.0.0.1" ruleset="in")`,
			udp: `module(load="imudp")\ninput(type="imudp" port="${this.port}" address="127.0.0.1" ruleset="in" rcvbufSize="16m")`,
		};
		await writeFile(path.join(this.directory, 'rsyslog.conf'), [
			`global(workDirectory="${this.directory}" maxMessageSize="64k")`,
			'main_queue(queue.type="Direct")',
			'template(name="raw" type="string" string="%rawmsg%\\n")',
			'ruleset(name="in" queue.type="Direct") {',
			`  action(type="omfile" file="${this.output}" template="raw" flushOnTXEnd="on" asyncWriting="off")`,
			'}',
			inputs[this.input],
			'',
		].join('\n'));
	}

	async #probe(): Promise<boolean> {
		const marker = `siem-agent-test-probe ${++this.#probes}`;
		try {
			if (this.input === 'udp') {
				const socket = dgram.createSocket('udp4');
				await new Promise<void>((resolve, reject) => socket.send(marker, this.port, '127.0.0.1', (error) => error ? reject(error) : resolve()));
				socket.close();
			} else {
				const frame = this.input === 'tcp-octet' ? `${Buffer.byteLength(marker)} ${marker}` : `${marker}\n`;
				await new Promise<void>((resolve, reject) => {
					const socket = net.connect(this.port, '127.0.0.1', () => socket.end(frame, resolve));
					socket.once('error', reject);
				});
			}
		} catch {
			return false;
		}
		for (let i = 0; i < 10; i++) {
			await delay(30);
			const text = await readFile(this.output, 'utf8').catch(() => '');
			if (text.includes(marker)) {
				return true;
			}
		}
		return false;
	}
}
