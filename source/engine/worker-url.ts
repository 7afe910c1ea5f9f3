/**
 * Where the engine worker's code lives, for each way the agent runs. handle.ts asks here and
 * passes the answer to `new Worker(filename, options)`; nothing else knows about the layouts.
 *
 * - from source (tsx, Node type stripping, Deno): `source/engine/worker.ts`, beside this file;
 * - esbuild bundle: `dist/engine-worker.js`, beside every output file of the bundle;
 * - single executable (SEA): there is no file. The worker bundle is an SEA asset and runs as
 *   an ES module through `eval: true`.
 */
import type {WorkerOptions} from 'node:worker_threads';

/** Key of the worker bundle among the single executable's assets (scripts/build-sea.ts). */
export const ENGINE_WORKER_ASSET = 'engine-worker.js';

/** Arguments for `new Worker(filename, options)`. */
export interface EngineWorkerSpec {
	/** A file URL, or the worker's source code when `options.eval` is true. */
	filename: string | URL;
	options: WorkerOptions;
}

/** How to start the engine worker from wherever this module is running. */
export function engineWorkerSpec(): EngineWorkerSpec {
	// Checked first so Deno and tsx never reach node:sea.
	if (import.meta.url.endsWith('.ts')) {
		return {filename: new URL('worker.ts', import.meta.url), options: {}};
	}

	const source = seaAsset(ENGINE_WORKER_ASSET);
	if (source !== undefined) {
		return {
			filename: source,
			options: {
				eval: true,
				// Without this the code would be run as CommonJS unless syntax detection guesses ESM;
				// say it instead of relying on a default that NODE_OPTIONS can turn off.
				execArgv: [...process.execArgv, '--input-type=module'],
			},
		};
	}

	return {filename: new URL('engine-worker.js', import.meta.url), options: {}};
}

/** The text of an embedded asset when running as a single executable, else undefined. */
function seaAsset(key: string): string | undefined {
	const sea = process.getBuiltinModule?.('node:sea');
	if (!sea?.isSea()) {
		return undefined;
	}

	return sea.getAsset(key, 'utf8');
}
