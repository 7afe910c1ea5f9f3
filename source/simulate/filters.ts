/**
 * Turns the API's `{"<field>": {"<op>": value}}` filters (SPEC §2, all ANDed) into an index
 * range plus a residual predicate. Time conditions on the timeline key are pure index
 * arithmetic; everything else is checked per record.
 */

import type {Dataset, FieldSpec, FieldType, FieldValue} from './dataset.ts';
import {badRequest} from './http-error.ts';

export interface FilterPlan {
	/** Candidate indices are [lo, hi), already limited to the visible records. */
	lo: number;
	hi: number;
	/** Conditions the range does not capture; null when every index in the range matches. */
	predicate: ((i: number) => boolean) | null;
	/** Canonical text of the resolved filters: equal keys select the same records. */
	key: string;
}

const day = 86_400_000;

const opsByType: Readonly<Record<FieldType, readonly string[]>> = {
	time: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'range', 'gte_ndays', 'lte_ndays', 'isset', 'isnotset'],
	number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'range', 'isset', 'isnotset'],
	string: ['eq', 'neq', 'isset', 'isnotset', 'startswith', 'contains', 'text'],
	boolean: ['eq', 'neq', 'isset', 'isnotset'],
};
const allOps = new Set(Object.values(opsByType).flat());

type Predicate = (i: number) => boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toNumber(field: string, op: string, value: unknown, type: FieldType): number {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return value;
	}

	if (typeof value === 'string' && value.trim() !== '') {
		const n = Number(value);
		if (Number.isFinite(n)) {
			return n;
		}

		const date = type === 'time' ? Date.parse(value) : Number.NaN;
		if (Number.isFinite(date)) {
			return date;
		}
	}

	throw badRequest(`Filter "${field}" operator "${op}" expects a number${type === 'time' ? ' (epoch milliseconds)' : ''}, got ${JSON.stringify(value) ?? 'nothing'}.`);
}

// Comparable text of a filter operand, the same way `normalizeValue` writes a record's value.
function normalizeOperand(field: string, op: string, value: unknown, type: FieldType): string {
	if (type === 'number' || type === 'time') {
		return String(toNumber(field, op, value, type));
	}

	if (type === 'boolean') {
		if (value === true || value === 'true' || value === 1) {
			return 'true';
		}

		if (value === false || value === 'false' || value === 0) {
			return 'false';
		}

		throw badRequest(`Filter "${field}" operator "${op}" expects true or false.`);
	}

	// Entity filters accept `{id, type}` pointers as well as bare ids.
	if (isPlainObject(value) && value.id !== undefined) {
		return String(value.id);
	}

	if (typeof value === 'string' || typeof value === 'number') {
		return String(value);
	}

	throw badRequest(`Filter "${field}" operator "${op}" expects a string, got ${JSON.stringify(value) ?? 'nothing'}.`);
}

function asList(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [value];
}

function values(x: FieldValue): ReadonlyArray<string | number | boolean> {
	if (x === null) {
		return [];
	}

	return Array.isArray(x) ? x : [x as string | number | boolean];
}

function anyValue(spec: FieldSpec, test: (x: string | number | boolean) => boolean): Predicate {
	return i => values(spec.value(i)).some(x => test(x));
}

function buildPredicate(field: string, spec: FieldSpec, op: string, operand: unknown, now: number): {test: Predicate; resolved: unknown} {
	const {type} = spec;
	switch (op) {
		case 'eq':
		case 'neq': {
			const set = new Set(asList(operand).map(v => normalizeOperand(field, op, v, type)));
			const hit = anyValue(spec, x => set.has(String(x)));
			return {test: op === 'eq' ? hit : i => !hit(i), resolved: [...set].sort()};
		}

		case 'gt':
		case 'gte':
		case 'lt':
		case 'lte':
		case 'gte_ndays':
		case 'lte_ndays': {
			let limit = toNumber(field, op, operand, type);
			let cmp = op as 'gt' | 'gte' | 'lt' | 'lte';
			if (op === 'gte_ndays' || op === 'lte_ndays') {
				// "within the last n days" / "more than n days ago"
				limit = now - (limit * day);
				cmp = op === 'gte_ndays' ? 'gte' : 'lte';
			}

			const compare = {gt: (x: number) => x > limit, gte: (x: number) => x >= limit, lt: (x: number) => x < limit, lte: (x: number) => x <= limit}[cmp];
			return {test: anyValue(spec, x => compare(Number(x))), resolved: {[cmp]: limit}};
		}

		case 'range': {
			const intervals = asList(operand).map(item => {
				const pair = Array.isArray(item) ? {start: item[0], end: item[1]} : item;
				if (!isPlainObject(pair)) {
					throw badRequest(`Filter "${field}" operator "range" expects a list of {start, end}.`);
				}

				return [toNumber(field, op, pair.start, type), toNumber(field, op, pair.end, type)] as const;
			});
			const test = anyValue(spec, x => intervals.some(([start, end]) => Number(x) >= start && Number(x) <= end));
			return {test, resolved: intervals};
		}

		case 'isset':
		case 'isnotset': {
			const wanted = (op === 'isset') === (operand !== false && operand !== 'false');
			return {test: i => (values(spec.value(i)).length > 0) === wanted, resolved: wanted};
		}

		default: {
			// Case-insensitive text matches, as in the portal's search boxes.
			const needles = asList(operand).map(v => normalizeOperand(field, op, v, 'string').toLowerCase());
			const match = {
				startswith: (x: string) => needles.some(n => x.startsWith(n)),
				contains: (x: string) => needles.some(n => x.includes(n)),
				text: (x: string) => needles.some(n => n.split(/\s+/).filter(Boolean).every(word => x.includes(word))),
			}[op]!;
			return {test: anyValue(spec, x => match(String(x).toLowerCase())), resolved: needles};
		}
	}
}

