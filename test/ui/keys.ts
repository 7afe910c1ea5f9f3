/**
 * Key presses for ink-testing-library: each write is followed by a short wait so Ink parses the
 * input and React commits the update before the next key (a lone Esc waits for Ink's 20 ms
 * escape-sequence window).
 */

interface Stdin {
	write(data: string): void;
}

export const keys = {
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	backspace: '\u007F',
	space: ' ',
	ctrlC: '\u0003',
	ctrlP: '\u0010',
	ctrlU: '\u0015',
} as const;

export async function tick(ms = 15): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Presses `key` (a value of `keys`, or one character) `times` times. */
export async function press(stdin: Stdin, key: string, times = 1): Promise<void> {
	for (let index = 0; index < times; index++) {
		stdin.write(key);
		// eslint-disable-next-line no-await-in-loop
		await tick(key === keys.escape ? 60 : 15);
	}
}

/** Types `text` one character at a time, as a person would. */
export async function type(stdin: Stdin, text: string): Promise<void> {
	for (const character of text) {
		stdin.write(character);
		// eslint-disable-next-line no-await-in-loop
		await tick(5);
	}

	await tick();
}

/** Pastes `text` in one chunk, as a terminal delivers a paste. */
export async function paste(stdin: Stdin, text: string): Promise<void> {
	stdin.write(text);
	await tick();
}

/**
 * Waits until `lastFrame()` contains `text` (async work such as a fake API answer), then
 * returns the frame. Fails with the last frame after a generous bound, so a bug cannot hang.
 */
export async function waitForText(lastFrame: () => string | undefined, text: string): Promise<string> {
	for (let attempt = 0; attempt < 200; attempt++) {
		const frame = lastFrame() ?? '';
		if (frame.includes(text)) {
			return frame;
		}

		// eslint-disable-next-line no-await-in-loop
		await tick(10);
	}

	throw new Error(`"${text}" never appeared; last frame:\n${lastFrame() ?? ''}`);
}
