/**
 * TaskAccumulator: fed every finished record of a task (live, as workers post
 * them, or from a details file), it keeps what the final results need and
 * nothing more: ~80 bytes of columns per request, the exact ITL histogram and
 * per-second output token bins. add() is O(tokens); finalize() sorts the
 * columns (≈ 0.2 s at 250,000 requests), so results are ready right after
 * the last request.
 *
 * Stage 'stable' needs the ITL of the requests inside a window that is only
 * known at the end. Two ways: give `stableWindow` up front (a second pass
 * over a details file does), then ITL goes to both histograms as it comes;
 * or only `stable: true`, then each successful request's gaps are kept
 * varint-coded (1–2 bytes a gap) and, at finalize, the requests outside the
 * window are subtracted from a copy of the total histogram.
 */
import { ColumnStore, type ColumnName } from './columns.js';
import { commonRows, commonValueOf } from './common.js';
import { COMMON_METRIC_NAMES } from '../core/metric-ids.js';
import type { Slo } from '../core/slo.js';
import type { TaskIdentity } from '../core/task.js';
import { F64List } from './f64-list.js';
import { decodeGaps, encodeGaps } from '../engine/gap-varint.js';
import { ItlHistogram, type ItlHistogramState } from './itl-histogram.js';
import { perfRows, stageValues, type StageValues } from './perf-table.js';
import { binTokens, concurrencyFromSorted, ttftByStart } from './series.js';
import { aisbenchStableWindow, inWindow, stableWindowSorted, type StableWindow } from './stable.js';
import { evalscopeSummary } from './evalscope-summary.js';
import { auditRecord, auditRows, emptyAudit, mergeAudit, type AuditSums } from './token-audit.js';
import { DEFAULT_DIALECT, usesAisbenchStable, viewOf, type Dialect } from './dialects.js';
import { EV_REASONING, EV_TEXT, isTokenKind } from '../engine/sse.js';
import type { RequestRecord } from '../engine/types.js';
import type { FailureRow, TaskResult } from './types.js';

export interface AccumulatorOptions {
  /** Configured batch_size (Max Concurrency row, stable window). */
  maxConcurrency: number;
  /** Goodput SLO (ms). */
  slo?: Slo;
  /** Compute Stage 'stable' rows too. */
  stable?: boolean;
  /** The stable window when already known (no gaps are kept then). */
  stableWindow?: StableWindow | null;
  /** Metric dialect (dialects.ts); default 'aisbench'. */
  dialect?: Dialect;
  /** The task counts prompts with a local tokenizer: show the server-vs-tokenizer input audit rows. */
  audit?: boolean;
}

export interface FinalizeContext extends TaskIdentity {
  stats: string[];
  interrupted: boolean;
}

/** Mergeable, structured-cloneable partial state (worker_threads). */
export interface AccumulatorState {
  columns: Record<ColumnName, Float64Array>;
  itl: ItlHistogramState;
  itlStable: ItlHistogramState | null;
  failures: Array<[string, number, string]>;
  tokBins: Float64Array;
  warmups: number;
  noDone: number;
  reasoning: ReasoningSums;
  audit: AuditSums;
}

/**
 * Reasoning models (`reasoning_content` deltas), over successful requests
 * that had reasoning events: TTFT of any token (as vLLM reports it) beside
 * the time to the first answer (text) token, and reasoning vs answer tokens
 * (the server's completion_tokens_details.reasoning_tokens when given, else
 * the tokens of the reasoning events).
 */
export interface ReasoningSums {
  requests: number;
  /** µs sums. */
  ttftMs: number;
  answerMs: number;
  answerN: number;
  reasoningTok: number;
  answerTok: number;
}

interface Kept {
  row: number;
  gaps: Uint8Array;
  count: number;
  k: Uint32Array | null;
}

