/** Runs a real tinyproxy on a free loopback port for the proxy tests. */

import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {freePort} from './ports.ts';

export interface Tinyproxy {
	port: number;
	/** Everything tinyproxy logged so far. */
	log(): string;
	close(): Promise<void>;
}

/** Path of the tinyproxy binary, or a clear failure: CI installs it, so it is never skipped. */
export function findTinyproxy(): string {
	const candidates = [...(process.env.PATH ?? '').split(path.delimiter).map(dir => path.join(dir, 'tinyproxy')), '/usr/bin/tinyproxy', '/usr/sbin/tinyproxy'];
	const found = candidates.find(candidate => existsSync(candidate));
	if (!found) {
		throw new Error('tinyproxy is required by the proxy tests but was not found on PATH or in /usr/bin, /usr/sbin. Install it (apt-get install tinyproxy, brew install tinyproxy).');
	}

	return found;
}

export {freePort} from './ports.ts';

async function canConnect(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => {
			resolve(false);
		});
	});
}

export async function startTinyproxy(options: {basicAuth?: {user: string; password: string}} = {}): Promise<Tinyproxy> {
	const binary = findTinyproxy();
	const directory = mkdtempSync(path.join(tmpdir(), 'siem-agent-tinyproxy-'));
	const port = await freePort();
	const config = path.join(directory, 'tinyproxy.conf');
	const lines = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'Allow 127.0.0.1', 'LogLevel Info', 'MaxClients 20'];
	if (options.basicAuth) {
		lines.push(`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`);
	}

	writeFileSync(config, lines.join('\n') + '\n');
	let output = '';
	const child: ChildProcess = spawn(binary, ['-d', '-c', config], {stdio: ['ignore', 'pipe', 'pipe']});
	child.stdout!.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			resolve();
		});
	});

	const close = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			await exited;
		}

		rmSync(directory, {recursive: true, force: true});
	};

	for (let tries = 0; !(await canConnect(port)); tries++) {
		if (child.exitCode !== null || tries > 200) {
			await close();
			throw new Error(`tinyproxy did not start on port ${port}:\n${output}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	return {port, log: () => output, close};
}
