/**
 * A load worker's concurrency slots (shared with the other workers through
 * the control words) and its pacing of scheduled sends.
 */
import { nowMs } from './clock.js';
import { CTL } from './protocol.js';
import type { WorkerState } from './worker-state.js';

// Atomics.waitAsync exists in Node 20 (V8) but is typed only in lib ES2024, which
// would also admit APIs Node 20 lacks.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

function tryAcquire(ctl: Int32Array): boolean {
  for (;;) {
    const cur = Atomics.load(ctl, CTL.INFLIGHT);
    if (cur >= Atomics.load(ctl, CTL.MAX)) return false;
    if (Atomics.compareExchange(ctl, CTL.INFLIGHT, cur, cur + 1) === cur) return true;
  }
}

/** Waits for a slot; false once the task stops. */
export async function acquire(st: WorkerState): Promise<boolean> {
  const ctl = st.ctl;
  for (;;) {
    if (st.mine < st.myCap && tryAcquire(ctl)) {
      st.mine++;
      return true;
    }
    if (st.stopped) return false;
    const cur = Atomics.load(ctl, CTL.INFLIGHT);
    const full = st.mine >= st.myCap;
    if (!full && cur < Atomics.load(ctl, CTL.MAX)) continue;
    // At this worker's own cap only its own release (a handoff) frees a slot for it.
    const w = full ? null : waitAsync(ctl, CTL.INFLIGHT, cur, 20);
    if (w && !w.async) continue;
    // Woken by a handoff from this worker (true), or by another worker's
    // release, a stop or the 20 ms timeout (false: look again).
    const handed = await new Promise<boolean>((resolve) => {
      // Cleared as soon as it settles: a later release must not hand its slot to a waiter already gone.
      const settle = (h: boolean): void => {
        if (st.slotWaiter === settle) st.slotWaiter = null;
        resolve(h);
      };
      st.slotWaiter = settle;
      if (w) void (w.value as Promise<string>).then(() => settle(false));
      else setTimeout(() => settle(false), 20);
    });
    if (handed) return true;
  }
}

export function release(st: WorkerState): void {
  const ctl = st.ctl;
  // A finished unit's slot goes straight to the next unit when the loop waits
  // for one: it is sent in this same tick (no wake-up through the event loop)
  // and the shared in-flight count never dips between the two, which is what
  // holding batch_size in flight (pressure mode) means.
  const waiter = st.slotWaiter;
  // Not when the cap was lowered below what is in flight (the adaptive controller backing off).
  if (waiter && !st.stopped && Atomics.load(ctl, CTL.INFLIGHT) <= Atomics.load(ctl, CTL.MAX)) {
    st.slotWaiter = null;
    waiter(true);
    return;
  }
  st.mine--;
  Atomics.sub(ctl, CTL.INFLIGHT, 1);
  Atomics.notify(ctl, CTL.INFLIGHT, 1);
}

/**
 * The last stretch of a wait (ms) spent polling (setImmediate: I/O is still
 * served) instead of on a timer. libuv timers have whole-ms resolution and
 * often fire 1-2 ms after their due time; with 1.5 ms of spin ~2 % of fixed
 * 25 ms gaps were over 1 ms late on an idle machine, with 3 ms none were
 * (test/timing/arrival-live.test.ts). Costs up to 3 ms of CPU per scheduled send.
 */
const SPIN_MS = 3;

/**
 * Runs the pacing code a few hundred times before the run: otherwise V8
 * optimizes it during the first scheduled sends, and those were 2-6 ms late
 * (0.1 ms after this). Takes ~15-50 ms, only for a task with a schedule.
 */
export async function warmPacing(st: WorkerState): Promise<void> {
  for (let k = 0; k < 300; k++) await sleepUntil(st, nowMs() + 0.05);
}

/** Sleep until absolute time `target` (ms): a timer, then a short spin for sub-ms accuracy. */
export async function sleepUntil(st: WorkerState, target: number): Promise<void> {
  let left = target - nowMs();
  if (left > SPIN_MS + 0.5) await new Promise((r) => setTimeout(r, left - SPIN_MS));
  while ((left = target - nowMs()) > 0 && !st.aborted) await new Promise((r) => setImmediate(r));
}
