/**
 * CEF escaping (ArcSight CEF spec), with what we do about characters the spec leaves open.
 *
 * Header fields: `\` → `\\`, `|` → `\|`. Extension values: `\` → `\\`, `=` → `\=`, CR → `\r`,
 * LF → `\n`. Because every `=` inside a value is escaped, a value such as `x cs1=evil` cannot
 * forge a key: a parser sees `cs1\=evil` as part of the value.
 *
 * Beyond the spec, so no event content can break the syslog line or a receiver:
 * - CR and LF in header fields become a space (the header has no escape for them);
 * - tab, U+2028 and U+2029 (line/paragraph separators) become a space everywhere;
 * - every other C0 control (U+0000–U+001F), DEL (U+007F) and C1 control (U+0080–U+009F,
 *   including NEL) is dropped;
 * - a lone UTF-16 surrogate becomes U+FFFD, so the line always encodes to valid UTF-8.
 *
 * Hot path: one scan with `charCodeAt`; a value with nothing to change is returned as is.
 */
import {isSpecialHigh} from './special-chars.ts';

const backslash = 0x5c;
const pipe = 0x7c;
const equals = 0x3d;

/** Escape a CEF header field (version, signature id, name). */
export function escapeCefHeader(value: string): string {
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c < 0x20 || c === backslash || c === pipe || (c >= 0x7f && isSpecialHigh(c))) {
			return escapeFrom(value, i, true);
		}
	}

	return value;
}

/** Escape a CEF extension value. */
export function escapeCefExtension(value: string): string {
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c < 0x20 || c === backslash || c === equals || (c >= 0x7f && isSpecialHigh(c))) {
			return escapeFrom(value, i, false);
		}
	}

	return value;
}


/** The slow path, from the first character that needs work; copies clean runs with slice. */
function escapeFrom(value: string, from: number, header: boolean): string {
	let out = value.slice(0, from);
	let start = from;
	for (let i = from; i < value.length; i++) {
		const c = value.charCodeAt(i);
		let replacement: string;
		if (c >= 0x20 && c < 0x7f) {
			if (c === backslash) {
				replacement = '\\\\';
			} else if (header && c === pipe) {
				replacement = '\\|';
			} else if (!header && c === equals) {
				replacement = '\\=';
			} else {
				continue;
			}
		} else if (c < 0x20) {
			if (c === 0x0a) {
				replacement = header ? ' ' : '\\n';
			} else if (c === 0x0d) {
				replacement = header ? ' ' : '\\r';
			} else {
				replacement = c === 0x09 ? ' ' : '';
			}
		} else if (c <= 0x9f) {
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
		} else if (c === 0x20_28 || c === 0x20_29) {
			replacement = ' ';
		} else {
			continue;
		}

		out += value.slice(start, i) + replacement;
		start = i + 1;
	}

	return out + value.slice(start);
}
