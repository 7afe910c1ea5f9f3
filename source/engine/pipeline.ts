/**
 * One data type of one agent: poll → format → deliver → checkpoint, forever.
 * The checkpoint moves only after the sink took the batch, so a crash re-sends at most the
 * batch that was in flight, and a clean stop re-sends nothing. One page is prefetched while
 * the previous one is delivered; when the SIEM is down delivery blocks, so pulling stops.
 */
import type {ReadPage, RecordReader} from '../cloud/page.ts';
import {formatRecords, type PieceOutput, type RecordProblem} from './piece-format.ts';
import type {ActivityBytesTranscoder} from '../formats/cef-activity-bytes.ts';
import type {ApiRecord, DataType, QueryBody} from '../cloud/types.ts';
import type {DataTypeSettings} from '../config/schema.ts';
import {AgentError, serializeError, type Code, type Level} from '../errors.ts';
import type {CheckpointStore} from './checkpoints.ts';
import {advance, nextWindow, queryFor, startCursor, windowDone} from './cursor.ts';
import type {Cursor, DataTypeSnapshot, PipelineState} from './protocol.ts';
import {RateMeter} from './rate-meter.ts';
import {MessageBatch} from '../transports/batch.ts';
import {BytePool} from '../util/byte-pool.ts';
import {collectAfter, collectEveryBytes, collectWhileWaitingBytes} from './collect.ts';
import {sleep} from '../util/sleep.ts';

/** A record turned into one syslog message, plus what was wrong with it. */
export interface Formatted {
	line: string;
	id?: string;
	/** Event time (`timestamp`), epoch ms. */
	time?: number;
	created?: number;
	problems: string[];
}

export interface PipelineOptions {
	pollIntervalMs: number;
	settleMs: number;
	backfillMs: number;
	/** Non-retryable API failures in a row before giving up. @default 5 */
	maxCriticalErrors?: number;
	/** Longest wait between retries of a failing API call. @default 300000 */
	maxRetryDelayMs?: number;
}

export interface PipelineDeps {
	agent: string;
	dataType: DataType;
	settings: DataTypeSettings;
	options: PipelineOptions;
	/** One page, its records handed to a reader from `createReader` as the body is parsed (CloudClient.read). */
	read<R>(dataType: DataType, body: QueryBody, createReader: () => RecordReader<R>, signal: AbortSignal): Promise<ReadPage<R>>;
	/** Resolves once the sink took every message; retries internally while the SIEM is down; rejects only on abort. */
	deliver(batch: MessageBatch, signal: AbortSignal, onBlocked: (blocked: boolean) => void): Promise<void>;
	format(record: ApiRecord): Formatted;
	/**
	 * Optional: formats a piece of the body from its bytes (plain CEF activities), or returns
	 * undefined to have it parsed and formatted by `format` (formats/cef-activity-bytes.ts).
	 */
	transcode?: ActivityBytesTranscoder['transcode'];
	checkpoints: CheckpointStore;
	log(level: Level, code: Code, msg: string, extra?: Record<string, unknown>): void;
	/** Milliseconds until the tenant's request budget allows a call (0: now). */
	budgetDelay?(): number;
	/** Reports API health to the agent (connected / failing). */
	apiResult(ok: boolean, code?: Code): void;
	now(): number;
}

/** The pipeline stops with this when it cannot go on (bad token, too many critical errors). */
export class FatalPipelineError extends AgentError {}

/** A page's records, formatted while the body was parsed. */
interface FormattedPage {
	batch: MessageBatch;
	newestTime: number;
	newestCreated: number;
	/** Records the formatter had something to say about (still forwarded). */
	bad: RecordProblem[];
	/** Records the formatter threw on (not forwarded; never happens by design). */
	failed: RecordProblem[];
}

type Page = ReadPage<FormattedPage>;

const badRecordLogsPerMinute = 20;

/** A delivery that took longer than this waited for the SIEM (a page the SIEM keeps up with is written in a few ms). */
const waitedForSiemMs = 20;

