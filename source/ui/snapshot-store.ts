/**
 * Keeps the newest engine snapshot for whichever view is on screen. The app subscribes to the
 * engine once; the dashboard listens while mounted and starts from the newest snapshot, so
 * returning from the wizard shows data at once and the wizard never re-renders on snapshots.
 */
import type {EngineSnapshot} from '../engine/protocol.ts';

export interface SnapshotStore {
	get(): EngineSnapshot | undefined;
	push(snapshot: EngineSnapshot): void;
	/** Calls `listener` on each new snapshot; returns the unsubscribe. */
	listen(listener: (snapshot: EngineSnapshot) => void): () => void;
}

export function createSnapshotStore(): SnapshotStore {
	let latest: EngineSnapshot | undefined;
	const listeners = new Set<(snapshot: EngineSnapshot) => void>();
	return {
		get: () => latest,
		push(snapshot) {
			latest = snapshot;
			for (const listener of listeners) {
				listener(snapshot);
			}
		},
		listen(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
	};
}
