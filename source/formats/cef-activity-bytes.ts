/**
 * Activities straight from the API's JSON bytes to CEF bytes, for the plain records that make up
 * nearly every page, without building a JavaScript object, a NormalizedEvent or a string per
 * record. The work is done by a small WebAssembly module (wasm/cef-activities.c, built by
 * scripts/build-wasm.ts and embedded in wasm/cef-activities-wasm.ts); this file feeds it and
 * formats, with the general formatter, the records it leaves out. Output is byte for byte what
 * `createCefRecordFormatter` makes of the same records: the differential tests in
 * test/formats/cef-activity-bytes.test.ts hold it to that.
 *
 * Why: JSON.parse, normalize, format and the garbage they leave were about 6.5 of the engine
 * thread's 7.4 µs per activity. Most of a record is fields CEF never uses, and each used value
 * only has to be copied with `=` (extension) or `|` (header) escaped. A JavaScript scanner doing
 * the same was no faster than JSON.parse (about 1.5 ns per byte on this machine); compiled code
 * copies the values with memcpy and needs no objects at all. docs/notes.md has the numbers.
 *
 * How it stays exact:
 * - The scanner checks the full JSON grammar (strings and their escapes, numbers, literals,
 *   nesting), so it accepts a piece only when JSON.parse would; anything it is unsure of
 *   (nesting deeper than 64, an element that is not an object, any syntax error) makes it give
 *   the piece back untouched, and the caller parses it with JSON.parse as before. Pieces are cut
 *   at candidate separators and a cut is only right when the piece parses, so accepting a piece
 *   JSON.parse would reject could forge records: the scanner never does.
 * - A record is "plain" when every field the mapping reads is present with the expected type
 *   (or absent or null where the mapping allows it) and appears once; every such string is
 *   written without escapes (no `\`) and holds printable ASCII or well-formed UTF-8 other than
 *   the C1 controls and U+2028/U+2029 (the characters the escapers change); the client IP, if
 *   any, is a dotted quad or an IPv6 address of hex groups; and a name taken from the
 *   description is ASCII (String.prototype.trim knows more white space). Everything else about a
 *   plain record is ignored, as the mapping ignores it. A record that is valid JSON but not plain
 *   is parsed on its own and formatted by the general formatter, problems and all.
 * - Memory: one module instance per agent, about 1 MB; a piece over 4 MB (a record of
 *   megabytes) goes to JSON.parse, and an instance that grew past 16 MB is dropped after use.
 * - What depends on settings (the syslog header's PRI and host, the CEF prefix with the agent's
 *   version, the portal link, the app names of `APPID_<NAME>`) is made here, by the same code
 *   as the general path, and handed to the module as bytes.
 */
import type {ApiRecord} from '../cloud/types.ts';
import {formatRecord, type PieceOutput} from '../engine/piece-format.ts';
import type {Formatted} from '../engine/pipeline.ts';
import {wellKnownAppIds, appIdToken} from './app-ids.ts';
import {escapeCefExtension, escapeCefHeader} from './cef-escape.ts';
import {unspecifiedEventCategory} from './event.ts';
import {createSyslogHeader, dayPart, defaultFacility, sanitizeSystemName, syslogPri, timeFormats, type SyslogHeaderOptions} from './syslog-header.ts';
import {MessageBatch} from '../transports/batch.ts';
import {moduleBase64} from './wasm/cef-activities-wasm.ts';

export interface ActivityBytesOptions extends SyslogHeaderOptions {
	agentVersion: string;
	portalUrl: string;
	/** The general formatter, for records that are not plain. */
	format(record: ApiRecord): Formatted;
}

/** A piece's messages (PieceOutput, `run` as bytes): valid until the next call of `transcode`. */
export interface TranscodedPiece extends PieceOutput {
	run: Uint8Array;
	/** Records (all objects) in the piece, and how many of them the module wrote itself (the rest: the general formatter). */
	records: number;
	plain: number;
}

export interface ActivityBytesTranscoder {
	/**
	 * The activities of `bytes[start, end)`: JSON objects separated by commas (and whitespace),
	 * as between `[` and `]` of a page's `data`. Undefined when the text is not exactly that,
	 * or not certainly: then nothing happened and the caller parses the piece itself.
	 */
	transcode(bytes: Uint8Array, start: number, end: number): TranscodedPiece | undefined;
}

/** What this file uses of the WebAssembly API (the project's types do not include the DOM's). */
interface Wasm {
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object, imports: object) => {exports: unknown};
}

