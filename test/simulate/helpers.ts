/** Shared helpers of the simulator tests: real HTTP requests against a simulator on port 0. */

import type {Simulator} from '../../source/simulate/simulator.ts';

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body, or undefined when it is not JSON. */
	body: any;
}

export type Route = 'activities' | 'alerts';

/** A fake clock that tests move by hand. */
export function fakeClock(start = Date.UTC(2025, 0, 15, 12, 0, 0)) {
	let time = start;
	return {
		now: () => time,
		advance(ms: number) {
			time += ms;
		},
	};
}

/** POSTs `body` to the route (or sends `init` as is) and reads the answer. */
export async function call(sim: Simulator, route: Route | string, body?: unknown, init: RequestInit & {token?: string | null} = {}): Promise<Answer> {
	const path = route === 'activities' || route === 'alerts' ? `/api/v1/${route}/` : route;
	const headers = new Headers(init.headers);
	if (init.token !== null && !headers.has('authorization')) {
		headers.set('authorization', `Token ${init.token ?? sim.token}`);
	}

	const response = await fetch(sim.url + path, {
		method: init.method ?? 'POST',
		...init,
		headers,
		body: init.body ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await response.text();
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}

	return {status: response.status, headers: response.headers, text, body: parsed};
}

/** A 200 page, or a failed assertion that shows why not. */
export async function page(sim: Simulator, route: Route, body: unknown): Promise<any> {
	const answer = await call(sim, route, body);
	if (answer.status !== 200) {
		throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
	}

	return answer.body;
}

/** Every record of a scan, following nextQueryFilters until hasNext is false. */
export async function scanAll(sim: Simulator, body: Record<string, unknown>): Promise<{records: any[]; pages: number; totals: number[]}> {
	const records: any[] = [];
	const totals: number[] = [];
	let filters = body.filters;
	let pages = 0;
	for (;;) {
		const p = await page(sim, 'activities', {...body, isScan: true, filters});
		pages++;
		records.push(...p.data);
		totals.push(p.total);
		if (!p.hasNext) {
			return {records, pages, totals};
		}

		filters = p.nextQueryFilters;
	}
}

/** Every page of a skip/limit listing. */
export async function listAll(sim: Simulator, route: Route, body: Record<string, unknown>, limit = 100): Promise<any[]> {
	const records: any[] = [];
	for (let skip = 0; ; skip += limit) {
		const p = await page(sim, route, {...body, skip, limit});
		records.push(...p.data);
		if (!p.hasNext) {
			return records;
		}
	}
}

export const ids = (records: ReadonlyArray<Record<string, unknown>>): string[] => records.map(r => String(r._id));