export class Pipeline {
	readonly #deps: PipelineDeps;
	readonly #sent: RateMeter;
	readonly #history: RateMeter;
	#phase: PipelineState = 'starting';
	/** A passing condition shown instead of the phase while it lasts. */
	#condition?: PipelineState;
	#read = 0;
	#sentTotal = 0;
	#bad = 0;
	#dropped = 0;
	#inFlight = 0;
	#cursor?: Cursor;
	#checkpointSavedAt?: number;
	#newestEventTime?: number;
	#newestCreatedTime?: number;
	#backlog?: number;
	#lastPollAt?: number;
	#progressLoggedAt = 0;
	#sentAtLastProgress = 0;
	#badLogWindowStart = 0;
	#badLogged = 0;
	#badSuppressed = 0;
	/** The bytes of formatted pages: one being delivered, one prefetched. */
	readonly #outputs = new BytePool(2, 256 * 1024);

	constructor(deps: PipelineDeps) {
		this.#deps = deps;
		const now = deps.now();
		this.#sent = new RateMeter(1000, 11, now);
		this.#history = new RateMeter(5000, 60, now);
	}

	get state(): PipelineState {
		return this.#condition ?? this.#phase;
	}

	snapshot(): DataTypeSnapshot {
		const now = this.#deps.now();
		return {
			dataType: this.#deps.dataType,
			enabled: this.#deps.settings.enabled,
			state: this.state,
			read: this.#read,
			sent: this.#sentTotal,
			badRecords: this.#bad,
			rate: this.#sent.perSecond(now),
			history: this.#history.buckets(now),
			cursor: this.#cursor,
			checkpointSavedAt: this.#checkpointSavedAt,
			newestEventTime: this.#newestEventTime,
			newestCreatedTime: this.#newestCreatedTime,
			backlog: this.#backlog,
			lastPollAt: this.#lastPollAt,
			inFlight: this.#inFlight,
			dropped: this.#dropped,
		};
	}