interface ModuleExports {
	memory: {buffer: ArrayBuffer; grow(pages: number): number};
	__heap_base: {value: number};
	init(): void;
	set_constant(which: number, at: number, length: number): void;
	set_app_token(id: number, at: number, length: number): void;
	set_time_format(format: number): void;
	result_address(): number;
	transcode(input: number, start: number, stop: number, output: number, capacity: number, marks: number, markCapacity: number): number;
}

/** The module's constants (cef-activities.c's K_*). */
const constant = {pri: 0, host: 1, prefix: 2, link: 3, unspecified: 4} as const;
const pageSize = 65_536;

let compiled: object | undefined;

/**
 * One compilation per thread; each transcoder gets an instance (its own memory and settings).
 * Throws where the runtime has no WebAssembly (Node with --jitless, some hardened builds) or no
 * memory for an instance.
 */
function instantiate(imports: {day_text(day: number, target: number): number}): ModuleExports {
	const api = (globalThis as {WebAssembly?: Wasm}).WebAssembly;
	if (!api) {
		throw new Error('WebAssembly is not available in this runtime');
	}

	compiled ??= new api.Module(Buffer.from(moduleBase64, 'base64'));
	return new api.Instance(compiled, {env: imports}).exports as ModuleExports;
}

/** Pieces larger than this (a record of megabytes) go to JSON.parse: the module's memory stays small. */
const maxPieceBytes = 4 * 1024 * 1024;
/** A module instance whose memory grew past this (for a large piece) is dropped after the call: memory never shrinks. */
const dropAboveBytes = 16 * 1024 * 1024;

/** An instance of the module with an agent's constants in its memory. */
interface Session {
	wasm: ModuleExports;
	memory: Uint8Array;
	/** Where the constants end: the marks, the piece and the output go from here. */
	base: number;
	result: number;
}

/**
 * The transcoder for one agent's activities (CEF). Throws AgentError CONFIG_ERROR for settings
 * the header cannot take, as createSyslogHeader does, and an Error where the runtime cannot run
 * the module (no WebAssembly, or no memory for it).
 */
