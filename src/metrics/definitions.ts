/**
 * The metric definitions, in one place. Every number aisbench-tui reports is
 * derived here (per request) or in accumulator.ts / common.ts (per task) from
 * a RequestRecord (src/engine/types.ts). Times are ms unless a name says µs.
 *
 * Per request (only `ok && !warmup` records count; failed ones are counted in
 * "Failed Requests" and never enter a Performance Parameters row):
 *
 * - E2EL  = `e2el`: last token-bearing chunk − send time t0 (ms).
 * - TTFT  = `ttft`: first token-bearing chunk − t0 (ms).
 * - TPOT  = (E2EL − TTFT) / (OutputTokens − 1) (ms): decode time per token
 *           after the first. Undefined when OutputTokens ≤ 1: such a request
 *           is left out of the TPOT row (its N is smaller).
 * - ITL   = the gaps between consecutive token-bearing chunks after the first
 *           (`gapsUs`, whole µs). One distribution over ALL gaps of ALL
 *           requests (not a mean per request). A chunk that carries k > 1
 *           tokens (`chunkTokens[i] = k`) contributes k values of gap/k: its
 *           tokens are taken to have arrived evenly over the gap, so a server
 *           that batches tokens per chunk reports the same ITL as one that
 *           does not. The first chunk's extra tokens contribute nothing (they
 *           have no gap before them: they are part of TTFT).
 *           N of the ITL row = requests with at least one gap (as AISBench).
 * - InputTokens  = `inTok`  (server usage, else tokenizer/synthetic target).
 * - OutputTokens = `outTok` (server usage, else count of streamed tokens).
 * - OutputTokenThroughput  = OutputTokens / E2EL  (token/s).
 * - PrefillTokenThroughput = InputTokens / TTFT   (token/s).
 *
 * Stats (stats.ts): Average, Min, Max, Median, Pxx (0 < xx < 100, decimals
 * allowed), at most 8, plus N. Percentiles interpolate linearly between the
 * closest ranks (numpy's default, as AISBench uses): rank h = (N − 1)·p/100,
 * value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) over the sorted values.
 * They are EXACT: per-request values are kept (8 bytes each), and ITL is an
 * exact histogram of whole microseconds (itl-histogram.ts). The tdigest
 * (engine/live-monitor.ts) only feeds the live board.
 *
 * Per task (common.ts), over the non-warmup requests of a stage:
 * - Benchmark Duration = max(end) − min(t0), failed requests included (ms).
 * - Concurrency = Σ E2EL of successes / Benchmark Duration (AISBench's
 *   average in-flight figure: 8 × 12300.2 ms / 98409.5 ms = 0.9999).
 * - Request Throughput = successes / duration (req/s).
 * - Prefill Token Throughput = Total Input Tokens / Σ TTFT (token/s).
 * - Input / Output / Total Token Throughput = tokens of successes / duration.
 * - Send Delay = t0 − sched for scheduled requests (sched ≥ 0): how late the
 *   client sent; mean and P99 (ms).
 * - Goodput = good requests / duration (req/s), Good Requests = good / total
 *   requests (%), where a request is good when it succeeded and meets every
 *   given SLO (a TPOT bound passes when TPOT is undefined).
 * - Stage 'stable' (stable.ts): the window from the first request sent after
 *   in-flight concurrency first reaches Max Concurrency to the last moment it
 *   is held there; requests sent inside it; its Benchmark Duration is the
 *   window's length (as AISBench's stable_stage).
 */
import type { PerfMetricName, Stage } from './types.js';
import type { Slo } from '../core/slo.js';

/** Row order and units of the Performance Parameters table. */
export const PERF_METRICS: ReadonlyArray<{ name: PerfMetricName; unit: string }> = [
  { name: 'E2EL', unit: 'ms' },
  { name: 'TTFT', unit: 'ms' },
  { name: 'TPOT', unit: 'ms' },
  { name: 'ITL', unit: 'ms' },
  { name: 'InputTokens', unit: '' },
  { name: 'OutputTokens', unit: '' },
  { name: 'OutputTokenThroughput', unit: 'token/s' },
  { name: 'PrefillTokenThroughput', unit: 'token/s' },
];

export const STAGES: readonly Stage[] = ['total', 'stable'];

/** TPOT (ms) or NaN when undefined (OutputTokens ≤ 1). */
export function tpotOf(e2el: number, ttft: number, outTok: number): number {
  return outTok > 1 ? (e2el - ttft) / (outTok - 1) : NaN;
}

/** tokens / ms → token/s, NaN when the time is not positive. */
export function perSecond(tokens: number, ms: number): number {
  return ms > 0 ? (tokens * 1000) / ms : NaN;
}

/** A successful request meets every given SLO (an undefined TPOT passes). */
export function isGood(slo: Slo, ttft: number, tpot: number, e2el: number): boolean {
  if (slo.ttftMs !== undefined && !(ttft <= slo.ttftMs)) return false;
  if (slo.tpotMs !== undefined && !Number.isNaN(tpot) && !(tpot <= slo.tpotMs)) return false;
  if (slo.e2elMs !== undefined && !(e2el <= slo.e2elMs)) return false;
  return true;
}

/**
 * The ITL values of one request, in µs, by the rule above. Used by tests and
 * by readers; the accumulator inlines the same loop into its histogram.
 */
export function itlValuesUs(gapsUs: ArrayLike<number>, chunkTokens: ArrayLike<number> | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < gapsUs.length; i++) {
    const k = chunkTokens ? Math.max(1, chunkTokens[i + 1] ?? 1) : 1;
    for (let j = 0; j < k; j++) out.push(gapsUs[i]! / k);
  }
  return out;
}
