/**
 * Editing a one-line text field from Ink key events, with the cursor at the end (enough for
 * names, hosts, URLs and pasted tokens). Pure, so the wizard and the token prompt share it.
 */
import type {Key} from 'ink';

/** Keys that move between fields or steps, never text. */
function isNavigation(key: Key): boolean {
	return key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow
		|| key.pageUp || key.pageDown || key.home || key.end;
}

/**
 * The value after `input`/`key`, or undefined when the key is not an edit (so the caller can
 * use it for navigation). Backspace and Delete remove the last character; Ctrl+U clears.
 * Pasted text arrives as one input; control characters in it are dropped (callers that submit
 * on Enter split line breaks off first, see `splitKeys`).
 */
export function editText(value: string, input: string, key: Key): string | undefined {
	if (key.backspace || key.delete) {
		return value.slice(0, -1);
	}

	if (key.ctrl && input === 'u') {
		return '';
	}

	if (key.ctrl || key.meta || isNavigation(key)) {
		return undefined;
	}

	const text = input.replaceAll(/\p{Cc}/gu, '');
	return text === '' ? undefined : value + text;
}

/**
 * One input as the keys it stands for. Without bracketed paste a terminal hands over a paste,
 * or keys typed quickly over a slow SSH link, as one chunk: `514⏎` arrives as the input
 * `514\r`, which Ink does not see as Enter (nor `host⇥` as Tab). Here each line break (CR, LF
 * or CRLF) in a chunk of more than one character becomes an Enter of its own and each tab a Tab,
 * and the text around them stays text, so "paste the token and press Enter" and "type the host,
 * Tab, type the port" work however the bytes arrive. Any other input is passed through as it is.
 */
export function splitKeys(input: string, key: Key): Array<{input: string; key: Key}> {
	if (input.length < 2 || !/[\r\n\t]/.test(input) || key.ctrl || key.meta) {
		return [{input, key}];
	}

	const keys: Array<{input: string; key: Key}> = [];
	const enter: Key = {...key, return: true};
	const tab: Key = {...key, tab: true};
	for (const part of input.split(/(\r\n|\r|\n|\t)/)) {
		if (part === '\t') {
			keys.push({input: '', key: tab});
		} else if (part === '\r' || part === '\n' || part === '\r\n') {
			keys.push({input: '', key: enter});
		} else if (part !== '') {
			keys.push({input: part, key});
		}
	}

	return keys;
}

/** At most this many mask characters, so a long token does not wrap the line. */
const maxMask = 32;

/** The masked form of a secret: one bullet per character, never the characters themselves. */
export function mask(secret: string): string {
	return secret.length > maxMask ? `${'•'.repeat(maxMask)} (${secret.length} characters)` : '•'.repeat(secret.length);
}

/** `scheme://user:password@…`, the password possibly still being typed. */
const proxyCredentials = /^([a-zA-Z][a-zA-Z\d+.-]*:\/\/[^:@/]*:)([^@/]*)(@.*)?$/;

/**
 * A proxy URL with its password masked, for the screen. While it is being typed and no `@` has
 * come yet, `http://host:3128` is a port, not a password: digits alone are shown until the `@`.
 */
export function maskProxyPassword(value: string): string {
	const match = proxyCredentials.exec(value);
	if (!match) {
		return value;
	}

	const [, head, password, rest] = match;
	if (rest === undefined && /^\d*$/.test(password!)) {
		return value;
	}

	return head! + mask(password!) + (rest ?? '');
}
