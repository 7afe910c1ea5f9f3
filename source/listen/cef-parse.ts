/**
 * A CEF reader for `siem-agent listen --parse`: splits a received line into its syslog prefix,
 * the seven header fields and the extension's key/values, undoing CEF escaping.
 */

export interface CefMessage {
	/** Whatever precedes `CEF:` (PRI, time stamp, host name), trimmed; '' when none. */
	syslogHeader: string;
	/** The number after `CEF:`, as written (normally '0'). */
	version: string;
	deviceVendor: string;
	deviceProduct: string;
	deviceVersion: string;
	signatureId: string;
	name: string;
	severity: string;
	/** Extension key/values, unescaped, in order of appearance (a repeated key keeps the last value). */
	extension: Record<string, string>;
}

const headerFields = 7;

/** Unescape a header field: `\\` and `\|`; any other backslash stays as written. */
function unescapeHeader(text: string): string {
	return text.includes('\\') ? text.replace(/\\([\\|])/g, '$1') : text;
}

const valueEscapes: Record<string, string> = {'\\': '\\', '=': '=', n: '\n', r: '\r'};

/** Unescape an extension value: `\\`, `\=`, `\n`, `\r`; any other backslash stays as written. */
function unescapeValue(text: string): string {
	return text.includes('\\') ? text.replace(/\\([\\=nr])/g, (_, char: string) => valueEscapes[char]) : text;
}

/**
 * A key is `[A-Za-z0-9_]+` directly followed by `=`, at the start or after a space. An escaped
 * `\=` inside a value never matches, because a backslash is not a key character.
 */
const keyPattern = /(?<=^| )([A-Za-z0-9_]+)=/g;

/** Parse a CEF extension into its key/values. */
export function parseCefExtension(extension: string): Record<string, string> {
	// A null prototype: a key named __proto__ must be an ordinary key.
	const result = Object.create(null) as Record<string, string>;
	const keys = [...extension.matchAll(keyPattern)];
	for (let i = 0; i < keys.length; i++) {
		const match = keys[i];
		const start = match.index + match[0].length;
		// The value ends at the space that separates it from the next key.
		const end = i + 1 < keys.length ? keys[i + 1].index - 1 : extension.length;
		result[match[1]] = unescapeValue(extension.slice(start, Math.max(start, end)));
	}
	return result;
}

/** Parse a CEF line (with or without a syslog header before `CEF:`); undefined when it is not CEF. */
export function parseCef(line: string): CefMessage | undefined {
	const marker = line.indexOf('CEF:');
	if (marker === -1) {
		return undefined;
	}
	const fields: string[] = [];
	let start = marker + 4;
	let index = start;
	while (fields.length < headerFields && index < line.length) {
		const char = line[index];
		if (char === '\\') {
			// Skip the escaped character, whatever it is: `\|` never ends a field.
			index += 2;
			continue;
		}
		if (char === '|') {
			fields.push(line.slice(start, index));
			start = index + 1;
		}
		index++;
	}
	if (fields.length < headerFields) {
		return undefined;
	}
	const [version, deviceVendor, deviceProduct, deviceVersion, signatureId, name, severity] = fields.map(unescapeHeader);
	return {
		syslogHeader: line.slice(0, marker).trim(),
		version,
		deviceVendor,
		deviceProduct,
		deviceVersion,
		signatureId,
		name,
		severity,
		extension: parseCefExtension(line.slice(start).replace(/[\r\n]+$/, '')),
	};
}
