/** The simulator's public shapes: the handle returned by `createSimulator` and its stats. */

import type {ApiRecord} from '../cloud/types.ts';
import type {Faults} from './faults.ts';

export type SimRoute = 'activities' | 'alerts';

export interface SimulatorStats {
	/** API requests received (activities and alerts routes), answered or not. */
	requests: number;
	/** Answers with HTTP 429. */
	throttled: number;
	/** Per route, answers by HTTP status (`"200"`, `"429"`...), plus `"hung"` for requests never answered. */
	byRoute: Record<SimRoute, Record<string, number>>;
	/** Faults injected so far: 500/503 answers, malformed 200 bodies, requests left hanging. */
	injected: {errors: number; malformed: number; hung: number};
	/** Records sent in well-formed 200 answers. */
	recordsServed: Record<SimRoute, number>;
	/** Records that exist right now (created, resp. raised, at or before the clock). */
	visible: Record<SimRoute, number>;
	faults: Faults;
	/** Current budget; 0 when lifted. */
	throttlePerMinute: number;
	/** Entra ID tokens issued so far (client credentials grants answered). */
	tokensIssued: number;
}

export interface Simulator {
	/** Base URL, e.g. `http://127.0.0.1:41234`; the API is under `/api/v1/`. */
	readonly url: string;
	readonly port: number;
	/** The accepted API token. */
	readonly token: string;
	/** The clock reading at start: history lies before it, live records after it. */
	readonly startedAt: number;
	/** Visible activities with `created` in [fromMs, toMs), in `created` order. */
	activitiesCreatedBetween(fromMs: number, toMs: number): ApiRecord[];
	/** How many `activitiesCreatedBetween` would return, without building them. */
	countActivitiesCreatedBetween(fromMs: number, toMs: number): number;
	/** Visible alerts with `timestamp` in [fromMs, toMs), in time order. */
	alertsBetween(fromMs: number, toMs: number): ApiRecord[];
	/** How many `alertsBetween` would return. */
	countAlertsBetween(fromMs: number, toMs: number): number;
	stats(): SimulatorStats;
	/** Changes some faults from now on; returns the faults in force. */
	setFaults(partial: Partial<Faults>): Faults;
	/** Requests per minute per token; 0 lifts throttling. */
	setThrottle(perMinute: number): void;
	/** Stops listening and drops every connection, hung ones included. */
	close(): Promise<void>;
}
