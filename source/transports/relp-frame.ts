/**
 * RELP frames (rsyslog's Reliable Event Logging Protocol, librelp doc/relp.md):
 * `TXNR SP COMMAND SP DATALEN [SP DATA] LF`, where TXNR is 1–999,999,999 (0 for the server's
 * hints such as `serverclose`), COMMAND 1–32 letters, and DATALEN the byte length of DATA
 * (no `SP DATA` when it is 0). A `rsp` frame's DATA is `CODE [SP TEXT] [LF BODY]`, 200 for OK.
 */

/** TXNRs run 1 … 999,999,999, then start again at 1. */
export const maxTxnr = 999_999_999;

/** Larger DATALENs are refused as malformed (an answer is a few hundred bytes). */
const maxDataBytes = 1024 * 1024;
/** A header (two 9-digit numbers, a 32-letter command, two spaces) fits in this. */
const maxHeaderBytes = 9 + 1 + 32 + 1 + 9 + 1;

export interface RelpFrame {
	txnr: number;
	command: string;
	data: Buffer;
}

export interface RelpResponse {
	/** 200 is OK; anything else is an error. */
	status: number;
	/** The human-readable text after the code, e.g. `OK`. */
	text: string;
	/** What follows the first LF: the offers, in answer to `open`. */
	body: string;
}

/** A frame that breaks the grammar: the connection cannot be trusted any more. */
export class RelpFrameError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RelpFrameError';
	}
}

/** Encode one frame. */
export function encodeFrame(txnr: number, command: string, data: string | Buffer = ''): Buffer {
	const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
	const header = body.length === 0 ? `${txnr} ${command} 0\n` : `${txnr} ${command} ${body.length} `;
	if (body.length === 0) {
		return Buffer.from(header, 'latin1');
	}
	const frame = Buffer.allocUnsafe(Buffer.byteLength(header, 'latin1') + body.length + 1);
	const offset = frame.write(header, 'latin1');
	body.copy(frame, offset);
	frame[frame.length - 1] = 0x0A;
	return frame;
}

/** The next TXNR after `txnr`. */
export function nextTxnr(txnr: number): number {
	return txnr >= maxTxnr ? 1 : txnr + 1;
}

/** Split a `rsp` frame's data into its code, text and body. Throws RelpFrameError. */
export function parseResponse(data: Buffer): RelpResponse {
	const text = data.toString('utf8');
	const match = /^(\d{3})(?: ([^\n]*))?(?:\n([\s\S]*))?$/.exec(text);
	if (!match) {
		throw new RelpFrameError(`malformed rsp data "${text.slice(0, 80)}"`);
	}
	return {status: Number(match[1]), text: match[2] ?? '', body: match[3] ?? ''};
}

/** The offers of an `open` answer (`name=value,value` per line). */
export function parseOffers(body: string): Map<string, string[]> {
	const offers = new Map<string, string[]>();
	for (const line of body.split('\n')) {
		if (line === '') {
			continue;
		}
		const equals = line.indexOf('=');
		const name = equals === -1 ? line : line.slice(0, equals);
		offers.set(name, equals === -1 ? [] : line.slice(equals + 1).split(','));
	}
	return offers;
}

/** Incremental parser: feed chunks as they arrive, get whole frames back. */
export class RelpParser {
	#pending: Buffer = Buffer.alloc(0);

	/** Consume a chunk; returns the frames it completed. Throws RelpFrameError on bad input. */
	push(chunk: Uint8Array): RelpFrame[] {
		let buffer = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
		const frames: RelpFrame[] = [];
		for (;;) {
			const frame = readFrame(buffer);
			if (!frame) {
				break;
			}
			frames.push(frame.frame);
			buffer = buffer.subarray(frame.end);
		}
		this.#pending = Buffer.from(buffer);
		return frames;
	}
}

function readFrame(buffer: Buffer): {frame: RelpFrame; end: number} | undefined {
	const header = /^(\d{1,9}) ([A-Za-z]{1,32}) (\d{1,9})([ \n])/.exec(buffer.subarray(0, maxHeaderBytes).toString('latin1'));
	if (!header) {
		if (buffer.length >= maxHeaderBytes || !/^\d{0,9}(?: [A-Za-z]{0,32}(?: \d{0,9})?)?$/.test(buffer.toString('latin1'))) {
			throw new RelpFrameError(`malformed frame header "${buffer.subarray(0, 40).toString('latin1')}"`);
		}
		return undefined;
	}
	const [whole, txnr, command, length, separator] = header;
	const dataLength = Number(length);
	if (dataLength > maxDataBytes) {
		throw new RelpFrameError(`frame of ${dataLength} bytes is larger than ${maxDataBytes}`);
	}
	const start = whole.length;
	if (separator === '\n') {
		if (dataLength !== 0) {
			throw new RelpFrameError(`frame "${whole.trim()}" announces ${dataLength} bytes and has none`);
		}
		return {frame: {txnr: Number(txnr), command, data: Buffer.alloc(0)}, end: start};
	}
	// A zero DATALEN may be followed by a stray space before the LF; anything else is an error.
	if (buffer.length < start + dataLength + 1) {
		return undefined;
	}
	if (buffer[start + dataLength] !== 0x0A) {
		throw new RelpFrameError(`frame ${txnr} ${command} does not end with LF after ${dataLength} bytes`);
	}
	return {frame: {txnr: Number(txnr), command, data: Buffer.from(buffer.subarray(start, start + dataLength))}, end: start + dataLength + 1};
}
