/**
 * Worker-thread entry: hosts the Engine and speaks the protocol of protocol.ts. One of the
 * two files that touch worker_threads (the other is handle.ts).
 */
import {parentPort} from 'node:worker_threads';
import {serializeError} from '../errors.ts';
import {Engine} from './engine.ts';
import type {FromWorker, ToWorker} from './protocol.ts';

if (!parentPort) {
	throw new Error('engine worker started outside a worker thread');
}
const port = parentPort;

let engine: Engine | undefined;
let timer: NodeJS.Timeout | undefined;
const post = (message: FromWorker): void => {
	port.postMessage(message);
};

process.on('uncaughtException', (error) => {
	post({type: 'fatal', error: {...serializeError(error), code: 'INTERNAL_ERROR'}});
});
process.on('unhandledRejection', (error) => {
	post({type: 'log', entry: {time: new Date().toISOString(), level: 'error', code: 'INTERNAL_ERROR', msg: `unhandled rejection: ${serializeError(error).message}`}});
});

const onMessage = (message: ToWorker): void => {
	void handle(message).catch((error: unknown) => {
		post({type: 'fatal', error: serializeError(error)});
	});
};
port.on('message', onMessage);

async function handle(message: ToWorker): Promise<void> {
	switch (message?.type) {
		case 'start': {
			if (engine) {
				return;
			}
			engine = new Engine(message.config, {
				log: (entry) => post({type: 'log', entry}),
				fatal: (error) => post({type: 'fatal', error}),
			});
			engine.start();
			timer = setInterval(() => post({type: 'stats', snapshot: engine!.snapshot()}), message.config.statsIntervalMs ?? 250);
			post({type: 'ready'});
			post({type: 'stats', snapshot: engine.snapshot()});
			return;
		}
		case 'reload': {
			await engine?.reload(message.config);
			if (engine) {
				post({type: 'stats', snapshot: engine.snapshot()});
			}
			return;
		}
		case 'pause': {
			await engine?.pause(message.agent, message.paused);
			return;
		}
		case 'stop': {
			clearInterval(timer);
			await engine?.stop();
			if (engine) {
				post({type: 'stats', snapshot: engine.snapshot()});
			}
			post({type: 'stopped'});
			// With no listener left the port no longer keeps the thread alive, so it exits once
			// the engine's sockets are closed. Not port.close(): Deno's parentPort has no close().
			port.off('message', onMessage);
			return;
		}
		default:
			// Unknown messages are ignored (protocol.ts).
	}
}
