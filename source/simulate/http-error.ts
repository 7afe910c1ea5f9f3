/** An HTTP error answer of the simulated API; it never leaves the simulator. */
export class HttpError extends Error {
	readonly status: number;

	constructor(status: number, message: string) {
		super(message);
		this.name = 'HttpError';
		this.status = status;
	}
}

/** A 400 answer. */
export function badRequest(message: string): HttpError {
	return new HttpError(400, message);
}
