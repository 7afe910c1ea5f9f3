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
	/**
	 * Optional: takes the records of `bytes[start, end)` (objects separated by commas, as inside
	 * `data`'s brackets) straight from the bytes, and returns how many it took; or returns
	 * undefined, having done nothing, and the piece is parsed and handed to `add` as usual. It
	 * must take a piece only when JSON.parse would accept it as an array of objects (a cut is
	 * trusted because its piece parses).
	 */
	addBytes?(bytes: Uint8Array, start: number, end: number): number | undefined;
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
 * `false`: guessing "no more pages" would silently lose data. Bytes are read in place; two
 * separator bytes around a piece are swapped for brackets while it is decoded and put back.
 * @throws MalformedPageError
 */
export function readPage<R>(body: string | Uint8Array, createReader: () => RecordReader<R>, options: ReadPageOptions = {}): ReadPage<R> {
	const pieceChars = options.pieceChars ?? 65_536;
	if (typeof body !== 'string') {
		const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
		const start = bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF ? 3 : 0;
		const page = readBytesInPieces(bytes.subarray(start), createReader, pieceChars);
		if (page !== 'as-text') {
			// A cut that went wrong, or not the usual layout at all: the text path would only do the same again.
			return page ?? readWhole(bytes.toString('utf8', start), createReader());
		}

		body = bytes.toString('utf8', start);
	}

	const text = body.charCodeAt(0) === 0xFE_FF ? body.slice(1) : body;
	return readInPieces(text, createReader, pieceChars) ?? readWhole(text, createReader());
}

/** The whole body at once; validates into an ApiPage. */
export function parsePage(text: string | Uint8Array): ApiPage {
	const {records, result, ...meta} = readPage(text, collect);
	return {data: result, ...meta};
}

function collect(): RecordReader<ApiRecord[]> {
	const data: ApiRecord[] = [];
	return {
		add(records) {
			for (const record of records) {
				data.push(record);
			}
		},
		finish: () => data,
	};
}

/**
 * Where a body's records start and how they begin: undefined unless it starts
 * `{"data":[{"<key>":` (whitespace allowed).
 */
function layout(text: string): {dataStart: number; key: string} | undefined {
	head.lastIndex = 0;
	if (!head.test(text)) {
		return undefined;
	}

	const dataStart = head.lastIndex;
	firstKey.lastIndex = dataStart;
	const key = firstKey.exec(text)?.[1];
	return key === undefined ? undefined : {dataStart, key};
}

/** Hands pieces to a reader and counts what it got. */
function pieceTaker<R>(createReader: () => RecordReader<R>) {
	const reader = createReader();
	const state = {records: 0, dropped: 0, reader};
	const take = (elements: unknown[]) => {
		let objects = elements as ApiRecord[];
		if (!elements.every(element => isRecord(element))) {
			objects = elements.filter(element => isRecord(element));
			state.dropped += elements.length - objects.length;
		}

		state.records += objects.length;
		if (objects.length > 0) {
			reader.add(objects);
		}
	};

	return {state, take};
}

/** The page from its last piece (parsed with the page's head and tail), with what came before. */
function finishPage<R>(last: unknown, taker: ReturnType<typeof pieceTaker<R>>): ReadPage<R> | undefined {
	if (!isRecord(last) || !Array.isArray(last.data)) {
		return undefined;
	}

	taker.take(last.data as unknown[]);
	last.data = [];
	const meta = validate(last);
	const {records, dropped, reader} = taker.state;
	return {...meta, dropped, records, result: reader.finish()};
}

/** A body the fast path can cut: as bytes or as text. */
interface Cuttable {
	readonly length: number;
	/** The first candidate separator at or after `from`: the cut (just after its `}`) and where the next record would start. */
	next(from: number): {cut: number; start: number} | undefined;
	/** The body's bytes (the bytes path), for a reader that reads pieces from bytes. */
	bytes?: Uint8Array;
	/** The body between two offsets, as text. */
	text(start: number, end?: number): string;
	/** The records from `start` (a record's `{`) to `cut` (just after a record's `}`) as the text of a JSON array. */
	array(start: number, cut: number): string;
}