export function createActivityBytesTranscoder(options: ActivityBytesOptions): ActivityBytesTranscoder {
	createSyslogHeader(options);
	const timeFormat = options.timeFormat ?? 'rfc5424';
	const facility = options.facility ?? defaultFacility;
	const portal = options.portalUrl.endsWith('/') ? options.portalUrl.slice(0, -1) : options.portalUrl;
	const constants: Array<[which: number, text: string]> = [
		[constant.pri, options.includePri ? syslogPri(facility, 6) : ''],
		[constant.host, options.includeSystemName ? ' ' + sanitizeSystemName(options.systemName ?? '') + ' ' : ' '],
		[constant.prefix, 'CEF:0|MCAS|SIEM_Agent|' + escapeCefHeader(String(options.agentVersion)) + '|'],
		// The link up to the id, escaped once: ext(a + b) is ext(a) + ext(b) for ASCII text.
		[constant.link, escapeCefExtension(portal + '/#/audits?activity.id=eq(')],
		[constant.unspecified, unspecifiedEventCategory],
	];
	let constantBytes = 0;

	/** Grows the session's memory to `bytes` at least (throws when the module's maximum is reached). */
	const ensureMemory = (session: Session, bytes: number): void => {
		const {memory} = session.wasm;
		if (bytes > memory.buffer.byteLength) {
			memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / pageSize));
			session.memory = new Uint8Array(memory.buffer);
		}
	};

	const setUp = (): Session => {
		// The header's date part comes from syslog-header.ts, once per day: the same text as the general path's.
		const wasm = instantiate({
			day_text(day, target) {
				const written = Buffer.from(dayPart(day * 86_400, timeFormat), 'latin1');
				session.memory.set(written.subarray(0, 16), target);
				return Math.min(written.length, 16);
			},
		});
		wasm.init();
		wasm.set_time_format(timeFormats.indexOf(timeFormat));
		const session: Session = {wasm, memory: new Uint8Array(wasm.memory.buffer), base: 0, result: wasm.result_address()};
		let top = wasm.__heap_base.value;
		const place = (text: string): {at: number; length: number} => {
			const bytes = Buffer.from(text, 'utf8');
			ensureMemory(session, top + bytes.length);
			session.memory.set(bytes, top);
			top += bytes.length;
			return {at: top - bytes.length, length: bytes.length};
		};

		constantBytes = 0;
		for (const [which, text] of constants) {
			const {at, length} = place(text);
			wasm.set_constant(which, at, length);
			constantBytes += length;
		}

		for (const id of wellKnownAppIds.keys()) {
			const {at, length} = place(escapeCefExtension(appIdToken(id)));
			wasm.set_app_token(id, at, length);
		}

		session.base = (top + 7) & ~7;
		return session;
	};

	let session: Session | undefined = setUp();
	const piece: TranscodedPiece = {run: new Uint8Array(0), records: 0, count: 0, plain: 0, newestTime: 0, newestCreated: 0, bad: [], failed: []};

	/** A record that is not plain, through the general formatter: its line, or undefined when the formatter threw. */
	const general = (text: Buffer, start: number, end: number): Uint8Array | undefined => {
		const line = formatRecord(JSON.parse(text.toString('utf8', start, end)) as ApiRecord, options.format, piece);
		// As the general path joins its lines (a line break in a message becomes a space).
		return line === undefined ? undefined : Buffer.from(MessageBatch.run([line]), 'utf8');
	};

	/** The module's output with the general records' lines put in at their marks. */
	const withGenerals = (text: Buffer, start: number, output: Uint8Array, marks: Uint32Array): Uint8Array => {
		const parts: Uint8Array[] = [];
		let from = 0;
		// A line that is not there (the formatter threw) takes one of its LFs with it.
		let dropLf = false;
		for (let n = 0; n < marks.length; n += 3) {
			const at = marks[n]!;
			let chunk = output.subarray(from, at);
			if (dropLf && chunk.length > 0) {
				chunk = chunk.subarray(1);
				dropLf = false;
			}

			const line = general(text, start + marks[n + 1]!, start + marks[n + 2]!);
			if (line) {
				parts.push(chunk, line);
				piece.count++;
			} else if (chunk.length > 0) {
				parts.push(chunk.subarray(0, -1));
			} else {
				dropLf = true;
			}

			from = at;
		}

		let rest = output.subarray(from);
		if (dropLf && rest.length > 0) {
			rest = rest.subarray(1);
		}

		parts.push(rest);
		return Buffer.concat(parts);
	};

	const transcode = (bytes: Uint8Array, start: number, end: number): TranscodedPiece | undefined => {
		const length = end - start;
		if (length > maxPieceBytes) {
			return undefined;
		}

		const current = session ??= setUp();
		const {wasm, base, result} = current;
		// A record is at least `{}` and a comma: room for a mark per record.
		const markCapacity = Math.floor((length + 1) / 3) + 1;
		const inputAt = base + (markCapacity * 12);
		const outputAt = inputAt + length;
		// Plain lines are about as long as their records; the module asks for more if a piece needs it.
		let outputCapacity = (length * 4) + constantBytes + 65_536;
		ensureMemory(current, outputAt + outputCapacity);
		current.memory.set(bytes.subarray(start, end), inputAt);
		for (;;) {
			const status = wasm.transcode(inputAt, 0, length, outputAt, outputCapacity, base, markCapacity);
			if (status === 1) {
				break;
			}

			// 0: not certainly valid JSON; 3: out of marks (cannot happen with a mark per three bytes).
			if (status !== 2) {
				return undefined;
			}

			// Growing keeps what the memory holds: the piece stays where it is.
			outputCapacity *= 2;
			ensureMemory(current, outputAt + outputCapacity);
		}

		const view = new DataView(current.memory.buffer);
		piece.newestTime = view.getFloat64(result, true);
		piece.newestCreated = view.getFloat64(result + 8, true);
		piece.records = view.getUint32(result + 16, true);
		piece.count = view.getUint32(result + 20, true);
		piece.plain = piece.count;
		const outputLength = view.getUint32(result + 24, true);
		const generals = view.getUint32(result + 28, true);
		piece.bad = [];
		piece.failed = [];
		const output = current.memory.subarray(outputAt, outputAt + outputLength);
		if (generals === 0) {
			piece.run = output;
			return piece;
		}

		const text = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const marks = new Uint32Array(current.memory.buffer, base, generals * 3).slice();
		piece.run = withGenerals(text, start, output, marks);
		return piece;
	};

	return {
		transcode(bytes, start, end) {
			try {
				return transcode(bytes, start, end);
			} catch {
				// Not expected (the scan vouches for every record it hands to JSON.parse; memory is
				// bounded by maxPieceBytes); the caller's own parse then decides, as it would
				// without this path, and the next piece gets a fresh instance.
				session = undefined;
				return undefined;
			} finally {
				// The piece's run is copied by the caller before the next call: a large instance
				// can go now (a new one is made for the next piece).
				if (session && session.memory.byteLength > dropAboveBytes) {
					session = undefined;
				}
			}
		},
	};
}
