/**
 * Defensive readers for untrusted API records (SPEC §2: every field optional, of uncertain
 * type). They never throw; what they cannot use they report as a problem so the engine can log
 * `bad record <id>: ...` and still forward the fields that could be mapped.
 */

import {isIPv6} from 'node:net';

/** At most this many problems are kept per record, so a junk array cannot flood the log. */
export const maxProblems = 10;

/** Largest epoch ms whose ISO year still has four digits (9999-12-31T23:59:59.999Z). */
const maxTime = 253_402_300_799_999;

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, for problem texts: `null`, `array`, or its `typeof`. */
export function kindOf(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	return Array.isArray(value) ? 'array' : typeof value;
}

export function note(problems: string[], text: string): void {
	if (problems.length < maxProblems) {
		problems.push(text);
	}
}

/** A primitive as text, or undefined for objects, symbols and functions (their `String()` may throw or lie). */
function primitiveText(value: unknown): string | undefined {
	switch (typeof value) {
		case 'number': {
			return Number.isFinite(value) ? String(value) : undefined;
		}

		case 'boolean':
		case 'bigint': {
			return String(value);
		}

		default: {
			return undefined;
		}
	}
}

/**
 * A string field. Numbers, booleans and bigints are converted (and reported as the wrong
 * type); anything else gives ''. Missing (undefined or null) is reported only when `required`.
 */
export function readString(value: unknown, path: string, problems: string[], required = false): string {
	if (typeof value === 'string') {
		return value;
	}

	if (value === undefined || value === null) {
		if (required) {
			note(problems, path + ' missing');
		}

		return '';
	}

	note(problems, path + ' is ' + kindOf(value) + ', expected string');
	return primitiveText(value) ?? '';
}

/** An integer id such as an app id: a safe integer, or a string of digits (reported). */
export function readInteger(value: unknown, path: string, problems: string[]): number | undefined {
	if (typeof value === 'number' && Number.isSafeInteger(value)) {
		return value;
	}

	if (value === undefined || value === null) {
		return undefined;
	}

	note(problems, path + ' is ' + kindOf(value) + ', expected integer');
	if (typeof value === 'string' && value.length > 0 && value.length < 16 && isDigits(value)) {
		return Number(value);
	}

	return undefined;
}

/** A finite number (e.g. a risk score), or undefined. */
export function readNumber(value: unknown, path: string, problems: string[]): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return value;
	}

	if (value !== undefined && value !== null) {
		note(problems, path + ' is ' + kindOf(value) + ', expected number');
	}

	return undefined;
}

/**
 * An epoch-ms time within years 1970–9999. A string of digits or an ISO 8601 date is accepted
 * (and reported); fractions are truncated.
 */
export function readTime(value: unknown, path: string, problems: string[], required = false): number | undefined {
	let ms: number;
	if (typeof value === 'number') {
		ms = value;
	} else if (value === undefined || value === null) {
		if (required) {
			note(problems, path + ' missing');
		}

		return undefined;
	} else if (typeof value === 'string' && value.length < 40) {
		note(problems, path + ' is string, expected number');
		ms = isDigits(value) ? Number(value) : Date.parse(value);
	} else {
		note(problems, path + ' is ' + kindOf(value) + ', expected number');
		return undefined;
	}

	if (!(ms >= 0 && ms <= maxTime)) {
		note(problems, path + ' out of range');
		return undefined;
	}

	return Math.trunc(ms);
}

function isDigits(text: string): boolean {
	if (text.length === 0) {
		return false;
	}

	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x30 || c > 0x39) {
			return false;
		}
	}

	return true;
}

/** `eventObjects[].name`, comma-joined; objects without a name give '' (the samples start with `,,`). */
export function joinNames(value: unknown, path: string, problems: string[]): string {
	if (value === undefined || value === null) {
		return '';
	}

	if (!Array.isArray(value)) {
		note(problems, path + ' is ' + kindOf(value) + ', expected array');
		return '';
	}

	let joined = '';
	for (let i = 0; i < value.length; i++) {
		const item: unknown = value[i];
		let name = '';
		if (isObject(item)) {
			name = readString(item.name, path + '[' + i + '].name', problems);
		} else {
			note(problems, path + '[' + i + '] is ' + kindOf(item) + ', expected object');
		}

		joined = i === 0 ? name : joined + ',' + name;
	}

	return joined;
}

/** A list of ids (strings, numbers, or objects with an `id`), comma-joined, skipping empties. */
export function joinIds(value: unknown, path: string, problems: string[]): string {
	if (value === undefined || value === null) {
		return '';
	}

	if (!Array.isArray(value)) {
		note(problems, path + ' is ' + kindOf(value) + ', expected array');
		return '';
	}

	let joined = '';
	let first = true;
	for (let i = 0; i < value.length; i++) {
		const item: unknown = value[i];
		const id = isObject(item) ? idText(item.id, path + '[' + i + '].id', problems) : idText(item, path + '[' + i + ']', problems);
		if (id === '') {
			continue;
		}

		joined = first ? id : joined + ',' + id;
		first = false;
	}

	return joined;
}

/** An id that may legitimately be a string or a number. */
export function idText(value: unknown, path: string, problems: string[]): string {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return String(value);
	}

	return readString(value, path, problems);
}

/** A nested object (not an array), or undefined; any other value is reported. */
export function readObject(value: unknown, path: string, problems: string[]): Record<string, unknown> | undefined {
	if (isObject(value)) {
		return value;
	}

	if (value !== undefined && value !== null) {
		note(problems, path + ' is ' + kindOf(value) + ', expected object');
	}

	return undefined;
}

/** 4, 6, or 0 when the text is not an IP address (long junk is rejected before any regex sees it). */
export function ipFamily(text: string): 0 | 4 | 6 {
	if (text.length === 0 || text.length > 64) {
		return 0;
	}

	const dotted = dottedQuad(text);
	if (dotted !== undefined) {
		return dotted ? 4 : 0;
	}

	// Every IPv6 address has a colon; Node's check is a long regex, so only those get it.
	return text.includes(':') && isIPv6(text) ? 6 : 0;
}

/**
 * IPv4 in dotted-quad form exactly as node:net's isIPv4 accepts it (four decimal octets 0–255,
 * no leading zeros), without its regex: true or false for text of digits and dots, undefined
 * for any other text (it may still be IPv6, which can embed a dotted quad).
 */
function dottedQuad(text: string): boolean | undefined {
	let octets = 0;
	let digits = 0;
	let value = 0;
	let first = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0x30 && c <= 0x39) {
			if (digits === 0) {
				first = c;
			}

			digits++;
			value = (value * 10) + c - 0x30;
		} else if (c === 0x2E) {
			if (!octetOk(digits, value, first)) {
				return false;
			}

			octets++;
			digits = 0;
			value = 0;
		} else {
			return undefined;
		}
	}

	return octets === 3 && octetOk(digits, value, first);
}

function octetOk(digits: number, value: number, first: number): boolean {
	return digits > 0 && digits <= 3 && value <= 255 && (digits === 1 || first !== 0x30);
}
