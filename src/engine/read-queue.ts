/**
 * Network reads are timestamped when they arrive and parsed later, in slices
 * of at most SLICE_MS, between which the event loop goes back to I/O. When
 * many streams are ready at once, every socket's next read is timestamped
 * within about a slice of its arrival instead of waiting behind the parsing of
 * all the others (a long parse would otherwise show up as TTFT/ITL).
 */
import { nowMs } from './clock.js';
import type { SseTokenParser } from './sse.js';

/** Longest parse slice before the loop returns to I/O (ms). */
export const SLICE_MS = 1;

/** Reads waiting to be parsed for one response. */
export class ReadQueue {
  private readonly items: Array<Buffer | number> = [];
  private head = 0;
  private dirty = false;

  constructor(private readonly parser: SseTokenParser) {}

  /** Queue a read that arrived at `t` (ms). */
  push(chunk: Buffer, t: number): void {
    this.items.push(chunk, t);
    if (!this.dirty) {
      this.dirty = true;
      pending.push(this);
      schedule();
    }
  }

  /** Parse everything queued (before deciding how the response ended). */
  drainAll(): void {
    this.drainUntil(Infinity);
  }

  /** Parse until the clock passes `deadline`; true when empty. */
  drainUntil(deadline: number): boolean {
    const it = this.items;
    while (this.head < it.length) {
      this.parser.push(it[this.head] as Buffer, it[this.head + 1] as number);
      this.head += 2;
      if (deadline !== Infinity && nowMs() > deadline) break;
    }
    if (this.head >= it.length) {
      it.length = 0;
      this.head = 0;
      this.dirty = false;
      return true;
    }
    return false;
  }
}

let pending: ReadQueue[] = [];
let scheduled = false;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(run);
}

function run(): void {
  scheduled = false;
  const deadline = nowMs() + SLICE_MS;
  const list = pending;
  pending = [];
  let i = 0;
  for (; i < list.length; i++) {
    const q = list[i]!;
    if (!q.drainUntil(deadline)) break;
    if (nowMs() > deadline) {
      i++;
      break;
    }
  }
  // What is left waits for the next turn of the loop, after I/O.
  for (; i < list.length; i++) pending.push(list[i]!);
  if (pending.length) schedule();
}