export class TaskAccumulator {
  private store = new ColumnStore();
  private itl = new ItlHistogram();
  private itlStable: ItlHistogram | null;
  private failures = new Map<string, { count: number; example: string }>();
  private tokBins = new F64List(256);
  private kept: Kept[] = [];
  private scratch: Uint8Array = new Uint8Array(1024);
  private addBin = (bin: number, tokens: number): void => this.tokBins.addAt(bin, tokens);
  /** Warmup records seen (excluded from every metric). */
  warmups = 0;
  /** Successful streams that ended without data: [DONE]. */
  noDone = 0;
  reasoning: ReasoningSums = { requests: 0, ttftMs: 0, answerMs: 0, answerN: 0, reasoningTok: 0, answerTok: 0 };
  audit: AuditSums = emptyAudit();
  readonly dialect: Dialect;

  constructor(readonly opts: AccumulatorOptions) {
    this.dialect = opts.dialect ?? DEFAULT_DIALECT;
    this.itlStable = opts.stable && opts.stableWindow ? new ItlHistogram() : null;
  }

  /** Non-warmup records added. */
  get counted(): number {
    return this.store.n;
  }

  add(r: RequestRecord): void {
    if (r.warmup) {
      this.warmups++;
      return;
    }
    const v = viewOf(r, this.dialect);
    const perRequestItl = this.dialect === 'aiperf';
    if (r.ok && r.noDone) this.noDone++;
    if (r.ok && r.kinds !== null) this.addReasoning(r, r.kinds);
    if (r.ok) auditRecord(this.audit, r);
    if (v.ok) {
      const g = v.gaps;
      const k = v.k;
      if (r.kinds === null && r.chunkTokens === null && Number.isFinite(r.ttft)) this.addPlain(r.gapsUs, r.t0 + r.ttft, !perRequestItl);
      else {
        if (!perRequestItl) this.itl.addRequest(g, k);
        this.binRecord(r);
      }
      if (this.opts.stable && !perRequestItl) {
        const w = this.opts.stableWindow;
        if (w !== undefined) {
          if (w && inWindow(w, r.t0)) this.itlStable?.addRequest(g, k);
        } else if (g.length > 0) {
          const enc = encodeGaps(g, this.scratch);
          this.scratch = enc.bytes;
          this.kept.push({ row: this.store.n, gaps: enc.bytes.slice(0, enc.length), count: g.length, k: k && k.slice() });
        }
      }
    } else {
      const code = r.code ?? 'E_UNKNOWN';
      const f = this.failures.get(code);
      if (f) f.count++;
      else this.failures.set(code, { count: 1, example: r.message ?? '' });
    }
    this.store.push({
      t0: r.t0,
      end: r.end,
      last: v.ok ? r.t0 + v.e2el : NaN,
      sched: r.sched,
      ttft: v.ok ? v.ttft : NaN,
      e2el: v.ok ? v.e2el : NaN,
      tpot: v.ok ? v.tpot : NaN,
      itlReq: v.itlReq,
      inTok: v.inTok,
      outTok: v.outTok,
      attempts: r.attempts,
      ok: v.ok ? 1 : 0,
      itlN: v.hasItl ? 1 : 0,
    });
  }

  private addReasoning(r: RequestRecord, kinds: Uint8Array): void {
    let rTok = 0;
    let any = false;
    let acc = 0;
    let answerAt = NaN;
    for (let i = 0; i < kinds.length; i++) {
      if (i > 0) acc += r.gapsUs[i - 1]!;
      const k = kinds[i]! & 7;
      if (k === EV_REASONING) {
        any = true;
        rTok += r.chunkTokens ? r.chunkTokens[i]! : 1;
      } else if (k === EV_TEXT && Number.isNaN(answerAt)) answerAt = r.first + acc / 1000;
    }
    if (!any) return;
    const s = this.reasoning;
    if (r.reasoningTokens !== undefined) rTok = r.reasoningTokens;
    s.requests++;
    // Sums in whole µs, so merged partial states add up to the last digit.
    s.ttftMs += Math.round(r.ttft * 1000);
    if (Number.isFinite(answerAt)) { s.answerN++; s.answerMs += Math.round(answerAt * 1000); }
    s.reasoningTok += rTok;
    s.answerTok += Math.max(0, r.outTok - rTok);
  }

