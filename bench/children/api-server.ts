/**
 * The API side of a benchmark, in its own process so its CPU is not the harness's. Run with
 * fork(); argv[2] is JSON `{mode, simulator}`:
 * - `simulator`: the simulated tenant (source/simulate), generating records as it serves them;
 * - `replay`: the same simulator's activity pages rendered once up front and then served from
 *   memory, so a run measures the agent rather than the generator. Only the scan is replayed:
 *   the first query of a run gets page 0, `nextQueryFilters` leads to the next pages, and any
 *   later query (the next poll) gets an empty page until `reset`.
 * Messages: → {type: 'ready', url, records}; {type: 'stats'} → {type: 'stats', stats};
 * {type: 'reset'} → {type: 'reset'}; {type: 'stop'} closes and exits.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {createSimulator, type SimulatorOptions} from '../../source/simulate/simulator.ts';

interface Options {
	mode: 'simulator' | 'replay';
	simulator: SimulatorOptions;
}

/** What the harness reads back: requests and records by route. */
export interface ApiStats {
	requests: number;
	byRoute: Record<string, Record<string, number>>;
	recordsServed: Record<string, number>;
}

type Message = {type: 'stats' | 'reset' | 'stop'};

const options = JSON.parse(process.argv[2]) as Options;
// The harness went away (it crashed or was killed): do not linger.
process.on('disconnect', () => process.exit(0));
const send = (message: unknown): void => {
	process.send!(message);
};

if (options.mode === 'simulator') {
	const simulator = await createSimulator(options.simulator);
	process.on('message', (message: Message) => {
		if (message.type === 'stats') {
			const {requests, byRoute, recordsServed} = simulator.stats();
			send({type: 'stats', stats: {requests, byRoute, recordsServed}});
		} else if (message.type === 'reset') {
			send({type: 'reset'});
		} else if (message.type === 'stop') {
			void simulator.close().then(() => process.exit(0));
		}
	});
	send({type: 'ready', url: simulator.url, records: simulator.stats().visible.activities});
} else {
	const {pages, records} = await render(options.simulator);
	let servedFirst = false;
	const stats: ApiStats = {requests: 0, byRoute: {activities: {}, alerts: {}}, recordsServed: {activities: 0, alerts: 0}};
	const empty: Buffer = Buffer.from('{"data":[],"hasNext":false,"total":0}');
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const route = request.url?.includes('/alerts') ? 'alerts' : 'activities';
			stats.requests++;
			stats.byRoute[route]['200'] = (stats.byRoute[route]['200'] ?? 0) + 1;
			let page: Buffer = empty;
			if (route === 'activities') {
				const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {filters?: {replayPage?: number}};
				const index = body.filters?.replayPage;
				if (typeof index === 'number') {
					page = pages[index]?.body ?? empty;
					stats.recordsServed.activities += pages[index]?.records ?? 0;
				} else if (!servedFirst) {
					servedFirst = true;
					page = pages[0].body;
					stats.recordsServed.activities += pages[0].records;
				}
			}
			response.writeHead(200, {'content-type': 'application/json; charset=utf-8', 'content-length': page.length});
			response.end(page);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	process.on('message', (message: Message) => {
		if (message.type === 'stats') {
			send({type: 'stats', stats});
		} else if (message.type === 'reset') {
			servedFirst = false;
			send({type: 'reset'});
		} else if (message.type === 'stop') {
			server.closeAllConnections();
			server.close(() => process.exit(0));
		}
	});
	send({type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, records});
}

/** Scans the simulator once, page by page, and keeps every page body with its link rewritten. */
async function render(simulatorOptions: SimulatorOptions): Promise<{pages: Array<{body: Buffer; records: number}>; records: number}> {
	const simulator = await createSimulator(simulatorOptions);
	const pages: Array<{body: Buffer; records: number}> = [];
	let records = 0;
	try {
		let filters: unknown = {created: {gte: 0, lt: simulator.startedAt + 1}};
		for (;;) {
			const response = await fetch(`${simulator.url}/api/v1/activities/`, {
				method: 'POST',
				headers: {authorization: `Token ${simulator.token}`, 'content-type': 'application/json'},
				body: JSON.stringify({filters, isScan: true, limit: 5000}),
			});
			const text = await response.text();
			const page = JSON.parse(text) as {data: unknown[]; hasNext: boolean; nextQueryFilters?: unknown};
			records += page.data.length;
			const marker = text.lastIndexOf(',"nextQueryFilters":');
			const body = page.hasNext
				? (marker === -1 ? JSON.stringify({...page, nextQueryFilters: {replayPage: pages.length + 1}}) : `${text.slice(0, marker)},"nextQueryFilters":{"replayPage":${pages.length + 1}}}`)
				: text;
			pages.push({body: Buffer.from(body), records: page.data.length});
			if (!page.hasNext) {
				break;
			}
			filters = page.nextQueryFilters;
		}
	} finally {
		await simulator.close();
	}
	return {pages, records};
}
