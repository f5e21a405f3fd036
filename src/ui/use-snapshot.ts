/**
 * The UI's only door to the engine: `useSyncExternalStore` over a
 * SnapshotSource. While `paused`, the view stops taking snapshots: it keeps
 * returning the last snapshot rendered before the pause and unsubscribes, so
 * ticks do not even re-render it; the run goes on underneath.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { RunSnapshot, SnapshotSource } from '../engine/types.js';

const noop = (): void => {};

export function useSnapshot(source: SnapshotSource, paused = false): RunSnapshot {
  const subscribe = useCallback(
    (onChange: () => void) => (paused ? noop : source.subscribe(onChange)),
    [source, paused],
  );
  const live = useSyncExternalStore(subscribe, source.getSnapshot);
  // The last snapshot rendered unpaused. Written during render (not in an
  // effect) so the first paused render already holds it, whatever ticks land
  // between the key press and React's resubscription.
  const shown = useRef<RunSnapshot>(live);
  if (!paused) shown.current = live;
  return shown.current;
}
