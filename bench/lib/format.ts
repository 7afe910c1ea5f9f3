/** Number formatting for the benchmark tables. */
import type {Summary} from './stats.ts';

/** 1234567 → "1,234,567" (rounded to `digits` decimals). */
export function num(value: number, digits = 0): string {
	if (!Number.isFinite(value)) {
		return '–';
	}
	return value.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits});
}

/** "median (min–max)", or just the value for a single run. */
export function spread(summary: Summary, digits = 0, unit = ''): string {
	const value = `${num(summary.median, digits)}${unit}`;
	if (summary.runs < 2) {
		return value;
	}
	return `${value} (${num(summary.min, digits)}–${num(summary.max, digits)})`;
}

export function percent(fraction: number, digits = 0): string {
	return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : '–';
}

export function mb(bytes: number, digits = 0): string {
	return `${num(bytes / 1024 / 1024, digits)} MB`;
}
