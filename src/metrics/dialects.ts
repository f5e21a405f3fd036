/**
 * Metric dialects: how each reference tool turns the same per-request record
 * (every timed SSE event, its kind and tokens) into TTFT, E2EL, ITL, TPOT,
 * token counts, success and the Common Metric rows. One record serves every
 * dialect, so a run can be read as AISBench, vLLM, EvalScope or AIPerf would
 * have reported it (README "Metric dialects" lists each definition).
 *
 * - aisbench (default): AISBench's current formulas
 *   (ais_bench/benchmark/summarizers/default_perf.py `_calc_perf_data`,
 *   calculators/base_perf_metric_calculator.py, stable_perf_metric_calculator.py)
 *   applied to token-bearing events (text, reasoning, tool-call deltas), so a
 *   role-only chunk sent before generation is never the TTFT.
 * - aisbench-exact: the same formulas over every event AISBench timestamps
 *   (models/api_models/base_api.py `stream_infer`: every non-empty `data:`
 *   line but `[DONE]`), with its success rule and its rounding (stats to 4
 *   decimals in seconds, i.e. 0.1 ms).
 * - vllm: vllm/benchmarks/lib/endpoint_request_func.py
 *   (`async_request_openai_chat_completions`) + vllm/benchmarks/serve.py
 *   (`calculate_metrics`): events with non-empty `choices`; usage read only
 *   on a chunk without choices; TPOT leaves one-token answers out.
 * - evalscope: evalscope/perf/plugin/api/default_api.py, utils/benchmark_util.py
 *   (`BenchmarkData.finalize`, `MetricsAccumulator`), utils/db_util.py
 *   (`calculate_percentiles`: data[int(n·p/100)], rounded to 2 decimals).
 * - aiperf: ai-dynamo/aiperf (checked against its code, db4f639):
 *   parsers/openai_parsers.py `OpenAIResponseExtractor` keeps only responses
 *   with non-empty content or reasoning, so TTFT (metrics/types/ttft_metric.py
 *   `TTFTMetric`: first response − start) and Request Latency
 *   (request_latency_metric.py `RequestLatencyMetric`: last response − start)
 *   span token-bearing events; ITL (inter_token_latency_metric.py
 *   `InterTokenLatencyMetric`) = (latency − TTFT) / (OSL − 1), one value a
 *   request, none when OSL < 2; OSL and ISL are its own tokenizer's counts
 *   (parsers/inference_result_parser.py `process_valid_record`,
 *   add_special_tokens=False), here the `--tokenizer` counts (localOut,
 *   localIn) when present, else usage; Benchmark Duration
 *   (benchmark_duration_metric.py `BenchmarkDurationMetric`) = max(start +
 *   latency) − min(start) over valid records only (metric_record_processor.py
 *   runs record metrics on valid records). Not reproduced: AIPerf drops
 *   tool-call-only chunks (no content), here they are token-bearing.
 * - per-token: this tool's earlier definitions: token-bearing events, a chunk
 *   of k tokens gives k ITL values of gap/k, TPOT undefined for one token,
 *   duration over every request, today's stable window (stable.ts).
 */
import { EV_OTHER, EV_USAGE, isTokenKind } from '../engine/sse.js';
import type { RequestRecord } from '../engine/types.js';

export const DIALECTS = ['aisbench', 'aisbench-exact', 'vllm', 'evalscope', 'aiperf', 'per-token'] as const;
export type Dialect = (typeof DIALECTS)[number];
export const DEFAULT_DIALECT: Dialect = 'aisbench';

/** The dialect after `d` in DIALECTS order (the results view's `m`). */
export function nextDialect(d: string | undefined): Dialect {
  const i = DIALECTS.indexOf((d ?? DEFAULT_DIALECT) as Dialect);
  return DIALECTS[(i + 1) % DIALECTS.length]!;
}

/** The dialect named by `s` (case-insensitive), or null. */
export function dialectNamed(s: string): Dialect | null {
  const d = s.trim().toLowerCase();
  return (DIALECTS as readonly string[]).includes(d) ? (d as Dialect) : null;
}

