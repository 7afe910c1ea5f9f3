/** Reading request bodies and writing JSON answers for the simulator's `node:http` server. */

import {Buffer} from 'node:buffer';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {HttpError} from './http-error.ts';

const maxBodyBytes = 1_048_576;

/** The whole request body as text. @throws HttpError 413 past 1 MiB. */
export async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > maxBodyBytes) {
			throw new HttpError(413, 'The request body is larger than 1 MiB.');
		}

		chunks.push(buffer);
	}

	return Buffer.concat(chunks).toString('utf8');
}

/** Sends `body` (already JSON text unless `contentType` says otherwise). */
export function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
	if (response.headersSent || response.destroyed) {
		return;
	}

	response.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(body)),
		...headers,
	});
	response.end(body);
}

/** Sends `{"detail": message}`, the error shape of the real API. */
export function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
	send(response, status, JSON.stringify({detail: message, status}), headers);
}
