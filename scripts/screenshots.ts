/**
 * Renders the terminal UI's screens for the docs: runs the built CLI (dist/) in tmux at 100×30,
 * walks the wizard against the simulator and a receiver, opens the dashboard, and writes each
 * screen as text (docs/screenshots/*.txt) and, with ImageMagick installed, as PNG.
 *
 *   npm run build && node scripts/screenshots.ts
 */
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createReceiver} from '../source/listen/receiver.ts';
import {createSimulator} from '../source/simulate/simulator.ts';
import {TmuxSession} from '../test/helpers/tmux.ts';

const out = path.resolve('docs/screenshots');
mkdirSync(out, {recursive: true});
const cli = path.resolve('dist/siem-agent.js');
const convert = ['/usr/bin/convert', '/usr/bin/magick'].find((file) => spawnSync(file, ['-version']).status === 0);

function save(name: string, screen: string): void {
	const text = screen.replace(/\s+$/u, '') + '\n';
	writeFileSync(path.join(out, `${name}.txt`), text);
	if (convert) {
		// One label per line, stacked: a single multi-line label trips ImageMagick 6 on block
		// characters. Spaces become no-break spaces so labels keep their indentation.
		const lines = text.replace(/\n$/u, '').split('\n').map((line) => `label:${(line || ' ').replaceAll(' ', '\u00A0').replaceAll('%', '%%').replace(/^@/u, '\\@')}`);
		spawnSync(convert, ['-background', '#1d1f21', '-fill', '#e0e0e0', '-font', 'DejaVu-Sans-Mono', '-pointsize', '15', ...lines, '-gravity', 'West', '-append', '-bordercolor', '#1d1f21', '-border', '16', path.join(out, `${name}.png`)], {stdio: 'inherit'});
	}
	console.log(`docs/screenshots/${name}.txt${convert ? ' + .png' : ''}`);
}

const simulator = await createSimulator({seed: 1, liveActivitiesPerSecond: 40, liveAlertsPerMinute: 30});
const receiver = await createReceiver({protocol: 'tcp', port: 0});
const home = mkdtempSync(path.join(os.tmpdir(), 'siem-shots-'));
const session = new TmuxSession(`env NO_COLOR=1 HOME=${home} ${process.execPath} ${cli} --config ${home}/config.json`, {width: 100, height: 26});
try {
	await session.waitForText('step 1 of 4');
	await session.type('contoso-siem');
	await session.key('Down', 'Down', 'Right', 'Down', 'Space');
	save('wizard-1-general', await session.waitForText(/Example header: <\d+>Jan/));
	await session.key('Enter');
	await session.waitForText('step 2 of 4');
	await session.type('siem.example.invalid');
	await session.key('Tab');
	save('wizard-2-syslog', await session.waitForText(/cannot be resolved|not found|resolve/i, 10_000).catch(() => session.screen()));
	for (let i = 0; i < 'siem.example.invalid'.length; i++) {
		await session.key('BSpace');
	}
	await session.key('Up');
	for (let i = 0; i < 'siem.example.invalid'.length; i++) {
		await session.key('BSpace');
	}
	await session.type('127.0.0.1');
	await session.key('Tab', 'BSpace', 'BSpace', 'BSpace');
	await session.type(String(receiver.port));
	await session.key('Enter');
	await session.waitForText('step 3 of 4');
	await session.key('Tab');
	await session.type('11161, 20893');
	await session.key('Tab', 'Right', 'Right', 'Space');
	save('wizard-3-data-types', await session.waitForText('[x] High'));
	await session.key('Enter');
	await session.waitForText('step 4 of 4');
	await session.type(simulator.url);
	// Past "Sign in with" (API token) to the token.
	await session.key('Tab', 'Tab');
	await session.type('not-the-token');
	await session.key('Enter');
	save('wizard-4-connection', await session.waitForText('Invalid token'));
	for (let i = 0; i < 'not-the-token'.length; i++) {
		await session.key('BSpace');
	}
	await session.type(simulator.token);
	await session.key('Enter');
	await session.waitFor((screen) => /Activities\s+live/.test(screen), 30_000);
	await new Promise((resolve) => setTimeout(resolve, 12_000));
	save('dashboard', session.screen());
	await session.key('q');
	await session.waitForExit();
} finally {
	session.kill();
	await receiver.close();
	await simulator.close();
}
