/**
 * What the query engine needs to know about a collection (activities or alerts): its
 * timeline, how to read a filter field or a sort key of record i, and how to write record i.
 */

import type {Timeline} from './timeline.ts';

export type FieldType = 'time' | 'number' | 'string' | 'boolean';

/** A field's value in record i; null when the record does not have it. Arrays match if any element does. */
export type FieldValue = string | number | boolean | null | ReadonlyArray<string | number>;

export interface FieldSpec {
	type: FieldType;
	value(i: number): FieldValue;
	/**
	 * How the value relates to the timeline key, so a time filter narrows the index range:
	 * `key` is the key itself; `near` lies in [key − lag, key].
	 */
	order?: 'key' | 'near';
	lag?: number;
	/** Restricts the operators (by default every operator of the type). */
	ops?: readonly string[];
}

/** A stream of records whose sort value lies in [key − lag, key]; streams are merged. */
export interface LagStream {
	lag: number;
	member(i: number): boolean;
}

export type SortSpec =
	| {kind: 'key'}
	| {kind: 'near'; value(i: number): number; streams: readonly LagStream[]}
	| {kind: 'any'; value(i: number): number};

export interface Dataset {
	name: 'activities' | 'alerts';
	timeline: Timeline;
	fields: Readonly<Record<string, FieldSpec>>;
	sorts: Readonly<Record<string, SortSpec>>;
	/** Record i as a JSON object text. */
	json(i: number): string;
}
