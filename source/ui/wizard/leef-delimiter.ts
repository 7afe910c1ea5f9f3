/**
 * The LEEF attribute delimiter as the wizard shows it: empty for tab (the default, which a
 * terminal cannot show), otherwise as written. Checked by the formatter's own parser, so the
 * wizard accepts exactly what the agent accepts.
 */
import {parseLeefDelimiter} from '../../formats/leef-escape.ts';

/** True when `text` names tab (`\t`, `tab`, `x09`, …). */
export function isTabDelimiter(text: string): boolean {
	try {
		return parseLeefDelimiter(text).char === '\t';
	} catch {
		return false;
	}
}

/** The form text for a configured delimiter: '' for tab or none, otherwise as written. */
export function delimiterText(value: string | undefined): string {
	return value === undefined || isTabDelimiter(value) ? '' : value;
}

/** Message for a delimiter the formatter would refuse; '' (tab) is fine. */
export function validateLeefDelimiter(text: string): string | undefined {
	if (text === '') {
		return undefined;
	}

	try {
		parseLeefDelimiter(text);
		return undefined;
	} catch {
		return `"${JSON.stringify(text).slice(1, -1)}" cannot separate attributes: not a letter, digit, space, = or \\ (e.g. ^; empty is tab).`;
	}
}
