/**
 * AISBENCH_TUI_PROFILE=<file>: what drawing the board costs inside a real run,
 * for bench/board.mjs. A store notification makes React re-render in a
 * microtask (render, commit, Ink's layout and write), so the wall time from
 * the notification to the next microtask is the board's main-thread cost of
 * that tick (an upper bound: on a busy machine wall time includes preemption).
 * On exit the totals are written to the file as JSON:
 * { ticks, tickMs, boardMs, frames, inkRenderMs, wallMs, cpuMs } (ms).
 */
import { writeFileSync } from 'node:fs';
import type { SnapshotSource } from '../engine/types.js';

export interface RenderProfile {
  /** The source to give the app (timed when profiling). */
  wrap(source: SnapshotSource): SnapshotSource;
  /** Ink's per-frame callback (undefined when not profiling). */
  onRender?: (m: { renderTime: number }) => void;
  /** The board is gone (results arrived): stop the board clock. */
  boardDone(): void;
  /** Write the totals (once). */
  finish(): void;
}

const OFF: RenderProfile = { wrap: (s) => s, boardDone() {}, finish() {} };

export function renderProfile(file = process.env.AISBENCH_TUI_PROFILE): RenderProfile {
  if (!file) return OFF;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let boardMs = NaN;
  let ticks = 0;
  let tickMs = 0;
  let frames = 0;
  let inkRenderMs = 0;
  let written = false;
  let inTick = false;
  return {
    wrap: (source) => ({
      getSnapshot: source.getSnapshot,
      subscribe: (onChange) =>
        source.subscribe(() => {
          const t0 = performance.now();
          inTick = true;
          onChange();
          // React flushes the store update in a microtask queued by onChange;
          // this one runs right after it (render, commit, Ink's frame).
          queueMicrotask(() => {
            inTick = false;
            if (!Number.isNaN(boardMs)) return;
            ticks++;
            tickMs += performance.now() - t0;
          });
        }),
    }),
    onRender: (m) => {
      frames++;
      inkRenderMs += m.renderTime;
      // Frames Ink draws later (its 30 fps throttle's trailing edge) count too.
      if (!inTick && Number.isNaN(boardMs)) tickMs += m.renderTime;
    },
    boardDone() {
      if (Number.isNaN(boardMs)) boardMs = performance.now() - start;
    },
    finish() {
      if (written) return;
      written = true;
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - start;
      const out = {
        ticks,
        tickMs,
        boardMs: Number.isNaN(boardMs) ? wallMs : boardMs,
        frames,
        inkRenderMs,
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
      try {
        writeFileSync(file, `${JSON.stringify(out)}\n`);
      } catch {
        // Profiling must never break a run.
      }
    },
  };
}
