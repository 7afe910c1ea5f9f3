/**
 * Checkpoints: one small JSON file per agent and data type in the state directory, replaced
 * atomically (write a temp file, fsync, rename), so a crash leaves either the old or the new
 * checkpoint, never half of one. Only delivered batches move them (see pipeline.ts).
 */
import {mkdir, open, readFile, rename, rm} from 'node:fs/promises';
import path from 'node:path';
import type {DataType} from '../cloud/types.ts';
import {AgentError} from '../errors.ts';
import type {Cursor} from './protocol.ts';

interface CheckpointFile {
	version: 1;
	agent: string;
	dataType: DataType;
	cursor: Cursor;
	savedAt: string;
}

/** File-system-safe form of an agent name; distinct names stay distinct. */
export function fileStem(agent: string, dataType: DataType): string {
	const safe = agent.replaceAll(/[^\w.-]/g, (c) => '%' + c.codePointAt(0)!.toString(16).padStart(2, '0'));
	return `${safe}.${dataType}`;
}

export function checkpointPath(stateDirectory: string, agent: string, dataType: DataType): string {
	return path.join(stateDirectory, `${fileStem(agent, dataType)}.checkpoint.json`);
}

function isCursor(value: unknown): value is Cursor {
	if (!value || typeof value !== 'object') {
		return false;
	}
	const c = value as Record<string, unknown>;
	return Number.isFinite(c.from) && Number.isFinite(c.to) && (c.skip === undefined || Number.isInteger(c.skip));
}

export class CheckpointStore {
	readonly #directory: string;
	#made = false;

	constructor(stateDirectory: string) {
		this.#directory = stateDirectory;
	}

	get directory(): string {
		return this.#directory;
	}

	/** The saved cursor, or undefined on first start. A corrupt file is an error, not a silent restart. */
	async load(agent: string, dataType: DataType): Promise<Cursor | undefined> {
		const file = checkpointPath(this.#directory, agent, dataType);
		let text: string;
		try {
			text = await readFile(file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return undefined;
			}
			throw new AgentError('STATE_ERROR', `cannot read checkpoint ${file}: ${(error as Error).message}`, {cause: error});
		}
		let parsed: Partial<CheckpointFile>;
		try {
			parsed = JSON.parse(text) as Partial<CheckpointFile>;
		} catch {
			throw new AgentError('STATE_ERROR', `checkpoint ${file} is not valid JSON; move it away to start over (the agent then backfills two days)`, {retryable: false});
		}
		if (!isCursor(parsed.cursor)) {
			throw new AgentError('STATE_ERROR', `checkpoint ${file} has no valid cursor; move it away to start over`, {retryable: false});
		}
		return parsed.cursor;
	}

	async save(agent: string, dataType: DataType, cursor: Cursor): Promise<void> {
		if (!this.#made) {
			await mkdir(this.#directory, {recursive: true, mode: 0o700});
			this.#made = true;
		}
		const file = checkpointPath(this.#directory, agent, dataType);
		const temporary = `${file}.${process.pid}.tmp`;
		const body: CheckpointFile = {version: 1, agent, dataType, cursor, savedAt: new Date().toISOString()};
		try {
			const handle = await open(temporary, 'w', 0o600);
			try {
				await handle.writeFile(JSON.stringify(body) + '\n');
				await handle.datasync();
			} finally {
				await handle.close();
			}
			await rename(temporary, file);
		} catch (error) {
			await rm(temporary, {force: true}).catch(() => undefined);
			throw new AgentError('STATE_ERROR', `cannot write checkpoint ${file}: ${(error as Error).message}`, {cause: error});
		}
	}

	async remove(agent: string, dataType: DataType): Promise<void> {
		await rm(checkpointPath(this.#directory, agent, dataType), {force: true});
	}

	/**
	 * A renamed agent goes on from its old name's checkpoints instead of backfilling two days
	 * again: each data type's cursor is saved under the new name (over a stale one a name used
	 * before may have left) and, unless `keep`, removed from the old one.
	 */
	async carryOver(from: string, to: string, {keep = false}: {keep?: boolean} = {}): Promise<void> {
		if (from === to) {
			return;
		}

		for (const dataType of ['alerts', 'activities'] as const) {
			// eslint-disable-next-line no-await-in-loop
			const cursor = await this.load(from, dataType);
			if (!cursor) {
				continue;
			}

			// eslint-disable-next-line no-await-in-loop
			await this.save(to, dataType, cursor);
			if (!keep) {
				// eslint-disable-next-line no-await-in-loop
				await this.remove(from, dataType);
			}
		}
	}
}
