/**
 * A piece of a page (a few dozen records) turned into syslog messages, with what the pipeline
 * needs to know about them: the general path (JSON.parse has made the records; each goes through
 * the format's formatter). The bytes path for CEF activities (formats/cef-activity-bytes.ts)
 * returns the same shape, and its tests compare the two piece by piece.
 */
import type {ApiRecord} from '../cloud/types.ts';
import {MessageBatch} from '../transports/batch.ts';
import type {Formatted} from './pipeline.ts';

/** A record the formatter had something to say about, or threw on. */
export interface RecordProblem {
	id?: string;
	problems: string[];
}

export interface PieceOutput {
	/** The messages joined by LF (no LF after the last), as text or as its UTF-8 bytes. */
	run: string | Uint8Array;
	/** Messages in `run`. */
	count: number;
	/** Newest event time (`timestamp`) and creation time among the records, epoch ms (0: none). */
	newestTime: number;
	newestCreated: number;
	/** Records the formatter had something to say about (still forwarded). */
	bad: RecordProblem[];
	/** Records the formatter threw on (not forwarded; never happens by design). */
	failed: RecordProblem[];
}

/**
 * One record through `format`: its line, with what the formatter said of it added to `output`
 * (problems, newest times); undefined when the formatter threw (counted in `output.failed`).
 */
export function formatRecord(record: ApiRecord, format: (record: ApiRecord) => Formatted, output: Omit<PieceOutput, 'run' | 'count'>): string | undefined {
	let formatted: Formatted;
	try {
		formatted = format(record);
	} catch (error) {
		// The formatters never throw by design; if one does, the record is still not lost silently.
		output.failed.push({id: typeof record?._id === 'string' ? record._id : undefined, problems: [`formatter failed: ${(error as Error).message}`]});
		return undefined;
	}

	if (formatted.problems.length > 0) {
		output.bad.push({id: formatted.id, problems: formatted.problems});
	}

	if (formatted.time !== undefined && formatted.time > output.newestTime) {
		output.newestTime = formatted.time;
	}

	if (formatted.created !== undefined && formatted.created > output.newestCreated) {
		output.newestCreated = formatted.created;
	}

	return formatted.line;
}

/** Formats records in order; never throws (a formatter that throws costs its record only). */
export function formatRecords(records: readonly ApiRecord[], format: (record: ApiRecord) => Formatted): PieceOutput {
	const lines: string[] = [];
	const output: PieceOutput = {run: '', count: 0, newestTime: 0, newestCreated: 0, bad: [], failed: []};
	for (const record of records) {
		const line = formatRecord(record, format, output);
		if (line !== undefined) {
			lines.push(line);
		}
	}

	output.run = MessageBatch.run(lines);
	output.count = lines.length;
	return output;
}