/**
 * The fast path on the raw bytes, for a compact body (`},{"<key>":` between records, as
 * services write JSON): the page never becomes one big string, only pieces do. 'as-text' for a
 * large body with whitespace between records (the text path's separators allow it); undefined
 * when the body is not laid out for pieces or a cut goes wrong.
 */
function readBytesInPieces<R>(bytes: Buffer, createReader: () => RecordReader<R>, pieceBytes: number): ReadPage<R> | 'as-text' | undefined {
	// Decoded as latin1, one character per byte: offsets and the key's bytes stay exact.
	const found = layout(bytes.toString('latin1', 0, Math.min(bytes.length, 1024)));
	if (!found) {
		return undefined;
	}

	const separator = Buffer.from(`},{${found.key}:`, 'latin1');
	if (bytes.length - found.dataStart > pieceBytes && bytes.indexOf(separator, found.dataStart) === -1) {
		return 'as-text';
	}

	return readPieces({
		length: bytes.length,
		bytes,
		next(from) {
			const at = from < bytes.length ? bytes.indexOf(separator, from) : -1;
			return at === -1 ? undefined : {cut: at + 1, start: at + 2};
		},
		text: (start, end) => bytes.toString('utf8', start, end),
		array(start, cut) {
			// The byte before a record is `,` (or the `[` of data, or space after it) and the one
			// after a cut is `,`: brackets written over them for a moment make the array text in
			// one decode, instead of a 64 KB copy to add them to the decoded piece.
			const before = bytes[start - 1];
			const after = bytes[cut];
			bytes[start - 1] = 0x5B;
			bytes[cut] = 0x5D;
			try {
				return bytes.toString('utf8', start - 1, cut + 1);
			} finally {
				bytes[start - 1] = before;
				bytes[cut] = after;
			}
		},
	}, found.dataStart, createReader, pieceBytes);
}

/** The fast path on a string (any whitespace between records). */
function readInPieces<R>(text: string, createReader: () => RecordReader<R>, pieceChars: number): ReadPage<R> | undefined {
	const found = layout(text);
	if (!found) {
		return undefined;
	}

	const separator = separatorFor(found.key);
	return readPieces({
		length: text.length,
		next(from) {
			separator.lastIndex = from;
			const match = separator.exec(text);
			return match ? {cut: match.index + 1, start: text.indexOf('{', match.index + 1)} : undefined;
		},
		text: (start, end) => text.slice(start, end),
		array: (start, cut) => '[' + text.slice(start, cut) + ']',
	}, found.dataStart, createReader, pieceChars);
}

/** Cuts, parses and hands over the pieces; undefined when a cut goes wrong (then: one whole parse). */
function readPieces<R>(body: Cuttable, dataStart: number, createReader: () => RecordReader<R>, pieceSize: number): ReadPage<R> | undefined {
	const taker = pieceTaker(createReader);
	let start = dataStart;
	let searchFrom = start + pieceSize;
	// Parsed in vain at candidates inside records; past the body's length, one whole parse is
	// cheaper (records full of nested objects that start with the same key).
	let wasted = 0;
	const fromBytes = body.bytes && taker.state.reader.addBytes ? taker.state.reader : undefined;
	for (let candidate = body.next(searchFrom); candidate; candidate = body.next(searchFrom)) {
		const taken = fromBytes?.addBytes!(body.bytes!, start, candidate.cut);
		if (taken !== undefined) {
			taker.state.records += taken;
			start = candidate.start;
			searchFrom = start + pieceSize;
			continue;
		}

		let piece: unknown[];
		try {
			piece = JSON.parse(body.array(start, candidate.cut)) as unknown[];
		} catch {
			// The candidate was inside a record: try the next one.
			wasted += candidate.cut - start;
			if (wasted > body.length) {
				return undefined;
			}

			searchFrom = candidate.cut;
			continue;
		}

		taker.take(piece);
		start = candidate.start;
		searchFrom = start + pieceSize;
	}

	let last: unknown;
	try {
		// The page's own head and tail around the last piece: a valid page exactly when the body is.
		last = JSON.parse(body.text(0, dataStart) + body.text(start));
	} catch {
		return undefined;
	}

	return finishPage(last, taker);
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
