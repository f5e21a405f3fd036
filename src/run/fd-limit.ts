/**
 * Every in-flight stream holds a socket, and the engine opens exactly one
 * connection per concurrency slot (worker.ts). Node raises its soft
 * RLIMIT_NOFILE to the hard limit when it starts and can go no further, so before a run (before any request) the soft limit is
 * compared with what the run will hold open, and a run that would hit it
 * stops with one line naming the limit and the command to raise it (exit 2).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { UsageError } from '../core/errors.js';

/** [soft, hard] open-file limits of this process, or null when unknown (not Linux). */
export function openFileLimits(limitsText?: string): [number, number] | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const [, soft, hard] = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text) ?? [];
  if (soft === undefined || hard === undefined) return null;
  const num = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return [num(soft), num(hard)];
}

/** Descriptors this process holds now (stdio, the module cache, Ink's tty...); 0 when unknown. */
export function filesOpenNow(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

/** Per engine thread: its event loop's epoll, eventfd and wake-up pipes (4, measured) and its details file. */
export const FILES_PER_THREAD = 5;
/** Per running task: log, details and meta files, result and report writes. */
export const FILES_PER_TASK = 8;
/** Slack for what is opened later (tokenizer, DNS, the HTML template, a second simulator thread). */
export const FILES_SLACK = 32;

export interface FdTask {
  /** Concurrency slots = client sockets. */
  batch: number;
  /** Served by the embedded simulator in this process: its side of each socket is ours too. */
  sim?: boolean;
}

/**
 * Descriptors the run holds at its peak: the `parallel` largest tasks at
 * once, each with one socket per slot (two with the embedded simulator),
 * its threads and files, on top of what is open now.
 */
export function filesNeeded(
  tasks: Array<number | FdTask>,
  parallel: number,
  openNow = 0,
  cores = availableParallelism(),
): number {
  const norm = tasks.map((t) => (typeof t === 'number' ? { batch: t } : t));
  const cost = (t: FdTask) =>
    t.batch * (t.sim ? 2 : 1) + Math.min(cores, Math.ceil(t.batch / 128)) * FILES_PER_THREAD + FILES_PER_TASK;
  const top = norm
    .map(cost)
    .sort((a, b) => b - a)
    .slice(0, Math.max(1, parallel));
  return openNow + top.reduce((a, b) => a + b, 0) + FILES_SLACK;
}

export function checkOpenFiles(
  tasks: Array<number | FdTask>,
  parallel: number,
  limits = openFileLimits(),
  openNow = filesOpenNow(),
  cores = availableParallelism(),
): void {
  if (!limits) return;
  const need = filesNeeded(tasks, parallel, openNow, cores);
  const [soft, hard] = limits;
  if (need <= soft) return;
  const fix =
    need <= hard
      ? `run 'ulimit -n ${need}' first`
      : `raise the hard limit (now ${hard}, see /etc/security/limits.conf) and run 'ulimit -n ${need}'`;
  throw new UsageError(
    `--max-concurrency needs about ${need} open files (one socket per slot) but the open-file limit (ulimit -n) is ${soft}: ${fix}, or lower --max-concurrency`,
    'E_NOFILE',
  );
}
