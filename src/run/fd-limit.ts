/**
 * Every in-flight stream holds a socket. Node cannot raise its own
 * RLIMIT_NOFILE, so before a run the soft limit is compared with what the
 * run needs, and a run that would hit it stops with the command to fix it.
 */
import { readFileSync } from 'node:fs';
import { RuntimeError } from '../core/errors.js';

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
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m) return null;
  const num = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return [num(m[1]!), num(m[2]!)];
}

/** Sockets for the largest `parallel` concurrencies, plus room for files, pipes and threads. */
export function filesNeeded(batchSizes: number[], parallel: number): number {
  const top = [...batchSizes].sort((a, b) => b - a).slice(0, Math.max(1, parallel));
  return top.reduce((a, b) => a + b, 0) + 128;
}

export function checkOpenFiles(batchSizes: number[], parallel: number, limits = openFileLimits()): void {
  if (!limits) return;
  const need = filesNeeded(batchSizes, parallel);
  const [soft, hard] = limits;
  if (need <= soft) return;
  const fix = need <= hard ? `run 'ulimit -n ${need}' first` : `raise the hard limit (now ${hard}) and run 'ulimit -n ${need}'`;
  throw new RuntimeError(
    `max concurrency needs about ${need} open files but this shell allows ${soft}: ${fix}, or lower --max-concurrency`,
    'E_NOFILE',
  );
}
