/**
 * A tiny strict RFC 5424 parser for tests, written independently of the formatter, for
 * messages whose MSG is one JSON value:
 * `<PRI>1 SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA SP MSG`.
 * Throws on anything RFC 5424 does not allow (PRI out of range or zero-padded, a header field
 * that is empty, too long or not printable US-ASCII, a malformed timestamp), on structured data
 * (we never send any), and on a MSG that is not printable one-line text or not valid JSON.
 */

export interface Parsed5424 {
	pri: number;
	facility: number;
	severity: number;
	version: number;
	timestamp: string;
	hostname: string;
	appName: string;
	procId: string;
	msgId: string;
	structuredData: string;
	/** MSG as text. */
	msg: string;
	/** MSG parsed as JSON. */
	json: unknown;
}

const headerPattern = /^<(0|[1-9]\d{0,2})>(1) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) /;
const timestampPattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function printable(name: string, value: string, max: number): string {
	if (value.length > max) {
		throw new Error(name + ' longer than ' + max);
	}

	if (!/^[\u0021-\u007E]+$/.test(value)) {
		throw new Error(name + ' is not printable US-ASCII: ' + JSON.stringify(value));
	}

	return value;
}

export function parse5424(line: string): Parsed5424 {
	const match = headerPattern.exec(line);
	if (!match) {
		throw new Error('not an RFC 5424 header: ' + JSON.stringify(line.slice(0, 120)));
	}

	const pri = Number(match[1]);
	if (pri > 191) {
		throw new Error('PRI out of range: ' + pri);
	}

	const timestamp = match[3];
	if (timestamp !== '-' && (!timestampPattern.test(timestamp) || Number.isNaN(Date.parse(timestamp)))) {
		throw new Error('bad TIMESTAMP ' + JSON.stringify(timestamp));
	}

	const structuredData = match[8];
	if (structuredData !== '-') {
		throw new Error('unexpected STRUCTURED-DATA ' + JSON.stringify(structuredData));
	}

	const msg = line.slice(match[0].length);
	if (/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(msg)) {
		throw new Error('raw control character or line separator in MSG');
	}

	if (!msg.isWellFormed()) {
		throw new Error('lone surrogate in MSG');
	}

	return {
		pri,
		facility: Math.floor(pri / 8),
		severity: pri % 8,
		version: Number(match[2]),
		timestamp,
		hostname: printable('HOSTNAME', match[4], 255),
		appName: printable('APP-NAME', match[5], 48),
		procId: printable('PROCID', match[6], 128),
		msgId: printable('MSGID', match[7], 32),
		structuredData,
		msg,
		json: JSON.parse(msg) as unknown,
	};
}
