/**
 * Messages on their way to a sink, as runs: the UTF-8 bytes of messages each followed by LF.
 * The engine formats a page piece by piece and encodes each piece at once, so a page waiting
 * for the SIEM is a few buffers outside the JavaScript heap rather than thousands of strings
 * in it, and a stream sink with LF framing writes the runs as they are. No message holds CR or
 * LF: a run is checked when it is made (a message with a line break gets a space instead, as
 * `stripLineBreaks` does).
 */
import {stripLineBreaks} from './framing.ts';

/** Messages each followed by LF, as bytes. */
export interface Run {
	data: Buffer;
	count: number;
}

export class MessageBatch {
	readonly #runs: Run[] = [];
	#count = 0;
	#messages?: string[];

	/** A batch of these messages. */
	static of(messages: readonly string[]): MessageBatch {
		const batch = new MessageBatch();
		batch.push(messages);
		return batch;
	}

	/** Number of messages. */
	get count(): number {
		return this.#count;
	}

	/** The runs, in order. */
	get runs(): readonly Run[] {
		return this.#runs;
	}

	/** Append messages (in order). */
	push(messages: readonly string[]): void {
		if (messages.length === 0) {
			return;
		}

		let run = messages.join('\n');
		if (!isClean(run, messages.length)) {
			run = messages.map(message => stripLineBreaks(message)).join('\n');
		}

		this.#runs.push({data: Buffer.from(run + '\n', 'utf8'), count: messages.length});
		this.#count += messages.length;
		this.#messages = undefined;
	}

	/** The messages one by one (made once and kept, so a retry sees the same array). */
	messages(): readonly string[] {
		this.#messages ??= this.#runs.flatMap(run => run.data.toString('utf8', 0, run.data.length - 1).split('\n'));
		return this.#messages;
	}
}

/** Either form a sink takes. */
export type Messages = readonly string[] | MessageBatch;

/** The messages of either form, one by one. */
export function messageList(messages: Messages): readonly string[] {
	return messages instanceof MessageBatch ? messages.messages() : messages;
}

/** Number of messages of either form. */
export function messageCount(messages: Messages): number {
	return messages instanceof MessageBatch ? messages.count : messages.length;
}

/** Whether `run`, made of `count` messages joined by LF, has no other CR or LF. */
function isClean(run: string, count: number): boolean {
	if (run.includes('\r')) {
		return false;
	}

	let found = 0;
	for (let index = run.indexOf('\n'); index !== -1; index = run.indexOf('\n', index + 1)) {
		if (++found >= count) {
			return false;
		}
	}

	return true;
}
