/**
 * LEEF 2.0 text rules (IBM QRadar LEEF guide), with what we do about what the guide leaves open.
 *
 * The guide defines no escape sequences inside attribute values: QRadar takes a value verbatim
 * up to the next delimiter, and the key up to the first `=`. A backslash escape would therefore
 * reach the analyst literally (`CONTOSO\\alice` instead of `CONTOSO\alice`). So values are
 * written as they are, and what would break the event is replaced instead:
 * - the attribute delimiter, tab, CR, LF, U+2028 and U+2029 become a space (so a value can
 *   neither end early nor start a forged `key=` attribute, nor break the syslog line);
 * - every other C0 control (U+0000–U+001F), DEL and C1 control (U+0080–U+009F) is dropped;
 * - a lone UTF-16 surrogate becomes U+FFFD, so the line always encodes to valid UTF-8.
 * `=` and `\` in values stay as they are: a key only starts after a delimiter.
 *
 * Header fields (version, event id) use the same rules as CEF header fields: `\` → `\\`,
 * `|` → `\|`, line breaks and tabs → space, other controls dropped (see cef-escape.ts).
 *
 * Hot path: one scan with `charCodeAt`; a value with nothing to change is returned as is.
 */
import {AgentError} from '../errors.ts';
import {isSpecialHigh} from './special-chars.ts';

export {escapeCefHeader as escapeLeefHeader} from './cef-escape.ts';

/** An attribute delimiter, checked: the character itself and how the header names it. */
export interface LeefDelimiter {
	/** The single character between attributes. */
	char: string;
	/** The LEEF 2.0 header's delimiter field: `x09` for tab, `x7C` for `|`, else the character. */
	field: string;
}

/** Tab, the LEEF default. */
export const defaultLeefDelimiter = '\t';

/**
 * Check a configured delimiter: tab (also written `tab`, `\t`, `x09`), or one printable ASCII
 * character that is not a letter, digit, space, `=` or `\`, given as itself or as `xHH`/`0xHH`.
 * Throws AgentError CONFIG_ERROR otherwise.
 */
export function parseLeefDelimiter(value: string = defaultLeefDelimiter): LeefDelimiter {
	const text = String(value);
	let char = text;
	if (text === 'tab' || text === '\\t') {
		char = '\t';
	} else if (/^0?x[\da-f]{2}$/i.test(text)) {
		char = String.fromCharCode(Number.parseInt(text.slice(-2), 16));
	}

	const c = char.length === 1 ? char.charCodeAt(0) : -1;
	if (c === 0x09) {
		return {char, field: 'x09'};
	}

	if (c <= 0x20 || c >= 0x7f || /[\dA-Za-z=\\]/.test(char)) {
		throw new AgentError('CONFIG_ERROR', 'leef.delimiter: "' + JSON.stringify(text).slice(1, -1) + '" cannot separate LEEF attributes; use tab (the default) or one printable ASCII character that is not a letter, digit, space, "=" or "\\", e.g. "^".', {detail: {setting: 'leef.delimiter'}});
	}

	return {char, field: c === 0x7c ? 'x7C' : char};
}

/** Write a LEEF attribute value for the given delimiter (its char code). */
export function escapeLeefValue(value: string, delimiter: number): string {
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c < 0x20 || c === delimiter || (c >= 0x7f && isSpecialHigh(c))) {
			return escapeFrom(value, i, delimiter);
		}
	}

	return value;
}


/** The slow path, from the first character that needs work; copies clean runs with slice. */
function escapeFrom(value: string, from: number, delimiter: number): string {
	let out = value.slice(0, from);
	let start = from;
	for (let i = from; i < value.length; i++) {
		const c = value.charCodeAt(i);
		let replacement: string;
		if (c === delimiter || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x20_28 || c === 0x20_29) {
			replacement = ' ';
		} else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			replacement = '';
		} else if (c >= 0xd8_00 && c <= 0xdb_ff) {
			const next = value.charCodeAt(i + 1);
			if (next >= 0xdc_00 && next <= 0xdf_ff) {
				i++;
				continue;
			}

			replacement = '\uFFFD';
		} else if (c >= 0xdc_00 && c <= 0xdf_ff) {
			replacement = '\uFFFD';
		} else {
			continue;
		}

		out += value.slice(start, i) + replacement;
		start = i + 1;
	}

	return out + value.slice(start);
}
