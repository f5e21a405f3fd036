/**
 * Token audit (#13). AIPerf computes a usage discrepancy between the
 * server's usage and its own tokenizer (docs/metrics_reference.md, "usage
 * discrepancy"); nobody shows it to the user. Over successful requests with
 * both the server's usage and a local count (`--tokenizer` / `path`):
 * server − local, in tokens and in % of local, mean and worst (largest
 * magnitude, sign kept), for the prompt and for the answer.
 *
 * - Input: server prompt_tokens − the tokenizer's count of the raw prompt.
 *   For chat this is the chat template's overhead (role markers, BOS...).
 * - Output: server completion_tokens − the tokenizer's count of the streamed
 *   answer text (special tokens excluded, so a server counting its EOS shows
 *   +1). Requests with reasoning or tool-call deltas are left out: only the
 *   answer text is collected.
 * - Requests without server usage: counted (what stood in for usage is in
 *   the task log).
 *
 * Plain objects (no class) so the sums travel in AccumulatorState.
 */
import type { RequestRecord } from '../engine/types.js';
import { COMMON_METRIC_NAMES as N } from '../core/metric-ids.js';
import type { CommonRow } from './types.js';

/** Sums over one side (input or output) of the audited requests. */
export interface AuditSide {
  n: number;
  sumDiff: number;
  sumPct: number;
  worstDiff: number;
  worstPct: number;
}

export interface AuditSums extends AuditSide {
  /** The output side (the input side is the top-level fields, as details and states written before it hold). */
  out?: AuditSide;
  noUsage: number;
}

export const emptySide = (): AuditSide => ({ n: 0, sumDiff: 0, sumPct: 0, worstDiff: 0, worstPct: 0 });
export const emptyAudit = (): AuditSums => ({ ...emptySide(), out: emptySide(), noUsage: 0 });

function addSide(a: AuditSide, server: number, local: number): void {
  const d = server - local;
  const pct = (d * 100) / local;
  a.n++;
  a.sumDiff += d;
  a.sumPct += pct;
  if (Math.abs(d) > Math.abs(a.worstDiff)) a.worstDiff = d;
  if (Math.abs(pct) > Math.abs(a.worstPct)) a.worstPct = pct;
}

function mergeSide(a: AuditSide, s: AuditSide): void {
  a.n += s.n;
  a.sumDiff += s.sumDiff;
  a.sumPct += s.sumPct;
  if (Math.abs(s.worstDiff) > Math.abs(a.worstDiff)) a.worstDiff = s.worstDiff;
  if (Math.abs(s.worstPct) > Math.abs(a.worstPct)) a.worstPct = s.worstPct;
}

/** Add one successful request. */
export function auditRecord(a: AuditSums, r: RequestRecord): void {
  if (!r.usage) {
    a.noUsage++;
    return;
  }
  if (r.localIn !== undefined && r.localIn > 0) addSide(a, r.inTok, r.localIn);
  if (r.localOut !== undefined && r.localOut > 0) addSide((a.out ??= emptySide()), r.outTok, r.localOut);
}

export function mergeAudit(a: AuditSums, s: AuditSums): void {
  mergeSide(a, s);
  if (s.out) mergeSide((a.out ??= emptySide()), s.out);
  a.noUsage += s.noUsage;
}

function sideRows(a: AuditSide, what: 'input' | 'output'): CommonRow[] {
  if (a.n === 0) return [];
  const mean = `${what}_tokens_diff_mean` as const;
  const worst = `${what}_tokens_diff_worst` as const;
  const meanPct = `${what}_tokens_diff_mean_pct` as const;
  const worstPct = `${what}_tokens_diff_worst_pct` as const;
  return [
    { id: mean, name: N[mean], stage: 'total', value: a.sumDiff / a.n, unit: '' },
    { id: worst, name: N[worst], stage: 'total', value: a.worstDiff, unit: '' },
    { id: meanPct, name: N[meanPct], stage: 'total', value: a.sumPct / a.n, unit: '%' },
    { id: worstPct, name: N[worstPct], stage: 'total', value: a.worstPct, unit: '%' },
  ];
}

/** Common Metric rows: the no-usage count always, the server − local rows with a tokenizer. */
export function auditRows(a: AuditSums, tokenizer: boolean): CommonRow[] {
  const rows: CommonRow[] = [];
  if (a.noUsage > 0)
    rows.push({
      id: 'requests_without_server_usage',
      name: N.requests_without_server_usage,
      stage: 'total',
      value: a.noUsage,
      unit: '',
    });
  if (tokenizer) rows.push(...sideRows(a, 'input'), ...sideRows(a.out ?? emptySide(), 'output'));
  return rows;
}

/** One task-log line for the audit ('' when there is nothing to say). */
export function auditLogLine(a: AuditSums): string {
  const side = (s: AuditSide | undefined, what: string): string =>
    s && s.n > 0
      ? `${what} server - local mean ${(s.sumDiff / s.n).toFixed(2)} tokens (${(s.sumPct / s.n).toFixed(2)} %), worst ${s.worstDiff} (${s.worstPct.toFixed(2)} %) over ${s.n} requests`
      : '';
  const parts = [side(a, 'input'), side(a.out, 'output')].filter((p) => p !== '');
  return parts.length ? `token audit: ${parts.join('; ')}` : '';
}
