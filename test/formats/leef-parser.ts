/**
 * A tiny strict LEEF 2.0 parser for tests, written independently of the formatter from IBM's
 * LEEF guide: the header is six `|`-separated fields after `LEEF:` (`\\` and `\|` are the only
 * escapes there), the sixth names the attribute delimiter (one character, or `x`/`0x` and hex);
 * attributes are split on that delimiter, each key runs to its first `=`, the value is
 * everything after it, verbatim. Anything else throws: a raw control character other than the
 * delimiter tab, a U+2028/U+2029, a lone surrogate, a bad or duplicate key, a missing field.
 */

export interface ParsedLeef {
	/** Everything before `LEEF:` (the syslog PRI, time and host name). */
	prefix: string;
	version: string;
	vendor: string;
	product: string;
	productVersion: string;
	eventId: string;
	/** The header's delimiter field as written, e.g. `x09` or `^`. */
	delimiterField: string;
	/** The attribute delimiter it names. */
	delimiter: string;
	/** Attribute values by key, in line order. */
	attributes: Map<string, string>;
}

const keyPattern = /^[A-Za-z][A-Za-z\d_]*$/;

export function parseLeef(line: string): ParsedLeef {
	if (/[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/.test(line)) {
		throw new Error('raw control character or line separator in message');
	}

	if (!line.isWellFormed()) {
		throw new Error('lone surrogate in message');
	}

	// `LEEF:` alone may occur in a host name; `LEEF:2.0|` cannot (the header writes `|` as `_`).
	const start = line.indexOf('LEEF:2.0|');
	if (start === -1) {
		throw new Error('no LEEF:2.0| marker');
	}

	const header: string[] = [];
	let field = '';
	let from = start + 5;
	let i = from;
	for (; i < line.length && header.length < 6; i++) {
		const c = line[i];
		if (c === '\\') {
			const next = line[i + 1];
			if (next !== '\\' && next !== '|') {
				throw new Error('bad header escape at ' + i);
			}

			field += line.slice(from, i) + next;
			from = ++i + 1;
		} else if (c === '|') {
			header.push(field + line.slice(from, i));
			field = '';
			from = i + 1;
		} else if (c === '\t') {
			throw new Error('tab in the LEEF header at ' + i);
		}
	}

	if (header.length < 6) {
		throw new Error('header has ' + header.length + ' of 6 fields');
	}

	const [version, vendor, product, productVersion, eventId, delimiterField] = header;

	const delimiter = delimiterOf(delimiterField);
	const attributes = parseAttributes(line.slice(i), delimiter);
	return {prefix: line.slice(0, start), version, vendor, product, productVersion, eventId, delimiterField, delimiter, attributes};
}

function delimiterOf(field: string): string {
	if (/^0?x[\dA-Fa-f]{2,4}$/.test(field)) {
		return String.fromCharCode(Number.parseInt(field.slice(field.indexOf('x') + 1), 16));
	}

	if (field.length === 1) {
		return field;
	}

	throw new Error('bad delimiter field "' + field + '"');
}

function parseAttributes(text: string, delimiter: string): Map<string, string> {
	if (text === '') {
		throw new Error('no attributes');
	}

	if (delimiter !== '\t' && text.includes('\t')) {
		throw new Error('raw tab in attributes delimited by ' + JSON.stringify(delimiter));
	}

	const result = new Map<string, string>();
	for (const pair of text.split(delimiter)) {
		const equals = pair.indexOf('=');
		if (equals === -1) {
			throw new Error('attribute without "=": ' + JSON.stringify(pair.slice(0, 80)));
		}

		const key = pair.slice(0, equals);
		if (!keyPattern.test(key)) {
			throw new Error('bad attribute key ' + JSON.stringify(key));
		}

		if (result.has(key)) {
			throw new Error('duplicate attribute ' + key);
		}

		result.set(key, pair.slice(equals + 1));
	}

	return result;
}