  /** Per-second output token bins from the token-bearing events (for the plots). */
  private binRecord(r: RequestRecord): void {
    if (!Number.isFinite(r.ttft)) return;
    const kinds = r.kinds;
    if (kinds === null) {
      binTokens(r.t0 + r.ttft, r.gapsUs, r.chunkTokens, this.addBin);
      return;
    }
    const gaps: number[] = [];
    const k: number[] = [];
    let acc = 0;
    let seen = false;
    for (let i = 0; i < kinds.length; i++) {
      if (i > 0) acc += r.gapsUs[i - 1]!;
      if (!isTokenKind(kinds[i]!)) continue;
      if (seen) gaps.push(acc);
      seen = true;
      acc = 0;
      k.push(r.chunkTokens ? Math.max(1, r.chunkTokens[i]!) : 1);
    }
    binTokens(r.t0 + r.ttft, gaps, k, this.addBin);
  }

  /**
   * The hot path (one token a chunk): ITL histogram and per-second token
   * bins in one pass over the gaps; same results as addRequest + binTokens.
   */
  private addPlain(g: Uint32Array, firstMs: number, itl: boolean): void {
    if (!itl) {
      binTokens(firstMs, g, null, this.addBin);
      return;
    }
    const h = this.itl;
    let d = h.dense;
    let bin = Math.max(0, Math.floor(firstMs / 1000));
    // µs from the first chunk to the next 1 s boundary (rounded as binTokens does).
    let next = Math.round((bin + 1) * 1e6 - firstMs * 1000);
    let cum = 0; // µs from the first chunk to chunk i + 1
    let last = 0; // chunks already binned
    const n = g.length;
    for (let i = 0; i < n; i++) {
      const x = g[i]!;
      cum += x;
      if (x < d.length) d[x]!++; // `!`: bounds checked on this line
      else {
        h.addValue(x, 1);
        d = h.dense;
      }
      if (cum >= next) {
        this.tokBins.addAt(bin, i + 1 - last);
        last = i + 1;
        do {
          bin++;
          next += 1e6;
        } while (cum >= next);
      }
    }
    this.tokBins.addAt(bin, n + 1 - last);
    h.count += n;
    h.sumUs += cum;
  }

  toState(): AccumulatorState {
    return {
      columns: this.store.toState(),
      itl: this.itl.toState(),
      itlStable: this.itlStable ? this.itlStable.toState() : null,
      failures: [...this.failures].map(([c, f]) => [c, f.count, f.example]),
      tokBins: this.tokBins.view().slice(),
      warmups: this.warmups,
      noDone: this.noDone,
      reasoning: { ...this.reasoning },
      audit: { ...this.audit, out: this.audit.out ? { ...this.audit.out } : undefined },
    };
  }

  /** Merge a partial state (from a worker that used the same options, and no kept gaps). */
  mergeState(s: AccumulatorState): void {
    this.store.merge(s.columns);
    this.itl.merge(s.itl);
    if (s.itlStable) (this.itlStable ??= new ItlHistogram()).merge(s.itlStable);
    for (const [code, count, example] of s.failures) {
      const f = this.failures.get(code);
      if (f) f.count += count;
      else this.failures.set(code, { count, example });
    }
    for (let i = 0; i < s.tokBins.length; i++) if (s.tokBins[i]) this.tokBins.addAt(i, s.tokBins[i]!);
    this.warmups += s.warmups;
    this.noDone += s.noDone;
    for (const k of Object.keys(this.reasoning) as Array<keyof ReasoningSums>) this.reasoning[k] += s.reasoning[k];
    mergeAudit(this.audit, s.audit);
  }

