/** A benchmark's result as Markdown: what was run, on what, and the table. */
import {loadLine, machineLine} from './machine.ts';

export interface Table {
	/** Shown above the table when a section has several. */
	caption?: string;
	columns: string[];
	rows: string[][];
}

export interface Section {
	title: string;
	/** What is measured and how, in a few sentences. */
	method: string;
	/** Parameters, one per bullet. */
	parameters: string[];
	tables: Table[];
	/** Verdicts against the targets and anything a reader must know. */
	notes: string[];
	/** Machine load when the section started. */
	load: string;
	/** Wall time of the section, seconds. */
	seconds: number;
}

/** Starts timing a section; call `finish` with the rest of it. */
export function startSection(): {load: string; finish(rest: Omit<Section, 'load' | 'seconds'>): Section} {
	const load = loadLine();
	const started = performance.now();
	return {
		load,
		finish: (rest) => ({...rest, load, seconds: (performance.now() - started) / 1000}),
	};
}

function renderTable(table: Table): string {
	const escape = (cell: string): string => cell.replaceAll('|', '\\|');
	return [
		...(table.caption ? [`*${table.caption}*`, ''] : []),
		`| ${table.columns.map(escape).join(' | ')} |`,
		`|${table.columns.map((_, index) => (index === 0 ? '---' : '--:')).join('|')}|`,
		...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
	].join('\n');
}

export function renderSection(section: Section, machine = machineLine()): string {
	return [
		`## ${section.title}`,
		'',
		section.method,
		'',
		`Machine: ${machine}; ${section.load} at the start; took ${Math.round(section.seconds)} s.`,
		'',
		...section.parameters.map((line) => `- ${line}`),
		'',
		...section.tables.flatMap((table) => [renderTable(table), '']),
		...section.notes.map((line) => `- ${line}`),
		'',
	].join('\n');
}
