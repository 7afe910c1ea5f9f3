/**
 * One API query, from request body to response text: validation (400 on anything the API
 * would refuse), filters, sort, skip/limit paging and scan mode with `nextQueryFilters`.
 */

import type {Dataset} from './dataset.ts';
import {compileFilters, type FilterPlan} from './filters.ts';
import {badRequest} from './http-error.ts';
import {ordered, type Direction, type Position} from './ordering.ts';

/** The filter field that carries the scan position inside `nextQueryFilters`. */
export const scanCursorField = '_scanCursor';
/** Default and maximum page size outside scan mode (SPEC §2). */
export const pageLimit = 100;
/** Page size bounds in scan mode (SPEC §2); the default is the minimum. */
export const scanLimits = {min: 500, max: 5000} as const;
/** Alerts cap `total` here and set `moreThanTotal` beyond it. */
export const alertsMax = 10_000;

export interface Query {
	filters: Record<string, unknown> | undefined;
	sortField: string;
	sortDirection: Direction;
	skip: number;
	limit: number;
	isScan: boolean;
	after?: Position;
}

export interface QueryResult {
	body: string;
	records: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(name: string, value: unknown, fallback: number): number {
	if (value === undefined || value === null) {
		return fallback;
	}

	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
		throw badRequest(`"${name}" must be a non-negative integer.`);
	}

	return n;
}

function encodeCursor(query: Query, position: Position): string {
	return `v1:${query.sortField}:${query.sortDirection}:${position.value}:${position.index}`;
}

function decodeCursor(query: Query, value: unknown): Position {
	const text = isPlainObject(value) ? value.after : undefined;
	const parts = typeof text === 'string' ? text.split(':') : [];
	const [version, field, direction] = parts;
	const position = {value: Number(parts[3]), index: Number(parts[4])};
	if (parts.length !== 5 || version !== 'v1' || !Number.isFinite(position.value) || !Number.isInteger(position.index)) {
		throw badRequest(`"${scanCursorField}" is not a cursor this server issued; send nextQueryFilters back unchanged.`);
	}

	if (field !== query.sortField || direction !== query.sortDirection) {
		throw badRequest(`The scan cursor was issued for sortField "${field}" ${direction}; keep the sort of the first page.`);
	}

	return position;
}

/**
 * Reads a request body into a query.
 * @throws HttpError 400 when the API would refuse it.
 */
export function parseQuery(dataset: Dataset, body: unknown): Query {
	if (!isPlainObject(body)) {
		throw badRequest('The request body must be a JSON object.');
	}

	const isScan = body.isScan === true || body.isScan === 'true';
	if (body.isScan !== undefined && typeof body.isScan !== 'boolean' && body.isScan !== 'true' && body.isScan !== 'false') {
		throw badRequest('"isScan" must be true or false.');
	}

	if (isScan && dataset.name !== 'activities') {
		throw badRequest('Scan mode ("isScan") is available for activities only.');
	}

	const sortField = body.sortField === undefined ? 'date' : body.sortField;
	if (typeof sortField !== 'string' || !Object.hasOwn(dataset.sorts, sortField)) {
		throw badRequest(`"sortField" must be one of ${Object.keys(dataset.sorts).join(', ')} for ${dataset.name}.`);
	}

	const sortDirection = body.sortDirection === undefined ? 'desc' : body.sortDirection;
	if (sortDirection !== 'asc' && sortDirection !== 'desc') {
		throw badRequest('"sortDirection" must be "asc" or "desc".');
	}

	const limit = integer('limit', body.limit, isScan ? scanLimits.min : pageLimit);
	if (isScan && (limit < scanLimits.min || limit > scanLimits.max)) {
		throw badRequest(`In scan mode "limit" must be between ${scanLimits.min} and ${scanLimits.max}.`);
	}

	if (!isScan && (limit < 1 || limit > pageLimit)) {
		throw badRequest(`"limit" must be between 1 and ${pageLimit} (use scan mode for larger pages).`);
	}

	const skip = integer('skip', body.skip, 0);
	const query: Query = {filters: undefined, sortField, sortDirection, skip: isScan ? 0 : skip, limit, isScan};
	if (body.filters !== undefined && body.filters !== null) {
		if (!isPlainObject(body.filters)) {
			throw badRequest('"filters" must be an object of {"<field>": {"<operator>": value}}.');
		}

		const {[scanCursorField]: cursor, ...rest} = body.filters;
		query.filters = rest;
		if (cursor !== undefined) {
			if (!isScan) {
				throw badRequest(`"${scanCursorField}" is only valid in scan mode.`);
			}

			query.after = decodeCursor(query, cursor);
		}
	}

	return query;
}

/** Counts matches per filter plan, caching counts so that scan pages do not recount a million records. */
export class MatchCounter {
	readonly #cache = new Map<string, {lo: number; hi: number; count: number}>();

	count(plan: FilterPlan): number {
		const {lo, hi, predicate} = plan;
		if (!predicate) {
			return hi - lo;
		}

		const cached = this.#cache.get(plan.key);
		let from = lo;
		let count = 0;
		// New records only ever join at the end, so a count for a shorter range can be extended.
		if (cached && cached.lo === lo && cached.hi <= hi) {
			from = cached.hi;
			count = cached.count;
		}

		for (let i = from; i < hi; i++) {
			if (predicate(i)) {
				count++;
			}
		}

		this.#cache.delete(plan.key);
		this.#cache.set(plan.key, {lo, hi, count});
		if (this.#cache.size > 64) {
			this.#cache.delete(this.#cache.keys().next().value!);
		}

		return count;
	}
}

/** Runs `query` against the records visible at `now`. */
export function runQuery(dataset: Dataset, query: Query, now: number, counter: MatchCounter): QueryResult {
	const visibleEnd = dataset.timeline.visibleEnd(now);
	const plan = compileFilters(dataset, query.filters, now, visibleEnd);
	const matches = ordered(dataset, query.sortField, query.sortDirection, plan, query.after);
	for (let k = 0; k < query.skip; k++) {
		if (matches.next().done) {
			break;
		}
	}

	const parts: string[] = [];
	let last = query.after;
	while (parts.length < query.limit) {
		const next = matches.next();
		if (next.done) {
			break;
		}

		parts.push(dataset.json(next.value.index));
		last = next.value;
	}

	const hasNext = parts.length === query.limit && !matches.next().done;
	matches.return(undefined);
	const total = counter.count(plan);
	let body = `{"data":[${parts.join(',')}],"hasNext":${hasNext},"total":${dataset.name === 'alerts' ? Math.min(total, alertsMax) : total}`;
	if (dataset.name === 'alerts') {
		body += `,"max":${alertsMax},"moreThanTotal":${total > alertsMax}`;
	}

	if (query.isScan) {
		// The original filters plus where this page ended: the client sends it back verbatim.
		const next: Record<string, unknown> = {...query.filters};
		if (last) {
			next[scanCursorField] = {after: encodeCursor(query, last)};
		}

		body += `,"nextQueryFilters":${JSON.stringify(next)}`;
	}

	return {body: body + '}', records: parts.length};
}
