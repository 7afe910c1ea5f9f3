/**
 * The agent's version. Bundles (scripts/build.ts, scripts/build-sea.ts) replace
 * `SIEM_AGENT_VERSION` at build time, because a single executable has no package.json
 * beside it; running from source reads the checkout's package.json instead.
 */
import {readFileSync} from 'node:fs';

declare const SIEM_AGENT_VERSION: string | undefined;

/** The package version, e.g. `0.1.0`; also what the CEF header reports as agent version. */
export const version: string = typeof SIEM_AGENT_VERSION === 'string' ? SIEM_AGENT_VERSION : readPackageVersion();

function readPackageVersion(): string {
	const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
	return (JSON.parse(text) as {version: string}).version;
}
