/**
 * Editing a one-line text field from Ink key events: `editText` with the cursor at the end
 * (secrets, where nothing can be seen to move in), `editTextAt` with a caret (fields shown as
 * typed). Pure, so the wizard and the token prompt share them.
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
 * Editing with a caret, for fields shown as typed: ←/→ move it, Home/End (or Ctrl+A/Ctrl+E)
 * jump, Backspace deletes before it, Ctrl+W deletes the word before it, typed or pasted text
 * goes in at it. `back` is how many characters follow the caret (0: at the end, where it starts),
 * so a field that was never moved in behaves exactly like `editText`. Undefined for keys that
 * are not for the field.
 */
export function editTextAt(value: string, back: number, input: string, key: Key): {value: string; back: number} | undefined {
	const at = Math.max(0, value.length - Math.min(back, value.length));
	const caret = (position: number) => value.length - Math.max(0, Math.min(value.length, position));
	if (key.leftArrow) {
		return {value, back: caret(at - 1)};
	}

	if (key.rightArrow) {
		return {value, back: caret(at + 1)};
	}

	if (key.home || (key.ctrl && input === 'a')) {
		return {value, back: value.length};
	}

	if (key.end || (key.ctrl && input === 'e')) {
		return {value, back: 0};
	}

	if (key.backspace || key.delete) {
		return at === 0 ? {value, back} : {value: value.slice(0, at - 1) + value.slice(at), back};
	}

	if (key.ctrl && input === 'w') {
		const start = value.slice(0, at).search(/\S*\s*$/);
		return {value: value.slice(0, start) + value.slice(at), back};
	}

	const edited = editText(value.slice(0, at), input, key);
	return edited === undefined ? undefined : {value: edited + value.slice(at), back: key.ctrl && input === 'u' ? value.length - at : back};
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

/**
 * A proxy address with its password masked, for the screen: `[scheme://]user:password@host:port`,
 * the password up to the *last* `@` (a password may hold one). While it is being typed and no
 * `@` has come yet, `host:3128` is a port, not a password: digits alone are shown until the `@`.
 */
export function maskProxyPassword(value: string): string {
	const scheme = /^[a-zA-Z][a-zA-Z\d+.-]*:\/\//.exec(value)?.[0] ?? '';
	const rest = value.slice(scheme.length);
	const at = rest.lastIndexOf('@');
	const credentials = at === -1 ? rest : rest.slice(0, at);
	const colon = credentials.indexOf(':');
	if (colon === -1) {
		return value;
	}

	const password = credentials.slice(colon + 1);
	if (at === -1 && (/^\d*$/.test(password) || credentials.includes('/'))) {
		return value;
	}

	return scheme + credentials.slice(0, colon + 1) + mask(password) + (at === -1 ? '' : rest.slice(at));
}