/**
 * Compiles `filters` for `dataset` at time `now`; only indices below `visibleEnd` exist.
 * @throws HttpError 400 for an unknown field, an unknown or unsupported operator, or a bad operand.
 */
export function compileFilters(dataset: Dataset, filters: unknown, now: number, visibleEnd: number): FilterPlan {
	if (filters === undefined || filters === null) {
		return {lo: 0, hi: visibleEnd, predicate: null, key: '{}'};
	}

	if (!isPlainObject(filters)) {
		throw badRequest('"filters" must be an object of {"<field>": {"<operator>": value}}.');
	}

	let minKey = Number.NEGATIVE_INFINITY;
	let maxKey = Number.POSITIVE_INFINITY;
	const predicates: Predicate[] = [];
	const resolved: Array<[string, string, unknown]> = [];
	for (const field of Object.keys(filters).sort()) {
		const spec = dataset.fields[field];
		if (!spec || !Object.hasOwn(dataset.fields, field)) {
			throw badRequest(`Unknown filter field "${field}" for ${dataset.name}. Known fields: ${Object.keys(dataset.fields).join(', ')}.`);
		}

		const ops = filters[field];
		if (!isPlainObject(ops) || Object.keys(ops).length === 0) {
			throw badRequest(`Filter "${field}" must be an object of {"<operator>": value}.`);
		}

		for (const op of Object.keys(ops).sort()) {
			if (!allOps.has(op)) {
				throw badRequest(`Unknown filter operator "${op}" on "${field}".`);
			}

			const allowed = spec.ops ?? opsByType[spec.type];
			if (!allowed.includes(op)) {
				throw badRequest(`Filter "${field}" does not support operator "${op}"; use one of ${allowed.join(', ')}.`);
			}

			const {test, resolved: operand} = buildPredicate(field, spec, op, ops[op], now);
			resolved.push([field, op, operand]);
			const bounds = keyBounds(op, operand);
			if (spec.order && bounds) {
				const lag = spec.order === 'near' ? spec.lag ?? 0 : 0;
				minKey = Math.max(minKey, bounds[0]);
				maxKey = Math.min(maxKey, bounds[1] + lag);
				// On the key itself the bounds say it all; for a nearby value they only narrow.
				if (spec.order === 'key' && bounds[2]) {
					continue;
				}
			}

			predicates.push(test);
		}
	}

	const {lowerBound} = dataset.timeline;
	const lo = minKey === Number.NEGATIVE_INFINITY ? 0 : lowerBound(Math.ceil(minKey), 0, visibleEnd);
	const hi = maxKey === Number.POSITIVE_INFINITY ? visibleEnd : Math.max(lo, lowerBound(Math.floor(maxKey) + 1, 0, visibleEnd));
	let predicate: Predicate | null = null;
	if (predicates.length === 1) {
		predicate = predicates[0];
	} else if (predicates.length > 1) {
		predicate = i => predicates.every(test => test(i));
	}

	return {lo, hi, predicate, key: JSON.stringify(resolved)};
}

// [min, max, exact]: the range of values an operator admits, and whether that range is all it says.
function keyBounds(op: string, operand: unknown): [number, number, boolean] | undefined {
	const o = operand as Record<string, number>;
	switch (op) {
		case 'gt': {
			return [Math.floor(o.gt) + 1, Number.POSITIVE_INFINITY, true];
		}

		case 'gte':
		case 'gte_ndays': {
			return [o.gte, Number.POSITIVE_INFINITY, true];
		}

		case 'lt': {
			return [Number.NEGATIVE_INFINITY, Math.ceil(o.lt) - 1, true];
		}

		case 'lte':
		case 'lte_ndays': {
			return [Number.NEGATIVE_INFINITY, o.lte, true];
		}

		case 'range': {
			const intervals = operand as Array<readonly [number, number]>;
			return [Math.min(...intervals.map(r => r[0])), Math.max(...intervals.map(r => r[1])), intervals.length === 1];
		}

		case 'eq': {
			const times = (operand as string[]).map(Number);
			return [Math.min(...times), Math.max(...times), false];
		}

		default: {
			return undefined;
		}
	}
}
