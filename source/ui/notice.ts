/**
 * Turns an error code into what the screen shows: the catalogue's title and remediation, so the
 * wizard and the dashboard word every error exactly as the logs and `--help` do.
 */
import {catalogue, isCode} from '../errors.ts';

export interface Notice {
	code: string;
	title: string;
	/** What to do about it; empty for codes that need no action. */
	remediation: string;
}

/** Title and remediation for `code`; unknown codes read as an internal error. */
export function noticeFor(code: string): Notice {
	if (isCode(code)) {
		return {code, title: catalogue[code].title, remediation: catalogue[code].remediation};
	}

	return {code, title: catalogue.INTERNAL_ERROR.title, remediation: catalogue.INTERNAL_ERROR.remediation};
}

/**
 * Removes `secret` from `text` before it is shown. Messages come from other layers; a token
 * echoed back by a proxy or a server must still never reach the screen.
 */
export function redact(text: string, secret: string | undefined): string {
	if (!secret || secret.length < 4) {
		return text;
	}

	return text.split(secret).join('***');
}
