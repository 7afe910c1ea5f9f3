/**
 * Turns a response body into a validated page, or says why it is malformed.
 *
 * A scan page holds up to 5,000 records (several MB of JSON). Parsing it whole would hold
 * every record as objects at once, tens of MB per page, most of them promoted to the old
 * generation before they are formatted. `readPage` instead parses `data` in pieces of a few
 * dozen KB and hands each piece to a reader (the engine formats it and lets it go), so a page
 * costs its text, its output and one piece of objects.
 *
 * How pieces are cut without a JSON scanner of our own: a page that starts `{"data":[{"<key>":`
 * has its records separated by `},{"<key>":` (whitespace allowed). Such a sequence can also
 * occur inside a record (in a string, or a nested object with the same first key), so a cut
 * is only a candidate: the piece `[` + text from a record start to the cut + `]` is handed to
 * JSON.parse, which succeeds exactly when the cut is a record boundary (a proper prefix of an
 * object is never a complete JSON value). A failed candidate is skipped (records whose nested
 * objects start with the same key cost extra parsing, bounded by one more parse of the body);
 * the last piece is
 * parsed together with the page's own head and tail, so `hasNext`, `total` and
 * `nextQueryFilters` are read by JSON.parse too. Anything unexpected (another layout, too many
 * failed candidates, a body that is not JSON) falls back to one parse of the whole body, which
 * also words the error.
 */

import type {ApiPage, ApiRecord, PageMeta} from './types.ts';

/** Why a body was rejected; the client retries these and then throws MALFORMED_RESPONSE. */
export class MalformedPageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MalformedPageError';
	}
}

/** Takes a page's records piece by piece, in order, and makes something of them. */
export interface RecordReader<R> {
	add(records: ApiRecord[]): void;
	finish(): R;
}

/** A validated page, its records already consumed by a reader. */
export interface ReadPage<R> extends PageMeta {
	/** Objects in `data` (handed to the reader). */
	records: number;
	result: R;
}

