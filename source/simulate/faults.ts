/**
 * Injected failures: server errors, latency, malformed bodies and requests that are never
 * answered. Whether request n fails is a pure function of (seed, n), so a run is repeatable.
 */

import {badRequest} from './http-error.ts';
import {below, unit} from './random.ts';

export interface Faults {
	/** Fraction of API requests answered with HTTP 500 or 503. @default 0 */
	errorRate: number;
	/** Delay before every API answer, in milliseconds. @default 0 */
	latencyMs: number;
	/** Fraction of API requests answered 200 with a body that is not a valid page (truncated, HTML, wrong shape, empty). @default 0 */
	malformedRate: number;
	/** `true` or a fraction: API requests that are never answered (the socket stays open). @default false */
	hang: boolean | number;
}

export const noFaults: Faults = {errorRate: 0, latencyMs: 0, malformedRate: 0, hang: false};

export type MalformedKind = 'truncated' | 'html' | 'shape' | 'empty';

export interface FaultDecision {
	hang: boolean;
	error?: 500 | 503;
	malformed?: MalformedKind;
}

const salt = {hang: 61, error: 62, errorKind: 63, malformed: 64, malformedKind: 65} as const;
const malformedKinds: readonly MalformedKind[] = ['truncated', 'html', 'shape', 'empty'];

/** What happens to API request number `n`. */
export function decideFaults(seed: number, n: number, faults: Faults): FaultDecision {
	const hangRate = faults.hang === true ? 1 : Number(faults.hang) || 0;
	return {
		hang: unit(seed, n, salt.hang) < hangRate,
		error: unit(seed, n, salt.error) < faults.errorRate ? (unit(seed, n, salt.errorKind) < 0.5 ? 500 : 503) : undefined,
		malformed: unit(seed, n, salt.malformed) < faults.malformedRate ? malformedKinds[below(seed, n, salt.malformedKind, malformedKinds.length)] : undefined,
	};
}

/** A 200 body that a careful client must reject. */
export function malformedBody(kind: MalformedKind, body: string): string {
	switch (kind) {
		case 'truncated': {
			return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
		}

		case 'html': {
			return '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
		}

		case 'shape': {
			return '{"data":{"items":"not a list"},"hasNext":"perhaps","total":-1}';
		}

		default: {
			return '';
		}
	}
}

function rate(name: string, value: unknown): number {
	if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
		throw badRequest(`"${name}" must be a number from 0 to 1.`);
	}

	return value;
}

/**
 * Checks a partial fault setting (from `setFaults` or `POST /_sim/faults`).
 * @throws HttpError 400 naming the bad setting.
 */
export function checkFaults(partial: unknown): Partial<Faults> {
	if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
		throw badRequest('Faults must be an object like {"errorRate": 0.1}.');
	}

	const input = partial as Record<string, unknown>;
	const out: Partial<Faults> = {};
	for (const [name, value] of Object.entries(input)) {
		if (name === 'errorRate' || name === 'malformedRate') {
			out[name] = rate(name, value);
		} else if (name === 'latencyMs') {
			if (typeof value !== 'number' || !(value >= 0)) {
				throw badRequest('"latencyMs" must be a non-negative number.');
			}

			out.latencyMs = value;
		} else if (name === 'hang') {
			out.hang = typeof value === 'boolean' ? value : rate(name, value);
		} else if (name !== 'throttle') {
			throw badRequest(`Unknown fault "${name}"; known: errorRate, latencyMs, malformedRate, hang, throttle.`);
		}
	}

	return out;
}