/** A record as one dialect sees it. Times in ms relative to t0, gaps in whole µs. */
export interface RequestView {
  ok: boolean;
  ttft: number;
  e2el: number;
  /** ITL gaps of the timed events (whole µs), split per token only with `k`. */
  gaps: Uint32Array;
  /** Tokens per timed event for the per-token split (per-token only), else null. */
  k: Uint32Array | null;
  outTok: number;
  inTok: number;
  /** NaN = left out of the TPOT row. */
  tpot: number;
  /** One ITL value per request (aiperf), NaN otherwise. */
  itlReq: number;
  /** Requests counted in the TPOT/ITL N (AISBench: a non-zero ITL value). */
  hasItl: boolean;
}

/** Codes the reference tools count as successes when some event came (see README "Success rules"). */
const LENIENT = new Set(['E_EMPTY', 'E_SERVER_ERROR']);

/**
 * Whole-µs offsets of each event from the first, and event indices chosen by `pick`.
 * The event count is the kinds' length when there are kinds: a record with no
 * event may carry empty kinds, and gaps + 1 would invent an event there.
 */
function pickEvents(r: RequestRecord, pick: (kind: number) => boolean): { idx: number[]; off: Float64Array } {
  const g = r.gapsUs;
  const kinds = r.kinds;
  const n = kinds !== null ? kinds.length : g.length > 0 || Number.isFinite(r.first) ? g.length + 1 : 0;
  const off = new Float64Array(n);
  for (let i = 1; i < n; i++) off[i] = off[i - 1]! + g[i - 1]!;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (kinds === null || pick(kinds[i]!)) idx.push(i);
  return { idx, off };
}

function gapsOf(idx: number[], off: Float64Array): Uint32Array {
  const out = new Uint32Array(Math.max(0, idx.length - 1));
  for (let i = 1; i < idx.length; i++) out[i - 1] = off[idx[i]!]! - off[idx[i - 1]!]!;
  return out;
}

const anyNonZero = (g: ArrayLike<number>): boolean => {
  for (let i = 0; i < g.length; i++) if (g[i] !== 0) return true;
  return false;
};

/** TPOT with the one-token rule of the dialect: 0 and included (AISBench, EvalScope) or left out. */
function tpot(d: Dialect, e2el: number, ttft: number, out: number): number {
  if (out > 1) return (e2el - ttft) / (out - 1);
  return d === 'aisbench' || d === 'aisbench-exact' || d === 'evalscope' ? 0 : NaN;
}

const EMPTY = new Uint32Array(0);

/** The record under dialect `d`. Records without event kinds (all text) take the fast path. */
export function viewOf(r: RequestRecord, d: Dialect): RequestView {
  const hasEvents = r.gapsUs.length > 0 || Number.isFinite(r.first);
  let ok = r.ok;
  let ttft = r.ttft;
  let e2el = r.e2el;
  let gaps = r.gapsUs;
  let k: Uint32Array | null = null;
  let outTok = r.outTok;
  let inTok = r.inTok;
  const kinds = r.kinds;
  if (d === 'aisbench' || d === 'aiperf' || d === 'per-token') {
    // Token-bearing events only.
    if (kinds !== null || (d === 'per-token' && r.chunkTokens !== null)) {
      const { idx, off } = pickEvents(r, isTokenKind);
      if (kinds !== null) gaps = gapsOf(idx, off);
      if (d === 'per-token' && r.chunkTokens) k = Uint32Array.from(idx, (i) => r.chunkTokens![i]!);
    }
  } else if (d === 'aisbench-exact') {
    // Every timed event; success needs one (RequestOutput: "chunk size is less than 2").
    if (!ok && LENIENT.has(r.code ?? '') && hasEvents) ok = true;
    if (kinds !== null) {
      const { off } = pickEvents(r, () => true);
      ttft = r.first;
      e2el = r.first + (off.at(-1) ?? NaN) / 1000;
    }
  } else if (d === 'vllm' || d === 'evalscope') {
    // Events with non-empty choices time TTFT and ITL.
    const withChoices = (kind: number): boolean => (kind & 7) !== EV_USAGE && (kind & 7) !== EV_OTHER;
    const { idx, off } = kinds !== null ? pickEvents(r, withChoices) : { idx: [] as number[], off: null };
    const some = kinds === null ? hasEvents : idx.length > 0;
    if (!ok && LENIENT.has(r.code ?? '') && (some || d === 'evalscope')) ok = true;
    if (kinds !== null && off) {
      if (idx.length === 0) {
        ttft = 0;
        e2el = 0;
        gaps = EMPTY;
      } else {
        ttft = r.first + off[idx[0]!]! / 1000;
        if (d === 'vllm') {
          e2el = r.first + off[idx[idx.length - 1]!]! / 1000;
          gaps = gapsOf(idx, off);
        } else {
          // EvalScope: each choices event after the first adds its gap to the
          // previous event of any kind; the request ends at the last event.
          e2el = r.first + off[off.length - 1]! / 1000;
          const g: number[] = [];
          for (let j = 1; j < idx.length; j++) g.push(off[idx[j]!]! - off[idx[j]! - 1]!);
          gaps = Uint32Array.from(g);
        }
      }
    }
    if (d === 'vllm') outTok = vllmOutputTokens(r);
  }
  if (d === 'aiperf') {
    // Its own tokenizer's counts (inference_result_parser.py), when the run had one.
    if (r.localOut !== undefined) outTok = r.localOut;
    if (r.localIn !== undefined) inTok = r.localIn;
  }
  if (!Number.isFinite(ttft) || !Number.isFinite(e2el)) ok = false;
  const tp = ok ? tpot(d, e2el, ttft, outTok) : NaN;
  return {
    ok,
    ttft,
    e2el,
    gaps,
    k,
    outTok,
    inTok,
    tpot: tp,
    itlReq: d === 'aiperf' && ok && outTok > 1 && gaps.length > 0 ? (e2el - ttft) / (outTok - 1) : NaN,
    hasItl:
      ok &&
      (d === 'aiperf'
        ? gaps.length > 0 && outTok > 1
        : d === 'aisbench' || d === 'aisbench-exact'
          ? anyNonZero(gaps)
          : gaps.length > 0),
  };
}

