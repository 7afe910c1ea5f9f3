/**
 * Bundles the CLI and the engine worker into dist/ with esbuild (ESM, Node platform).
 * `--quiet` prints nothing on success. The single executable (SEA) step lives in build-sea.ts,
 * which reuses `sharedOptions`.
 */
import {build, type BuildOptions} from 'esbuild';
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};

/** Settings every bundle of the agent uses, the plain dist/ one and the single executable's. */
export const sharedOptions = {
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node26',
	jsx: 'automatic',
	define: {
		SIEM_AGENT_VERSION: JSON.stringify(pkg.version),
		'process.env.DEV': '"false"',
	},
	banner: {
		// Bundled CommonJS dependencies call require(); give them one.
		js: "import {createRequire as __siemCreateRequire} from 'node:module'; const require = __siemCreateRequire(import.meta.url);",
	},
} satisfies BuildOptions;

if (import.meta.main) {
	const quiet = process.argv.includes('--quiet');
	const started = performance.now();
	const result = await build({
		...sharedOptions,
		metafile: true,
		entryPoints: {
			'siem-agent': 'source/cli.ts',
			'engine-worker': 'source/engine/worker.ts',
		},
		outdir: 'dist',
		sourcemap: 'linked',
		splitting: true,
		// Chunks sit beside engine-worker.js: source/engine/worker-url.ts finds the worker
		// relative to its own output file, whichever chunk it lands in.
		chunkNames: '[name]-[hash]',
		// Ink imports react-devtools-core only when DEV=true; keep it out of the bundle.
		external: ['react-devtools-core'],
		logLevel: quiet ? 'warning' : 'info',
	});
	// Chunk names carry a content hash: drop the chunks of earlier builds (the single executable
	// and anything else in dist/ stay).
	const outputs = new Set(Object.keys(result.metafile.outputs).map(file => path.resolve(file)));
	for (const name of readdirSync('dist')) {
		if (/\.js(\.map)?$/.test(name) && !outputs.has(path.resolve('dist', name))) {
			rmSync(path.join('dist', name));
		}
	}

	if (!quiet) {
		console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
	}
}
