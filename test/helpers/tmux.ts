/**
 * Drives a terminal program the way a person over SSH would: tmux gives it a real
 * pseudo-terminal of a fixed size; keys go in with send-keys, the screen comes back as text.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {setTimeout as delay} from 'node:timers/promises';

let counter = 0;

export function requireTmux(): void {
	if (spawnSync('tmux', ['-V']).status !== 0) {
		throw new Error('tmux not found: apt-get install tmux (.ci/run does this)');
	}
}

export class TmuxSession {
	readonly name: string;
	readonly socket: string;

	constructor(command: string, {width = 100, height = 30} = {}) {
		requireTmux();
		this.name = `siem-test-${process.pid}-${++counter}`;
		this.socket = `siem-test-${process.pid}`;
		this.#tmux(['new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), command]);
	}

	screen(): string {
		const result = spawnSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', this.name], {encoding: 'utf8'});
		return result.status === 0 ? result.stdout : '';
	}

	get alive(): boolean {
		return spawnSync('tmux', ['-L', this.socket, 'has-session', '-t', this.name]).status === 0;
	}

	/** Keys as tmux names them (`Enter`, `Tab`, `BSpace`, `Escape`) or literal text (sent with -l). */
	async key(...keys: string[]): Promise<void> {
		for (const key of keys) {
			this.#tmux(['send-keys', '-t', this.name, key]);
			await delay(120);
		}
	}

	async type(text: string): Promise<void> {
		this.#tmux(['send-keys', '-t', this.name, '-l', text]);
		await delay(200);
	}

	async waitFor(predicate: (screen: string) => boolean, timeoutMs = 15_000, what = 'the expected screen'): Promise<string> {
		const until = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < until) {
			last = this.screen();
			if (predicate(last)) {
				return last;
			}
			await delay(100);
		}
		throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
	}

	async waitForText(text: string | RegExp, timeoutMs?: number): Promise<string> {
		return this.waitFor((screen) => typeof text === 'string' ? screen.includes(text) : text.test(screen), timeoutMs, String(text));
	}

	async waitForExit(timeoutMs = 15_000): Promise<void> {
		const until = Date.now() + timeoutMs;
		while (Date.now() < until && this.alive) {
			await delay(100);
		}
		if (this.alive) {
			throw new Error(`the program did not exit; screen:\n${this.screen()}`);
		}
	}

	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-session', '-t', this.name]);
	}

	#tmux(args: string[]): void {
		execFileSync('tmux', ['-L', this.socket, ...args], {stdio: 'ignore'});
	}
}

/** In the dashboard: `e` on the selected agent, untick Alerts on the data-types step, save. */
export async function turnAlertsOff(session: TmuxSession, agent: string): Promise<void> {
	await session.key('e');
	await session.waitForText(`Edit agent "${agent}"`);
	await session.key('Enter');
	await session.waitForText('step 2 of 4');
	await session.key('Enter');
	await session.waitForText('step 3 of 4');
	await session.key('Space');
	await session.waitForText(/Alerts\s+\[ \] off/);
	await session.key('Enter');
	await session.waitForText('step 4 of 4');
	await session.key('Enter');
}
