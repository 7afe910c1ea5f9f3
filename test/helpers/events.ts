/**
 * Ground truth for end-to-end tests: which events the simulator holds for a window, which
 * arrived at a receiver, and whether every one of them did.
 */
import type {Simulator} from '../../source/simulate/simulator.ts';
import {externalId} from './daemon.ts';

export const day = 24 * 60 * 60 * 1000;

/** Daemon flags that make a test run quick: poll every second, no request budget, no settle delay. */
export const fastPolling = ['--poll-interval', '1', '--requests-per-minute', '0', '--settle', '0'];

/** The `externalId` of every CEF line that has one. */
export function idsOf(lines: readonly string[]): string[] {
	return lines.map((line) => externalId(line)).filter((id): id is string => id !== undefined);
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
	const seen = new Set<string>();
	const twice = new Set<string>();
	for (const id of ids) {
		(seen.has(id) ? twice : seen).add(id);
	}
	return [...twice];
}

/** Activities created and alerts raised in [from, to), as the simulator holds them. */
export function expectedIds(simulator: Simulator, from: number, to: number): string[] {
	return [
		...simulator.activitiesCreatedBetween(from, to).map((record) => String(record._id)),
		...simulator.alertsBetween(from, to).map((record) => String(record._id)),
	];
}

/** A predicate for a receiver's `waitFor`: every id in `wanted` has arrived. */
export function hasAll(wanted: readonly string[]): (lines: readonly string[]) => boolean {
	return (lines) => {
		const have = new Set(idsOf(lines));
		return wanted.every((id) => have.has(id));
	};
}
