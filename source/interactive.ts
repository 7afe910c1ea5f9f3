/** Interactive mode: wired in the TUI issue. */
export async function runInteractive(_flags: Record<string, unknown>): Promise<number> {
	process.stderr.write('siem-agent: the interactive dashboard is not built yet; use --daemon.\n');
	return 2;
}
