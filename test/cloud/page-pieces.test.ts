/**
 * readPage cuts `data` into pieces at candidate separators and lets JSON.parse decide which
 * cuts are record boundaries. Whatever the records hold (separators inside strings, nested
 * objects with the same first key, non-objects, any layout), the records, their order and the
 * page's meta must be exactly what one JSON.parse of the body gives.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {MalformedPageError, parsePage, readPage, type RecordReader} from '../../source/cloud/page.ts';
import type {ApiRecord} from '../../source/cloud/types.ts';

/** A reader that keeps the pieces as they came. */
function pieces(): RecordReader<ApiRecord[][]> {
	const got: ApiRecord[][] = [];
	return {add: records => got.push(records), finish: () => got};
}

/** What one whole parse says the page holds. */
function expected(text: string) {
	const body = JSON.parse(text.replace(/^\uFEFF/, '')) as {data: unknown[]; hasNext: unknown; total?: unknown; nextQueryFilters?: unknown};
	const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
	return {records: body.data.filter(isObject), dropped: body.data.filter(value => !isObject(value)).length};
}

const nasty = fc.constantFrom('},{"_id":', '}, {"_id": ', '"},{\\"_id\\":', '\\', '\\"', '{', '}', '[', ']', ',', 'é', '🚀', '\u2028', ' ', '\n', '"data":[');
const text = fc.array(fc.oneof(fc.string(), nasty), {maxLength: 6}).map(parts => parts.join(''));
const leaf = fc.oneof(text, fc.integer(), fc.double({noNaN: true, noDefaultInfinity: true}), fc.boolean(), fc.constant(null));
const nested = fc.oneof(
	fc.record({_id: text, value: leaf}),
	fc.array(fc.record({_id: text, inner: fc.array(fc.record({_id: leaf}), {maxLength: 3})}), {maxLength: 3}),
	leaf,
);
const record = fc.record({_id: text, timestamp: fc.integer(), description: text, mainInfo: nested, extra: fc.dictionary(fc.string({maxLength: 5}), nested, {maxKeys: 3})}, {requiredKeys: ['_id']});
const element = fc.oneof({weight: 12, arbitrary: record}, {weight: 1, arbitrary: leaf}, {weight: 1, arbitrary: fc.array(leaf, {maxLength: 2})});
const page = fc.record({
	data: fc.array(element, {maxLength: 60}),
	hasNext: fc.boolean(),
	total: fc.option(fc.nat(), {nil: undefined}),
	nextQueryFilters: fc.option(fc.record({created: fc.record({gte: fc.nat()}), token: text}), {nil: undefined}),
});
const layout = fc.constantFrom<(value: unknown) => string>(
	value => JSON.stringify(value),
	value => JSON.stringify(value, null, 2),
	value => JSON.stringify(value, null, '\t').replaceAll('\n', '\r\n'),
	value => '\uFEFF' + JSON.stringify(value),
	// meta before data: not the fast layout, still the same result
	value => JSON.stringify({hasNext: (value as {hasNext: boolean}).hasNext, ...(value as object)}),
);

test('pieces hold exactly the records one whole parse gives, in order, for any content and layout', () => {
	fc.assert(fc.property(page, layout, fc.integer({min: 1, max: 400}), (generated, render, pieceChars) => {
		// Plain objects, as JSON.parse makes them (fast-check's records have no prototype).
		const value = JSON.parse(JSON.stringify(generated)) as typeof generated;
		const body = render(value);
		const want = expected(body);
		// As text, and as the bytes the client gets.
		for (const input of [body, Buffer.from(body)]) {
			const read = readPage(input, pieces, {pieceChars});
			assert.deepEqual(read.result.flat(), want.records);
			assert.equal(read.records, want.records.length);
			assert.equal(read.dropped, want.dropped);
			assert.equal(read.hasNext, value.hasNext);
			assert.deepEqual(read.nextQueryFilters, value.nextQueryFilters);
			assert.equal(read.total, value.total);
			// The bytes are read in place (brackets over separators for a moment) and left as they were.
			assert.equal(input.toString(), body);
		}
		assert.deepEqual(parsePage(body), {data: want.records, hasNext: value.hasNext, dropped: want.dropped, ...(value.total === undefined ? {} : {total: value.total}), ...(value.nextQueryFilters === undefined ? {} : {nextQueryFilters: value.nextQueryFilters})});
	}), {numRuns: Number(process.env.FUZZ_RUNS ?? 400)});
});

test('a compact page of plain records really is read in pieces of about the asked size', () => {
	// Like Microsoft's records: nested objects start with other keys; every tenth has a trap.
	const records = Array.from({length: 1000}, (_, index) => ({_id: `id-${index}`, description: 'Log on', user: {userName: 'a@b.c'}, mainInfo: {eventObjects: index % 10 === 0 ? [{_id: 'x', name: '},{"_id":'}, {_id: 'y'}] : [{name: 'n', id: 'i'}, {name: 'm', id: 'j'}]}}));
	const body = JSON.stringify({data: records, hasNext: true, nextQueryFilters: {after: 7}});
	const pretty = JSON.stringify({data: records, hasNext: true, nextQueryFilters: {after: 7}}, null, 1);
	for (const input of [body, Buffer.from(body), pretty, Buffer.from(pretty)]) {
		const read = readPage(input, pieces, {pieceChars: 4096});
		assert.ok(read.result.length > body.length / 4096 / 2, `${read.result.length} pieces`);
		assert.ok(read.result.every(piece => piece.length < 100), 'no piece is much larger than asked');
		assert.deepEqual(read.result.flat(), records);
		assert.deepEqual(read.nextQueryFilters, {after: 7});
	}
});

test('a body broken anywhere is malformed, never a shorter page', () => {
	const records = Array.from({length: 200}, (_, index) => ({_id: `id-${index}`, note: '},{"_id":"fake"}'}));
	const body = JSON.stringify({data: records, hasNext: false});
	for (let cut = 1; cut < body.length; cut += 97) {
		for (const broken of [body.slice(0, cut), body.slice(0, cut) + body.slice(cut + 1), body.slice(0, cut) + '"' + body.slice(cut)]) {
			for (const input of [broken, Buffer.from(broken)]) {
				let result: unknown;
				try {
					result = readPage(input, pieces, {pieceChars: 256}).result.flat();
				} catch (error) {
					assert.ok(error instanceof MalformedPageError, String(error));
					continue;
				} finally {
					assert.equal(input.toString(), broken);
				}
				// Removing or adding a character can still leave valid JSON (e.g. inside a string):
				// then the result must be what a whole parse of that body says.
				assert.deepEqual(result, expected(broken).records);
			}
		}
	}
});