	/** Runs until `signal` aborts (resolves) or a fatal error (rejects with FatalPipelineError). */
	async run(signal: AbortSignal): Promise<void> {
		const {agent, dataType, checkpoints, options} = this.#deps;
		let saved: Cursor | undefined;
		try {
			saved = await this.#retrying(signal, () => checkpoints.load(agent, dataType));
		} catch (error) {
			this.#phase = 'stopped';
			if (signal.aborted && !(error instanceof FatalPipelineError)) {
				return;
			}
			throw error;
		}
		const start = startCursor(saved, {now: this.#deps.now(), backfillMs: options.backfillMs, settleMs: options.settleMs});
		let cursor: Cursor = start.cursor;
		this.#cursor = cursor;
		if (start.reason !== 'resume') {
			this.#deps.log('info', 'BACKFILL', `${start.reason === 'gap' ? 'checkpoint older than the backfill horizon; ' : ''}backfilling from ${new Date(start.cursor.from).toISOString()}`, {from: start.cursor.from});
		}
		let nextPollAt = 0;
		try {
			while (!signal.aborted) {
				cursor = this.#cursor ?? cursor;
				if (windowDone(cursor)) {
					// Open the window only once the request budget allows the call: a window fixed
					// before waiting for the budget would leave its records waiting a round longer.
					const budgetWait = this.#deps.budgetDelay?.() ?? 0;
					if (budgetWait > 0) {
						await sleep(budgetWait, signal);
					}
					const now = this.#deps.now();
					const window: Cursor | undefined = now >= nextPollAt ? nextWindow(cursor, {now, settleMs: options.settleMs}) : undefined;
					if (!window) {
						this.#phase = 'live';
						await sleep(Math.max(50, nextPollAt - now || options.pollIntervalMs), signal);
						continue;
					}
					nextPollAt = now + options.pollIntervalMs;
					cursor = window;
					this.#cursor = window;
				}
				const backfill = cursor.to - cursor.from > 3 * options.pollIntervalMs + options.settleMs;
				this.#phase = backfill ? 'backfill' : 'live';
				const sentBefore = this.#sentTotal;
				await this.#readWindow(signal);
				if (backfill) {
					this.#deps.log('info', 'BACKFILL', `caught up: ${this.#sentTotal - sentBefore} records up to ${new Date(cursor.to).toISOString()} forwarded`, {sent: this.#sentTotal - sentBefore, to: cursor.to});
				}
			}
		} catch (error) {
			if (signal.aborted && !(error instanceof FatalPipelineError)) {
				return;
			}
			throw error;
		} finally {
			this.#phase = 'stopped';
			this.#condition = undefined;
		}
	}

	/** Reads the rest of the current window, one page ahead of delivery. */
	async #readWindow(signal: AbortSignal): Promise<void> {
		const {dataType} = this.#deps;
		let cursor = this.#cursor!;
		let request: Promise<Page> | undefined = this.#fetch(cursor, signal);
		while (request) {
			const page = await request;
			let after: Cursor;
			try {
				after = advance(dataType, cursor, page);
			} catch (error) {
				// Malformed paging: retry the same page.
				this.#deps.log('warn', 'MALFORMED_RESPONSE', (error as Error).message);
				request = this.#fetch(cursor, signal);
				continue;
			}
			request = windowDone(after) ? undefined : this.#fetch(after, signal);
			const {total} = page;
			const received = page.records;
			const {batch} = this.#account(page);
			if (batch.count === 0) {
				batch.release();
			} else {
				this.#inFlight = batch.count;
				const deliveryStarted = this.#deps.now();
				try {
					await this.#deps.deliver(batch, signal, (blocked) => {
						this.#condition = blocked ? 'waiting-for-siem' : undefined;
					});
				} finally {
					this.#inFlight = 0;
				}
				const bytes = batch.data().length;
				// Delivered: the sink holds no reference to the bytes any more.
				batch.release();
				// A delivery that had to wait for the SIEM leaves time for collecting more often.
				collectAfter(bytes, this.#deps.now() - deliveryStarted > waitedForSiemMs ? collectWhileWaitingBytes : collectEveryBytes);
				this.#condition = undefined;
				const now = this.#deps.now();
				this.#sentTotal += batch.count;
				this.#sent.add(batch.count, now);
				this.#history.add(batch.count, now);
			}
			cursor = after;
			this.#cursor = after;
			await this.#retrying(signal, () => this.#deps.checkpoints.save(this.#deps.agent, dataType, after));
			this.#checkpointSavedAt = this.#deps.now();
			this.#logProgress(after);
			if (typeof total === 'number') {
				this.#backlog = Math.max(0, total - received);
			}
			if (!request) {
				this.#backlog = 0;
			}
		}
	}

