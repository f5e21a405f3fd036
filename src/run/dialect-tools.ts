/**
 * What the results view needs to switch metric dialect in place and to show
 * the differences view (both recompute from the task's details file, so they
 * work the same after a live run and after perf_viz), and the per-request
 * drill-down, read from the same file.
 */
import type { Dialect } from '../metrics/dialects.js';
import type { TaskResult } from '../metrics/types.js';
import { differencesFromDetails } from '../output/details-differences.js';
import { recomputeFromDetails, type RecomputeOptions } from '../output/details-recompute.js';
import { requestItlFromDetails, requestRowsFromDetails } from '../output/details-requests.js';

export type DialectBase = Omit<RecomputeOptions, 'dialect' | 'stats'>;

export function attachDialectTools(r: TaskResult, detailsAbs: string, base: DialectBase): TaskResult {
  r.switchDialect = async (d: string, stats: string[]) => {
    const next = await recomputeFromDetails(detailsAbs, { ...base, stats, dialect: d as Dialect });
    next.files = r.files;
    next.interrupted = r.interrupted;
    return attachDialectTools(next, detailsAbs, base);
  };
  r.loadDifferences = async () =>
    (await differencesFromDetails(detailsAbs, { maxConcurrency: base.maxConcurrency })).rows;
  r.loadRequests = () => requestRowsFromDetails(detailsAbs, r.dialect);
  r.loadItl = (line: number) => requestItlFromDetails(detailsAbs, line, r.dialect);
  return r;
}
