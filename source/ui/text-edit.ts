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
 * Pasted text arrives as one input; line breaks and control characters in it are dropped.
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

/** At most this many mask characters, so a long token does not wrap the line. */
const maxMask = 32;

/** The masked form of a secret: one bullet per character, never the characters themselves. */
export function mask(secret: string): string {
	return secret.length > maxMask ? `${'•'.repeat(maxMask)} (${secret.length} characters)` : '•'.repeat(secret.length);
}
