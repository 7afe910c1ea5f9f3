/**
 * State that key handlers read and write synchronously. A terminal can deliver several keys in
 * one chunk (fast typing, a paste followed by Enter); Ink calls the handler for each before
 * React re-renders, so ordinary state would hand every call the same stale value and drop
 * keys. Here the value lives in a ref, each change applies to the latest value at once, and a
 * re-render is scheduled.
 */
import {useCallback, useReducer, useRef} from 'react';

/** Always the latest state, for handlers and async callbacks. */
export interface Latest<T> {
	readonly current: T;
}

export type Update<T> = Partial<T> | ((current: T) => Partial<T>);

function useHolder<T>(initial: () => T): {current: T} {
	const holder = useRef<{current: T} | undefined>(undefined);
	holder.current ??= {current: initial()};
	return holder.current;
}

/** `[state, update, latest]`: `update` merges a patch into the latest state. */
export function useSyncState<T extends object>(initial: () => T): [T, (update: Update<T>) => void, Latest<T>] {
	const holder = useHolder(initial);
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const update = useCallback((change: Update<T>) => {
		const current = holder.current;
		const patch = typeof change === 'function' ? change(current) : change;
		if (Object.entries(patch).some(([key, value]) => current[key as keyof T] !== value)) {
			holder.current = {...current, ...patch};
			rerender();
		}
	}, [holder]);
	return [holder.current, update, holder];
}

/** A reducer with the same property: `dispatch` applies to the latest state at once. */
export function useSyncReducer<S, A>(reduce: (state: S, action: A) => S, initial: () => S): [S, (action: A) => void, Latest<S>] {
	const holder = useHolder(initial);
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const dispatch = useCallback((action: A) => {
		const next = reduce(holder.current, action);
		if (next !== holder.current) {
			holder.current = next;
			rerender();
		}
	}, [holder, reduce]);
	return [holder.current, dispatch, holder];
}
