/**
 * Paging as pure functions of (cursor, response). A data type is read in closed time windows
 * [from, to): activities on `created` (when the service stored them, so late arrivals, whose
 * `timestamp` is hours old, still fall into a window that has not been read yet), alerts on
 * `date`. A window ends `settle` ms before now, so records still being indexed wait for the
 * next window instead of being skipped. Within a window, activities are read in scan mode
 * (the server's `nextQueryFilters` is the resume point) and alerts with skip/limit.
 */
import type {ApiFilters, DataType, PageMeta, QueryBody} from '../cloud/types.ts';
import type {Cursor} from './protocol.ts';

export interface WindowOptions {
	now: number;
	/** How far back a first start, or a start after a long gap, reaches. */
	backfillMs: number;
	/** Newest records left for the next window. */
	settleMs: number;
}

/** Scan page size for activities (SPEC §2: 500–5000). */
export const scanLimit = 5000;
/** Page size for alerts (SPEC §2: at most 100). */
export const pageLimit = 100;

export type StartReason = 'first-start' | 'gap' | 'resume';

/**
 * Where to start reading: the saved cursor, or the last `backfillMs` when there is none or
 * when it is older than that (SPEC §1: after a long gap, only the last two days).
 */
export function startCursor(saved: Cursor | undefined, options: WindowOptions): {cursor: Cursor; reason: StartReason} {
	const floor = options.now - options.backfillMs;
	if (!saved) {
		return {cursor: {from: floor, to: floor}, reason: 'first-start'};
	}
	if (saved.to < floor) {
		// Down for longer than the horizon: whatever remained of the old window is out of reach.
		return {cursor: {from: floor, to: floor}, reason: 'gap'};
	}
	return {cursor: saved, reason: 'resume'};
}

/** True when the window has been read to its end. */
export function windowDone(cursor: Cursor): boolean {
	return cursor.next === undefined && !cursor.skip;
}

/**
 * Opens the next window once the current one is done: [to, now − settle).
 * Returns undefined when there is nothing new to ask for yet.
 */
export function nextWindow(cursor: Cursor, options: Pick<WindowOptions, 'now' | 'settleMs'>): Cursor | undefined {
	const to = options.now - options.settleMs;
	if (to <= cursor.to) {
		return undefined;
	}
	return {from: cursor.to, to};
}

function windowField(dataType: DataType): string {
	return dataType === 'activities' ? 'created' : 'date';
}

/** The request body that reads the next page at `cursor`, with the user's "Apply to" filters ANDed in. */
export function queryFor(dataType: DataType, cursor: Cursor, filters: ApiFilters): QueryBody {
	// Scan pages keep one sort from first to last; `created` ascending is also the cheapest for the service.
	if (dataType === 'activities' && cursor.next !== undefined) {
		return {filters: cursor.next, sortField: 'created', sortDirection: 'asc', isScan: true, limit: scanLimit};
	}
	const windowFilters: ApiFilters = {...filters, [windowField(dataType)]: {gte: cursor.from, lt: cursor.to}};
	if (dataType === 'activities') {
		return {filters: windowFilters, sortField: 'created', sortDirection: 'asc', isScan: true, limit: scanLimit};
	}
	return {filters: windowFilters, sortField: 'date', sortDirection: 'asc', skip: cursor.skip ?? 0, limit: pageLimit};
}

/**
 * The cursor after `page` has been delivered. A page read piece by piece gives its record
 * count; alerts skip every element the service returned, including dropped non-objects.
 */
export function advance(dataType: DataType, cursor: Cursor, page: PageMeta & ({data: unknown[]} | {records: number})): Cursor {
	const base = {from: cursor.from, to: cursor.to};
	if (!page.hasNext) {
		return base;
	}
	if (dataType === 'activities') {
		if (page.nextQueryFilters === undefined || page.nextQueryFilters === null) {
			// A scan page that says "more" but gives no way to get it cannot be continued; the
			// caller treats this as a malformed response and retries the same page.
			throw new TypeError('scan page has hasNext=true but no nextQueryFilters');
		}
		return {...base, next: page.nextQueryFilters};
	}
	const received = ('records' in page ? page.records : page.data.length) + (page.dropped ?? 0);
	return received === 0 ? base : {...base, skip: (cursor.skip ?? 0) + received};
}
