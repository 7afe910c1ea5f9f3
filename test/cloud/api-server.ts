/** A real `node:http` (or https) server on 127.0.0.1:0 standing in for the tenant. */

import http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';

export interface SeenRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	/** Which socket carried it, numbered from 1. */
	socket: number;
}

export type Handler = (request: SeenRequest, response: http.ServerResponse, index: number) => void;

export interface ApiServer {
	url: string;
	port: number;
	requests: SeenRequest[];
	/** Resolves once `count` requests have arrived. */
	waitForRequests(count: number): Promise<void>;
	close(): Promise<void>;
}

/** Sends a JSON body. */
export function json(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	response.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers});
	response.end(text);
}

/** A page as the service sends it. */
export function page(data: unknown[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {data, hasNext: false, total: data.length, ...extra};
}

export async function startApiServer(handler: Handler, tls?: {key: string; cert: string}): Promise<ApiServer> {
	const requests: SeenRequest[] = [];
	const waiters: Array<{count: number; resolve: () => void}> = [];
	const sockets = new WeakMap<object, number>();
	let socketCount = 0;
	const listener = (incoming: http.IncomingMessage, response: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			let socket = sockets.get(incoming.socket);
			if (socket === undefined) {
				socket = ++socketCount;
				sockets.set(incoming.socket, socket);
			}

			const request = {method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8'), socket};
			requests.push(request);
			for (const waiter of waiters.filter(w => requests.length >= w.count)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve();
			}

			handler(request, response, requests.length - 1);
		});
	};

	const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
		port,
		requests,
		async waitForRequests(count) {
			if (requests.length >= count) {
				return;
			}

			await new Promise<void>(resolve => {
				waiters.push({count, resolve});
			});
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
