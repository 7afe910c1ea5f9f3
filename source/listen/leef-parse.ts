/**
 * A LEEF reader for `siem-agent listen --parse`: splits a received line into its syslog prefix,
 * the header fields and the attributes. LEEF 2.0 names its attribute delimiter in the header
 * (a character, or `xHH`/`0xHH`; tab when the field is left out); LEEF 1.0 always uses tab.
 * Values are taken verbatim up to the next delimiter, as QRadar does (LEEF has no escapes
 * there); in the header `\\` and `\|` are unescaped.
 */

export interface LeefMessage {
	/** Whatever precedes `LEEF:` (PRI, time stamp, host name), trimmed; '' when none. */
	syslogHeader: string;
	/** `1.0` or `2.0`, as written. */
	version: string;
	vendor: string;
	product: string;
	productVersion: string;
	eventId: string;
	/** The attribute delimiter (the character itself, e.g. "\t" or "^"). */
	delimiter: string;
	/** Attribute key/values in order of appearance (a repeated key keeps the last value). */
	attributes: Record<string, string>;
}

/** A delimiter field: one character, or its code as `xHH`/`0xHH` (up to four hex digits). */
const delimiterPattern = /^(?:0?x([\dA-Fa-f]{2,4})|([^\dA-Za-z]))$/;

/** The delimiter a LEEF 2.0 header field names, or undefined when the field is something else. */
export function leefDelimiterOf(field: string): string | undefined {
	const match = delimiterPattern.exec(field);
	if (!match) {
		return undefined;
	}
	return match[1] === undefined ? match[2] : String.fromCharCode(Number.parseInt(match[1], 16));
}

/** Unescape a header field: `\\` and `\|`; any other backslash stays as written. */
function unescapeHeader(text: string): string {
	return text.includes('\\') ? text.replace(/\\([\\|])/g, '$1') : text;
}

/**
 * Split the header's `|`-separated fields from `start`, at most `count`; returns them and where
 * the text after the last one starts.
 */
function headerFields(line: string, start: number, count: number): {fields: string[]; end: number} {
	const fields: string[] = [];
	let from = start;
	let index = start;
	while (fields.length < count && index < line.length) {
		const char = line[index];
		if (char === '\\') {
			// Skip the escaped character, whatever it is: `\|` never ends a field.
			index += 2;
			continue;
		}
		if (char === '|') {
			fields.push(line.slice(from, index));
			from = index + 1;
		}
		index++;
	}
	return {fields, end: from};
}

/**
 * Parse LEEF attributes: split on the delimiter, each key up to its first `=`. A piece without
 * `=` belongs to the value before it (a delimiter the sender did not replace).
 */
export function parseLeefAttributes(text: string, delimiter: string): Record<string, string> {
	// A null prototype: a key named __proto__ must be an ordinary key.
	const result = Object.create(null) as Record<string, string>;
	let last: string | undefined;
	for (const piece of text.split(delimiter)) {
		const equals = piece.indexOf('=');
		if (equals > 0) {
			last = piece.slice(0, equals);
			result[last] = piece.slice(equals + 1);
		} else if (last !== undefined) {
			result[last] += delimiter + piece;
		}
	}
	return result;
}

/** Parse a LEEF 1.0 or 2.0 line (with or without a syslog header before `LEEF:`); undefined when it is not LEEF. */
export function parseLeef(line: string): LeefMessage | undefined {
	const marker = line.search(/LEEF:[12]\.0\|/);
	if (marker === -1) {
		return undefined;
	}
	const {fields, end} = headerFields(line, marker + 5, 5);
	if (fields.length < 5) {
		return undefined;
	}
	const [version, vendor, product, productVersion, eventId] = fields.map(unescapeHeader);
	let rest = line.slice(end).replace(/[\r\n]+$/, '');
	let delimiter = '\t';
	if (version === '2.0') {
		// The delimiter field is optional: present when a `|` follows a delimiter spec (or nothing: tab).
		const bar = rest.indexOf('|');
		const field = bar === -1 ? undefined : rest.slice(0, bar);
		const named = field === '' ? '\t' : (field === undefined ? undefined : leefDelimiterOf(field));
		if (named !== undefined) {
			delimiter = named;
			rest = rest.slice(bar + 1);
		}
	}
	return {
		syslogHeader: line.slice(0, marker).trim(),
		version,
		vendor,
		product,
		productVersion,
		eventId,
		delimiter,
		attributes: parseLeefAttributes(rest, delimiter),
	};
}
