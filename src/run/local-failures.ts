/**
 * Failures that are this machine's, not the server's: out of file
 * descriptors or local ports. Their figures say nothing about the server, so
 * a run with any of them exits non-zero with one line saying what to raise.
 */
import type { TaskResult } from '../metrics/types.js';

export const LOCAL_CODES: readonly string[] = ['E_FD_LIMIT', 'E_PORT_LIMIT'];

/** One line naming the first local failure of the run, or undefined when there was none. */
export function localFailureMessage(results: readonly Pick<TaskResult, 'key' | 'failures'>[]): string | undefined {
  for (const r of results) {
    const f = r.failures.find((x) => LOCAL_CODES.includes(x.code));
    if (f)
      return `${r.key}: ${f.count} request(s) failed for a local reason, not the server's (${f.code}: ${f.example})`;
  }
  return undefined;
}
