/** `siem-agent demo`: wired in the TUI issue. */
export async function runDemo(_flags: Record<string, unknown>): Promise<number> {
	process.stderr.write('siem-agent: demo is not built yet.\n');
	return 2;
}