/**
 * vLLM's output tokens. Its client reads `usage` only on a chunk without
 * choices (endpoint_request_func.py); serve.py `calculate_metrics` then
 * counts `if not output_len:` the generated text with its tokenizer
 * (add_special_tokens=False), or 1 without one. With `--tokenizer` the
 * worker's count of the answer (localOut) plays that part; without it a
 * usage on a choices chunk reads 0 and a stream without usage its
 * token-bearing events (the differences view says vLLM would tokenize).
 */
function vllmOutputTokens(r: RequestRecord): number {
  let read = r.usage;
  if (read && r.kinds !== null) {
    read = false;
    for (let i = 0; i < r.kinds.length; i++) if ((r.kinds[i]! & 7) === EV_USAGE) read = true;
  }
  if (read && r.outTok > 0) return r.outTok;
  if (r.localOut !== undefined) return r.localOut;
  return r.usage ? 0 : r.outTok;
}

/** Percentile method: numpy's linear interpolation, or EvalScope's data[int(n·p/100)]. */
export function percentileMethod(d: Dialect): 'linear' | 'floor' {
  return d === 'evalscope' ? 'floor' : 'linear';
}

/**
 * A stat value as the dialect prints it. AISBench rounds latency stats to 4
 * decimals in seconds (0.1 ms) and everything else to 4 decimals
 * (base_perf_metric_calculator.py `_calculate_statistics`,
 * `_add_units_to_metrics`); EvalScope rounds percentiles to 2 decimals of
 * its unit (ms for TTFT/ITL/TPOT, s for latency: 10 ms). Others: unrounded.
 */
export function roundStat(d: Dialect, metric: string, unit: string, v: number, stat = 'P50'): number {
  if (!Number.isFinite(v)) return v;
  if (d === 'aisbench-exact') return unit === 'ms' ? Math.round(v * 10) / 10 : Math.round(v * 1e4) / 1e4;
  if (d === 'evalscope') {
    // Its summary averages: 4 decimals of seconds (BenchmarkMetrics.create_message).
    if (stat === 'Average') return unit === 'ms' ? Math.round(v * 10) / 10 : Math.round(v * 1e4) / 1e4;
    return metric === 'E2EL' ? Math.round(v / 10) * 10 : Math.round(v * 100) / 100;
  }
  return v;
}

/** Stable window and duration rules, by dialect family. */
export function usesAisbenchStable(d: Dialect): boolean {
  return d !== 'per-token';
}
