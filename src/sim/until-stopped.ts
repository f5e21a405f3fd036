/**
 * How the `sim` command waits to be stopped: resolves when `signal` aborts
 * (the CLI's comes from run/controller.ts) or, without one (a script calling
 * runSimCommand directly, bench/lib-sim.mjs), at the first SIGINT / SIGTERM.
 */
export function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
