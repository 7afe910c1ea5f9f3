/**
 * A tiny strict CEF parser for tests, written independently of the formatter: it splits the
 * header on unescaped pipes, the extension on unescaped `key=` boundaries, and unescapes.
 * Anything not allowed by the CEF spec (unknown escapes, raw line breaks, a bad key, a
 * duplicate key, a missing header field) throws.
 */

export interface ParsedCef {
	/** Everything before `CEF:` (the syslog PRI, time and host name). */
	prefix: string;
	version: string;
	vendor: string;
	product: string;
	deviceVersion: string;
	signatureId: string;
	name: string;
	severity: string;
	/** Extension values by key, unescaped, in line order. */
	extension: Map<string, string>;
}

const keyPattern = /^[A-Za-z\d_]+$/;

export function parseCef(line: string): ParsedCef {
	if (/[\r\n]/.test(line)) {
		throw new Error('raw line break in message');
	}

	const start = line.indexOf('CEF:');
	if (start === -1) {
		throw new Error('no CEF: marker');
	}

	const header: string[] = [];
	let field = '';
	let from = start + 4;
	let i = from;
	for (; i < line.length && header.length < 7; i++) {
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
		}
	}

	if (header.length < 7) {
		throw new Error('header has ' + header.length + ' of 7 fields');
	}

	return {
		prefix: line.slice(0, start),
		version: header[0],
		vendor: header[1],
		product: header[2],
		deviceVersion: header[3],
		signatureId: header[4],
		name: header[5],
		severity: header[6],
		extension: parseExtension(line.slice(i)),
	};
}

function parseExtension(text: string): Map<string, string> {
	const result = new Map<string, string>();
	if (text === '') {
		return result;
	}

	// Positions of unescaped '=': every other '=' is part of a value.
	const equals: number[] = [];
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '\\') {
			i++;
		} else if (text[i] === '=') {
			equals.push(i);
		}
	}

	if (equals.length === 0) {
		throw new Error('extension without key=value');
	}

	let keyStart = 0;
	for (const [n, eq] of equals.entries()) {
		const key = text.slice(keyStart, eq);
		if (!keyPattern.test(key)) {
			throw new Error('bad extension key "' + key + '"');
		}

		let valueEnd = text.length;
		let nextKeyStart = text.length;
		if (n + 1 < equals.length) {
			const nextEq = equals[n + 1];
			const space = text.lastIndexOf(' ', nextEq);
			if (space <= eq) {
				throw new Error('no space before key at ' + nextEq);
			}

			valueEnd = space;
			nextKeyStart = space + 1;
		}

		if (result.has(key)) {
			throw new Error('duplicate key ' + key);
		}

		result.set(key, unescapeValue(text.slice(eq + 1, valueEnd)));
		keyStart = nextKeyStart;
	}

	return result;
}

function unescapeValue(raw: string): string {
	let out = '';
	let from = 0;
	for (let i = raw.indexOf('\\'); i !== -1; i = raw.indexOf('\\', from)) {
		out += raw.slice(from, i);
		const next = raw[i + 1];
		from = i + 2;
		switch (next) {
			case '\\':
			case '=': {
				out += next;
				break;
			}

			case 'n': {
				out += '\n';
				break;
			}

			case 'r': {
				out += '\r';
				break;
			}

			default: {
				throw new Error('bad extension escape \\' + String(next));
			}
		}
	}

	return out + raw.slice(from);
}