	/** One page, retried with backoff until it comes or the pipeline stops. Never rejects except on abort or fatal. */
	#fetch(cursor: Cursor, signal: AbortSignal): Promise<Page> {
		const body = queryFor(this.#deps.dataType, cursor, this.#deps.settings.filters);
		const promise = this.#retrying(signal, async () => {
			this.#lastPollAt = this.#deps.now();
			const page = await this.#deps.read(this.#deps.dataType, body, () => this.#formatter(), signal);
			this.#deps.apiResult(true);
			if (this.#condition === 'api-error') {
				this.#condition = undefined;
			}
			return page;
		}, true);
		// The prefetch may settle while a delivery is still pending; never leave it unhandled.
		promise.catch(() => undefined);
		return promise;
	}

	async #retrying<T>(signal: AbortSignal, operation: () => Promise<T>, isApi = false): Promise<T> {
		const maxCritical = this.#deps.options.maxCriticalErrors ?? 5;
		const maxDelay = this.#deps.options.maxRetryDelayMs ?? 300_000;
		let critical = 0;
		let delay = 1000;
		for (;;) {
			try {
				return await operation();
			} catch (error) {
				if (signal.aborted) {
					throw error;
				}
				const e = serializeError(error);
				if (isApi) {
					this.#deps.apiResult(false, e.code);
				}
				if (e.code === 'INVALID_TOKEN' || e.code === 'INVALID_APP_CREDENTIALS') {
					throw new FatalPipelineError(e.code, e.message);
				}
				if (!e.retryable) {
					critical++;
					if (critical >= maxCritical) {
						throw new FatalPipelineError('TOO_MANY_CRITICAL_ERRORS', `giving up after ${critical} failures in a row; last: ${e.code}: ${e.message}`);
					}
				}
				this.#condition = 'api-error';
				this.#deps.log('warn', e.code, `${e.message}; retrying in ${Math.round(delay / 1000)} s`, {retryInMs: delay});
				await sleep(delay, signal);
				delay = Math.min(maxDelay, delay * 2);
			}
		}
	}

	/** A line a minute while data flows, so an operator tailing the log sees progress. */
	#logProgress(cursor: Cursor): void {
		const now = this.#deps.now();
		if (now - this.#progressLoggedAt < 60_000) {
			return;
		}
		const sent = this.#sentTotal - this.#sentAtLastProgress;
		if (this.#progressLoggedAt !== 0 || sent > 0) {
			const lag = this.#newestEventTime === undefined ? '' : `; newest event ${Math.round((now - this.#newestEventTime) / 1000)} s old`;
			this.#deps.log('info', 'CHECKPOINT', `${sent} records forwarded since the last report (${this.#sentTotal} in all); window up to ${new Date(cursor.to).toISOString()}${lag}`, {sent, total: this.#sentTotal, cursor});
		}
		this.#progressLoggedAt = now;
		this.#sentAtLastProgress = this.#sentTotal;
	}

	/**
	 * Formats a page's records piece by piece while the client parses the body; each piece is
	 * joined into the batch at once, so its records and their intermediate strings die young.
	 * Pieces of plain activities go from bytes to CEF bytes directly (`transcode`).
	 * Pure: what it found is accounted for only once the page is accepted (`#account`).
	 */
	#formatter(): RecordReader<FormattedPage> {
		const {format, transcode} = this.#deps;
		const page: FormattedPage = {batch: new MessageBatch(this.#outputs), newestTime: 0, newestCreated: 0, bad: [], failed: []};
		const commit = (output: PieceOutput): void => {
			page.batch.pushRun(output.run, output.count);
			for (const problem of output.bad) {
				page.bad.push(problem);
			}

			for (const problem of output.failed) {
				page.failed.push(problem);
			}

			page.newestTime = Math.max(page.newestTime, output.newestTime);
			page.newestCreated = Math.max(page.newestCreated, output.newestCreated);
		};

		const reader: RecordReader<FormattedPage> = {
			add(records) {
				commit(formatRecords(records, format));
			},
			finish: () => page,
		};
		if (transcode) {
			reader.addBytes = (bytes, start, end) => {
				const piece = transcode(bytes, start, end);
				if (!piece) {
					return undefined;
				}

				commit(piece);
				return piece.records;
			};
		}

		return reader;
	}

	/** Counts an accepted page and logs its bad records. */
	#account(page: Page): FormattedPage {
		const now = this.#deps.now();
		const formatted = page.result;
		this.#read += page.records;
		this.#dropped += (page.dropped ?? 0) + formatted.failed.length;
		for (const {id, problems} of [...formatted.failed, ...formatted.bad]) {
			this.#badRecord(now, id, problems);
		}
		if (formatted.newestTime > (this.#newestEventTime ?? 0)) {
			this.#newestEventTime = formatted.newestTime;
		}
		if (formatted.newestCreated > (this.#newestCreatedTime ?? 0)) {
			this.#newestCreatedTime = formatted.newestCreated;
		}
		return formatted;
	}

	#badRecord(now: number, id: string | undefined, problems: string[]): void {
		this.#bad++;
		if (now - this.#badLogWindowStart > 60_000) {
			if (this.#badSuppressed > 0) {
				this.#deps.log('warn', 'BAD_RECORD', `${this.#badSuppressed} more bad records in the last minute were not logged one by one`, {suppressed: this.#badSuppressed});
			}
			this.#badLogWindowStart = now;
			this.#badLogged = 0;
			this.#badSuppressed = 0;
		}
		if (this.#badLogged < badRecordLogsPerMinute) {
			this.#badLogged++;
			this.#deps.log('warn', 'BAD_RECORD', `record ${id ?? '(no id)'}: ${problems.join('; ')}`, {id});
		} else {
			this.#badSuppressed++;
		}
	}
}
