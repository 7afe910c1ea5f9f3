/** Small statistics for benchmark results: median, spread and percentiles. */

/** The median (mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
	if (values.length === 0) {
		return Number.NaN;
	}
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) {
		return Number.NaN;
	}
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Summary {
	median: number;
	min: number;
	max: number;
	runs: number;
}

export function summarize(values: readonly number[]): Summary {
	return {median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length};
}
