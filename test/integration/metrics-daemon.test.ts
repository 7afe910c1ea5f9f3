/**
 * /metrics and /healthz of the real daemon (child process) while the simulator feeds it and
 * Debian's rsyslog receives: counters move as events flow, health follows the SIEM.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import {after, before, describe, it} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {createSimulator, type Simulator} from '../../source/simulate/simulator.ts';
import {DaemonProcess, tempDirectory} from '../helpers/daemon.ts';
import {Rsyslog} from '../helpers/rsyslog.ts';

/** The value of one sample line, e.g. `metric(text, 'x_total', 'agent="a"')`. */
function metric(text: string, name: string, labels: string): number | undefined {
	const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
	return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < end) {
		try {
			const value = await probe();
			if (value !== undefined) {
				return value;
			}
		} catch (error) {
			last = error;
		}
		await delay(100);
	}
	throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function health(base: string): Promise<{status: number; body: {status: string; agents?: Array<{agent: string; status: string; reason?: string}>}}> {
	const response = await fetch(`${base}/healthz`);
	return {status: response.status, body: await response.json() as never};
}

describe('daemon --metrics', () => {
	let simulator: Simulator;
	let rsyslog: Rsyslog;

	before(async () => {
		simulator = await createSimulator({seed: 11, historyActivities: 600, historyAlerts: 20, liveActivitiesPerSecond: 40, liveAlertsPerMinute: 60, throttle: 0});
		rsyslog = await Rsyslog.start('tcp-lf');
	});

	after(async () => {
		await rsyslog?.stop();
		await simulator?.close();
	});

	it('serves moving counters, and /healthz follows the SIEM: 200, 503 with a reason when rsyslog stops, 200 again', async () => {
		const daemon = new DaemonProcess([
			'--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', `127.0.0.1:${rsyslog.port}`,
			'--stateDirectory', await tempDirectory(), '--poll-interval', '1', '--requests-per-minute', '0', '--settle', '0',
			'--metrics', '127.0.0.1:0',
		]);
		try {
			const started = await daemon.waitForLog((line) => line.code === 'STARTED' && typeof line.metrics === 'string');
			const base = String(started.metrics);
			assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);

			await until('/healthz 200', async () => ((await health(base)).status === 200 ? true : undefined));
			assert.deepEqual((await health(base)).body, {status: 'ok'});

			const sent = async (): Promise<number | undefined> => metric(await (await fetch(`${base}/metrics`)).text(), 'siem_agent_events_sent_total', 'agent="default",data_type="activities"');
			const first = await until('events sent', async () => {
				const value = await sent();
				return value !== undefined && value > 0 ? value : undefined;
			});
			const second = await until('the counter to move', async () => {
				const value = await sent();
				return value !== undefined && value > first ? value : undefined;
			});
			assert.ok(second > first);

			const text = await (await fetch(`${base}/metrics`)).text();
			assert.ok((metric(text, 'siem_agent_api_requests_total', 'agent="default",status="200"') ?? 0) > 0, 'API requests are counted');
			assert.equal(metric(text, 'siem_agent_siem_connected', 'agent="default"'), 1);
			assert.equal(metric(text, 'siem_agent_api_state', 'agent="default",state="connected"'), 1);
			assert.ok((metric(text, 'siem_agent_events_read_total', 'agent="default",data_type="alerts"') ?? 0) > 0);
			assert.ok(metric(text, 'siem_agent_checkpoint_age_seconds', 'agent="default",data_type="activities"') !== undefined);
			assert.ok(metric(text, 'siem_agent_lag_seconds', 'agent="default",data_type="activities"') !== undefined);
			assert.match(text, /^process_resident_memory_bytes \d+/m);
			const heapUsed = metric(text, 'siem_agent_engine_memory_bytes', 'kind="heap_used"') ?? 0;
			assert.ok(heapUsed > 1_000_000, 'the engine thread\'s own heap is reported');
			assert.ok((metric(text, 'siem_agent_engine_memory_bytes', 'kind="heap_size"') ?? 0) >= heapUsed);

			await rsyslog.stop();
			const down = await until('/healthz 503', async () => {
				const result = await health(base);
				return result.status === 503 ? result : undefined;
			});
			assert.equal(down.body.status, 'unavailable');
			const agent = down.body.agents?.find((a) => a.agent === 'default');
			assert.equal(agent?.status, 'unhealthy');
			assert.match(agent?.reason ?? '', new RegExp(`syslog server 127\\.0\\.0\\.1:${rsyslog.port} is not taking data \\(DATA_SERVER_`));
			assert.equal(metric(await (await fetch(`${base}/metrics`)).text(), 'siem_agent_siem_connected', 'agent="default"'), 0);

			await rsyslog.restart();
			await until('/healthz 200 after rsyslog is back', async () => ((await health(base)).status === 200 ? true : undefined), 25_000);
		} finally {
			assert.equal(await daemon.stop(), 0, daemon.stderr.slice(-2000));
		}
		// The port is released on exit.
		const port = Number(new URL(String(daemon.logs.find((line) => line.metrics)?.metrics)).port);
		await new Promise<void>((resolve, reject) => {
			const server = net.createServer().once('error', reject).listen(port, '127.0.0.1', () => server.close(() => resolve()));
		});
	});

	it('a bad --metrics value or a taken port: CONFIG_ERROR, exit 2, before anything starts', async () => {
		const bad = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1:1', '--stateDirectory', await tempDirectory(), '--metrics', '9464']);
		assert.equal((await bad.exited).code, 2);
		assert.match(bad.stderr, /"code":"CONFIG_ERROR".*--metrics \\"9464\\": the port is missing/);

		const taken = net.createServer();
		await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
		const {port} = taken.address() as net.AddressInfo;
		try {
			const clash = new DaemonProcess(['--daemon', '--url', simulator.url, '--token', simulator.token, '--syslog', '127.0.0.1:1', '--stateDirectory', await tempDirectory(), '--metrics', `127.0.0.1:${port}`]);
			assert.equal((await clash.exited).code, 2);
			assert.match(clash.stderr, new RegExp(`--metrics 127\\.0\\.0\\.1:${port}: cannot listen: the port is already in use \\(EADDRINUSE\\)`));
			assert.ok(!clash.codes().includes('STARTED'), 'the engine never started');
		} finally {
			await new Promise((resolve) => taken.close(resolve));
		}
	});
});
