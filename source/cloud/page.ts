/** Turns a response body into a validated `ApiPage`, or says why it is malformed. */

import type {ApiPage, ApiRecord} from './types.ts';

/** Why a body was rejected; the client retries these and then throws MALFORMED_RESPONSE. */
export class MalformedPageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MalformedPageError';
	}
}

function coerceBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') {
		return value;
	}

	if (value === 0 || value === 1) {
		return value === 1;
	}

	if (typeof value === 'string') {
		const lower = value.trim().toLowerCase();
		if (lower === 'true' || lower === 'false') {
			return lower === 'true';
		}
	}

	return undefined;
}

function isRecord(value: unknown): value is ApiRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses `{data: [...], hasNext, total?, nextQueryFilters?}`. Elements of `data` that are not
 * objects are dropped and counted in `dropped`. A missing or unreadable `hasNext` is
 * malformed rather than `false`: guessing "no more pages" would silently lose data.
 * @throws MalformedPageError
 */
export function parsePage(text: string): ApiPage {
	let body: unknown;
	try {
		// One parse of the whole body: cheaper than streaming for pages of a few MB.
		body = JSON.parse(text.charCodeAt(0) === 0xFE_FF ? text.slice(1) : text);
	} catch {
		const start = text.trimStart().slice(0, 40).replaceAll(/[\u0000-\u001F]/g, ' ');
		throw new MalformedPageError(`the body is not JSON (${text.length} characters, starting "${start}")`);
	}

	if (!isRecord(body)) {
		throw new MalformedPageError(`the body is ${Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'null' : `a ${typeof body}`}, not an object`);
	}

	if (!Array.isArray(body.data)) {
		throw new MalformedPageError(`"data" is ${body.data === undefined ? 'missing' : 'not an array'}`);
	}

	const hasNext = coerceBoolean(body.hasNext);
	if (hasNext === undefined) {
		throw new MalformedPageError(`"hasNext" is ${body.hasNext === undefined ? 'missing' : 'not a boolean'}`);
	}

	const raw = body.data as unknown[];
	let data = raw as ApiRecord[];
	if (!raw.every(element => isRecord(element))) {
		data = raw.filter(element => isRecord(element));
	}

	const page: ApiPage = {data, hasNext, dropped: raw.length - data.length};
	const total = typeof body.total === 'string' && body.total.trim() !== '' ? Number(body.total) : body.total;
	if (typeof total === 'number' && Number.isFinite(total) && total >= 0) {
		page.total = total;
	}

	if (body.nextQueryFilters !== undefined && body.nextQueryFilters !== null) {
		page.nextQueryFilters = body.nextQueryFilters;
	}

	return page;
}
