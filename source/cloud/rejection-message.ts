/** Extracts a short, printable reason from an error response body. */

const maxLength = 300;

function clean(text: string): string {
	const flat = text.replaceAll(/[\u0000-\u001F\u007F]+/g, ' ').replaceAll(/\s+/g, ' ').trim();
	return flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
}

/**
 * The server's message: `detail`, `error`, `message` or `errors` of a JSON body, the title of
 * an HTML page, else the start of the text. Empty when there is nothing useful.
 */
export function rejectionMessage(text: string): string {
	const trimmed = text.trim();
	if (trimmed === '') {
		return '';
	}

	try {
		const body = JSON.parse(trimmed) as unknown;
		if (typeof body === 'string') {
			return clean(body);
		}

		if (body && typeof body === 'object') {
			for (const key of ['detail', 'error', 'message', 'errors', 'error_description']) {
				const value = (body as Record<string, unknown>)[key];
				if (value !== undefined && value !== null) {
					return clean(typeof value === 'string' ? value : JSON.stringify(value));
				}
			}
		}

		return clean(trimmed);
	} catch {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
		if (title !== undefined) {
			return clean(title);
		}

		return /^<!doctype|^<html/i.test(trimmed) ? '(an HTML page)' : clean(trimmed);
	}
}
