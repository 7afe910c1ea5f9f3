/**
 * A real rsyslog (Debian's rsyslogd) for integration tests: started in the foreground on a free
 * loopback port with its own config and work directory, writing every message it receives,
 * raw, one per line, to a file. It can be stopped and started again on the same port.
 *
 * Note what the LF input sets: rsyslog's imtcp guesses octet-counted framing when a frame
 * starts with a digit, and a CEF line without PRI starts with the year. The LF input turns that
 * guess off; the octet-counting input keeps it on (README: "rsyslog and LF framing").
 *
 * 'tls' is imtcp with the GnuTLS stream driver (Debian's rsyslog-gnutls), octet-counted as
 * RFC 5425 wants; 'relp' is imrelp (rsyslog-relp), 'relp-tls' imrelp with tls="on". Both TLS
 * inputs need `options.tls` (PEM file paths). 'relp-tls' always requires a client certificate
 * issued by the CA (librelp does once it has a certificate of its own); 'tls' does with
 * `requireClientCert`. The readiness probe then presents `options.tls.client`.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import dgram from 'node:dgram';
import {freePort} from './ports.ts';
import tls from 'node:tls';

export type RsyslogInput = 'tcp-lf' | 'tcp-octet' | 'udp' | 'tls' | 'relp' | 'relp-tls';

export interface RsyslogOptions {
	/** Server certificate files, for the 'tls' and 'relp-tls' inputs. */
	tls?: {ca: string; cert: string; key: string; requireClientCert?: boolean; client?: {cert: string; key: string}};
}

const rsyslogd = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].find((file) => existsSync(file));

/** Fails loudly: CI installs rsyslog (.ci/run), so a missing binary is a broken set-up, not a skip. */
export function requireRsyslog(): string {
	if (!rsyslogd) {
		throw new Error('rsyslogd not found: install Debian\'s rsyslog package (apt-get install rsyslog); .ci/run does this');
	}
	return rsyslogd;
}

export {freePort} from './ports.ts';

export class Rsyslog {
	readonly input: RsyslogInput;
	readonly port: number;
	readonly directory: string;
	readonly output: string;
	readonly options: RsyslogOptions;
	#child?: ChildProcess;
	#probes = 0;

	private constructor(input: RsyslogInput, port: number, directory: string, options: RsyslogOptions) {
		this.input = input;
		this.port = port;
		this.directory = directory;
		this.output = path.join(directory, 'received.log');
		this.options = options;
	}

	static async start(input: RsyslogInput, port?: number, options: RsyslogOptions = {}): Promise<Rsyslog> {
		requireRsyslog();
		if ((input === 'tls' || input === 'relp-tls') && !options.tls) {
			throw new Error(`rsyslog input ${input} needs options.tls (certificate files)`);
		}
		if ((input === 'relp-tls' || options.tls?.requireClientCert) && !options.tls?.client) {
			throw new Error(`rsyslog input ${input} requires client certificates: pass options.tls.client for the probe`);
		}
		const directory = await mkdtemp(path.join(os.tmpdir(), 'siem-rsyslog-'));
		const server = new Rsyslog(input, port ?? await freePort(), directory, options);
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
			tls: `module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="${this.options.tls?.requireClientCert ? 'x509/certvalid' : 'anon'}")\ninput(type="imtcp" port="${this.port}" address="127.0.0.1" ruleset="in")`,
			relp: `module(load="imrelp")\ninput(type="imrelp" port="${this.port}" address="127.0.0.1" ruleset="in")`,
			'relp-tls': `module(load="imrelp")\ninput(type="imrelp" port="${this.port}" address="127.0.0.1" ruleset="in" tls="on" tls.caCert="${this.options.tls?.ca}" tls.myCert="${this.options.tls?.cert}" tls.myPrivKey="${this.options.tls?.key}" tls.authMode="certvalid")`,
		};
		const certificates = this.input === 'tls' && this.options.tls
			? ` defaultNetstreamDriverCAFile="${this.options.tls.ca}" defaultNetstreamDriverCertFile="${this.options.tls.cert}" defaultNetstreamDriverKeyFile="${this.options.tls.key}"`
			: '';
		await writeFile(path.join(this.directory, 'rsyslog.conf'), [
			`global(workDirectory="${this.directory}" maxMessageSize="64k"${certificates})`,
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
			} else if (this.input === 'relp' || this.input === 'relp-tls') {
				await relpProbe(this.#connect(), marker);
			} else {
				const frame = this.input === 'tcp-octet' || this.input === 'tls' ? `${Buffer.byteLength(marker)} ${marker}` : `${marker}\n`;
				await new Promise<void>((resolve, reject) => {
					const socket = this.#connect();
					socket.once('probe-ready', () => socket.end(frame, resolve));
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

	/** A connection to the input, TLS or not; emits 'probe-ready' when it can carry data. */
	#connect(): net.Socket {
		const files = this.options.tls;
		if (this.input !== 'tls' && this.input !== 'relp-tls') {
			const socket = net.connect(this.port, '127.0.0.1', () => socket.emit('probe-ready'));
			return socket;
		}
		const socket = tls.connect({
			host: '127.0.0.1',
			port: this.port,
			ca: readFileSync(files!.ca),
			...(files!.client ? {cert: readFileSync(files!.client.cert), key: readFileSync(files!.client.key)} : {}),
			checkServerIdentity: () => undefined,
		}, () => socket.emit('probe-ready'));
		return socket;
	}
}

/** The smallest RELP client: open, one syslog command, close; each answer awaited. */
async function relpProbe(socket: net.Socket, marker: string): Promise<void> {
	socket.on('error', () => undefined);
	let received = '';
	const waitFor = (pattern: RegExp) => new Promise<void>((resolve, reject) => {
		const check = () => {
			if (pattern.test(received)) {
				socket.off('data', onData);
				resolve();
			}
		};
		const onData = (chunk: Buffer) => {
			received += chunk.toString();
			check();
		};
		socket.on('data', onData);
		socket.once('close', () => reject(new Error('closed')));
		check();
	});
	try {
		await new Promise<void>((resolve, reject) => {
			socket.once('probe-ready', resolve);
			socket.once('error', reject);
		});
		const offers = 'relp_version=0\nrelp_software=siem-agent-test\ncommands=syslog';
		socket.write(`1 open ${Buffer.byteLength(offers)} ${offers}\n`);
		await waitFor(/^1 rsp \d+ 200/m);
		socket.write(`2 syslog ${Buffer.byteLength(marker)} ${marker}\n`);
		await waitFor(/^2 rsp \d+ 200/m);
		socket.write('3 close 0\n');
		await waitFor(/^3 rsp /m);
	} finally {
		socket.destroy();
	}
}
