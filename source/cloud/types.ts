/**
 * Shapes of the Defender for Cloud Apps REST API (SPEC §2), as the agent sees them.
 * Records are untrusted: every field is optional and may have the wrong type.
 */

import type {Code} from '../errors.ts';
import type {ReadPage, RecordReader} from './page.ts';

export type DataType = 'alerts' | 'activities';
export const dataTypes: readonly DataType[] = ['alerts', 'activities'];

/** An alert or activity exactly as the API returned it. */
export type ApiRecord = Record<string, unknown>;

/** `{ "<field>": { "<op>": value } }`, all ANDed (SPEC §2). */
export type ApiFilters = Record<string, Record<string, unknown>>;

/** Body of `POST /api/v1/{activities,alerts}/`. */
export interface QueryBody {
	filters?: ApiFilters | unknown;
	sortField?: string;
	sortDirection?: 'asc' | 'desc';
	skip?: number;
	limit?: number;
	isScan?: boolean;
}

/** Everything a validated response page says besides its records. */
export interface PageMeta {
	hasNext: boolean;
	total?: number;
	/** Scan mode: send back verbatim as `filters` for the next page. */
	nextQueryFilters?: unknown;
	/** Elements of `data` that were not objects and were left out (set by the client). */
	dropped?: number;
}

/** A validated response page. */
export interface ApiPage extends PageMeta {
	data: ApiRecord[];
}

/** What the client reports while it works (for logs, stats and the dashboard). */
export type ClientEvent =
	/** One HTTP exchange got an answer; `ms` covers headers and body. */
	| {type: 'request'; dataType: DataType; status: number; ms: number}
	/** A request waits: `server` on HTTP 429, `local` when the client's own rate limit holds it. */
	| {type: 'throttled'; dataType: DataType; waitMs: number; source: 'server' | 'local'}
	/** An Entra ID token request ended: the HTTP status, or 0 when no answer came. */
	| {type: 'token'; status: number; ms: number}
	/** A failed attempt will be retried after `delayMs`; `attempt` counts failures (1-based). */
	| {type: 'retry'; dataType: DataType; attempt: number; delayMs: number; code: Code; message?: string};

/** The API client the engine pages with. */
export interface CloudClient {
	/**
	 * Sends one query and returns the validated page, after retries and throttling.
	 * Rejects with an AgentError, or with the signal's reason when aborted.
	 */
	query(dataType: DataType, body: QueryBody, options?: {signal?: AbortSignal}): Promise<ApiPage>;
	/**
	 * Like `query`, but the records go to a reader piece by piece while the body is parsed
	 * (a new reader per attempt: a retried answer starts again), so a large page is never held
	 * as objects all at once. Resolves with the page's meta and what the reader made.
	 */
	read<R>(dataType: DataType, body: QueryBody, createReader: () => RecordReader<R>, options?: {signal?: AbortSignal}): Promise<ReadPage<R>>;
	/** Aborts pending queries and closes the connections. */
	close(): Promise<void>;
}
