/**
 * An RFC 5424 reader for `siem-agent listen --parse`, for messages whose MSG is one JSON object
 * (the agent's `json` format): `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`.
 * Lenient about the header (any non-space tokens, structured data skipped as written), strict
 * about the MSG: it must parse as a JSON object, else the line is not this format.
 */

export interface JsonMessage {
	pri: number;
	/** PRI / 8, e.g. 16 for local0. */
	facility: number;
	/** PRI % 8, e.g. 4 for warning. */
	severity: number;
	/** The syslog protocol version (1). */
	version: number;
	/** `-` (RFC 5424's nil value) is kept as written. */
	timestamp: string;
	hostname: string;
	appName: string;
	procId: string;
	msgId: string;
	/** Structured data as written (`-` when none). */
	structuredData: string;
	/** MSG, parsed. */
	message: Record<string, unknown>;
}

const headerPattern = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** Length of the structured data at the start of `text` (`-` or `[…]` elements, quoted values with `\"`), or -1. */
function structuredDataLength(text: string): number {
	if (text.startsWith('-')) {
		return 1;
	}
	let index = 0;
	while (text[index] === '[') {
		let quoted = false;
		index++;
		for (; index < text.length; index++) {
			const char = text[index];
			if (quoted && char === '\\') {
				index++;
			} else if (char === '"') {
				quoted = !quoted;
			} else if (char === ']' && !quoted) {
				break;
			}
		}
		if (index >= text.length) {
			return -1;
		}
		index++;
	}
	return index === 0 ? -1 : index;
}

/** Parse an RFC 5424 line whose MSG is a JSON object; undefined otherwise. */
export function parseJson5424(line: string): JsonMessage | undefined {
	const match = headerPattern.exec(line);
	if (!match) {
		return undefined;
	}
	const afterHeader = line.slice(match[0].length);
	const sdLength = structuredDataLength(afterHeader);
	if (sdLength === -1 || (afterHeader.length > sdLength && afterHeader[sdLength] !== ' ')) {
		return undefined;
	}
	// RFC 5424 allows a UTF-8 byte-order mark in front of MSG.
	const msg = afterHeader.slice(sdLength + 1).replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
	if (!msg.startsWith('{')) {
		return undefined;
	}
	let message: unknown;
	try {
		message = JSON.parse(msg);
	} catch {
		return undefined;
	}
	if (message === null || typeof message !== 'object' || Array.isArray(message)) {
		return undefined;
	}
	const pri = Number(match[1]);
	return {
		pri,
		facility: Math.floor(pri / 8),
		severity: pri % 8,
		version: 1,
		timestamp: match[2],
		hostname: match[3],
		appName: match[4],
		procId: match[5],
		msgId: match[6],
		structuredData: afterHeader.slice(0, sdLength),
		message: message as Record<string, unknown>,
	};
}
