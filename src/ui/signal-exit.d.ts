// signal-exit 3 ships no types; this is the part terminal.ts and run-app.tsx use.
declare module 'signal-exit' {
  /** Calls `cb` when the process exits, including on a signal nobody else handles; returns an unsubscribe. */
  function onExit(
    cb: (code: number | null, signal: string | null) => void,
    opts?: { alwaysLast?: boolean },
  ): () => void;
  export default onExit;
}
