/**
 * Pieces every sink shares: a queue that runs sends one after another (a retry always follows
 * its failure; two batches never interleave on the wire), and the bookkeeping of going down.
 */
import type {AgentError} from '../errors.ts';
import type {SinkStatus} from './types.ts';

export interface SerialQueue {
	/** Runs `task` after every task queued before it; a failure does not stop the ones after. */
	run<T>(task: () => Promise<T>): Promise<T>;
	/** Resolves true once everything queued so far has settled, or false after `timeoutMs`. */
	drain(timeoutMs: number): Promise<boolean>;
}

export function createSerialQueue(): SerialQueue {
	let tail: Promise<unknown> = Promise.resolve();
	return {
		run(task) {
			const result = tail.then(task);
			tail = result.catch(() => undefined);
			return result;
		},
		async drain(timeoutMs) {
			let timer: NodeJS.Timeout | undefined;
			const finished = await Promise.race([
				tail.then(() => true),
				new Promise<boolean>((resolve) => {
					timer = setTimeout(resolve, timeoutMs, false);
				}),
			]);
			clearTimeout(timer);
			return finished;
		},
	};
}

/** Records a failure in the sink's status. */
export function markDown(status: SinkStatus, error: AgentError): void {
	status.state = 'down';
	status.lastErrorCode = error.code;
	status.lastError = error.message;
}
