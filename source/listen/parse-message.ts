/**
 * `siem-agent listen --parse`: one received message → one JSON-ready object, whatever the
 * agent's format. Detected per message: an RFC 5424 line (`<PRI>1 `) whose MSG is a JSON
 * object is `json`; otherwise the first `CEF:` or `LEEF:` marker decides (one inside a value
 * of the other format comes later, so it cannot win); anything else is `{raw}`.
 * A marker must start the line or follow a space or `>`; failing that, any `CEF:`/`LEEF:` counts.
 */
import {parseCef, type CefMessage} from './cef-parse.ts';
import {parseJson5424, type JsonMessage} from './json-parse.ts';
import {parseLeef, type LeefMessage} from './leef-parse.ts';

export type ParsedMessage =
	| ({format: 'cef'} & CefMessage)
	| ({format: 'leef'} & LeefMessage)
	| ({format: 'json'} & JsonMessage)
	| {raw: string};

/** Where a format's marker starts, at the line start or after a space or `>`; -1 when absent. */
function markerAt(line: string, pattern: RegExp): number {
	const match = pattern.exec(line);
	return match ? match.index + match[1].length : -1;
}

const cefMarker = /(^|[ >])CEF:\d/;
const leefMarker = /(^|[ >])LEEF:[12]\.0\|/;

/** Parse one received message as CEF, LEEF or JSON in RFC 5424; `{raw}` when it is none of them. */
export function parseMessage(line: string): ParsedMessage {
	if (line.startsWith('<')) {
		const json = parseJson5424(line);
		if (json) {
			return {format: 'json', ...json};
		}
	}

	const cef = markerAt(line, cefMarker);
	const leef = markerAt(line, leefMarker);
	if (leef !== -1 && (cef === -1 || leef < cef)) {
		const parsed = parseLeef(line.slice(leef));
		if (parsed) {
			return {format: 'leef', ...parsed, syslogHeader: line.slice(0, leef).trim()};
		}
	}

	if (cef !== -1) {
		const parsed = parseCef(line.slice(cef));
		if (parsed) {
			return {format: 'cef', ...parsed, syslogHeader: line.slice(0, cef).trim()};
		}
	}

	// A marker glued to what precedes it (`app:CEF:0|…`), as the first version of --parse took it.
	const loose = parseCef(line);
	if (loose) {
		return {format: 'cef', ...loose};
	}

	const looseLeef = parseLeef(line);
	return looseLeef ? {format: 'leef', ...looseLeef} : {raw: line};
}