export interface ReadPageOptions {
	/** Characters of `data` per piece. @default 65536 */
	pieceChars?: number;
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

const head = /[ \t\n\r]*\{[ \t\n\r]*"data"[ \t\n\r]*:[ \t\n\r]*\[[ \t\n\r]*(?=\{)/y;
const firstKey = /\{[ \t\n\r]*("(?:[^"\\\u0000-\u001F]|\\.)*")[ \t\n\r]*:/y;
const separators = new Map<string, RegExp>();

function separatorFor(key: string): RegExp {
	let separator = separators.get(key);
	if (!separator) {
		const literal = key.replaceAll(/[\\^$.*+?()[\]{}|/]/g, String.raw`\$&`);
		separator = new RegExp(String.raw`\}[ \t\n\r]*,[ \t\n\r]*\{[ \t\n\r]*${literal}[ \t\n\r]*:`, 'g');
		if (separators.size < 16) {
			separators.set(key, separator);
		}
	}

	return separator;
}

/**
 * Parses `{data: [...], hasNext, total?, nextQueryFilters?}`, handing the objects of `data` to
 * a reader from `createReader` piece by piece. Elements of `data` that are not objects are
 * dropped and counted in `dropped`. A missing or unreadable `hasNext` is malformed rather than
 * `false`: guessing "no more pages" would silently lose data.
 * @throws MalformedPageError
 */
export function readPage<R>(text: string, createReader: () => RecordReader<R>, options: ReadPageOptions = {}): ReadPage<R> {
	const body = text.charCodeAt(0) === 0xFE_FF ? text.slice(1) : text;
	return readInPieces(body, createReader, options.pieceChars ?? 65_536) ?? readWhole(body, createReader());
}

/** The whole body at once; validates into an ApiPage. */
export function parsePage(text: string): ApiPage {
	const {records, result, ...meta} = readPage(text, collect);
	return {data: result, ...meta};
}

function collect(): RecordReader<ApiRecord[]> {
	let data: ApiRecord[] = [];
	return {
		add(records) {
			data = data.length === 0 ? records : data.concat(records);
		},
		finish: () => data,
	};
}

/** The fast path; undefined when the body is not laid out for it or a cut goes wrong. */
function readInPieces<R>(text: string, createReader: () => RecordReader<R>, pieceChars: number): ReadPage<R> | undefined {
	head.lastIndex = 0;
	if (!head.test(text)) {
		return undefined;
	}

	const dataStart = head.lastIndex;
	firstKey.lastIndex = dataStart;
	const key = firstKey.exec(text)?.[1];
	if (key === undefined) {
		return undefined;
	}

	const separator = separatorFor(key);
	const reader = createReader();
	let records = 0;
	let dropped = 0;
	const take = (elements: unknown[]) => {
		let objects = elements as ApiRecord[];
		if (!elements.every(element => isRecord(element))) {
			objects = elements.filter(element => isRecord(element));
			dropped += elements.length - objects.length;
		}

		records += objects.length;
		if (objects.length > 0) {
			reader.add(objects);
		}
	};

	let start = dataStart;
	let searchFrom = start + pieceChars;
	// Characters parsed in vain at candidates inside records; past the body's length, one whole
	// parse is cheaper (records full of nested objects that start with the same key).
	let wasted = 0;
	for (;;) {
		separator.lastIndex = searchFrom;
		const match = separator.exec(text);
		if (!match) {
			break;
		}

		const cut = match.index + 1;
		let piece: unknown[];
		try {
			piece = JSON.parse('[' + text.slice(start, cut) + ']') as unknown[];
		} catch {
			// The candidate was inside a record: try the next one.
			wasted += cut - start;
			if (wasted > text.length) {
				return undefined;
			}

			searchFrom = cut;
			continue;
		}

		take(piece);
		start = text.indexOf('{', cut);
		searchFrom = start + pieceChars;
	}

	let last: unknown;
	try {
		// The page's own head and tail around the last piece: a valid page exactly when the body is.
		last = JSON.parse(text.slice(0, dataStart) + text.slice(start));
	} catch {
		return undefined;
	}

	if (!isRecord(last) || !Array.isArray(last.data)) {
		return undefined;
	}

	take(last.data as unknown[]);
	last.data = [];
	const meta = validate(last);
	return {...meta, dropped, records, result: reader.finish()};
}

function readWhole<R>(text: string, reader: RecordReader<R>): ReadPage<R> {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		const start = text.trimStart().slice(0, 40).replaceAll(/[\u0000-\u001F]/g, ' ');
		throw new MalformedPageError(`the body is not JSON (${text.length} characters, starting "${start}")`);
	}

	if (!isRecord(body)) {
		throw new MalformedPageError(`the body is ${Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'null' : `a ${typeof body}`}, not an object`);
	}

	const meta = validate(body);
	const raw = body.data as unknown[];
	let data = raw as ApiRecord[];
	if (!raw.every(element => isRecord(element))) {
		data = raw.filter(element => isRecord(element));
	}

	if (data.length > 0) {
		reader.add(data);
	}

	return {...meta, dropped: raw.length - data.length, records: data.length, result: reader.finish()};
}

/** Everything but `data`'s elements. */
function validate(body: ApiRecord): PageMeta {
	if (!Array.isArray(body.data)) {
		throw new MalformedPageError(`"data" is ${body.data === undefined ? 'missing' : 'not an array'}`);
	}

	const hasNext = coerceBoolean(body.hasNext);
	if (hasNext === undefined) {
		throw new MalformedPageError(`"hasNext" is ${body.hasNext === undefined ? 'missing' : 'not a boolean'}`);
	}

	const meta: PageMeta = {hasNext};
	const total = typeof body.total === 'string' && body.total.trim() !== '' ? Number(body.total) : body.total;
	if (typeof total === 'number' && Number.isFinite(total) && total >= 0) {
		meta.total = total;
	}

	if (body.nextQueryFilters !== undefined && body.nextQueryFilters !== null) {
		meta.nextQueryFilters = body.nextQueryFilters;
	}

	return meta;
}