  finalize(ctx: FinalizeContext): TaskResult {
    const cols = this.store.columns();
    const starts = cols.t0.slice().sort();
    const ends = cols.end.slice().sort();
    const { maxConcurrency, slo } = this.opts;
    const d = this.dialect;
    const stages: StageValues[] = [stageValues(cols, null, this.itl, 'total', d)];
    const common = commonRows(cols, null, { stage: 'total', maxConcurrency, slo, dialect: d });
    if (this.noDone > 0) common.push({ id: 'ended_without_done', name: COMMON_METRIC_NAMES.ended_without_done, stage: 'total', value: this.noDone, unit: '' });
    common.push(...auditRows(this.audit, this.opts.audit === true));
    const rs = this.reasoning;
    if (rs.requests > 0) {
      common.push(
        { id: 'reasoning_requests', name: COMMON_METRIC_NAMES.reasoning_requests, stage: 'total', value: rs.requests, unit: '' },
        { id: 'ttft_any_token_mean', name: COMMON_METRIC_NAMES.ttft_any_token_mean, stage: 'total', value: rs.ttftMs / rs.requests / 1000, unit: 'ms' },
        { id: 'first_answer_token_mean', name: COMMON_METRIC_NAMES.first_answer_token_mean, stage: 'total', value: rs.answerN ? rs.answerMs / rs.answerN / 1000 : NaN, unit: 'ms' },
        { id: 'reasoning_tokens', name: COMMON_METRIC_NAMES.reasoning_tokens, stage: 'total', value: rs.reasoningTok, unit: '' },
        { id: 'answer_tokens', name: COMMON_METRIC_NAMES.answer_tokens, stage: 'total', value: rs.answerTok, unit: '' },
      );
    }
    if (this.opts.stable) {
      const known = this.opts.stableWindow;
      const w = known !== undefined ? known : windowFor(d, cols, starts, ends, maxConcurrency);
      if (w) {
        const mask = new Uint8Array(cols.n);
        for (let i = 0; i < cols.n; i++) mask[i] = inWindow(w, cols.t0[i]!) && (d === 'per-token' || cols.ok[i] === 1) ? 1 : 0;
        const itl = this.stableItl(mask, w);
        stages.push(stageValues(cols, mask, itl, 'stable', d));
        common.push(...commonRows(cols, mask, { stage: 'stable', maxConcurrency, slo, durationMs: w.endMs - w.startMs, dialect: d }));
      }
    }
    const failures: FailureRow[] = [...this.failures]
      .map(([code, f]) => ({ code, count: f.count, example: f.example }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    return {
      key: ctx.key,
      abbr: ctx.abbr,
      dataset: ctx.dataset,
      model: ctx.model,
      perf: { stats: [...ctx.stats], rows: perfRows(stages, ctx.stats, d) },
      common,
      failures,
      series: {
        concurrency: concurrencyFromSorted(starts, ends),
        outputTokPerSec: Array.from(this.tokBins.view()),
        ttftByStart: ttftByStart(cols),
      },
      interrupted: ctx.interrupted,
      files: {},
      dialect: d,
      ...(d === 'evalscope'
        ? { evalscope: evalscopeSummary(cols, this.itl, commonValueOf(common, 'benchmark_duration') ?? NaN, maxConcurrency) }
        : {}),
      recompute: (stats: string[]) => ({ stats: [...stats], rows: perfRows(stages, stats, d) }),
    };
  }

  private stableItl(mask: Uint8Array, w: StableWindow): ItlHistogram {
    if (this.opts.stableWindow && this.itlStable && this.opts.stableWindow === w) return this.itlStable;
    const h = this.itl.clone();
    for (const k of this.kept) {
      if (mask[k.row] === 1) continue;
      const gaps = new Uint32Array(k.count);
      decodeGaps(k.gaps, 0, k.gaps.length, gaps);
      h.removeRequest(gaps, k.k);
    }
    return h;
  }
}

/**
 * The stable window of a dialect: AISBench's #464 window over the successful
 * requests' [start, last event] (every dialect but per-token: the others have
 * no stable stage of their own), or the earlier window over all requests.
 */
export function windowFor(d: Dialect, cols: { n: number; t0: Float64Array; last: Float64Array; ok: Float64Array }, starts: Float64Array, ends: Float64Array, max: number): StableWindow | null {
  if (!usesAisbenchStable(d)) return stableWindowSorted(starts, ends, max);
  const s: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < cols.n; i++) if (cols.ok[i] === 1) (s.push(cols.t0[i]!), e.push(cols.last[i]!));
  return aisbenchStableWindow(Float64Array.from(s), Float64Array.from(e), max);
}
