import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runSimulate, simulateFlags, simulateHelp, simulatorOptions} from '../../source/simulate/command.ts';
import {createSimulator} from '../../source/simulate/simulator.ts';

function collector() {
	const lines: string[] = [];
	return {
		lines,
		stdout: {write: (text: string) => lines.push(...text.split('\n').filter(Boolean))},
		async waitFor(test: (line: string) => boolean): Promise<string> {
			for (let n = 0; n < 500; n++) {
				const line = lines.find(l => test(l));
				if (line !== undefined) {
					return line;
				}

				await new Promise(resolve => setTimeout(resolve, 10));
			}

			throw new Error(`no such line in ${JSON.stringify(lines)}`);
		},
	};
}

test('prints the URL, the token and the daemon command, then stats, and stops on abort', async () => {
	const out = collector();
	const stop = new AbortController();
	const running = runSimulate({port: 0, seed: 3, throttle: false, rate: 0}, {stdout: out.stdout, signal: stop.signal, statsIntervalMs: 20});
	const first = await out.waitFor(line => line.startsWith('Simulated'));
	const url = /at (http:\/\/127\.0\.0\.1:\d+) /.exec(first)?.[1];
	assert.ok(url, first);
	assert.ok(first.includes(`Run: siem-agent --daemon --url ${url} --token sim-token --syslog 127.0.0.1:5514`), first);

	const response = await fetch(`${url}/api/v1/alerts/`, {method: 'POST', headers: {authorization: 'Token sim-token'}, body: '{"limit": 2}'});
	assert.equal(response.status, 200);
	assert.equal(((await response.json()) as {data: unknown[]}).data.length, 2);
	const stats = await out.waitFor(line => /requests 1 \(200: 1\); served 0 activities, 2 alerts/.test(line));
	assert.match(stats, /^\d{4}-\d\d-\d\dT.*Z requests/);

	stop.abort();
	await running;
	assert.equal(out.lines.at(-1), 'Simulator stopped.');
	await assert.rejects(fetch(`${url}/_sim/health`));
});

test('a token of the user\'s own is never printed', async () => {
	const out = collector();
	const stop = new AbortController();
	stop.abort();
	await runSimulate({token: 'my-real-looking-token'}, {stdout: out.stdout, signal: stop.signal});
	assert.ok(!out.lines.join('\n').includes('my-real-looking-token'));
	assert.match(out.lines[0], /--token <your --token>/);
});

test('flags become simulator options; --no-throttle lifts the limit', () => {
	const options = simulatorOptions({port: '8080', seed: 9, rate: '5', backlog: 1000, throttle: false, errorRate: 0.1, malformedRate: '0.2', latency: 30, hostile: 0.05, alertRate: 3});
	assert.deepEqual(options, {
		port: 8080, host: '127.0.0.1', token: 'sim-token', seed: 9, liveActivitiesPerSecond: 5, liveAlertsPerMinute: 3, backlogActivities: 1000,
		throttle: 0, hostileFraction: 0.05, faults: {errorRate: 0.1, malformedRate: 0.2, latencyMs: 30},
	});
	assert.equal(simulatorOptions({}).throttle, 30);
	assert.equal(simulatorOptions({noThrottle: true}).throttle, 0);
});

test('bad flags are usage errors that name the flag', async () => {
	for (const [flags, name] of [[{errorRate: 2}, '--error-rate'], [{rate: -1}, '--rate'], [{port: 'abc'}, '--port'], [{malformedRate: 'x'}, '--malformed-rate']] as const) {
		await assert.rejects(runSimulate(flags), (error: any) => error.code === 'USAGE_ERROR' && error.message.includes(name));
	}
});

test('a port in use is a bootstrap error', async () => {
	const sim = await createSimulator({historyActivities: 1});
	try {
		await assert.rejects(runSimulate({port: sim.port}), {code: 'BOOTSTRAP_ERROR'});
	} finally {
		await sim.close();
	}
});

test('every flag is described for --help', () => {
	for (const [name, flag] of Object.entries(simulateFlags)) {
		assert.ok(flag.help.length > 10, name);
		assert.ok(simulateHelp.includes(flag.usage), name);
	}

	assert.match(simulateHelp, /--no-throttle/);
});
