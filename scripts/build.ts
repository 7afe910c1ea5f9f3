/**
 * Bundles the CLI and the engine worker into dist/ with esbuild (ESM, Node platform).
 * `--quiet` prints nothing on success. The single executable (SEA) step lives in build-sea.ts.
 */
import {build} from 'esbuild';
import {readFileSync} from 'node:fs';

const quiet = process.argv.includes('--quiet');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};

const started = performance.now();
await build({
	entryPoints: {
		'siem-agent': 'source/cli.ts',
		'engine-worker': 'source/engine/worker.ts',
	},
	outdir: 'dist',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node26',
	sourcemap: 'linked',
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	jsx: 'automatic',
	define: {
		SIEM_AGENT_VERSION: JSON.stringify(pkg.version),
		'process.env.DEV': '"false"',
	},
	// Ink imports react-devtools-core only when DEV=true; keep it out of the bundle.
	external: ['react-devtools-core'],
	banner: {
		// Bundled CommonJS dependencies call require(); give them one.
		js: "import {createRequire as __siemCreateRequire} from 'node:module'; const require = __siemCreateRequire(import.meta.url);",
	},
	logLevel: quiet ? 'warning' : 'info',
});
if (!quiet) {
	console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
}
