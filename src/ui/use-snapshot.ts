/**
 * The UI's only door to the engine: `useSyncExternalStore` over a
 * SnapshotSource. While `paused`, the view stops taking snapshots (it keeps
 * the last one it rendered and does not even re-render); the run goes on.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { RunSnapshot, SnapshotSource } from '../engine/types.js';

const noop = (): void => {};

export function useSnapshot(source: SnapshotSource, paused = false): RunSnapshot {
  const last = useRef<RunSnapshot | null>(null);
  const subscribe = useCallback(
    (onChange: () => void) => (paused ? noop : source.subscribe(onChange)),
    [source, paused],
  );
  const getSnapshot = useCallback((): RunSnapshot => {
    if (paused && last.current) return last.current;
    last.current = source.getSnapshot();
    return last.current;
  }, [source, paused]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
