/**
 * Yields the matching records of a plan in sort order, lazily, starting after a position.
 * Sorting by the timeline key is a walk over indices. Sorting by a value that trails the key
 * by at most `lag` (an activity's `timestamp` trails its `created`) needs only a heap the
 * size of one lag window, not a sort of the whole collection.
 */

import type {Dataset, LagStream} from './dataset.ts';
import type {FilterPlan} from './filters.ts';

/** Where a record sits in a sort order: its sort value, ties broken by index. */
export interface Position {
	value: number;
	index: number;
}

export type Direction = 'asc' | 'desc';

function precedes(direction: Direction, a: Position, b: Position): boolean {
	if (a.value !== b.value) {
		return direction === 'asc' ? a.value < b.value : a.value > b.value;
	}

	return direction === 'asc' ? a.index < b.index : a.index > b.index;
}

/** A binary heap of positions; the top is the one that comes first in `direction`. */
class PositionHeap {
	readonly #items: Position[] = [];
	readonly #direction: Direction;

	constructor(direction: Direction) {
		this.#direction = direction;
	}

	get size(): number {
		return this.#items.length;
	}

	peek(): Position | undefined {
		return this.#items[0];
	}

	push(item: Position): void {
		const items = this.#items;
		items.push(item);
		let k = items.length - 1;
		while (k > 0) {
			const parent = (k - 1) >> 1;
			if (!precedes(this.#direction, items[k], items[parent])) {
				break;
			}

			[items[k], items[parent]] = [items[parent], items[k]];
			k = parent;
		}
	}

	pop(): Position {
		const items = this.#items;
		const top = items[0];
		const last = items.pop()!;
		if (items.length > 0) {
			items[0] = last;
			let k = 0;
			for (;;) {
				const left = (2 * k) + 1;
				const right = left + 1;
				let best = k;
				if (left < items.length && precedes(this.#direction, items[left], items[best])) {
					best = left;
				}

				if (right < items.length && precedes(this.#direction, items[right], items[best])) {
					best = right;
				}

				if (best === k) {
					break;
				}

				[items[k], items[best]] = [items[best], items[k]];
				k = best;
			}
		}

		return top;
	}
}

function * byKey(dataset: Dataset, plan: FilterPlan, direction: Direction, after?: Position): Generator<Position> {
	const {key} = dataset.timeline;
	const {predicate} = plan;
	if (direction === 'asc') {
		for (let i = Math.max(plan.lo, after ? after.index + 1 : 0); i < plan.hi; i++) {
			if (!predicate || predicate(i)) {
				yield {value: key(i), index: i};
			}
		}
	} else {
		for (let i = Math.min(plan.hi, after ? after.index : plan.hi) - 1; i >= plan.lo; i--) {
			if (!predicate || predicate(i)) {
				yield {value: key(i), index: i};
			}
		}
	}
}

function * byNearValue(dataset: Dataset, plan: FilterPlan, direction: Direction, value: (i: number) => number, stream: LagStream, after?: Position): Generator<Position> {
	const {key, lowerBound} = dataset.timeline;
	const {predicate} = plan;
	const {lag, member} = stream;
	const heap = new PositionHeap(direction);
	const admit = (i: number) => {
		if (!member(i)) {
			return;
		}

		const position = {value: value(i), index: i};
		if ((!after || precedes(direction, after, position)) && (!predicate || predicate(i))) {
			heap.push(position);
		}
	};

	if (direction === 'asc') {
		// value >= key − lag, so nothing later in index order can precede a top value <= key − lag.
		const start = after ? lowerBound(after.value, plan.lo, plan.hi) : plan.lo;
		for (let i = start; i < plan.hi; i++) {
			if (heap.size > 0) {
				const floor = key(i) - lag;
				while (heap.size > 0 && heap.peek()!.value <= floor) {
					yield heap.pop();
				}
			}

			admit(i);
		}
	} else {
		// value <= key, so nothing earlier in index order can precede a top value >= key.
		const start = after ? lowerBound(after.value + lag + 1, plan.lo, plan.hi) : plan.hi;
		for (let i = start - 1; i >= plan.lo; i--) {
			if (heap.size > 0) {
				const ceiling = key(i);
				while (heap.size > 0 && heap.peek()!.value >= ceiling) {
					yield heap.pop();
				}
			}

			admit(i);
		}
	}

	while (heap.size > 0) {
		yield heap.pop();
	}
}

function * merge(direction: Direction, streams: Array<Generator<Position>>): Generator<Position> {
	const heads = streams.map(stream => stream.next());
	for (;;) {
		let best = -1;
		for (const [k, head] of heads.entries()) {
			if (!head.done && (best < 0 || precedes(direction, head.value, heads[best].value as Position))) {
				best = k;
			}
		}

		if (best < 0) {
			return;
		}

		yield heads[best].value as Position;
		heads[best] = streams[best].next();
	}
}

function * byAnyValue(plan: FilterPlan, direction: Direction, value: (i: number) => number, after?: Position): Generator<Position> {
	const matches: Position[] = [];
	for (let i = plan.lo; i < plan.hi; i++) {
		if (!plan.predicate || plan.predicate(i)) {
			const position = {value: value(i), index: i};
			if (!after || precedes(direction, after, position)) {
				matches.push(position);
			}
		}
	}

	matches.sort((a, b) => (precedes(direction, a, b) ? -1 : 1));
	yield * matches;
}

/** The records of `plan` sorted on `sortField` in `direction`, strictly after `after` when given. */
export function ordered(dataset: Dataset, sortField: string, direction: Direction, plan: FilterPlan, after?: Position): Generator<Position> {
	const sort = dataset.sorts[sortField];
	if (sort.kind === 'key') {
		return byKey(dataset, plan, direction, after);
	}

	if (sort.kind === 'near') {
		const streams = sort.streams.map(stream => byNearValue(dataset, plan, direction, sort.value, stream, after));
		return streams.length === 1 ? streams[0] : merge(direction, streams);
	}

	return byAnyValue(plan, direction, sort.value, after);
}
